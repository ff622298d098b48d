//! The write of one cart line that a single-line change makes (a new line, or a line's new
//! quantity), sent either after the cart's lock or, unlocked, as one statement that
//! applies only while the cart is at the version the change was computed from.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::query_builder::SqlQuery;
use diesel::sql_types::{BigInt, Bool, Integer, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use orderpath_core::Result;
use orderpath_db::prepared;
use orderpath_db::schema::cart_lines;
use orderpath_db::together::{together, Earlier};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::recent::Seen;
use crate::rows::{LineRow, SoldProduct};
use crate::stamp::catalog_shown_sql;

/// The cart's new version, its `updated_at` and the `xmin` of its new row.
pub(crate) type Bumped = (i64, DateTime<Utc>, i64);

pub(crate) enum LineWrite {
    /// A new line without a parent or price overrides.
    Insert(LineRow),
    Quantity {
        line_id: Uuid,
        quantity: Decimal,
    },
}

/// The cart's version bump, only from the row `$3` (version) and `$4` (`xmin`), at the
/// catalog's shown version `$5`, while product `$6` may still be sold as read (active, in
/// currency `$7`, by quantity type `$8`); the line's write reads `bump`, so it is made only
/// when the bump is.
macro_rules! bump_unless_changed {
    ($line:literal) => {
        concat!(
            "WITH bump AS (UPDATE carts SET version = version + 1, updated_at = $2 \
               WHERE id = $1 AND version = $3 AND xmin::text::bigint = $4 \
                 AND ",
            catalog_shown_sql!(),
            " = $5 \
                 AND EXISTS (SELECT FROM products p WHERE p.id = $6 AND p.active \
                               AND p.currency = $7 AND p.quantity_type = $8) \
               RETURNING version, updated_at, xmin::text::bigint AS xmin), \
             line AS (",
            $line,
            ") SELECT version, updated_at, xmin FROM bump"
        )
    };
}

/// What a version bump returns.
#[derive(QueryableByName)]
pub(crate) struct BumpRow {
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = Timestamptz)]
    updated_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    xmin: i64,
}

impl BumpRow {
    pub(crate) fn bumped(&self) -> Bumped {
        (self.version, self.updated_at, self.xmin)
    }
}

impl LineWrite {
    /// The write, for a cart locked by this transaction.
    pub(crate) fn locked(&self) -> Earlier<'_> {
        match self {
            LineWrite::Insert(row) => together(diesel::insert_into(cart_lines::table).values(row)),
            LineWrite::Quantity { line_id, quantity } => together(
                diesel::update(cart_lines::table.find(*line_id))
                    .set(cart_lines::quantity.eq(*quantity)),
            ),
        }
    }

    /// The write and the bump of cart `cart_id` as one statement, made only while the
    /// cart's row is still `seen`, the catalog's shown version still `seen`'s, and
    /// `product` may still be sold as read; none when one of them changed.
    pub(crate) fn unless_changed(
        &self,
        conn: &mut PgConnection,
        cart_id: Uuid,
        seen: Seen,
        product: &SoldProduct,
        now: DateTime<Utc>,
    ) -> Result<Option<Bumped>> {
        let unchanged = |q: SqlQuery| {
            q.bind::<SqlUuid, _>(cart_id)
                .bind::<Timestamptz, _>(now)
                .bind::<BigInt, _>(seen.version)
                .bind::<BigInt, _>(seen.xmin)
                .bind::<BigInt, _>(seen.catalog)
                .bind::<SqlUuid, _>(product.id)
                .bind::<Text, _>(&product.currency)
                .bind::<Text, _>(&product.quantity_type)
        };
        let row: Option<BumpRow> = match self {
            LineWrite::Insert(row) => prepared(
                bump_unless_changed!(
                    "INSERT INTO cart_lines (id, cart_id, product_id, quantity_type, quantity, \
                       allow_quantity_change, allow_quantity_splitting, removable, position, \
                       created_at) \
                     SELECT $9, $1, $6, $8, $10, $11, $12, $13, $14, $15 FROM bump"
                ),
                |q| {
                    unchanged(q)
                        .bind::<SqlUuid, _>(row.id)
                        .bind::<Numeric, _>(row.quantity)
                        .bind::<Bool, _>(row.allow_quantity_change)
                        .bind::<Bool, _>(row.allow_quantity_splitting)
                        .bind::<Bool, _>(row.removable)
                        .bind::<Integer, _>(row.position)
                        .bind::<Timestamptz, _>(row.created_at)
                },
            )
            .get_result(conn)
            .optional()?,
            LineWrite::Quantity { line_id, quantity } => prepared(
                bump_unless_changed!(
                    "UPDATE cart_lines SET quantity = $9 \
                     WHERE id = $10 AND cart_id = $1 AND EXISTS (SELECT FROM bump)"
                ),
                |q| {
                    unchanged(q)
                        .bind::<Numeric, _>(*quantity)
                        .bind::<SqlUuid, _>(*line_id)
                },
            )
            .get_result(conn)
            .optional()?,
        };
        Ok(row.map(|r| r.bumped()))
    }
}
