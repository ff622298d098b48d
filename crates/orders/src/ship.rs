use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::{ConflictCode, Error, Result};
use orderpath_db::schema::{order_lines, shipment_lines, shipments};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::load::get_order;
use crate::model::{Order, ShipmentStatus};
use crate::place::touch_order;
use crate::release::release_waiting;
use crate::stock::lock_component;

/// Marks a ready shipment shipped: on-hand stock and the reservation both drop by its
/// quantities (see `orderpath_catalog::ship_out`). Runs in one transaction (the caller's,
/// when it is in one).
pub fn ship_shipment(
    conn: &mut PgConnection,
    order_id: Uuid,
    shipment_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Order> {
    orderpath_db::in_transaction(conn, |conn| ship(conn, order_id, shipment_id, now))
}

fn ship(
    conn: &mut PgConnection,
    order_id: Uuid,
    shipment_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Order> {
    // Shipping may raise free stock (neither count goes below zero), so it locks what a
    // release of the shipment's products may move. Under those locks the shipment's
    // lines stay as they are: only a release, which takes the same locks, changes them.
    let component = lock_component(conn, |conn| {
        Ok(shipment_lines::table
            .inner_join(order_lines::table)
            .filter(shipment_lines::shipment_id.eq(shipment_id))
            .select(order_lines::product_id)
            .load::<Uuid>(conn)?
            .into_iter()
            .collect::<BTreeSet<Uuid>>())
    })?;
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
    orderpath_catalog::ship_out(conn, &lines, now)?;
    diesel::update(shipments::table.find(shipment_id))
        .set((
            shipments::status.eq(ShipmentStatus::Shipped.to_string()),
            shipments::updated_at.eq(now),
        ))
        .execute(conn)?;
    touch_order(conn, order_id, now)?;
    release_waiting(conn, &component, now)?;
    get_order(conn, order_id, None)
}
