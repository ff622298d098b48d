use chrono::Duration;
use orderpath_core::Error;
use orderpath_people::{authenticate, sign_out, touch_session, update_user, UserChange};
use orderpath_testing::TestDatabase;

use crate::helpers::{attempt, now, staff_user, PASSWORD};

const IDLE: Duration = Duration::hours(12);

#[test]
fn an_unused_session_ends_after_the_idle_time_and_use_keeps_it_alive() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    staff_user(&mut conn, "ann@example.com");
    let start = now();
    let session = attempt(&mut conn, "ann@example.com", PASSWORD, start).expect("sign in");
    let live = |conn: &mut _, at| {
        authenticate(conn, &session.token, at, IDLE)
            .expect("authenticate")
            .is_some()
    };
    assert!(live(&mut conn, start + IDLE - Duration::seconds(1)));
    assert!(
        !live(&mut conn, start + IDLE),
        "idle for the whole idle time"
    );

    let used = start + IDLE - Duration::seconds(1);
    assert!(touch_session(&mut conn, session.session_id, used).expect("touch"));
    assert!(live(&mut conn, start + IDLE));
    assert!(live(&mut conn, used + IDLE - Duration::seconds(1)));
    assert!(!live(&mut conn, used + IDLE));
    assert!(
        !touch_session(&mut conn, session.session_id, start).expect("touch"),
        "use is never moved back"
    );
}

#[test]
fn a_session_ends_30_days_after_sign_in_however_much_it_is_used() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    staff_user(&mut conn, "ann@example.com");
    let start = now();
    let session = attempt(&mut conn, "ann@example.com", PASSWORD, start).expect("sign in");
    let mut at = start;
    while at < start + Duration::days(30) {
        assert!(authenticate(&mut conn, &session.token, at, IDLE)
            .expect("authenticate")
            .is_some());
        touch_session(&mut conn, session.session_id, at).expect("touch");
        at += Duration::hours(11);
    }
    let end = start + Duration::days(30);
    let last_use = end - Duration::minutes(1);
    touch_session(&mut conn, session.session_id, last_use).expect("touch");
    assert!(authenticate(&mut conn, &session.token, last_use, IDLE)
        .expect("authenticate")
        .is_some());
    assert!(authenticate(&mut conn, &session.token, end, IDLE)
        .expect("authenticate")
        .is_none());
}

#[test]
fn signing_out_ends_only_that_session() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    staff_user(&mut conn, "ann@example.com");
    let at = now();
    let laptop = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    let phone = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    assert!(sign_out(&mut conn, laptop.session_id, at).expect("sign out"));
    assert!(!sign_out(&mut conn, laptop.session_id, at).expect("again"));
    assert!(authenticate(&mut conn, &laptop.token, at, IDLE)
        .expect("authenticate")
        .is_none());
    assert!(
        !touch_session(&mut conn, laptop.session_id, at + Duration::minutes(1)).expect("touch")
    );
    assert!(authenticate(&mut conn, &phone.token, at, IDLE)
        .expect("authenticate")
        .is_some());
}

#[test]
fn deactivating_a_user_ends_its_sessions_for_good() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let user = staff_user(&mut conn, "ann@example.com");
    let at = now();
    let session = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    let active = |active| UserChange {
        active: Some(active),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, active(false), at).expect("deactivate");
    assert!(authenticate(&mut conn, &session.token, at, IDLE)
        .expect("authenticate")
        .is_none());
    update_user(&mut conn, user.id, active(true), at).expect("reactivate");
    assert!(
        authenticate(&mut conn, &session.token, at, IDLE)
            .expect("authenticate")
            .is_none(),
        "reactivation does not revive old sessions"
    );
    attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("a new sign-in works");
}

#[test]
fn a_new_password_ends_the_sessions_and_replaces_the_old_one() {
    let db = TestDatabase::new();
    let mut conn = db.connection();
    let user = staff_user(&mut conn, "ann@example.com");
    let at = now();
    let session = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    let change = UserChange {
        password: Some("a brand new passphrase".into()),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, change, at).expect("new password");
    assert!(authenticate(&mut conn, &session.token, at, IDLE)
        .expect("authenticate")
        .is_none());
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

    let db = TestDatabase::new();
    let mut conn = db.connection();
    let user = staff_user(&mut conn, "ann@example.com");
    let at = now();
    let session = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    diesel::update(users::table.find(user.id))
        .set(users::active.eq(false))
        .execute(&mut conn)
        .expect("deactivate behind the crate's back");
    assert!(authenticate(&mut conn, &session.token, at, IDLE)
        .expect("authenticate")
        .is_none());
}
