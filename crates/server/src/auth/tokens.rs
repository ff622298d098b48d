use chrono::Utc;
use clap::ValueEnum;
use diesel::prelude::*;
use orderpath_core::{Error, Result};
use orderpath_db::schema::api_tokens;
use rand::RngCore;
use sha2::{Digest, Sha256};
use strum::{Display, EnumString, IntoStaticStr};
use uuid::Uuid;

/// What a token may do; stored (and given on the command line) as `integration`,
/// `backoffice` or `customer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, EnumString, IntoStaticStr, Display)]
#[strum(serialize_all = "lowercase")]
pub enum Role {
    /// ERP and partner systems.
    Integration,
    /// Merchant staff.
    Backoffice,
    /// A customer in the online front end, bound to one customer.
    Customer,
}

/// A token as stored: everything but the secret itself.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
}

/// The hex SHA-256 of a token. Tokens are 256 random bits, so a fast hash is enough: there
/// is nothing to brute-force.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token and returns it in clear, the only time it is ever available.
pub fn create_token(
    conn: &mut PgConnection,
    name: &str,
    role: Role,
    customer_id: Option<Uuid>,
) -> Result<String> {
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
        (Role::Customer, Some(id)) => {
            orderpath_customers::get_customer(conn, id)
                .map_err(|_| Error::field("customer", format!("unknown customer {id}")))?;
        }
        (_, Some(_)) => {
            return Err(Error::field(
                "customer",
                "only customer tokens are bound to a customer",
            ))
        }
        (_, None) => {}
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("op_{}", hex::encode(secret));
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(Uuid::new_v4()),
            api_tokens::name.eq(name.trim()),
            api_tokens::role.eq(role.to_string()),
            api_tokens::customer_id.eq(customer_id),
            api_tokens::token_hash.eq(hash_token(&token)),
            api_tokens::created_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Looks a presented token up by its hash.
pub fn find_token(conn: &mut PgConnection, token: &str) -> Result<Option<TokenRecord>> {
    let row: Option<(Uuid, String, String, Option<Uuid>)> = api_tokens::table
        .filter(api_tokens::token_hash.eq(hash_token(token)))
        .select((
            api_tokens::id,
            api_tokens::name,
            api_tokens::role,
            api_tokens::customer_id,
        ))
        .first(conn)
        .optional()?;
    // The table's CHECK constraint admits only the roles there are: another fails loudly.
    row.map(|(id, name, role, customer_id)| {
        Ok(TokenRecord {
            id,
            name,
            role: role.parse()?,
            customer_id,
        })
    })
    .transpose()
}
