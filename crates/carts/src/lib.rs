//! Carts and their lines: creating and opening carts (`CART_OPENED`), a customer's carts
//! newest first, adding products with the merge rule, configured products and the cable
//! calculator, the line flags, optimistic versioning, and the cart side of line price
//! edits (`LockedCart` is `orderpath_lines::PriceEditable`).

mod cable_calculator;
mod cart;
mod configured;
mod create;
mod kept_adds;
mod line_write;
mod lines;
mod list;
mod load;
mod merge;
mod model;
mod price_edits;
mod recent;
mod rows;
mod stamp;

pub use cable_calculator::{cable_calculator, CablePlan, CableRequest};
pub use cart::{get_cart, lock_cart, open_cart, LockedCart};
pub use configured::{add_configurable_products, product_facts};
pub use create::{create_cart, create_carts, NewCart};
pub use kept_adds::{kept_add, write_kept_adds, KeptAdd};
pub use lines::{add_product, change_quantity, delete_line, insert_lines, NewLine};
pub use list::list_customer_carts;
pub use load::get_stamped_cart;
pub use model::{Cart, CartLine, CartStatus, LineFlags, Source};
pub use recent::set_budget as set_recent_carts_budget;
pub use stamp::{cart_stamp, CartStamp};
