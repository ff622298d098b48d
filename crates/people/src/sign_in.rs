//! Signing in with an email and a password.
//!
//! A refused sign-in must still be recorded (it counts towards the throttle), yet the
//! service runs each domain call in one transaction that rolls back on `Err`. So
//! [`sign_in`] returns `Ok` with a [`SignInOutcome`] for refusals too, and the caller
//! turns it into an error only after the transaction committed:
//!
//! ```ignore
//! let outcome = orderpath_db::write(&pool, move |conn| sign_in(conn, &email, &password, now, window)).await?;
//! let signed_in = outcome.into_result()?; // 401 INVALID_CREDENTIALS / 429 TOO_MANY_ATTEMPTS
//! ```

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use orderpath_core::{Error, Result};
use uuid::Uuid;

use crate::email::{check_email, email_key};
use crate::password;
use crate::role::Role;
use crate::sessions::start_session;
use crate::throttle::{forget_failures, lock_email, record_failure, retry_after};
use crate::users::{find_with_password, note_sign_in, User};

/// The activity source a customer user's sign-in is recorded under: the online front end.
pub const SIGN_IN_ACTIVITY_SOURCE: &str = "OFE";

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The session's bearer token, in clear only here: it is stored hashed.
    pub token: String,
    pub session_id: Uuid,
    /// The session's absolute end; unused for the idle time, it ends sooner.
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// What a sign-in came to. A refusal is a value, not an `Err`, so that the transaction
/// recording it commits; see the module documentation.
#[derive(Debug)]
#[must_use = "a refused sign-in must still be answered as an error"]
pub enum SignInOutcome {
    SignedIn(SignedIn),
    /// `Error::InvalidCredentials` or `Error::TooManyAttempts`.
    Refused(Error),
}

impl SignInOutcome {
    pub fn into_result(self) -> Result<SignedIn> {
        match self {
            SignInOutcome::SignedIn(signed_in) => Ok(signed_in),
            SignInOutcome::Refused(error) => Err(error),
        }
    }
}

/// Signs a user in at `now`.
///
/// Something that is not an email address at all is refused like an unknown email.
/// Attempts for one email (in any letter case) run one at a time. While the email has
/// too many recent failures the attempt is refused with `TooManyAttempts`, unchecked and
/// uncounted. Otherwise the password is verified: an unknown email is checked against a
/// dummy hash and a deactivated user's password is checked too, so all three failures
/// take about as long, count as a failure and answer `InvalidCredentials`. On success a
/// session starts, earlier failures are forgotten, `last_sign_in_at` moves, and a
/// customer user's sign-in counts as its customer's activity (`CLIENT_LOGGED` after
/// `activity_window` of silence).
///
/// Runs in a transaction of its own (a savepoint inside the caller's), because the
/// per-email lock lasts as long as the transaction.
pub fn sign_in(
    conn: &mut PgConnection,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
    activity_window: Duration,
) -> Result<SignInOutcome> {
    if check_email(email).is_err() {
        // Nobody has this address, so there is nothing to throttle; it is not even
        // recorded (it might not fit an index). The answer takes as long as any other.
        password::verify_against_nobody(password);
        return Ok(SignInOutcome::Refused(Error::InvalidCredentials));
    }
    conn.transaction(|conn| {
        let key = email_key(conn, email)?;
        lock_email(conn, &key)?;
        if let Some(retry_after_secs) = retry_after(conn, &key, now)? {
            return Ok(SignInOutcome::Refused(Error::TooManyAttempts {
                retry_after_secs,
            }));
        }
        let found = find_with_password(conn, &key)?;
        let verified = match &found {
            // Verify first: a deactivated user's answer takes as long as anyone's.
            Some((user, hash)) => password::verify(password, hash) && user.active,
            None => password::verify_against_nobody(password),
        };
        let Some((user, _)) = found.filter(|_| verified) else {
            record_failure(conn, &key, now)?;
            return Ok(SignInOutcome::Refused(Error::InvalidCredentials));
        };
        forget_failures(conn, &key)?;
        let session = start_session(conn, user.id, now)?;
        let user = note_sign_in(conn, user.id, now)?;
        if let (Role::Customer, Some(customer_id)) = (user.role, user.customer_id) {
            orderpath_customers::record_activity(
                conn,
                customer_id,
                SIGN_IN_ACTIVITY_SOURCE,
                user.id,
                now,
                activity_window,
            )?;
        }
        Ok(SignInOutcome::SignedIn(SignedIn {
            token: session.token,
            session_id: session.id,
            expires_at: session.expires_at,
            user,
        }))
    })
}
