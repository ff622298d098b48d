//! Releasing waiting lines when stock rises: the waiting lines the change may release (its
//! products' queues and the lines that travel with them, see [`crate::stock`]) are planned
//! again against the new free stock, oldest order first, and what it covers moves to a
//! ready shipment.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_catalog::{free_stock, reserve};
use orderpath_core::events::EventType;
use orderpath_core::Result;
use orderpath_db::events;
use orderpath_db::schema::{shipment_lines, shipments};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::model::ShipmentStatus;
use crate::place::{insert_shipment, touch_order};
use crate::planning::{plan, Part, StockView};
use crate::stock::Component;

/// Releases what free stock now covers of `component`'s waiting lines, strictly in queue
/// order. Call it in the transaction of any change that may raise the free stock of the
/// products the component was read for, with the component locked (see
/// [`crate::stock::lock_component`]) before the change. Records `SHIPMENT_READY` for each
/// shipment that became ready; returns how many did.
pub(crate) fn release_waiting(
    conn: &mut PgConnection,
    component: &Component,
    now: DateTime<Utc>,
) -> Result<usize> {
    let queue = &component.queue;
    if queue.is_empty() {
        return Ok(0);
    }
    let products: Vec<Uuid> = component.products.iter().copied().collect();
    let mut stock = StockView::new(free_stock(conn, &products)?, Default::default());
    let groups: Vec<_> = queue.iter().map(|w| w.group.clone()).collect();
    let outcomes = plan(&groups, &mut stock);

    // Released parts per waiting shipment (one per order), oldest order first.
    let mut released: Vec<(Uuid, Uuid, Vec<Part>)> = Vec::new();
    for (waiting, outcome) in queue.iter().zip(&outcomes) {
        if outcome.ready.is_empty() {
            continue;
        }
        match released
            .iter_mut()
            .find(|(shipment, _, _)| *shipment == waiting.shipment_id)
        {
            Some((_, _, parts)) => parts.extend(outcome.ready.iter().cloned()),
            None => released.push((waiting.shipment_id, waiting.order_id, outcome.ready.clone())),
        }
    }
    let mut reserved: HashMap<Uuid, Decimal> = HashMap::new();
    let mut became_ready = 0;
    for (shipment_id, order_id, parts) in released {
        for part in &parts {
            *reserved.entry(part.product).or_insert(Decimal::ZERO) += part.quantity;
        }
        let ready_id = move_to_ready(conn, order_id, shipment_id, &parts, now)?;
        let customer_id = touch_order(conn, order_id, now)?;
        events::record(
            conn,
            EventType::ShipmentReady,
            now,
            json!({ "customerId": customer_id, "orderId": order_id, "shipmentId": ready_id }),
        )?;
        became_ready += 1;
    }
    reserve(conn, &reserved)?;
    Ok(became_ready)
}

/// Moves released `parts` out of the waiting shipment. When they are all it holds, the
/// waiting shipment itself becomes ready; otherwise a new ready shipment takes them.
/// Returns the ready shipment's id.
fn move_to_ready(
    conn: &mut PgConnection,
    order_id: Uuid,
    waiting_id: Uuid,
    parts: &[Part],
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let waiting: Vec<(Uuid, Decimal)> = shipment_lines::table
        .filter(shipment_lines::shipment_id.eq(waiting_id))
        .select((shipment_lines::order_line_id, shipment_lines::quantity))
        .load(conn)?;
    let all_released = waiting.iter().all(|(line, quantity)| {
        parts
            .iter()
            .any(|p| p.line == *line && p.quantity == *quantity)
    });
    if all_released {
        diesel::update(shipments::table.find(waiting_id))
            .set((
                shipments::status.eq(ShipmentStatus::Ready.to_string()),
                shipments::updated_at.eq(now),
            ))
            .execute(conn)?;
        // Out of their products' queues.
        diesel::update(shipment_lines::table.filter(shipment_lines::shipment_id.eq(waiting_id)))
            .set(shipment_lines::waiting_product_id.eq(None::<Uuid>))
            .execute(conn)?;
        return Ok(waiting_id);
    }
    for part in parts {
        let left = waiting
            .iter()
            .find(|(line, _)| *line == part.line)
            .map_or(Decimal::ZERO, |(_, q)| *q - part.quantity);
        let row = shipment_lines::table.find((waiting_id, part.line));
        if left > Decimal::ZERO {
            diesel::update(row)
                .set(shipment_lines::quantity.eq(left))
                .execute(conn)?;
        } else {
            diesel::delete(row).execute(conn)?;
        }
    }
    let position: i32 = shipments::table
        .filter(shipments::order_id.eq(order_id))
        .select(diesel::dsl::max(shipments::position))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    insert_shipment(conn, order_id, ShipmentStatus::Ready, position, parts, now)
}
