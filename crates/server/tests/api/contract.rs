//! The OpenAPI document says what the service answers: checked over every operation of the
//! served document, so that a new route is held to the same rules without being listed.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app};
use crate::operations::served_document;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                all.push((method.to_uppercase(), path.clone(), operation.clone()));
            }
        }
    }
    assert!(all.len() > 40, "too few operations: {}", all.len());
    all
}

fn declares(operation: &Value, status: u16) -> bool {
    operation["responses"].get(status.to_string()).is_some()
}

fn bearer(operation: &Value) -> bool {
    operation["security"]
        .as_array()
        .is_some_and(|all| all.iter().any(|r| r.get("bearer").is_some()))
}

/// The component a `$ref` names.
fn component<'a>(doc: &'a Value, reference: &str) -> &'a Value {
    let name = reference
        .strip_prefix("#/components/schemas/")
        .unwrap_or_else(|| panic!("not a component: {reference}"));
    doc["components"]["schemas"]
        .get(name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

#[actix_web::test]
async fn every_error_answer_is_declared_as_problem_json() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    let mut wrong = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().expect("responses");
        for (status, response) in responses {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let content = response["content"].as_object().expect("content");
            let types: Vec<&String> = content.keys().collect();
            let schema = &content
                .get("application/problem+json")
                .unwrap_or(&Value::Null)["schema"]["$ref"];
            if types != ["application/problem+json"] || schema != "#/components/schemas/Problem" {
                wrong.push(format!("{method} {path} {status}: {types:?} {schema}"));
            }
        }
        if !declares(&operation, 405)
            || operation["responses"]["405"]["headers"]["Allow"]["required"] != true
        {
            wrong.push(format!("{method} {path}: no 405 with a required Allow"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[actix_web::test]
async fn every_operation_declares_the_statuses_its_kind_can_answer() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    let mut missing = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let mut expected = Vec::new();
        if bearer(&operation) {
            expected.extend([401, 403, 503]);
        }
        if path.contains('{') && bearer(&operation) {
            expected.push(404);
        }
        if operation.get("requestBody").is_some() {
            expected.extend([400, 413, 415, 422]);
        }
        let has_query = operation["parameters"]
            .as_array()
            .is_some_and(|all| all.iter().any(|p| p["in"] == "query"));
        if has_query {
            expected.extend([400, 422]);
        }
        for status in expected {
            if !declares(&operation, status) {
                missing.push(format!("{method} {path}: {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "undeclared: {missing:#?}");
}

#[actix_web::test]
async fn parameters_carry_the_constraints_the_service_enforces() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    let mut wrong = Vec::new();
    for (method, path, operation) in operations(&doc) {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().expect("name");
            let schema = &parameter["schema"];
            let ok = match name {
                id if id.ends_with("Id") => {
                    schema["format"] == "uuid" && schema["pattern"].is_string()
                }
                "limit" => schema["minimum"] == 1 && schema["maximum"] == 500,
                "cursor" | "If-Match" => schema["pattern"].is_string(),
                _ if parameter["in"] == "query" && schema["type"] == "string" => {
                    ["pattern", "format", "enum"]
                        .iter()
                        .any(|k| schema.get(*k).is_some())
                }
                _ => true,
            };
            if parameter["in"] == "path" && !(name.ends_with("Id") && ok) {
                wrong.push(format!("{method} {path}: path parameter {name} {schema}"));
            } else if !ok {
                wrong.push(format!("{method} {path}: {name} {schema}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[actix_web::test]
async fn every_list_names_the_schema_of_its_items() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    let mut lists = 0;
    let mut anonymous = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let body = &operation["responses"]["200"]["content"]["application/json"]["schema"];
        let Some(reference) = body["$ref"].as_str() else {
            continue;
        };
        let schema = component(&doc, reference);
        let items = &schema["properties"]["items"];
        if items["type"] != "array" {
            continue;
        }
        lists += 1;
        let named = items["items"]["$ref"]
            .as_str()
            .is_some_and(|item| component(&doc, item)["type"] == "object");
        if !named || !reference.ends_with("Page") {
            anonymous.push(format!("{method} {path}: {reference} {items}"));
        }
    }
    assert!(lists >= 10, "only {lists} lists found");
    assert!(anonymous.is_empty(), "{anonymous:#?}");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    assert!(
        !schemas.keys().any(|name| name.contains('_')),
        "generic schemas left: {:?}",
        schemas.keys().collect::<Vec<_>>()
    );
}

#[actix_web::test]
async fn an_operations_route_answers_another_method_with_405_and_allow() {
    let app = spawn_app().await;
    let response = app
        .client
        .request(
            reqwest::Method::from_bytes(b"TRACE").expect("method"),
            format!("{}/health/ready", app.address),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.headers()["allow"], "GET");
    assert_problem(response, 405, "METHOD_NOT_ALLOWED").await;
}

#[actix_web::test]
async fn an_empty_cursor_asks_for_the_first_page() {
    let app = spawn_app().await;
    app.customer("Alpha").await;
    app.customer("Beta").await;
    let first = app.get_json("/customers?limit=1", &app.backoffice).await;
    assert!(first["nextCursor"].is_string(), "{first}");
    let empty = app
        .get_json("/customers?limit=1&cursor=", &app.backoffice)
        .await;
    assert_eq!(first, empty);
    let refused = app.get("/customers?cursor=AAAA", &app.backoffice).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[actix_web::test]
async fn every_field_of_a_request_body_states_its_form() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    let mut loose = Vec::new();
    let mut bodies = 0;
    for (method, path, operation) in operations(&doc) {
        let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        let Some(reference) = schema["$ref"].as_str() else {
            continue;
        };
        bodies += 1;
        let body = component(&doc, reference);
        let required = body["required"].as_array().cloned().unwrap_or_default();
        let properties = body["properties"].as_object();
        for (name, property) in properties.into_iter().flatten() {
            // An optional field (`null` allowed) may also be left out.
            let nullable = property["type"]
                .as_array()
                .is_some_and(|t| t.contains(&"null".into()));
            if nullable && required.contains(&name.as_str().into()) {
                loose.push(format!("{method} {path}: {reference} {name} required"));
            }
            let text = property["type"] == "string"
                || property["type"]
                    .as_array()
                    .is_some_and(|t| t.contains(&"string".into()));
            let stated = ["pattern", "format", "enum"]
                .iter()
                .any(|k| property.get(*k).is_some());
            if text && !stated {
                loose.push(format!("{method} {path}: {reference} {name}"));
            }
        }
    }
    assert!(bodies >= 20, "only {bodies} bodies found");
    assert!(loose.is_empty(), "loose fields: {loose:#?}");
}

/// What a pattern of the document accepts, read as the schema's users read it.
fn pattern_of(schema: &Value) -> regex::Regex {
    let pattern = schema["pattern"].as_str().expect("a pattern");
    regex::Regex::new(pattern).expect("the pattern compiles")
}

#[actix_web::test]
async fn texts_the_service_refuses_are_outside_their_patterns() {
    let app = spawn_app().await;
    let doc = served_document(&app).await;
    // Every required text (minLength 1) of a body, and every free text of a query.
    let mut required = 0;
    for schema in doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .values()
    {
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            if property["minLength"].as_u64().is_some_and(|min| min > 0)
                && property.get("pattern").is_some()
            {
                required += 1;
                let pattern = pattern_of(property);
                assert!(pattern.is_match(" Ann Smith "), "{name}: a name");
                for blank in [" ", "\u{3000}\u{a0}", "\u{2003}"] {
                    assert!(!pattern.is_match(blank), "{name} takes {blank:?}");
                }
            }
        }
    }
    assert!(required >= 6, "only {required} required texts");
    let products = &doc["paths"]["/api/v1/orderpath/integrations/auth-required/products"]["get"];
    let search = products["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "search")
        .expect("?search= of products");
    assert!(!pattern_of(&search["schema"]).is_match("cable\u{1}"));

    // The service agrees: a blank name is refused, naming the field.
    let blank = serde_json::json!({"name": "\u{3000} ", "role": "integration"});
    let refused = app.post("/tokens", &app.backoffice, blank).await;
    assert_problem(refused, 422, "VALIDATION_FAILED").await;
}
