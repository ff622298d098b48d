use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Numeric;
use orderpath_core::{ConflictCode, Error, Result};
use orderpath_db::schema::{order_lines, orders, products, shipment_lines, shipments};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::load::get_order;
use crate::model::{Order, ShipmentStatus};
use crate::release::release_waiting;
use crate::stock::lock_stock;

/// Marks a ready shipment shipped: on-hand stock and the reservation both drop by its
/// quantities. Neither goes below zero: when the ERP's count is lower than what was
/// reserved, the next count corrects it.
pub fn ship_shipment(
    conn: &mut PgConnection,
    order_id: Uuid,
    shipment_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Order> {
    lock_stock(conn)?;
    let status: String = shipments::table
        .filter(shipments::id.eq(shipment_id))
        .filter(shipments::order_id.eq(order_id))
        .select(shipments::status)
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(Error::not_found("shipment"))?;
    match status.parse() {
        Ok(ShipmentStatus::Ready) => {}
        Ok(ShipmentStatus::Shipped) => {
            return Err(Error::conflict(
                ConflictCode::ShipmentNotReady,
                "the shipment was shipped already",
            ))
        }
        _ => {
            return Err(Error::conflict(
                ConflictCode::ShipmentNotReady,
                "the shipment is waiting for stock and cannot ship yet",
            ))
        }
    }
    let lines: Vec<(Uuid, Decimal)> = shipment_lines::table
        .inner_join(order_lines::table)
        .filter(shipment_lines::shipment_id.eq(shipment_id))
        .select((order_lines::product_id, shipment_lines::quantity))
        .load(conn)?;
    for (product, quantity) in lines {
        diesel::update(products::table.find(product))
            .set((
                products::stock.eq(sql::<Numeric>("GREATEST(stock - ")
                    .bind::<Numeric, _>(quantity)
                    .sql(", 0)")),
                products::reserved.eq(sql::<Numeric>("GREATEST(reserved - ")
                    .bind::<Numeric, _>(quantity)
                    .sql(", 0)")),
                products::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(shipments::table.find(shipment_id))
        .set((
            shipments::status.eq(ShipmentStatus::Shipped.to_string()),
            shipments::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(orders::table.find(order_id))
        .set((
            orders::version.eq(orders::version + 1),
            orders::updated_at.eq(now),
        ))
        .execute(conn)?;
    release_waiting(conn, now)?;
    get_order(conn, order_id, None)
}
