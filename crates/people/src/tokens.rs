//! Machine tokens for ERP, partner systems and scripts: random, shown once, stored only
//! as their SHA-256, each with a name, a role and, for customers, the customer it speaks
//! for. A token works until it is revoked. This module is the only writer of
//! `api_tokens`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::cursor::CreatedKey;
use orderpath_core::page::{self, Page};
use orderpath_core::{Error, Result};
use orderpath_db::schema::api_tokens;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::credentials::{announce, EndedCredential};
use crate::role::Role;
use crate::secret::{hash_token, new_token, API_TOKEN_PREFIX};

/// What authenticating a machine token yields.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRecord {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
}

// Everything but the secret and its hash, so the API answers it as it is (schema
// `TokenResponse`, whose description is the doc comment below).
/// A machine token as lists show it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = api_tokens)]
#[serde(rename_all = "camelCase")]
#[schema(as = TokenResponse)]
pub struct TokenSummary {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just created, with its secret in clear: the only time it is ever available.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub summary: TokenSummary,
}

/// Creates a token. A customer token needs an existing customer, and only customer
/// tokens have one; field errors name `name` and `customer` (the command line's option).
pub fn issue_token(
    conn: &mut PgConnection,
    name: &str,
    role: Role,
    customer_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<IssuedToken> {
    if name.trim().is_empty() {
        return Err(Error::field("name", "must not be empty"));
    }
    match (role, customer_id) {
        (Role::Customer, None) => {
            return Err(Error::field(
                "customer",
                "a customer token needs --customer",
            ))
        }
        (Role::Customer, Some(id)) => match orderpath_customers::get_customer(conn, id) {
            Ok(_) => {}
            Err(Error::NotFound { .. }) => {
                return Err(Error::field("customer", format!("unknown customer {id}")))
            }
            Err(other) => return Err(other),
        },
        (_, Some(_)) => {
            return Err(Error::field(
                "customer",
                "only customer tokens are bound to a customer",
            ))
        }
        (_, None) => {}
    }
    let token = new_token(API_TOKEN_PREFIX);
    let summary = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(Uuid::new_v4()),
            api_tokens::name.eq(name.trim()),
            api_tokens::role.eq(role),
            api_tokens::customer_id.eq(customer_id),
            api_tokens::token_hash.eq(hash_token(&token)),
            api_tokens::created_at.eq(now),
        ))
        .returning(TokenSummary::as_returning())
        .get_result(conn)?;
    Ok(IssuedToken { token, summary })
}

/// [`issue_token`] now, returning only the secret.
pub fn create_token(
    conn: &mut PgConnection,
    name: &str,
    role: Role,
    customer_id: Option<Uuid>,
) -> Result<String> {
    Ok(issue_token(conn, name, role, customer_id, Utc::now())?.token)
}

/// Looks a presented token up by its hash; a revoked token is not found.
pub fn find_token(conn: &mut PgConnection, token: &str) -> Result<Option<TokenRecord>> {
    Ok(api_tokens::table
        .filter(api_tokens::token_hash.eq(hash_token(token)))
        .filter(api_tokens::revoked_at.is_null())
        .select(TokenRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Tokens, revoked ones included, oldest first, `limit` at a time after the cursor `after`.
pub fn list_tokens(
    conn: &mut PgConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<TokenSummary>> {
    let mut query = api_tokens::table
        .order((api_tokens::created_at, api_tokens::id))
        .select(TokenSummary::as_select())
        .limit(page::fetch_limit(limit))
        .into_boxed();
    if let Some(after) = after {
        let CreatedKey { created_at, id } = CreatedKey::decode(after)?;
        query = query.filter(
            api_tokens::created_at
                .gt(created_at)
                .or(api_tokens::created_at
                    .eq(created_at)
                    .and(api_tokens::id.gt(id))),
        );
    }
    let rows = query.load(conn)?;
    Ok(Page::keyset(rows, limit, |t: &TokenSummary| {
        let (created_at, id) = (t.created_at, t.id);
        CreatedKey { created_at, id }.encode()
    }))
}

/// Revokes a token and announces it on the credentials channel. Revoking a revoked token
/// changes nothing and keeps its first revocation time.
pub fn revoke_token(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> Result<TokenSummary> {
    let revoked = diesel::update(api_tokens::table.find(id))
        .filter(api_tokens::revoked_at.is_null())
        .set(api_tokens::revoked_at.eq(now))
        .returning(TokenSummary::as_returning())
        .get_result(conn)
        .optional()?;
    match revoked {
        Some(summary) => {
            announce(conn, EndedCredential::Token(id))?;
            Ok(summary)
        }
        None => api_tokens::table
            .find(id)
            .select(TokenSummary::as_select())
            .first(conn)
            .optional()?
            .ok_or(Error::not_found("token")),
    }
}
