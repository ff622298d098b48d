//! People (`docs/people.md`): users made by staff, sign-in and sign-out, `GET /me`,
//! throttled guessing, machine tokens, and credentials that stop working within a second on
//! every instance.

use std::time::{Duration, Instant};

use chrono::Duration as Span;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_json, assert_problem, id, invalid_fields, spawn_app, TestApp};

const PASSWORD: &str = "correct horse battery";

/// A user made through `POST /users` by staff; returns it.
async fn user(app: &TestApp, email: &str, role: &str, customer: Option<&str>) -> Value {
    let body = json!({"email": email, "name": "Ann Example", "role": role,
                      "customerId": customer, "password": PASSWORD});
    assert_json(
        app.post("/users", &app.backoffice, body).await,
        StatusCode::CREATED,
    )
    .await
}

/// Signs in; returns the answer.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let body = json!({"email": email, "password": password});
    app.post("/sessions", "", body).await
}

/// Signs in with the right password and returns the session token.
async fn session(app: &TestApp, email: &str) -> String {
    let session = assert_json(sign_in(app, email, PASSWORD).await, StatusCode::CREATED).await;
    session["token"].as_str().expect("token").to_string()
}

/// Waits until `token` is refused by `app`, at most one second: the promise made for a
/// credential that ended. Fails when it is still accepted after that.
/// A new integration token made by staff: the 201 answer, secret included.
async fn integration_token(app: &TestApp, name: &str) -> Value {
    let body = json!({"name": name, "role": "integration"});
    assert_json(
        app.post("/tokens", &app.backoffice, body).await,
        StatusCode::CREATED,
    )
    .await
}

async fn refused_within_a_second(app: &TestApp, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let status = app.get("/me", token).await.status();
        if status == StatusCode::UNAUTHORIZED {
            return;
        }
        assert_eq!(status, StatusCode::OK);
        assert!(Instant::now() < deadline, "still accepted after one second");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

#[actix_web::test]
async fn a_user_made_by_staff_signs_in_is_named_by_me_and_signs_out() {
    let app = spawn_app().await;
    let made = user(&app, "Ann@Example.com", "backoffice", None).await;
    assert_eq!(made["email"], "Ann@Example.com");
    assert!(made.get("password").is_none() && made.get("passwordHash").is_none());

    let signed_in = assert_json(
        sign_in(&app, "ann@example.COM", PASSWORD).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(signed_in["user"]["id"], made["id"]);
    let token = signed_in["token"].as_str().expect("token");
    let me = app.get_json("/me", token).await;
    assert_eq!(
        me,
        json!({"kind": "USER", "id": made["id"], "name": "Ann Example", "role": "backoffice",
               "customerId": null, "email": "Ann@Example.com"})
    );
    // Staff routes work with the session like with any backoffice token.
    assert_eq!(app.get("/webhooks", token).await.status(), StatusCode::OK);

    let out = app.delete("/sessions/current", token).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_problem(app.get("/me", token).await, 401, "UNAUTHENTICATED").await;
}

#[actix_web::test]
async fn me_names_a_machine_token_by_its_id() {
    let app = spawn_app().await;
    let made = integration_token(&app, "ERP 2").await;
    let me = app
        .get_json("/me", made["token"].as_str().expect("token"))
        .await;
    assert_eq!(
        me,
        json!({"kind": "TOKEN", "id": made["id"], "name": "ERP 2", "role": "integration",
               "customerId": null})
    );
}

#[actix_web::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    user(&app, "bob@example.com", "backoffice", None).await;
    let unknown = assert_problem(
        sign_in(&app, "nobody@example.com", PASSWORD).await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    let wrong = assert_problem(
        sign_in(&app, "bob@example.com", "wrong password!").await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    // Each names its own request; the rest is the same.
    let answer = |mut problem: Value| {
        let object = problem.as_object_mut().expect("a problem object");
        object.remove("requestId").expect("requestId");
        problem
    };
    assert_eq!(answer(unknown), answer(wrong));
}

#[actix_web::test]
async fn the_sixth_attempt_is_refused_even_with_the_right_password_until_the_window_passes() {
    let app = spawn_app().await;
    user(&app, "eve@example.com", "backoffice", None).await;
    for _ in 0..5 {
        let answer = sign_in(&app, "eve@example.com", "not the password").await;
        assert_problem(answer, 401, "INVALID_CREDENTIALS").await;
    }
    let refused = sign_in(&app, "EVE@example.com", PASSWORD).await;
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_problem(refused, 429, "TOO_MANY_ATTEMPTS").await;
    // Another email is not held back.
    user(&app, "fay@example.com", "backoffice", None).await;
    session(&app, "fay@example.com").await;

    app.clock.advance(Span::seconds(retry_after as i64));
    session(&app, "eve@example.com").await;
}

#[actix_web::test]
async fn passwords_too_short_or_too_long_and_emails_taken_in_another_case_are_refused() {
    let app = spawn_app().await;
    user(&app, "gus@example.com", "backoffice", None).await;
    for password in ["x".repeat(11), "x".repeat(10_000)] {
        let body = json!({"email": "hal@example.com", "name": "Hal", "role": "backoffice",
                          "password": password});
        let fields = invalid_fields(app.post("/users", &app.backoffice, body).await).await;
        assert_eq!(fields, ["password"]);
    }
    let body = json!({"email": "GUS@example.com", "name": "Gus", "role": "backoffice",
                      "password": PASSWORD});
    let answer = app.post("/users", &app.backoffice, body).await;
    assert_problem(answer, 409, "EMAIL_IN_USE").await;
    // A 10,000-character password at sign-in is refused like any wrong one.
    let answer = sign_in(&app, "gus@example.com", &"x".repeat(10_000)).await;
    assert_problem(answer, 401, "INVALID_CREDENTIALS").await;
}

#[actix_web::test]
async fn a_customer_user_may_not_use_staff_routes_nor_see_another_customers_cart() {
    let app = spawn_app().await;
    let acme = app.customer("ACME").await;
    let other = app.customer("Other").await;
    user(&app, "cy@acme.example", "customer", Some(&acme.to_string())).await;
    let token = session(&app, "cy@acme.example").await;
    assert_problem(app.get("/users", &token).await, 403, "FORBIDDEN").await;
    assert_problem(app.get("/webhooks", &token).await, 403, "FORBIDDEN").await;
    let body = json!({"name": "mine", "role": "integration"});
    assert_problem(app.post("/tokens", &token, body).await, 403, "FORBIDDEN").await;
    let foreign = app.cart(other).await;
    let path = format!("/carts/{}", id(&foreign));
    assert_problem(app.get(&path, &token).await, 404, "NOT_FOUND").await;
    let own = app
        .post(
            "/carts",
            &token,
            json!({"customerId": acme, "source": "OFE"}),
        )
        .await;
    assert_eq!(own.status(), StatusCode::CREATED);
}

#[actix_web::test]
async fn a_customer_users_sign_in_after_silence_is_client_logged_with_its_user_id() {
    let app = spawn_app().await;
    let acme = app.customer("ACME").await;
    let made = user(
        &app,
        "dee@acme.example",
        "customer",
        Some(&acme.to_string()),
    )
    .await;
    session(&app, "dee@acme.example").await;
    let logged = app.events("CLIENT_LOGGED", 1).await;
    assert_eq!(
        logged[0]["data"],
        json!({"customerId": acme, "source": "OFE", "userId": made["id"]})
    );
    app.clock.advance(Span::minutes(29));
    session(&app, "dee@acme.example").await;
    app.clock.advance(Span::minutes(31));
    session(&app, "dee@acme.example").await;
    // The sign-in inside the window recorded nothing: the third one is the second event.
    app.events("CLIENT_LOGGED", 2).await;
}

#[actix_web::test]
async fn cart_opened_names_the_signed_in_user() {
    let app = spawn_app().await;
    let acme = app.customer("ACME").await;
    let made = user(&app, "rep@merchant.example", "backoffice", None).await;
    let token = session(&app, "rep@merchant.example").await;
    let cart = assert_json(
        app.post(
            "/carts",
            &token,
            json!({"customerId": acme, "source": "BACKOFFICE"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let opened = app.events("CART_OPENED", 1).await;
    assert_eq!(
        opened[0]["data"],
        json!({"customerId": acme, "cartId": cart["id"], "source": "BACKOFFICE",
               "userId": made["id"]})
    );
}

#[actix_web::test]
async fn concurrent_sign_ins_all_get_their_own_session() {
    let app = spawn_app().await;
    user(&app, "kim@example.com", "backoffice", None).await;
    let attempts = (0..6).map(|_| session(&app, "kim@example.com"));
    let tokens = futures_util::future::join_all(attempts).await;
    let distinct: std::collections::HashSet<_> = tokens.iter().collect();
    assert_eq!(distinct.len(), 6);
    for token in &tokens {
        assert_eq!(app.get("/me", token).await.status(), StatusCode::OK);
    }
}

#[actix_web::test]
async fn a_session_ends_when_idle_too_long_and_thirty_days_after_sign_in() {
    let app = spawn_app().await;
    user(&app, "lee@example.com", "backoffice", None).await;
    let token = session(&app, "lee@example.com").await;
    app.clock.advance(Span::hours(11));
    assert_eq!(app.get("/me", &token).await.status(), StatusCode::OK);
    // Used an hour ago: another 11 hours is still within the 12 idle hours.
    app.clock.advance(Span::hours(11));
    assert_eq!(app.get("/me", &token).await.status(), StatusCode::OK);
    app.clock.advance(Span::hours(12) + Span::seconds(1));
    assert_problem(app.get("/me", &token).await, 401, "UNAUTHENTICATED").await;

    // Used every 10 hours, it lasts until exactly 30 days after sign-in (720 hours).
    let token = session(&app, "lee@example.com").await;
    for _ in 0..71 {
        app.clock.advance(Span::hours(10));
        assert_eq!(app.get("/me", &token).await.status(), StatusCode::OK);
    }
    app.clock.advance(Span::hours(10));
    assert_problem(app.get("/me", &token).await, 401, "UNAUTHENTICATED").await;
}

#[actix_web::test]
async fn deactivating_a_user_or_changing_its_password_ends_its_sessions_on_every_instance() {
    let app = spawn_app().await;
    let other = app.second_instance();
    let made = user(&app, "max@example.com", "backoffice", None).await;
    let path = format!("/users/{}", id(&made));
    for change in [
        json!({"password": "a brand new password"}),
        json!({"active": false}),
    ] {
        let token = session(&app, "max@example.com").await;
        // Both instances have it cached.
        for instance in [&app, &other] {
            assert_eq!(instance.get("/me", &token).await.status(), StatusCode::OK);
        }
        let changed = app.patch(&path, &app.backoffice, change).await;
        assert_eq!(changed.status(), StatusCode::OK);
        refused_within_a_second(&app, &token).await;
        refused_within_a_second(&other, &token).await;
        let again = json!({"password": PASSWORD});
        assert_eq!(
            app.patch(&path, &app.backoffice, again).await.status(),
            StatusCode::OK
        );
    }
    // Deactivated: the right password no longer signs in.
    let answer = sign_in(&app, "max@example.com", PASSWORD).await;
    assert_problem(answer, 401, "INVALID_CREDENTIALS").await;
}

#[actix_web::test]
async fn signing_out_and_revoking_take_effect_on_the_other_instance_within_a_second() {
    let app = spawn_app().await;
    let other = app.second_instance();
    user(&app, "ned@example.com", "backoffice", None).await;
    let token = session(&app, "ned@example.com").await;
    assert_eq!(other.get("/me", &token).await.status(), StatusCode::OK);
    assert_eq!(
        app.delete("/sessions/current", &token).await.status(),
        StatusCode::NO_CONTENT
    );
    refused_within_a_second(&other, &token).await;

    let made = integration_token(&app, "Shop").await;
    let machine = made["token"].as_str().expect("token");
    assert_eq!(other.get("/me", machine).await.status(), StatusCode::OK);
    let revoked = assert_json(
        app.delete(&format!("/tokens/{}", id(&made)), &app.backoffice)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(revoked["revokedAt"].is_string());
    refused_within_a_second(&other, machine).await;
    refused_within_a_second(&app, machine).await;
}

#[actix_web::test]
async fn tokens_are_listed_without_their_secret_and_a_machine_token_cannot_sign_out() {
    let app = spawn_app().await;
    let listed = app.get_json("/tokens", &app.backoffice).await;
    let names: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Bea Backoffice", "ERP"]);
    assert!(listed["items"][0].get("token").is_none());
    assert!(!listed.to_string().contains(&app.backoffice));
    let answer = app.delete("/sessions/current", &app.backoffice).await;
    assert_problem(answer, 403, "FORBIDDEN").await;
    let body = json!({"name": "Shop", "role": "customer"});
    let fields = invalid_fields(app.post("/tokens", &app.backoffice, body).await).await;
    assert_eq!(fields, ["customerId"]);
}

#[actix_web::test]
async fn users_are_listed_by_email_and_found_by_part_of_a_name() {
    let app = spawn_app().await;
    let acme = app.customer("ACME").await;
    for email in ["zed@example.com", "amy@example.com"] {
        user(&app, email, "backoffice", None).await;
    }
    user(
        &app,
        "buyer@acme.example",
        "customer",
        Some(&acme.to_string()),
    )
    .await;
    let emails = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|u| u["email"].as_str().expect("email").to_string())
            .collect()
    };
    let first = app.get_json("/users?limit=2", &app.backoffice).await;
    assert_eq!(emails(&first), ["amy@example.com", "buyer@acme.example"]);
    let cursor = first["nextCursor"].as_str().expect("more");
    let rest = app
        .get_json(&format!("/users?limit=2&cursor={cursor}"), &app.backoffice)
        .await;
    assert_eq!(emails(&rest), ["zed@example.com"]);
    let of_acme = app
        .get_json(&format!("/users?customerId={acme}"), &app.backoffice)
        .await;
    assert_eq!(emails(&of_acme), ["buyer@acme.example"]);
    let found = app.get_json("/users?search=ZED", &app.backoffice).await;
    assert_eq!(emails(&found), ["zed@example.com"]);
}
