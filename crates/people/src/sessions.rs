//! Sessions: the bearer tokens signing in issues. A session ends when its user signs out,
//! when it is unused for the idle time, 30 days after sign-in at the latest, and when its
//! user is deactivated or gets a new password.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use orderpath_core::Result;
use orderpath_db::schema::{sessions, users};
use uuid::Uuid;

use crate::credentials::{announce, EndedCredential, Principal, PrincipalKind};
use crate::secret::{hash_token, new_token, SESSION_TOKEN_PREFIX};
use crate::users::User;

/// A session ends this long after sign-in however much it is used.
pub const SESSION_LIFETIME: Duration = Duration::days(30);
/// The idle time after which an unused session ends, unless configured otherwise
/// (`ORDERPATH_SESSION_IDLE_SECS`).
pub const DEFAULT_SESSION_IDLE: Duration = Duration::seconds(43_200);

/// A session just started: the token is in clear here and nowhere else, ever.
#[derive(Debug, Clone)]
pub(crate) struct NewSession {
    pub id: Uuid,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

pub(crate) fn start_session(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<NewSession> {
    let id = Uuid::new_v4();
    let token = new_token(SESSION_TOKEN_PREFIX);
    // As stored (to the microsecond), so every later reading agrees with this one.
    let expires_at = diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::user_id.eq(user_id),
            sessions::token_hash.eq(hash_token(&token)),
            sessions::created_at.eq(now),
            sessions::last_used_at.eq(now),
            sessions::expires_at.eq(now + SESSION_LIFETIME),
        ))
        .returning(sessions::expires_at)
        .get_result(conn)?;
    Ok(NewSession {
        id,
        token,
        expires_at,
    })
}

/// The caller behind a session token, if the session is live: not ended, not past its
/// absolute end, used within `idle`, and its user active.
pub(crate) fn find_live_session(
    conn: &mut PgConnection,
    token: &str,
    now: DateTime<Utc>,
    idle: Duration,
) -> Result<Option<Principal>> {
    let found: Option<(Uuid, DateTime<Utc>, DateTime<Utc>, User)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .filter(sessions::ended_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_used_at.gt(now - idle))
        .filter(users::active.eq(true))
        .select((
            sessions::id,
            sessions::expires_at,
            sessions::last_used_at,
            User::as_select(),
        ))
        .first(conn)
        .optional()?;
    Ok(
        found.map(|(session_id, expires_at, last_used_at, user)| Principal {
            kind: PrincipalKind::User,
            id: user.id,
            name: user.name,
            role: user.role,
            customer_id: user.customer_id,
            email: Some(user.email),
            session_id: Some(session_id),
            expires_at: Some(expires_at),
            last_used_at: Some(last_used_at),
        }),
    )
}

/// Notes that the session was used at `now`, which keeps it from ending idle. Returns
/// whether it moved (an ended session stays ended). Once a minute per session is plenty:
/// the idle time is counted in hours.
pub fn touch_session(
    conn: &mut PgConnection,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let moved = diesel::update(sessions::table.find(session_id))
        .filter(sessions::ended_at.is_null())
        .filter(sessions::last_used_at.lt(now))
        .set(sessions::last_used_at.eq(now))
        .execute(conn)?;
    Ok(moved == 1)
}

/// Signs out: ends the session and announces it on the credentials channel. Returns
/// whether the session was live until now.
pub fn sign_out(conn: &mut PgConnection, session_id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let ended = diesel::update(sessions::table.find(session_id))
        .filter(sessions::ended_at.is_null())
        .set(sessions::ended_at.eq(now))
        .execute(conn)?;
    if ended == 1 {
        announce(conn, EndedCredential::Session(session_id))?;
    }
    Ok(ended == 1)
}

/// Ends every live session of a user; the caller announces it. Returns how many ended.
pub(crate) fn end_sessions_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<usize> {
    Ok(diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::ended_at.is_null())
        .set(sessions::ended_at.eq(now))
        .execute(conn)?)
}
