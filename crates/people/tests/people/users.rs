use chrono::Utc;
use orderpath_core::{ConflictCode, Error};
use orderpath_people::{create_user, get_user, list_users, update_user, NewUser, Role, UserChange};
use orderpath_testing::TestDatabase;
use uuid::Uuid;

use crate::helpers::{customer, customer_user, new_user, now, staff_user};

fn field_errors(result: Result<impl std::fmt::Debug, Error>) -> Vec<String> {
    match result {
        Err(Error::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_created_user_reads_back_as_given_and_active() {
    let (_db, mut conn) = TestDatabase::connected();
    let acme = customer(&mut conn);
    let at = now();
    let mut new = new_user("  Ann@Example.com ", Role::Customer, Some(acme));
    new.name = " Ann Example ".into();
    let user = create_user(&mut conn, new, at).expect("user");
    assert_eq!(user.email, "Ann@Example.com");
    assert_eq!(user.name, "Ann Example");
    assert_eq!(user.role, Role::Customer);
    assert_eq!(user.customer_id, Some(acme));
    assert!(user.active);
    assert_eq!(user.created_at, at);
    assert_eq!(user.last_sign_in_at, None);
    assert_eq!(get_user(&mut conn, user.id).expect("get"), user);
    assert!(matches!(
        get_user(&mut conn, Uuid::new_v4()),
        Err(Error::NotFound { entity: "user" })
    ));
}

#[test]
fn an_email_differing_only_in_case_is_in_use() {
    let (_db, mut conn) = TestDatabase::connected();
    staff_user(&mut conn, "ann@example.com");
    let again = create_user(
        &mut conn,
        new_user("ANN@Example.COM", Role::Backoffice, None),
        Utc::now(),
    );
    match again {
        Err(Error::Conflict { code, .. }) => assert_eq!(code, ConflictCode::EmailInUse),
        other => panic!("expected EMAIL_IN_USE, got {other:?}"),
    }
}

#[test]
fn passwords_shorter_than_12_characters_or_longer_than_1024_bytes_are_refused() {
    let (_db, mut conn) = TestDatabase::connected();
    for (password, accepted) in [
        ("short".to_string(), false),
        ("a".repeat(11), false),
        ("a".repeat(12), true),
        ("a".repeat(10_000), false),
    ] {
        let email = format!("user{}@example.com", password.len());
        let new = NewUser {
            password: password.clone(),
            ..new_user(&email, Role::Backoffice, None)
        };
        let created = create_user(&mut conn, new, Utc::now());
        if accepted {
            created.expect("a 12-character password");
        } else {
            assert_eq!(
                field_errors(created),
                ["password"],
                "{} bytes",
                password.len()
            );
        }
    }
}

#[test]
fn every_invalid_field_is_named_at_once() {
    let (_db, mut conn) = TestDatabase::connected();
    let new = NewUser {
        email: "not an email".into(),
        name: "  ".into(),
        role: Role::Integration,
        customer_id: None,
        password: "short".into(),
    };
    assert_eq!(
        field_errors(create_user(&mut conn, new, Utc::now())),
        ["email", "name", "role", "password"]
    );
}

#[test]
fn customer_users_need_an_existing_customer_and_staff_have_none() {
    let (_db, mut conn) = TestDatabase::connected();
    let acme = customer(&mut conn);
    for (role, customer_id) in [
        (Role::Customer, None),
        (Role::Customer, Some(Uuid::new_v4())),
        (Role::Backoffice, Some(acme)),
    ] {
        let created = create_user(
            &mut conn,
            new_user("ann@example.com", role, customer_id),
            Utc::now(),
        );
        assert_eq!(
            field_errors(created),
            ["customerId"],
            "{role:?} {customer_id:?}"
        );
    }
}

#[test]
fn lists_go_by_email_in_any_case_page_by_page_and_filter_by_customer_and_search() {
    let (_db, mut conn) = TestDatabase::connected();
    let acme = customer(&mut conn);
    let globex = customer(&mut conn);
    customer_user(&mut conn, acme, "carl@acme.test");
    customer_user(&mut conn, acme, "Bea@acme.test");
    customer_user(&mut conn, globex, "dora@globex.test");
    staff_user(&mut conn, "adam@shop.test");
    let mut percent = new_user("eve@shop.test", Role::Backoffice, None);
    percent.name = "Eve 100% Staff".into();
    create_user(&mut conn, percent, Utc::now()).expect("user");

    let emails = |page: &orderpath_core::page::Page<orderpath_people::User>| {
        page.items
            .iter()
            .map(|u| u.email.clone())
            .collect::<Vec<_>>()
    };
    let first = list_users(&mut conn, None, None, None, 2).expect("page 1");
    assert_eq!(emails(&first), ["adam@shop.test", "Bea@acme.test"]);
    let second = list_users(&mut conn, None, None, first.next_cursor.as_deref(), 2).expect("2");
    assert_eq!(emails(&second), ["carl@acme.test", "dora@globex.test"]);
    let last = list_users(&mut conn, None, None, second.next_cursor.as_deref(), 2).expect("3");
    assert_eq!(emails(&last), ["eve@shop.test"]);
    assert_eq!(last.next_cursor, None);

    let of_acme = list_users(&mut conn, Some(acme), None, None, 50).expect("acme");
    assert_eq!(emails(&of_acme), ["Bea@acme.test", "carl@acme.test"]);
    let found = list_users(&mut conn, None, Some("ACME"), None, 50).expect("search email");
    assert_eq!(emails(&found), ["Bea@acme.test", "carl@acme.test"]);
    let by_name = list_users(&mut conn, None, Some("100%"), None, 50).expect("search name");
    assert_eq!(emails(&by_name), ["eve@shop.test"]);
    let wildcard = list_users(&mut conn, None, Some("%"), None, 50).expect("literal %");
    assert_eq!(emails(&wildcard), ["eve@shop.test"]);
    assert!(list_users(&mut conn, None, None, Some("garbage!"), 50).is_err());
}

#[test]
fn a_change_touches_only_the_fields_given() {
    let (_db, mut conn) = TestDatabase::connected();
    let user = staff_user(&mut conn, "ann@example.com");
    let renamed = update_user(
        &mut conn,
        user.id,
        UserChange {
            name: Some(" Ann Other ".into()),
            ..UserChange::default()
        },
        now(),
    )
    .expect("rename");
    assert_eq!(renamed.name, "Ann Other");
    assert_eq!(renamed.email, user.email);
    assert!(renamed.active);
    let unchanged = update_user(&mut conn, user.id, UserChange::default(), now()).expect("none");
    assert_eq!(unchanged, renamed);
    let invalid = UserChange {
        name: Some("".into()),
        password: Some("a".repeat(11)),
        ..UserChange::default()
    };
    assert_eq!(
        field_errors(update_user(&mut conn, user.id, invalid, now())),
        ["name", "password"]
    );
    let unknown = UserChange {
        active: Some(false),
        ..UserChange::default()
    };
    assert!(matches!(
        update_user(&mut conn, Uuid::new_v4(), unknown, now()),
        Err(Error::NotFound { entity: "user" })
    ));
}
