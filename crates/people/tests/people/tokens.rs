use chrono::Duration;
use orderpath_core::Error;
use orderpath_people::{
    authenticate, create_token, find_token, issue_token, list_tokens, revoke_token, PrincipalKind,
    Role,
};
use orderpath_testing::TestDatabase;
use uuid::Uuid;

use crate::helpers::{customer, now};

const IDLE: Duration = Duration::hours(12);

#[test]
fn a_token_authenticates_until_it_is_revoked() {
    let (_db, mut conn) = TestDatabase::connected();
    let acme = customer(&mut conn);
    let at = now();
    let issued =
        issue_token(&mut conn, " Shop front ", Role::Customer, Some(acme), at).expect("token");
    assert!(issued.token.starts_with("op_"), "{}", issued.token);
    assert_eq!(issued.summary.name, "Shop front");
    assert_eq!(issued.summary.created_at, at);
    assert_eq!(issued.summary.revoked_at, None);

    let principal = authenticate(&mut conn, &issued.token, at, IDLE)
        .expect("authenticate")
        .expect("a live token");
    assert_eq!(principal.kind, PrincipalKind::Token);
    assert_eq!(principal.id, issued.summary.id);
    assert_eq!(principal.role, Role::Customer);
    assert_eq!(principal.customer_id, Some(acme));
    assert_eq!(principal.email, None);
    assert_eq!(principal.session_id, None);
    assert_eq!(principal.valid_until(IDLE), None);

    let revoked_at = at + Duration::minutes(1);
    let revoked = revoke_token(&mut conn, issued.summary.id, revoked_at).expect("revoke");
    assert_eq!(revoked.revoked_at, Some(revoked_at));
    assert!(authenticate(&mut conn, &issued.token, revoked_at, IDLE)
        .expect("authenticate")
        .is_none());
    assert!(find_token(&mut conn, &issued.token)
        .expect("find")
        .is_none());
    let again = revoke_token(
        &mut conn,
        issued.summary.id,
        revoked_at + Duration::hours(1),
    )
    .expect("revoke again");
    assert_eq!(
        again.revoked_at,
        Some(revoked_at),
        "the first revocation stands"
    );
    assert!(matches!(
        revoke_token(&mut conn, Uuid::new_v4(), revoked_at),
        Err(Error::NotFound { entity: "token" })
    ));
}

#[test]
fn lists_show_every_token_oldest_first_with_its_revocation() {
    let (_db, mut conn) = TestDatabase::connected();
    let at = now();
    let erp = issue_token(&mut conn, "ERP", Role::Integration, None, at).expect("erp");
    let staff = issue_token(
        &mut conn,
        "Staff",
        Role::Backoffice,
        None,
        at + Duration::seconds(1),
    )
    .expect("staff");
    revoke_token(&mut conn, erp.summary.id, at + Duration::seconds(2)).expect("revoke");
    let first = list_tokens(&mut conn, None, 1).expect("first page");
    let cursor = first.next_cursor.as_deref().expect("a second page");
    let second = list_tokens(&mut conn, Some(cursor), 1).expect("second page");
    assert_eq!(second.next_cursor, None);
    let listed: Vec<_> = first.items.into_iter().chain(second.items).collect();
    let names: Vec<_> = listed
        .iter()
        .map(|t| (t.name.as_str(), t.revoked_at.is_some()))
        .collect();
    assert_eq!(names, [("ERP", true), ("Staff", false)]);
    assert_eq!(listed[1], staff.summary);
}

#[test]
fn customer_tokens_need_an_existing_customer_and_others_have_none() {
    let (_db, mut conn) = TestDatabase::connected();
    let acme = customer(&mut conn);
    for (name, role, customer_id, field) in [
        ("  ", Role::Integration, None, "name"),
        ("Shop", Role::Customer, None, "customer"),
        ("Shop", Role::Customer, Some(Uuid::new_v4()), "customer"),
        ("ERP", Role::Integration, Some(acme), "customer"),
    ] {
        match create_token(&mut conn, name, role, customer_id) {
            Err(Error::Validation(errors)) => assert_eq!(errors[0].field, field),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}

#[test]
fn unknown_tokens_of_either_kind_authenticate_nobody() {
    let (_db, mut conn) = TestDatabase::connected();
    let at = now();
    for presented in ["op_0000", "ops_0000", "", "anything"] {
        assert!(authenticate(&mut conn, presented, at, IDLE)
            .expect("authenticate")
            .is_none());
    }
}
