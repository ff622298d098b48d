//! Sign-in throttling: after [`MAX_FAILURES`] failed sign-ins for one email within
//! [`FAILURE_WINDOW`], every attempt for it is refused unchecked until the oldest of those
//! failures leaves the window. Failures live in the database, so the rule holds across
//! every instance of the service, and attempts for one email are serialised by a
//! transaction-scoped advisory lock, so parallel guesses cannot slip past the count.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use orderpath_core::Result;
use orderpath_db::prepared;
use orderpath_db::schema::sign_in_failures;

/// Failed sign-ins for one email that the window tolerates.
pub const MAX_FAILURES: usize = 5;
/// How long a failed sign-in counts.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);

/// First key of the two-key advisory locks taken per email (arbitrary, fixed: "sign").
/// Two-key locks never collide with the one-key locks taken elsewhere.
const SIGN_IN_LOCK_SPACE: i32 = 0x7369_676e;

/// Waits until no other transaction is signing in with this email, and holds that until
/// the current transaction ends. Outside a transaction it would hold nothing.
pub(crate) fn lock_email(conn: &mut PgConnection, email_key: &str) -> Result<()> {
    prepared("SELECT pg_advisory_xact_lock($1, hashtext($2))", |q| {
        q.bind::<Integer, _>(SIGN_IN_LOCK_SPACE)
            .bind::<Text, _>(email_key)
    })
    .execute(conn)?;
    Ok(())
}

/// `None` when the email may try to sign in now; otherwise the whole seconds (at least 1)
/// until it may.
pub(crate) fn retry_after(
    conn: &mut PgConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>> {
    let recent: Vec<DateTime<Utc>> = sign_in_failures::table
        .filter(sign_in_failures::email.eq(email_key))
        .filter(sign_in_failures::failed_at.gt(now - FAILURE_WINDOW))
        .order(sign_in_failures::failed_at)
        .select(sign_in_failures::failed_at)
        .load(conn)?;
    Ok(seconds_until_allowed(&recent, now))
}

/// Given the failures inside the window, oldest first: when enough of them will have
/// left it for the count to drop below the limit.
fn seconds_until_allowed(recent: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<u64> {
    let excess = recent.len().checked_sub(MAX_FAILURES)?;
    let allowed_at = recent[excess] + FAILURE_WINDOW;
    let millis = (allowed_at - now).num_milliseconds().max(0) as u64;
    Some(millis.div_ceil(1000).max(1))
}

/// Counts a failed sign-in, and forgets this email's failures that no longer count.
pub(crate) fn record_failure(
    conn: &mut PgConnection,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    diesel::delete(sign_in_failures::table)
        .filter(sign_in_failures::email.eq(email_key))
        .filter(sign_in_failures::failed_at.le(now - FAILURE_WINDOW))
        .execute(conn)?;
    diesel::insert_into(sign_in_failures::table)
        .values((
            sign_in_failures::email.eq(email_key),
            sign_in_failures::failed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A successful sign-in wipes the slate: earlier mistakes no longer count against it.
pub(crate) fn forget_failures(conn: &mut PgConnection, email_key: &str) -> Result<()> {
    diesel::delete(sign_in_failures::table)
        .filter(sign_in_failures::email.eq(email_key))
        .execute(conn)?;
    Ok(())
}

/// Deletes every failure that no longer counts, for emails nobody tried again (those
/// that are tried again are tidied as they go). Returns how many went. Meant for a
/// periodic sweep; correctness never depends on it.
pub fn prune_sign_in_failures(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize> {
    Ok(diesel::delete(sign_in_failures::table)
        .filter(sign_in_failures::failed_at.le(now - FAILURE_WINDOW))
        .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_lifts_when_enough_failures_leave_the_window() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = |minutes_ago: i64| now - Duration::minutes(minutes_ago);
        assert_eq!(seconds_until_allowed(&[], now), None);
        let four = [at(10), at(3), at(2), at(1)];
        assert_eq!(seconds_until_allowed(&four, now), None);
        let five = [at(10), at(3), at(2), at(1), at(0)];
        assert_eq!(seconds_until_allowed(&five, now), Some(5 * 60));
        let six = [at(10), at(3), at(2), at(1), at(0), at(0)];
        assert_eq!(seconds_until_allowed(&six, now), Some(12 * 60));
        let just_in = [now - FAILURE_WINDOW + Duration::milliseconds(1); 5];
        assert_eq!(seconds_until_allowed(&just_in, now), Some(1));
    }
}
