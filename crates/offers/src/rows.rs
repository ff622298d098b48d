use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_db::schema::offers;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers)]
pub(crate) struct OfferRow {
    pub id: Uuid,
    pub number: String,
    pub cart_id: Uuid,
    pub customer_id: Uuid,
    pub status: String,
    pub currency: String,
    pub valid_until: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub change_txid: i64,
    pub change_seq: i64,
}
