//! Customers, their list by name with substring search, and the activity rule behind
//! `CLIENT_LOGGED`.

mod activity;
mod customer;
mod list;

pub use activity::record_activity;
pub use customer::{get_customer, upsert_customer, Customer, CustomerDraft};
pub use list::list_customers;
