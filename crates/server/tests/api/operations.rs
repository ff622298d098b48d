//! Operations routes (`docs/operations.md`): health, metrics, the OpenAPI document and
//! a Swagger UI served entirely by the binary.

use orderpath_server::app::BASE_PATH;
use reqwest::{redirect, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

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

/// GETs the health probe at `path`, asserts 200 and returns the `status` it reports.
async fn probe(path: &str) -> Value {
    let app = spawn_app().await;
    let response = get_root(&app, path).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.expect("json")["status"].clone()
}

/// GETs `path` at the server root, asserts 200 and a `content-type` that starts with
/// `media_type`, and returns the body.
async fn get_root_text(app: &TestApp, path: &str, media_type: &str) -> String {
    let response = get_root(app, path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(content_type.starts_with(media_type), "{content_type}");
    response.text().await.expect("text")
}

#[actix_web::test]
async fn health_live_answers_ok() {
    assert_eq!(probe("/health/live").await, "ok");
}

#[actix_web::test]
async fn health_ready_answers_ok_with_a_database() {
    assert_eq!(probe("/health/ready").await, "ready");
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

    let text = get_root_text(&app, "/metrics", "text/plain").await;
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

/// The served OpenAPI document.
pub(crate) async fn served_document(app: &TestApp) -> Value {
    let response = get_root(app, "/api-docs/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

/// Every documented path with its documented methods, upper case.
fn documented_routes(doc: &Value) -> Vec<(String, Vec<String>)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| {
            let methods = item.as_object().expect("path item").keys();
            (path.clone(), methods.map(|m| m.to_uppercase()).collect())
        })
        .collect()
}

/// A path template with every `{parameter}` replaced by the same UUID.
fn concrete(template: &str) -> String {
    let mut path = String::new();
    for segment in template.split('/').skip(1) {
        path.push('/');
        if segment.starts_with('{') && segment.ends_with('}') {
            path.push_str("00000000-0000-0000-0000-000000000001");
        } else {
            path.push_str(segment);
        }
    }
    path
}

async fn send(app: &TestApp, method: &str, path: &str) -> reqwest::Response {
    let method: reqwest::Method = method.parse().expect("method");
    app.client
        .request(method, format!("{}{path}", app.address))
        .send()
        .await
        .expect("request")
}

/// The methods an answer's `Allow` header lists, sorted.
fn allowed(response: &reqwest::Response) -> Vec<String> {
    let allow = response
        .headers()
        .get("allow")
        .unwrap_or_else(|| panic!("{} without Allow", response.status()))
        .to_str()
        .expect("ascii");
    let mut methods: Vec<String> = allow.split(", ").map(str::to_string).collect();
    methods.sort();
    methods
}

#[actix_web::test]
async fn the_openapi_document_describes_the_api_under_its_base_path() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3."), "{version}");
    let routes = documented_routes(&doc);
    let outside: Vec<&String> = routes
        .iter()
        .map(|(path, _)| path)
        .filter(|path| !path.starts_with(&format!("{BASE_PATH}/")))
        .filter(|path| !ROOT_ROUTES.iter().any(|(root, _)| path == root))
        .collect();
    assert!(outside.is_empty(), "outside the base path: {outside:?}");
    assert!(
        routes.len() > ROOT_ROUTES.len(),
        "no API route documented: {routes:?}"
    );
    for (path, methods) in ROOT_ROUTES {
        let documented = routes.iter().find(|(p, _)| p == path);
        let methods: Vec<String> = methods.iter().map(|m| m.to_uppercase()).collect();
        assert_eq!(documented.map(|(_, m)| m), Some(&methods), "{path}");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer"})
    );
}

#[actix_web::test]
async fn every_documented_operation_is_routed() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    // With no token a routed API operation answers 401 and an operations route 200; a
    // route the app does not serve would answer 404 "no such route" or 405.
    for (path, methods) in documented_routes(&doc) {
        for method in methods {
            let response = send(&app, &method, &concrete(&path)).await;
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert!(
                status != StatusCode::METHOD_NOT_ALLOWED
                    && !(status == StatusCode::NOT_FOUND && body["detail"] == "no such route"),
                "{method} {path} is documented but answers {status} {body}"
            );
        }
    }
}

#[actix_web::test]
async fn other_methods_on_a_documented_api_path_answer_405_with_allow() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    let api = documented_routes(&doc)
        .into_iter()
        .filter(|(path, _)| path.starts_with(BASE_PATH));
    for (path, mut methods) in api {
        methods.sort();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if methods.iter().any(|m| m == method) {
                continue;
            }
            let response = send(&app, method, &concrete(&path)).await;
            assert_eq!(allowed(&response), methods, "{method} {path}");
            crate::helpers::assert_problem(response, 405, "METHOD_NOT_ALLOWED").await;
        }
    }
}

#[actix_web::test]
async fn allow_lists_the_methods_of_the_path_asked() {
    let app = spawn_app().await;
    let id = "00000000-0000-0000-0000-000000000001";
    for (method, path, expected) in [
        ("DELETE", format!("/carts/{id}"), vec!["GET"]),
        ("PUT", format!("/offers/{id}"), vec!["GET", "PATCH"]),
        (
            "POST",
            format!("/carts/{id}/lines/{id}"),
            vec!["DELETE", "PATCH"],
        ),
        (
            "PATCH",
            format!("/carts/{id}/lines/{id}/price"),
            vec!["DELETE", "PUT"],
        ),
        // A literal segment owns its path over a `{webhookId}` one.
        ("GET", "/webhooks/test".to_string(), vec!["POST"]),
        (
            "PUT",
            format!("/webhooks/{id}"),
            vec!["DELETE", "GET", "PATCH"],
        ),
    ] {
        let response = send(&app, method, &format!("{BASE_PATH}{path}")).await;
        assert_eq!(allowed(&response), expected, "{method} {path}");
        crate::helpers::assert_problem(response, 405, "METHOD_NOT_ALLOWED").await;
    }
    let unknown = send(&app, "DELETE", &format!("{BASE_PATH}/no-such-thing")).await;
    assert!(unknown.headers().get("allow").is_none());
    crate::helpers::assert_problem(unknown, 404, "NOT_FOUND").await;
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
    let html = get_root_text(&app, "/docs/", "text/html").await;
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
