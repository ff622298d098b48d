//! Shared set-up: customers, users, sign-in as the service runs it, and readings of what
//! the database recorded.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::domain_events;
use orderpath_people::{create_user, sign_in, NewUser, Role, SignedIn, User};
use uuid::Uuid;

pub use orderpath_testing::fixtures::customer;

pub const PASSWORD: &str = "correct horse battery";

/// The activity window of the `CLIENT_LOGGED` rule, as the service configures it.
pub const ACTIVITY_WINDOW: Duration = Duration::minutes(30);

/// Now, to the microsecond the database keeps.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn new_user(email: &str, role: Role, customer_id: Option<Uuid>) -> NewUser {
    NewUser {
        email: email.into(),
        name: "Ann Example".into(),
        role,
        customer_id,
        password: PASSWORD.into(),
    }
}

pub fn staff_user(conn: &mut PgConnection, email: &str) -> User {
    create_user(conn, new_user(email, Role::Backoffice, None), Utc::now()).expect("user")
}

pub fn customer_user(conn: &mut PgConnection, customer_id: Uuid, email: &str) -> User {
    create_user(
        conn,
        new_user(email, Role::Customer, Some(customer_id)),
        Utc::now(),
    )
    .expect("user")
}

/// A staff user "ann@example.com" and a session of hers started at `at`.
pub fn signed_in_staff(conn: &mut PgConnection, at: DateTime<Utc>) -> (User, SignedIn) {
    let user = staff_user(conn, "ann@example.com");
    let session = attempt(conn, "ann@example.com", PASSWORD, at).expect("sign in");
    (user, session)
}

/// Signs in as the service does: one transaction that commits whatever the outcome,
/// then a refusal becomes the error.
pub fn attempt(
    conn: &mut PgConnection,
    email: &str,
    password: &str,
    at: DateTime<Utc>,
) -> Result<SignedIn> {
    conn.transaction(|conn| sign_in(conn, email, password, at, ACTIVITY_WINDOW))?
        .into_result()
}

/// The `data` of every `CLIENT_LOGGED` event, oldest first.
pub fn all_client_logged(conn: &mut PgConnection) -> Vec<serde_json::Value> {
    domain_events::table
        .filter(domain_events::event_type.eq("CLIENT_LOGGED"))
        .order(domain_events::seq)
        .select(domain_events::data)
        .load::<serde_json::Value>(conn)
        .expect("events")
}

/// The `data` of every `CLIENT_LOGGED` event of a customer, oldest first.
pub fn client_logged(conn: &mut PgConnection, customer_id: Uuid) -> Vec<serde_json::Value> {
    all_client_logged(conn)
        .into_iter()
        .filter(|data| data["customerId"] == customer_id.to_string())
        .collect()
}
