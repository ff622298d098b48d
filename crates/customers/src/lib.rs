//! Customers, and the activity rule behind `CLIENT_LOGGED`.

mod activity;
mod customer;

pub use activity::record_activity;
pub use customer::{get_customer, upsert_customer, Customer, CustomerDraft};
