//! A customer user's sign-in is that customer's activity: `CLIENT_LOGGED` from `OFE`
//! after 30 minutes of silence, exactly like a recorded activity.

use chrono::Duration;
use orderpath_testing::TestDatabase;

use crate::helpers::{
    all_client_logged, attempt, client_logged, customer, customer_user, now, staff_user, PASSWORD,
};

#[test]
fn a_customer_users_sign_in_after_silence_emits_client_logged_once_per_window() {
    let (_db, mut conn) = TestDatabase::connected();
    let acme = customer(&mut conn);
    customer_user(&mut conn, acme, "ann@acme.test");
    customer_user(&mut conn, acme, "bea@acme.test");
    let start = now();

    attempt(&mut conn, "ann@acme.test", PASSWORD, start).expect("first sign-in");
    let events = client_logged(&mut conn, acme);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["source"], "OFE");

    let later = start + Duration::minutes(29);
    attempt(&mut conn, "bea@acme.test", PASSWORD, later).expect("inside the window");
    assert_eq!(client_logged(&mut conn, acme).len(), 1);

    attempt(
        &mut conn,
        "ann@acme.test",
        PASSWORD,
        later + Duration::minutes(30),
    )
    .expect("after 30 minutes of silence");
    assert_eq!(client_logged(&mut conn, acme).len(), 2);
}

#[test]
fn failed_and_staff_sign_ins_are_no_customer_activity() {
    let (_db, mut conn) = TestDatabase::connected();
    let acme = customer(&mut conn);
    customer_user(&mut conn, acme, "ann@acme.test");
    staff_user(&mut conn, "staff@shop.test");
    let at = now();
    let _ = attempt(&mut conn, "ann@acme.test", "wrong password!", at);
    attempt(&mut conn, "staff@shop.test", PASSWORD, at).expect("staff");
    assert!(all_client_logged(&mut conn).is_empty());
}
