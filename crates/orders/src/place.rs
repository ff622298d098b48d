//! Placing an order, and the plan that shows beforehand what placing a cart's order would
//! do. An order from a cart and one from an offer take the same path ([`place`]): the
//! lines are copied, planned and reserved alike.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use diesel::sql_types::Text;
use orderpath_catalog::reserving;
use orderpath_core::events::EventType;
use orderpath_core::{Error, Result};
use orderpath_db::events;
use orderpath_db::kept;
use orderpath_db::schema::{orders, shipments};
use orderpath_db::together::together;
use orderpath_lines::{copy_lines, line_rows, Line, LineRecord, LineTable};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::load::assemble;
use crate::model::{Order, Shipment, ShipmentLine, ShipmentStatus};
use crate::planning::{plan, Group, Outcome, Part};
use crate::rows::{OrderRow, ShipmentLineRow, ShipmentLineRows};
use crate::stock::{lock_products, stock_for_new_lines};

/// The document's lines as planning groups: each parent with its children, in line order.
fn groups_of(lines: &[Line]) -> Vec<Group> {
    let part = |l: &Line| Part {
        line: l.id,
        product: l.product_id,
        quantity: l.quantity.value(),
    };
    lines
        .iter()
        .filter(|l| l.parent_line_id.is_none())
        .map(|parent| Group {
            parent: part(parent),
            splittable: parent.flags.allow_quantity_splitting,
            children: lines
                .iter()
                .filter(|c| c.parent_line_id == Some(parent.id))
                .map(part)
                .collect(),
        })
        .collect()
}

/// The products of `lines`, children (drums) included: what placing them locks.
pub(crate) fn products_of(lines: &[Line]) -> BTreeSet<Uuid> {
    lines.iter().map(|l| l.product_id).collect()
}

/// Plans `lines` behind every waiting line of older orders. Planning a group reads only
/// its own products, so only the queues of these lines' products matter.
fn plan_lines(conn: &mut PgConnection, lines: &[Line]) -> Result<Vec<Outcome>> {
    let mut stock = stock_for_new_lines(conn, &products_of(lines))?;
    Ok(plan(&groups_of(lines), &mut stock))
}

/// Gathers the parts of `outcomes` into a ready and a waiting shipment (either may be empty).
fn shipments_of(outcomes: &[Outcome]) -> (Vec<Part>, Vec<Part>) {
    let ready = outcomes.iter().flat_map(|o| o.ready.clone()).collect();
    let waiting = outcomes.iter().flat_map(|o| o.waiting.clone()).collect();
    (ready, waiting)
}

/// What placing the order would do now, changing nothing. Line ids are the cart's.
pub fn shipment_plan(
    conn: &mut PgConnection,
    cart_id: Uuid,
    customer_scope: Option<Uuid>,
) -> Result<Vec<Shipment>> {
    let cart = orderpath_carts::get_cart(conn, cart_id, customer_scope)?;
    let (ready, waiting) = shipments_of(&plan_lines(conn, &cart.lines)?);
    Ok([
        (ShipmentStatus::Ready, ready),
        (ShipmentStatus::WaitingForStock, waiting),
    ]
    .into_iter()
    .filter(|(_, parts)| !parts.is_empty())
    .map(|(status, parts)| Shipment {
        id: None,
        status,
        lines: parts
            .iter()
            .map(|p| ShipmentLine {
                line_id: p.line,
                quantity: p.quantity,
            })
            .collect(),
    })
    .collect())
}

/// Places an order from an open cart in one transaction (the caller's, when it
/// is in one): the cart becomes `ORDERED`, the lines are copied, shipments are planned
/// against free stock (behind older orders' waiting lines), ready quantities are
/// reserved, and `ORDER_PLACED` is recorded. Waits only for changes of the same products.
pub fn place_order(
    conn: &mut PgConnection,
    cart_id: Uuid,
    customer_scope: Option<Uuid>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Order> {
    orderpath_db::in_transaction(conn, |conn| {
        // The locked cart's lines cannot change, so they name the products to lock. They
        // are the ones this process's last change of the cart left, when that change wrote
        // the row now locked, else read.
        let locked = orderpath_carts::lock_cart(conn, cart_id, customer_scope, expected_version)?;
        let cart = locked.read(conn)?;
        if cart.lines.is_empty() {
            return Err(Error::field(
                "cartId",
                "the cart has no lines; there is nothing to order",
            ));
        }
        let source = Origin::Cart(cart.id).source(cart.customer_id, &cart.currency, &cart.lines);
        place(
            conn,
            &source,
            Some(Box::new(locked.marking_ordered(now))),
            now,
        )
    })
}

/// The document an order is placed from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Origin {
    Cart(Uuid),
    Offer(Uuid),
}

impl Origin {
    /// The order source of a document of this origin.
    pub(crate) fn source<'a>(
        self,
        customer_id: Uuid,
        currency: &'a str,
        lines: &'a [Line],
    ) -> OrderSource<'a> {
        OrderSource {
            origin: self,
            customer_id,
            currency,
            lines,
        }
    }

    /// `ORDER_PLACED`'s data: the customer, the order, and the document it was placed
    /// from (`cartId` or `offerId`).
    fn event_data(self, customer_id: Uuid, order_id: Uuid) -> Value {
        match self {
            Origin::Cart(cart_id) => {
                json!({ "customerId": customer_id, "orderId": order_id, "cartId": cart_id })
            }
            Origin::Offer(offer_id) => {
                json!({ "customerId": customer_id, "orderId": order_id, "offerId": offer_id })
            }
        }
    }
}

/// What an order is placed from: the locked document's customer, currency and lines.
pub(crate) struct OrderSource<'a> {
    pub origin: Origin,
    pub customer_id: Uuid,
    pub currency: &'a str,
    pub lines: &'a [Line],
}

/// Places an order of `source`'s lines, in the caller's transaction, with the document
/// they come from locked: locks the lines' products (drums included), copies the lines,
/// plans shipments against free stock (behind older orders' waiting lines), reserves the
/// ready quantities and records `ORDER_PLACED`. Returns the order as placed.
///
/// A new order only lowers free stock and queues behind the lines already waiting, so it
/// never releases anything: its own products' locks are all it needs. The order, its lines,
/// its shipments, the reservations, the event and the marking of the source document
/// are written in one statement, and the order is answered
/// from what was written rather than read back.
///
/// `marking`, the write that marks the source document ordered, goes with them.
pub(crate) fn place(
    conn: &mut PgConnection,
    source: &OrderSource,
    marking: Option<Box<dyn QueryFragment<Pg> + '_>>,
    now: DateTime<Utc>,
) -> Result<Order> {
    lock_products(conn, &products_of(source.lines))?;
    let outcomes = plan_lines(conn, source.lines)?;
    let order_id = Uuid::new_v4();
    let (copies, line_ids) = copy_lines(source.lines);
    let mut writes = together(line_rows(LineTable::Order, order_id, &copies));
    let (ready, waiting) = shipments_of(&outcomes);
    let mut shipments = Vec::new();
    let mut shipment_rows = Vec::new();
    for (status, parts) in [
        (ShipmentStatus::Ready, &ready),
        (ShipmentStatus::WaitingForStock, &waiting),
    ] {
        if parts.is_empty() {
            continue;
        }
        let id = Uuid::new_v4();
        let position = shipments.len() as i32 + 1;
        writes = writes.then(new_shipment(id, order_id, status, position, now));
        let lines: Vec<Part> = parts
            .iter()
            .map(|p| Part {
                line: line_ids[&p.line],
                ..p.clone()
            })
            .collect();
        shipment_rows.extend(shipment_line_rows(id, status, &lines));
        shipments.push(Shipment {
            id: Some(id),
            status,
            lines: lines
                .iter()
                .map(|p| ShipmentLine {
                    line_id: p.line,
                    quantity: p.quantity.normalize(),
                })
                .collect(),
        });
    }
    if !shipment_rows.is_empty() {
        writes = writes.then(ShipmentLineRows::of(&shipment_rows));
    }
    let mut reserved: HashMap<Uuid, Decimal> = HashMap::new();
    for part in &ready {
        *reserved.entry(part.product).or_insert(Decimal::ZERO) += part.quantity;
    }
    if !reserved.is_empty() {
        writes = writes.then(reserving(&reserved));
    }
    if let Some(marking) = marking {
        writes = writes.then(marking);
    }
    let (cart_id, offer_id) = match source.origin {
        Origin::Cart(cart) => (Some(cart), None),
        Origin::Offer(offer) => (None, Some(offer)),
    };
    let insert_order = diesel::insert_into(orders::table)
        .values((
            orders::id.eq(order_id),
            orders::number.eq(next_order_number()),
            orders::cart_id.eq(cart_id),
            orders::offer_id.eq(offer_id),
            orders::customer_id.eq(source.customer_id),
            orders::currency.eq(source.currency),
            orders::created_at.eq(now),
            orders::updated_at.eq(now),
        ))
        .returning(OrderRow::as_returning());
    let event = source.origin.event_data(source.customer_id, order_id);
    // A few texts whatever the number of lines (which shipments there are, what the order
    // is placed from), so the statement is kept prepared: parsing and planning it took
    // 0.4 ms, running it 0.7 (docs/benchmarks.md, Order placement kept prepared).
    let row: OrderRow = kept(
        writes
            .then(events::recording(EventType::OrderPlaced, now, event))
            .last(insert_order),
    )
    .get_result(conn)?;
    let lines = copies.into_iter().map(LineRecord::into_line).collect();
    Ok(assemble(row, lines, shipments))
}

/// Order numbers come from `order_number_seq` in the order's own insert: `OR-000042`, six
/// digits at least.
fn next_order_number() -> SqlLiteral<Text> {
    sql::<Text>(
        "(SELECT 'OR-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END \
         FROM nextval('order_number_seq') AS n)",
    )
}

/// Records that order `id` changed (version + 1) and returns its customer.
pub(crate) fn touch_order(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> Result<Uuid> {
    Ok(diesel::update(orders::table.find(id))
        .set((
            orders::version.eq(orders::version + 1),
            orders::updated_at.eq(now),
        ))
        .returning(orders::customer_id)
        .get_result(conn)?)
}

/// Inserts a shipment of `lines` (parts of order lines) and returns its id. A waiting
/// shipment's lines carry their product, which finds them in their product's queue.
pub(crate) fn insert_shipment(
    conn: &mut PgConnection,
    order_id: Uuid,
    status: ShipmentStatus,
    position: i32,
    lines: &[Part],
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    together(new_shipment(id, order_id, status, position, now))
        .last(ShipmentLineRows::of(&shipment_line_rows(id, status, lines)))
        .execute(conn)?;
    Ok(id)
}

/// The insert of shipment `id` (without its lines).
fn new_shipment(
    id: Uuid,
    order_id: Uuid,
    status: ShipmentStatus,
    position: i32,
    now: DateTime<Utc>,
) -> impl QueryFragment<Pg> {
    diesel::insert_into(shipments::table).values((
        shipments::id.eq(id),
        shipments::order_id.eq(order_id),
        shipments::status.eq(status.to_string()),
        shipments::position.eq(position),
        shipments::created_at.eq(now),
        shipments::updated_at.eq(now),
    ))
}

/// The rows of shipment `id`'s `lines`.
fn shipment_line_rows(id: Uuid, status: ShipmentStatus, lines: &[Part]) -> Vec<ShipmentLineRow> {
    let waiting = status == ShipmentStatus::WaitingForStock;
    lines
        .iter()
        .map(|part| ShipmentLineRow {
            shipment_id: id,
            order_line_id: part.line,
            quantity: part.quantity,
            waiting_product_id: waiting.then_some(part.product),
        })
        .collect()
}
