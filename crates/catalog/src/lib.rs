//! The catalog view orderpath keeps: products of kinds STANDARD, CABLE and DRUM, their
//! prices and stock, and which drums may carry a cable.

mod product;
mod rows;
mod stock;

pub use product::{
    find_product, get_product, get_products, list_products, upsert_product, DrumOption, Product,
    ProductDraft, ProductFilter, ProductKind, Upserted,
};
pub use stock::{free_stock, reserve, reserving, set_stock, ship_out, Reserving};
