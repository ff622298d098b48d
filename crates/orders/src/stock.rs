//! Stock as planning sees it: the queue of waiting lines, and the lock that serialises
//! every change of reservations. The quantities themselves live in the catalog.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use orderpath_core::Result;
use orderpath_db::schema::{order_lines, orders, shipment_lines, shipments};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::model::ShipmentStatus;
use crate::planning::{Group, Part};

/// Advisory lock key (arbitrary, fixed) for reservation changes.
const STOCK_LOCK_KEY: i64 = 0x6f70_7374_6f63_6b00;

/// Serialises placing orders, stock changes and shipping until the transaction ends, so
/// two of them never plan against the same free stock. Take it before locking any product
/// or cart row, as every holder does, so lock order never deadlocks. Simple and race-free; B2B order
/// rates are far below what one lock holder at a time can serve.
pub fn lock_stock(conn: &mut PgConnection) -> Result<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(STOCK_LOCK_KEY)
        .execute(conn)?;
    Ok(())
}

/// A waiting group, with the order and shipment it waits in.
#[derive(Debug, Clone)]
pub(crate) struct WaitingGroup {
    pub order_id: Uuid,
    pub shipment_id: Uuid,
    pub group: Group,
}

/// Every waiting line part, grouped (a parent with its waiting children) and in queue
/// order: older orders first, then line position.
pub(crate) fn waiting_queue(conn: &mut PgConnection) -> Result<Vec<WaitingGroup>> {
    type WaitingRow = (Uuid, Uuid, Decimal, Uuid, Uuid, Option<Uuid>, bool);
    let rows: Vec<WaitingRow> = shipment_lines::table
        .inner_join(shipments::table)
        .inner_join(order_lines::table.inner_join(orders::table))
        .filter(shipments::status.eq(ShipmentStatus::WaitingForStock.to_string()))
        .order((orders::seq, order_lines::position))
        .select((
            shipments::order_id,
            shipments::id,
            shipment_lines::quantity,
            order_lines::id,
            order_lines::product_id,
            order_lines::parent_line_id,
            order_lines::allow_quantity_splitting,
        ))
        .load(conn)?;
    let waiting_lines: HashSet<Uuid> = rows.iter().map(|r| r.3).collect();
    let mut queue: Vec<WaitingGroup> = Vec::new();
    let mut index_of_parent: HashMap<Uuid, usize> = HashMap::new();
    for (order_id, shipment_id, quantity, line, product, parent, splittable) in rows {
        let part = Part {
            line,
            product,
            quantity,
        };
        match parent
            .filter(|p| waiting_lines.contains(p))
            .and_then(|p| index_of_parent.get(&p))
        {
            Some(&i) => queue[i].group.children.push(part),
            None => {
                index_of_parent.insert(line, queue.len());
                queue.push(WaitingGroup {
                    order_id,
                    shipment_id,
                    group: Group {
                        parent: part,
                        splittable,
                        children: Vec::new(),
                    },
                });
            }
        }
    }
    Ok(queue)
}
