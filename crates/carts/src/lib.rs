//! Carts and their lines: creating and opening carts (`CART_OPENED`), adding products
//! with the merge rule, the line flags, and optimistic versioning.

mod cart;
mod configured;
mod lines;
mod load;
mod merge;
mod model;
mod price_audit;
mod prices;
mod rows;
mod snapshot;

pub use cart::{create_cart, get_cart, lock_cart, open_cart, LockedCart};
pub use configured::{add_configurable_products, cable_drum_choices, product_facts};
pub use lines::{add_product, change_quantity, delete_line, insert_lines, NewLine};
pub use model::{Cart, CartLine, CartStatus, LineFlags, Source};
pub use price_audit::{
    list_price_edits, record_edits, record_price_edit, record_restore, EditContext,
    PriceEditRecord, PriceField, PricedDocument,
};
pub use prices::{edit_cart_line_price, restore_cart_line_price, PriceChange};
pub use snapshot::LineSnapshot;
