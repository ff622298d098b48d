//! Users: people who sign in with an email and a password. Staff create and change them;
//! a customer user speaks for exactly one customer, a backoffice user for none.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::page::Page;
use orderpath_core::{cursor, ConflictCode, Error, FieldError, Result};
use orderpath_db::schema::users;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::credentials::{announce, EndedCredential};
use crate::email::{check_email, lower};
use crate::password::Password;
use crate::role::Role;
use crate::sessions::end_sessions_of_user;

const MAX_NAME_CHARS: usize = 200;

// A user as everyone but the password check sees it: the hash never leaves this crate, so
// the API answers the struct as it is (schema `UserResponse`); a doc comment here would
// become that schema's description.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = users)]
#[serde(rename_all = "camelCase")]
#[schema(as = UserResponse)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

/// `POST /users` as the domain sees it.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    pub password: String,
}

/// `PATCH /users/{userId}`: each field that is `Some` changes.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub name: Option<String>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct UserUpdate<'a> {
    name: Option<&'a str>,
    active: Option<bool>,
    password_hash: Option<String>,
}

/// Creates a user. Every invalid field is reported at once (`email`, `name`, `role`,
/// `customerId`, `password`), and the password is hashed only when all are valid. An
/// email already in use in any letter case is the conflict `EMAIL_IN_USE`.
pub fn create_user(conn: &mut PgConnection, new: NewUser, now: DateTime<Utc>) -> Result<User> {
    let mut errors = Vec::new();
    let email = check_email(&new.email).map_err(|e| errors.push(e)).ok();
    let name = check_name(&new.name).map_err(|e| errors.push(e)).ok();
    if !new.role.is_user_role() {
        errors.push(FieldError::new("role", "must be backoffice or customer"));
    }
    if let Err(e) = check_customer(conn, new.role, new.customer_id)? {
        errors.push(e);
    }
    let password = Password::new(new.password).map_err(|e| errors.push(e)).ok();
    let (Some(email), Some(name), Some(password), true) =
        (email, name, password, errors.is_empty())
    else {
        return Err(Error::Validation(errors));
    };
    diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::new_v4()),
            users::email.eq(email),
            users::name.eq(name),
            users::role.eq(new.role),
            users::customer_id.eq(new.customer_id),
            users::password_hash.eq(password.hash()),
            users::active.eq(true),
            users::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .returning(User::as_returning())
        .get_result(conn)
        .optional()?
        .ok_or_else(|| {
            Error::conflict(
                ConflictCode::EmailInUse,
                format!("a user with the email {email} exists"),
            )
        })
}

pub fn get_user(conn: &mut PgConnection, id: Uuid) -> Result<User> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?
        .ok_or(Error::not_found("user"))
}

/// Users ordered by email (ignoring case), `limit` at a time after the cursor `after`;
/// optionally only one customer's, and only those whose email or name contains `search`
/// in any letter case.
pub fn list_users(
    conn: &mut PgConnection,
    customer_id: Option<Uuid>,
    search: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<User>> {
    let after_key = after.map(|c| cursor::decode(c, 1)).transpose()?;
    let mut query = users::table
        .select((User::as_select(), lower(users::email)))
        .order(lower(users::email))
        .limit(limit + 1)
        .into_boxed();
    if let Some(customer_id) = customer_id {
        query = query.filter(users::customer_id.eq(customer_id));
    }
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", escape_like(search));
        query = query.filter(
            users::email
                .ilike(pattern.clone())
                .or(users::name.ilike(pattern)),
        );
    }
    if let Some(after) = after_key {
        query = query.filter(lower(users::email).gt(after[0].clone()));
    }
    let mut rows: Vec<(User, String)> = query.load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|(_, key)| cursor::encode(&[key]))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|(user, _)| user).collect(),
        next_cursor,
    })
}

/// Changes a user. Deactivating it or changing its password ends all its sessions and
/// announces that on the credentials channel, in the same transaction.
pub fn update_user(
    conn: &mut PgConnection,
    id: Uuid,
    change: UserChange,
    now: DateTime<Utc>,
) -> Result<User> {
    let mut errors = Vec::new();
    let name = change
        .name
        .as_deref()
        .map(|name| check_name(name).map_err(|e| errors.push(e)).ok());
    let password = change
        .password
        .map(|p| Password::new(p).map_err(|e| errors.push(e)).ok());
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let update = UserUpdate {
        name: name.flatten(),
        active: change.active,
        password_hash: password.flatten().map(|p| p.hash()),
    };
    let ends_sessions = change.active == Some(false) || update.password_hash.is_some();
    if update.name.is_none() && update.active.is_none() && update.password_hash.is_none() {
        return get_user(conn, id);
    }
    conn.transaction(|conn| {
        let user = diesel::update(users::table.find(id))
            .set(&update)
            .returning(User::as_returning())
            .get_result(conn)
            .optional()?
            .ok_or(Error::not_found("user"))?;
        if ends_sessions {
            end_sessions_of_user(conn, id, now)?;
            announce(conn, EndedCredential::User(id))?;
        }
        Ok(user)
    })
}

/// The user known by `email_key` (see [`crate::email::email_key`]) and its password hash.
pub(crate) fn find_with_password(
    conn: &mut PgConnection,
    email_key: &str,
) -> Result<Option<(User, String)>> {
    Ok(users::table
        .filter(lower(users::email).eq(email_key))
        .select((User::as_select(), users::password_hash))
        .first(conn)
        .optional()?)
}

/// Notes a successful sign-in and returns the user as it is now.
pub(crate) fn note_sign_in(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> Result<User> {
    Ok(diesel::update(users::table.find(id))
        .set(users::last_sign_in_at.eq(now))
        .returning(User::as_returning())
        .get_result(conn)?)
}

fn check_name(name: &str) -> Result<&str, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        Err(FieldError::new("name", "must not be empty"))
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(FieldError::new(
            "name",
            format!("must be at most {MAX_NAME_CHARS} characters long"),
        ))
    } else {
        Ok(name)
    }
}

/// A customer user needs an existing customer; any other user must not have one. The
/// outer `Result` is a store failure, the inner one names the `customerId` field.
fn check_customer(
    conn: &mut PgConnection,
    role: Role,
    customer_id: Option<Uuid>,
) -> Result<Result<(), FieldError>> {
    let problem = match (role, customer_id) {
        (Role::Customer, None) => Some("a customer user needs a customer".to_string()),
        (Role::Customer, Some(id)) => match orderpath_customers::get_customer(conn, id) {
            Ok(_) => None,
            Err(Error::NotFound { .. }) => Some(format!("unknown customer {id}")),
            Err(other) => return Err(other),
        },
        (_, Some(_)) => Some("only customer users belong to a customer".to_string()),
        (_, None) => None,
    };
    Ok(match problem {
        Some(message) => Err(FieldError::new("customerId", message)),
        None => Ok(()),
    })
}

/// `search` as a literal inside a `LIKE` pattern: `%`, `_` and `\` lose their meaning.
fn escape_like(search: &str) -> String {
    let mut escaped = String::with_capacity(search.len());
    for c in search.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_a_search_are_literal() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }
}
