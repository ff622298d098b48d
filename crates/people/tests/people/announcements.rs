//! Every change that ends a credential is announced on the credentials channel when it
//! commits, and not at all when it rolls back.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use orderpath_people::{
    issue_token, revoke_token, sign_out, update_user, EndedCredential, Role, UserChange,
    CREDENTIALS_CHANNEL,
};
use orderpath_testing::TestDatabase;

use crate::helpers::{attempt, now, staff_user, PASSWORD};

fn listener(db: &TestDatabase) -> PgConnection {
    let mut conn = db.connection();
    conn.batch_execute(&format!("LISTEN {CREDENTIALS_CHANNEL}"))
        .expect("listen");
    conn
}

/// What the listener has heard so far.
fn heard(listener: &mut PgConnection) -> Vec<EndedCredential> {
    // A round trip makes the server hand over every notification already committed.
    listener.batch_execute("SELECT 1").expect("round trip");
    listener
        .notifications_iter()
        .map(|n| n.expect("notification"))
        .inspect(|n| assert_eq!(n.channel, CREDENTIALS_CHANNEL))
        .map(|n| EndedCredential::parse(&n.payload).expect("a credentials payload"))
        .collect()
}

#[test]
fn sign_out_revocation_deactivation_and_new_passwords_are_announced() {
    let db = TestDatabase::new();
    let mut listening = listener(&db);
    let mut conn = db.connection();
    let user = staff_user(&mut conn, "ann@example.com");
    let at = now();

    let session = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    assert!(heard(&mut listening).is_empty(), "signing in ends nothing");
    sign_out(&mut conn, session.session_id, at).expect("sign out");
    assert_eq!(
        heard(&mut listening),
        [EndedCredential::Session(session.session_id)]
    );

    let token = issue_token(&mut conn, "ERP", Role::Integration, None, at).expect("token");
    revoke_token(&mut conn, token.summary.id, at).expect("revoke");
    assert_eq!(
        heard(&mut listening),
        [EndedCredential::Token(token.summary.id)]
    );

    let deactivate = UserChange {
        active: Some(false),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, deactivate, at).expect("deactivate");
    let new_password = UserChange {
        password: Some("a brand new passphrase".into()),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, new_password, at).expect("new password");
    assert_eq!(
        heard(&mut listening),
        [
            EndedCredential::User(user.id),
            EndedCredential::User(user.id)
        ]
    );

    let rename = UserChange {
        name: Some("Ann Other".into()),
        ..UserChange::default()
    };
    update_user(&mut conn, user.id, rename, at).expect("rename");
    assert!(heard(&mut listening).is_empty(), "a new name ends nothing");
}

#[test]
fn nothing_is_announced_when_the_change_rolls_back() {
    let db = TestDatabase::new();
    let mut listening = listener(&db);
    let mut conn = db.connection();
    staff_user(&mut conn, "ann@example.com");
    let at = now();
    let session = attempt(&mut conn, "ann@example.com", PASSWORD, at).expect("sign in");
    let rolled_back = conn.transaction::<(), orderpath_core::Error, _>(|conn| {
        assert!(sign_out(conn, session.session_id, at)?);
        Err(diesel::result::Error::RollbackTransaction.into())
    });
    assert!(rolled_back.is_err());
    assert!(heard(&mut listening).is_empty());
}
