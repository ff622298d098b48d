//! Orders placed from carts and from accepted offers, and their shipments: planning
//! against free stock (the no-split rule and each product's place in line), reservation,
//! release when stock rises (including the catalog changes that raise it), and shipping.

mod from_offer;
mod load;
mod model;
mod place;
pub mod planning;
mod release;
mod restock;
mod rows;
mod ship;
mod stock;

pub use from_offer::place_order_from_offer;
pub use load::{get_order, get_order_snapshot, list_orders, order_version};
pub use model::{Order, OrderLine, Shipment, ShipmentLine, ShipmentStatus};
pub use place::{place_order, shipment_plan};
pub use restock::{set_stock_and_release, upsert_product_and_release};
pub use ship::ship_shipment;
