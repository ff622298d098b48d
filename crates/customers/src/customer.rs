use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::{Error, Result};
use orderpath_db::schema::customers;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A customer as the ERP sends it, validated at the edge.
#[derive(Debug, Clone)]
pub struct CustomerDraft {
    pub name: String,
    pub external_id: Option<String>,
    pub currency: String,
    pub email: Option<String>,
}

// The API answers a customer exactly as stored (schema `CustomerResponse`); a doc
// comment here would become that schema's description.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Serialize, ToSchema)]
#[diesel(table_name = customers)]
#[serde(rename_all = "camelCase")]
#[schema(as = CustomerResponse)]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    pub external_id: Option<String>,
    pub currency: String,
    pub email: Option<String>,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Creates or replaces customer `id`; returns it and whether it was created.
pub fn upsert_customer(
    conn: &mut PgConnection,
    id: Uuid,
    draft: &CustomerDraft,
    now: DateTime<Utc>,
) -> Result<(Customer, bool)> {
    let inserted = diesel::insert_into(customers::table)
        .values((
            customers::id.eq(id),
            customers::name.eq(&draft.name),
            customers::external_id.eq(&draft.external_id),
            customers::currency.eq(&draft.currency),
            customers::email.eq(&draft.email),
            customers::created_at.eq(now),
            customers::updated_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if inserted == 0 {
        diesel::update(customers::table.find(id))
            .set((
                customers::name.eq(&draft.name),
                customers::external_id.eq(&draft.external_id),
                customers::currency.eq(&draft.currency),
                customers::email.eq(&draft.email),
                customers::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok((get_customer(conn, id)?, inserted == 1))
}

pub fn get_customer(conn: &mut PgConnection, id: Uuid) -> Result<Customer> {
    customers::table
        .find(id)
        .select(Customer::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::not_found("customer"))
}
