use std::thread;

use chrono::{DateTime, Duration, Utc};
use diesel::PgConnection;
use orderpath_core::Error;
use orderpath_people::{
    authenticate, get_user, update_user, PrincipalKind, UserChange, DEFAULT_SESSION_IDLE,
    FAILURE_WINDOW, MAX_PASSWORD_BYTES, SESSION_LIFETIME,
};
use orderpath_testing::TestDatabase;

use crate::helpers::{attempt, now, staff_user, PASSWORD};

#[test]
fn the_right_password_starts_a_session_whose_token_authenticates_the_user() {
    let (_db, mut conn) = TestDatabase::connected();
    let user = staff_user(&mut conn, "ann@example.com");
    let at = now();
    let signed_in = attempt(&mut conn, "ANN@example.com ", PASSWORD, at).expect("sign in");
    assert!(signed_in.token.starts_with("ops_"), "{}", signed_in.token);
    assert_eq!(signed_in.expires_at, at + SESSION_LIFETIME);
    assert_eq!(signed_in.user.id, user.id);
    assert_eq!(signed_in.user.last_sign_in_at, Some(at));
    assert_eq!(
        get_user(&mut conn, user.id).expect("user").last_sign_in_at,
        Some(at)
    );

    let principal = authenticate(&mut conn, &signed_in.token, at, DEFAULT_SESSION_IDLE)
        .expect("authenticate")
        .expect("a live session");
    assert_eq!(principal.kind, PrincipalKind::User);
    assert_eq!(principal.id, user.id);
    assert_eq!(principal.name, user.name);
    assert_eq!(principal.role, user.role);
    assert_eq!(principal.email.as_deref(), Some("ann@example.com"));
    assert_eq!(principal.session_id, Some(signed_in.session_id));
    assert_eq!(principal.expires_at, Some(signed_in.expires_at));
}

#[test]
fn a_wrong_password_an_unknown_email_and_a_deactivated_user_get_the_same_refusal() {
    let (_db, mut conn) = TestDatabase::connected();
    let user = staff_user(&mut conn, "ann@example.com");
    let at = now();
    let wrong_password = attempt(&mut conn, "ann@example.com", "wrong password!", at);
    assert!(matches!(wrong_password, Err(Error::InvalidCredentials)));
    let unknown_email = attempt(&mut conn, "nobody@example.com", PASSWORD, at);
    assert!(matches!(unknown_email, Err(Error::InvalidCredentials)));
    let overlong = "a".repeat(MAX_PASSWORD_BYTES + 1);
    let refused_unhashed = attempt(&mut conn, "ann@example.com", &overlong, at);
    assert!(matches!(refused_unhashed, Err(Error::InvalidCredentials)));
    let not_an_email = format!("{}@example.com", "a".repeat(10_000));
    let unrecorded = attempt(&mut conn, &not_an_email, PASSWORD, at);
    assert!(matches!(unrecorded, Err(Error::InvalidCredentials)));

    let deactivate = UserChange {
        active: Some(false),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, deactivate, at).expect("deactivate");
    let deactivated = attempt(&mut conn, "ann@example.com", PASSWORD, at);
    assert!(matches!(deactivated, Err(Error::InvalidCredentials)));
}

/// `times` sign-ins as `email` with a wrong password at `at`, each refused.
fn wrong_passwords(conn: &mut PgConnection, email: &str, times: usize, at: DateTime<Utc>) {
    for _ in 0..times {
        let failed = attempt(conn, email, "wrong password!", at);
        assert!(
            matches!(failed, Err(Error::InvalidCredentials)),
            "{failed:?}"
        );
    }
}

#[test]
fn five_failures_shut_the_email_out_until_the_window_has_passed() {
    let (_db, mut conn) = TestDatabase::connected();
    staff_user(&mut conn, "ann@example.com");
    let start = now();
    for minute in 0..5 {
        let at = start + Duration::minutes(minute);
        // Letter case does not make it another email.
        let email = if minute % 2 == 0 {
            "ann@example.com"
        } else {
            "Ann@Example.com"
        };
        let failed = attempt(&mut conn, email, "wrong password!", at);
        assert!(
            matches!(failed, Err(Error::InvalidCredentials)),
            "{failed:?}"
        );
    }
    let shut_out = attempt(
        &mut conn,
        "ann@example.com",
        PASSWORD,
        start + Duration::minutes(5),
    );
    match shut_out {
        Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 10 * 60),
        other => panic!("expected TOO_MANY_ATTEMPTS, got {other:?}"),
    }
    let last_second = start + FAILURE_WINDOW - Duration::seconds(1);
    match attempt(&mut conn, "ann@example.com", PASSWORD, last_second) {
        Err(Error::TooManyAttempts { retry_after_secs }) => assert_eq!(retry_after_secs, 1),
        other => panic!("expected TOO_MANY_ATTEMPTS, got {other:?}"),
    }
    // The refused attempts were not counted: once the first failure is out of the
    // window, four remain and the right password works.
    attempt(
        &mut conn,
        "ann@example.com",
        PASSWORD,
        start + FAILURE_WINDOW,
    )
    .expect("sign in after the window");
}

#[test]
fn one_emails_failures_do_not_shut_out_another() {
    let (_db, mut conn) = TestDatabase::connected();
    staff_user(&mut conn, "ann@example.com");
    staff_user(&mut conn, "bob@example.com");
    let at = now();
    wrong_passwords(&mut conn, "ann@example.com", 5, at);
    assert!(matches!(
        attempt(&mut conn, "ann@example.com", PASSWORD, at),
        Err(Error::TooManyAttempts { .. })
    ));
    attempt(&mut conn, "bob@example.com", PASSWORD, at).expect("bob signs in");
}

#[test]
fn a_successful_sign_in_forgets_earlier_failures() {
    let (_db, mut conn) = TestDatabase::connected();
    staff_user(&mut conn, "ann@example.com");
    let at = now();
    wrong_passwords(&mut conn, "ann@example.com", 4, at);
    attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("fifth try right");
    wrong_passwords(&mut conn, "ann@example.com", 1, at);
    attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("one failure since");
}

#[test]
fn concurrent_sign_ins_all_succeed_with_sessions_of_their_own() {
    let db = TestDatabase::new();
    let mut setup = db.connection();
    let user = staff_user(&mut setup, "ann@example.com");
    let at = now();
    let signers: Vec<_> = (0..6)
        .map(|i| {
            let mut conn = db.connection();
            let email = if i % 2 == 0 {
                "ann@example.com"
            } else {
                "ANN@example.com"
            };
            thread::spawn(move || attempt(&mut conn, email, PASSWORD, at))
        })
        .collect();
    let mut sessions = Vec::new();
    for signer in signers {
        let signed_in = signer.join().expect("thread").expect("sign in");
        assert_eq!(signed_in.user.id, user.id);
        sessions.push(signed_in.session_id);
        let principal = authenticate(&mut setup, &signed_in.token, at, DEFAULT_SESSION_IDLE)
            .expect("authenticate");
        assert_eq!(
            principal.map(|p| p.session_id),
            Some(Some(signed_in.session_id))
        );
    }
    sessions.sort();
    sessions.dedup();
    assert_eq!(sessions.len(), 6);
}

#[test]
fn parallel_guesses_cannot_slip_past_the_count() {
    let db = TestDatabase::new();
    let mut setup = db.connection();
    staff_user(&mut setup, "ann@example.com");
    let at = now();
    let guessers: Vec<_> = (0..8)
        .map(|i| {
            let mut conn = db.connection();
            thread::spawn(move || {
                attempt(&mut conn, "ann@example.com", &format!("guess {i:>8}"), at)
            })
        })
        .collect();
    let outcomes: Vec<_> = guessers
        .into_iter()
        .map(|g| g.join().expect("thread"))
        .collect();
    let checked = outcomes
        .iter()
        .filter(|o| matches!(o, Err(Error::InvalidCredentials)))
        .count();
    let shut_out = outcomes
        .iter()
        .filter(|o| matches!(o, Err(Error::TooManyAttempts { .. })))
        .count();
    assert_eq!((checked, shut_out), (5, 3), "{outcomes:?}");
}
