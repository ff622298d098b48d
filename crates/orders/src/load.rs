//! Reading orders: the order with its lines in one statement, its shipments in another.

use std::collections::HashMap;

use diesel::prelude::*;
use orderpath_core::cursor;
use orderpath_core::page::{self, Page};
use orderpath_core::{Error, Result};
use orderpath_db::schema::{order_lines, orders, shipment_lines, shipments};
use orderpath_lines::{document_totals, document_with_lines, lines_of_documents};
use uuid::Uuid;

use crate::model::{Order, OrderLine, Shipment, ShipmentLine, ShipmentStatus};
use crate::rows::{OrderRow, ShipmentLineRow, ShipmentRow};

/// Loads order `id`; another customer's order is not found under `customer_scope`.
pub fn get_order(conn: &mut PgConnection, id: Uuid, customer_scope: Option<Uuid>) -> Result<Order> {
    let (order, lines) = document_with_lines!(conn, orders, OrderRow, order_lines, id)?
        .filter(|(order, _)| customer_scope.is_none_or(|c| c == order.customer_id))
        .ok_or(Error::not_found("order"))?;
    let mut shipments = load_shipments(conn, &[id])?;
    Ok(assemble(
        order,
        lines,
        shipments.remove(&id).unwrap_or_default(),
    ))
}

/// Loads order `id` as one snapshot: its row, lines and shipments read in one read-only
/// repeatable-read transaction, so the version it carries is the version of everything it
/// shows (a rendering of it may be kept under that version). Not for use inside a
/// transaction.
pub fn get_order_snapshot(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<Order> {
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(|conn| get_order(conn, id, customer_scope))
}

/// The version of order `id`, one indexed row: what decides how the order reads, since
/// its lines are its own copy and every change of its shipments raises it. Another
/// customer's order is not found under `customer_scope`.
pub fn order_version(
    conn: &mut PgConnection,
    id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<i64> {
    let (customer_id, version): (Uuid, i64) = orders::table
        .find(id)
        .select((orders::customer_id, orders::version))
        .first(conn)
        .optional()?
        .ok_or(Error::not_found("order"))?;
    if customer_scope.is_some_and(|c| c != customer_id) {
        return Err(Error::not_found("order"));
    }
    Ok(version)
}

/// Orders newest first, optionally one customer's, `limit` at a time.
pub fn list_orders(
    conn: &mut PgConnection,
    customer_id: Option<Uuid>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<Order>> {
    let mut query = orders::table
        .select(OrderRow::as_select())
        .order(orders::seq.desc())
        .limit(page::fetch_limit(limit))
        .into_boxed();
    if let Some(customer) = customer_id {
        query = query.filter(orders::customer_id.eq(customer));
    }
    if let Some(c) = after {
        query = query.filter(orders::seq.lt(cursor::decode_key::<i64>(c)?));
    }
    let rows: Vec<OrderRow> = query.load(conn)?;
    Page::keyset(rows, limit, |r| cursor::encode(&[&r.seq.to_string()]))
        .try_map_items(|rows| with_lines_and_shipments(conn, rows))
}

/// Each order row completed with its lines and shipments, read in two more queries.
fn with_lines_and_shipments(conn: &mut PgConnection, rows: Vec<OrderRow>) -> Result<Vec<Order>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut lines = lines_of_documents!(conn, order_lines, order_id, &ids)?;
    let mut shipments = load_shipments(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let own_lines = lines.remove(&r.id).unwrap_or_default();
            let own_shipments = shipments.remove(&r.id).unwrap_or_default();
            assemble(r, own_lines, own_shipments)
        })
        .collect())
}

fn load_shipments(
    conn: &mut PgConnection,
    order_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Shipment>>> {
    let rows: Vec<(ShipmentRow, Option<ShipmentLineRow>)> = shipments::table
        .left_join(shipment_lines::table)
        .filter(shipments::order_id.eq_any(order_ids))
        .select((
            ShipmentRow::as_select(),
            Option::<ShipmentLineRow>::as_select(),
        ))
        .order((shipments::order_id, shipments::position))
        .load(conn)?;
    let mut by_order: HashMap<Uuid, Vec<(ShipmentRow, Vec<ShipmentLine>)>> = HashMap::new();
    for (shipment, line) in rows {
        let list = by_order.entry(shipment.order_id).or_default();
        if list.last().is_none_or(|(s, _)| s.id != shipment.id) {
            list.push((shipment, Vec::new()));
        }
        if let (Some(line), Some((_, lines))) = (line, list.last_mut()) {
            lines.push(ShipmentLine {
                line_id: line.order_line_id,
                quantity: line.quantity.normalize(),
            });
        }
    }
    Ok(by_order
        .into_iter()
        .map(|(order, list)| {
            let shipments = list
                .into_iter()
                .map(|(s, lines)| Shipment {
                    id: Some(s.id),
                    status: s.status.parse().unwrap_or(ShipmentStatus::WaitingForStock),
                    lines,
                })
                .collect();
            (order, shipments)
        })
        .collect())
}

pub(crate) fn assemble(row: OrderRow, lines: Vec<OrderLine>, shipments: Vec<Shipment>) -> Order {
    let totals = document_totals(&lines);
    Order {
        id: row.id,
        number: row.number,
        cart_id: row.cart_id,
        offer_id: row.offer_id,
        customer_id: row.customer_id,
        currency: row.currency,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
        lines,
        totals,
        shipments,
    }
}
