use chrono::{DateTime, Duration, Utc};
use diesel::PgConnection;
use orderpath_core::Error;
use orderpath_people::{authenticate, sign_out, touch_session, update_user, UserChange};
use orderpath_testing::TestDatabase;

use crate::helpers::{attempt, now, signed_in_staff, PASSWORD};

const IDLE: Duration = Duration::hours(12);

/// Whether `token` authenticates at `at`.
fn live(conn: &mut PgConnection, token: &str, at: DateTime<Utc>) -> bool {
    authenticate(conn, token, at, IDLE)
        .expect("authenticate")
        .is_some()
}

#[test]
fn an_unused_session_ends_after_the_idle_time_and_use_keeps_it_alive() {
    let (_db, mut conn) = TestDatabase::connected();
    let start = now();
    let (_, session) = signed_in_staff(&mut conn, start);
    assert!(live(
        &mut conn,
        &session.token,
        start + IDLE - Duration::seconds(1)
    ));
    assert!(
        !live(&mut conn, &session.token, start + IDLE),
        "idle for the whole idle time"
    );

    let used = start + IDLE - Duration::seconds(1);
    assert!(touch_session(&mut conn, session.session_id, used).expect("touch"));
    assert!(live(&mut conn, &session.token, start + IDLE));
    assert!(live(
        &mut conn,
        &session.token,
        used + IDLE - Duration::seconds(1)
    ));
    assert!(!live(&mut conn, &session.token, used + IDLE));
    assert!(
        !touch_session(&mut conn, session.session_id, start).expect("touch"),
        "use is never moved back"
    );
}

#[test]
fn a_session_ends_30_days_after_sign_in_however_much_it_is_used() {
    let (_db, mut conn) = TestDatabase::connected();
    let start = now();
    let (_, session) = signed_in_staff(&mut conn, start);
    let mut at = start;
    while at < start + Duration::days(30) {
        assert!(live(&mut conn, &session.token, at));
        touch_session(&mut conn, session.session_id, at).expect("touch");
        at += Duration::hours(11);
    }
    let end = start + Duration::days(30);
    let last_use = end - Duration::minutes(1);
    touch_session(&mut conn, session.session_id, last_use).expect("touch");
    assert!(live(&mut conn, &session.token, last_use));
    assert!(!live(&mut conn, &session.token, end));
}

#[test]
fn signing_out_ends_only_that_session() {
    let (_db, mut conn) = TestDatabase::connected();
    let at = now();
    let (_, laptop) = signed_in_staff(&mut conn, at);
    let phone = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    assert!(sign_out(&mut conn, laptop.session_id, at).expect("sign out"));
    assert!(!sign_out(&mut conn, laptop.session_id, at).expect("again"));
    assert!(!live(&mut conn, &laptop.token, at));
    assert!(
        !touch_session(&mut conn, laptop.session_id, at + Duration::minutes(1)).expect("touch")
    );
    assert!(live(&mut conn, &phone.token, at));
}

#[test]
fn deactivating_a_user_ends_its_sessions_for_good() {
    let (_db, mut conn) = TestDatabase::connected();
    let at = now();
    let (user, session) = signed_in_staff(&mut conn, at);
    let active = |active| UserChange {
        active: Some(active),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, active(false), at).expect("deactivate");
    assert!(!live(&mut conn, &session.token, at));
    update_user(&mut conn, user.id, active(true), at).expect("reactivate");
    assert!(
        !live(&mut conn, &session.token, at),
        "reactivation does not revive old sessions"
    );
    attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("a new sign-in works");
}

#[test]
fn a_new_password_ends_the_sessions_and_replaces_the_old_one() {
    let (_db, mut conn) = TestDatabase::connected();
    let at = now();
    let (user, session) = signed_in_staff(&mut conn, at);
    let change = UserChange {
        password: Some("a brand new passphrase".into()),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, change, at).expect("new password");
    assert!(!live(&mut conn, &session.token, at));
    assert!(matches!(
        attempt(&mut conn, "ann@example.com", PASSWORD, at),
        Err(Error::InvalidCredentials)
    ));
    attempt(&mut conn, "ann@example.com", "a brand new passphrase", at).expect("new password");
}

#[test]
fn a_deactivated_users_live_session_stops_even_if_it_was_not_ended() {
    // Belt and braces: authentication checks the user too, not only the session.
    use diesel::prelude::*;
    use orderpath_db::schema::users;

    let (_db, mut conn) = TestDatabase::connected();
    let at = now();
    let (user, session) = signed_in_staff(&mut conn, at);
    diesel::update(users::table.find(user.id))
        .set(users::active.eq(false))
        .execute(&mut conn)
        .expect("deactivate behind the crate's back");
    assert!(!live(&mut conn, &session.token, at));
}
