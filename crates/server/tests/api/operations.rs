//! Operations routes (SPEC sections 3 and 11): health, metrics, the OpenAPI document and
//! a Swagger UI served entirely by the binary.

use orderpath_server::app::BASE_PATH;
use reqwest::{redirect, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// Every route the app serves under the API base path, with its methods.
const API_ROUTES: &[(&str, &[&str])] = &[
    ("/products", &["get"]),
    ("/products/{productId}", &["put", "get"]),
    ("/products/{productId}/stock", &["put"]),
    ("/customers/{customerId}", &["put", "get"]),
    ("/customers/{customerId}/activity", &["post"]),
    ("/carts", &["post"]),
    ("/carts/{cartId}", &["get"]),
    ("/carts/{cartId}/open", &["post"]),
    ("/carts/{cartId}/products", &["post"]),
    ("/carts/{cartId}/add-configurable-products", &["post"]),
    ("/cable-calculator", &["post"]),
    ("/carts/{cartId}/lines/{lineId}", &["patch", "delete"]),
    ("/carts/{cartId}/offer", &["post"]),
    ("/offer", &["get"]),
    ("/offers", &["get"]),
    ("/offers/{offerId}", &["get", "patch"]),
    ("/offers/{offerId}/open", &["post"]),
    ("/carts/{cartId}/lines/{lineId}/price", &["put", "delete"]),
    ("/carts/{cartId}/price-edits", &["get"]),
    ("/offers/{offerId}/lines/{lineId}/price", &["put", "delete"]),
    ("/offers/{offerId}/price-edits", &["get"]),
    ("/carts/{cartId}/shipment-plan", &["get"]),
    ("/carts/{cartId}/order", &["post"]),
    ("/orders", &["get"]),
    ("/orders/{orderId}", &["get"]),
    ("/orders/{orderId}/shipments/{shipmentId}/ship", &["post"]),
    ("/events", &["get"]),
];

/// Routes outside the base path that belong in the document.
const ROOT_ROUTES: &[(&str, &[&str])] = &[("/health/live", &["get"]), ("/health/ready", &["get"])];

/// GETs a path at the server root.
async fn get_root(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("request")
}

#[actix_web::test]
async fn health_live_answers_ok() {
    let app = spawn_app().await;
    let response = get_root(&app, "/health/live").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.expect("json")["status"],
        "ok"
    );
}

#[actix_web::test]
async fn health_ready_answers_ok_with_a_database() {
    let app = spawn_app().await;
    let response = get_root(&app, "/health/ready").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.expect("json")["status"],
        "ready"
    );
}

#[actix_web::test]
async fn operations_routes_need_no_token() {
    let app = spawn_app().await;
    for path in [
        "/health/live",
        "/health/ready",
        "/metrics",
        "/api-docs/openapi.json",
    ] {
        assert_eq!(
            get_root(&app, path).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }
}

#[actix_web::test]
async fn metrics_count_requests_by_route_pattern() {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let cart = app.cart(customer).await;
    let id = cart["id"].as_str().expect("id");
    let response = app.get(&format!("/carts/{id}"), &app.backoffice).await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = get_root(&app, "/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = response.text().await.expect("text");
    assert!(
        text.contains("# TYPE orderpath_http_requests_total counter"),
        "{text}"
    );
    let pattern = format!("route=\"{BASE_PATH}/carts/{{cartId}}\"");
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("orderpath_http_requests_total{")
                && l.contains(&pattern)
                && l.contains("method=\"GET\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no counter for {pattern} in {text}"));
    assert!(line.ends_with(" 1"), "{line}");
    assert!(
        !text.contains(id),
        "metrics carry ids instead of route patterns"
    );
    assert!(
        text.contains(&format!("route=\"{BASE_PATH}/carts\"")),
        "{text}"
    );
    assert!(
        text.contains("orderpath_http_request_duration_seconds_bucket"),
        "{text}"
    );
}

#[actix_web::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app().await;
    let response = get_root(&app, "/api-docs/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.expect("json");
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3."), "{version}");
    let paths = doc["paths"].as_object().expect("paths");
    let api = API_ROUTES
        .iter()
        .map(|(path, methods)| (format!("{BASE_PATH}{path}"), *methods));
    let root = ROOT_ROUTES
        .iter()
        .map(|(path, methods)| (path.to_string(), *methods));
    let mut missing = Vec::new();
    for (path, methods) in api.chain(root) {
        for method in methods {
            if paths
                .get(&path)
                .and_then(|item| item.get(*method))
                .is_none()
            {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:?}");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer"})
    );
}

#[actix_web::test]
async fn the_documented_routes_are_served() {
    let app = spawn_app().await;
    let doc: Value = get_root(&app, "/api-docs/openapi.json")
        .await
        .json()
        .await
        .expect("json");
    // Nothing is documented that the app does not serve: with no token, a served route
    // answers 401, an unknown one 404.
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{productId}", "00000000-0000-0000-0000-000000000001")
            .replace("{customerId}", "00000000-0000-0000-0000-000000000001")
            .replace("{cartId}", "00000000-0000-0000-0000-000000000001")
            .replace("{lineId}", "00000000-0000-0000-0000-000000000001")
            .replace("{offerId}", "00000000-0000-0000-0000-000000000001");
        for method in item.as_object().expect("path item").keys() {
            let method: reqwest::Method = method.to_uppercase().parse().expect("method");
            let response = app
                .client
                .request(method.clone(), format!("{}{concrete}", app.address))
                .send()
                .await
                .expect("request");
            let status = response.status();
            assert!(
                status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but answers {status}"
            );
        }
    }
}

/// The relative `src`/`href` targets of an HTML page.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            found.push(rest[..rest.find('"').expect("closing quote")].to_string());
        }
    }
    found
}

#[actix_web::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app().await;
    let response = get_root(&app, "/docs/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let html = response.text().await.expect("html");
    for external in ["http://", "https://", "//unpkg", "cdn"] {
        assert!(
            !html.contains(external),
            "the page loads {external}…: {html}"
        );
    }
    let assets = references(&html);
    for wanted in [
        "./swagger-ui-bundle.js",
        "./swagger-ui.css",
        "./swagger-initializer.js",
    ] {
        assert!(
            assets.iter().any(|a| a == wanted),
            "{wanted} not in {assets:?}"
        );
    }
    for asset in &assets {
        let path = format!("/docs/{}", asset.trim_start_matches("./"));
        let response = get_root(&app, &path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(!response.bytes().await.expect("asset").is_empty(), "{path}");
    }
    let initializer = get_root(&app, "/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .expect("script");
    assert!(
        initializer.contains("/api-docs/openapi.json"),
        "{initializer}"
    );
    assert!(!initializer.contains("https://"), "{initializer}");
}

#[actix_web::test]
async fn docs_without_a_slash_redirects_to_the_ui() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    let response = client
        .get(format!("{}/docs", app.address))
        .send()
        .await
        .expect("request");
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()["location"], "/docs/");
}

#[actix_web::test]
async fn a_lost_database_is_unavailable_not_an_internal_error() {
    let app = spawn_app().await;
    app.db.vanish();
    let ready = get_root(&app, "/health/ready").await;
    crate::helpers::assert_problem(ready, 503, "SERVICE_UNAVAILABLE").await;
    assert_eq!(
        get_root(&app, "/health/live").await.status(),
        200,
        "the process itself is alive"
    );
    let api = app.get("/products", &app.backoffice).await;
    crate::helpers::assert_problem(api, 503, "SERVICE_UNAVAILABLE").await;
}
