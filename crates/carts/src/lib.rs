//! Carts and their lines: creating and opening carts (`CART_OPENED`), adding products
//! with the merge rule, the line flags, optimistic versioning, and the cart side of line
//! price edits (`LockedCart` is `orderpath_lines::PriceEditable`).

mod cart;
mod configured;
mod lines;
mod load;
mod merge;
mod model;
mod price_edits;
mod rows;

pub use cart::{create_cart, get_cart, lock_cart, open_cart, LockedCart};
pub use configured::{add_configurable_products, cable_drum_choices, product_facts};
pub use lines::{add_product, change_quantity, delete_line, insert_lines, NewLine};
pub use model::{Cart, CartLine, CartStatus, LineFlags, Source};
