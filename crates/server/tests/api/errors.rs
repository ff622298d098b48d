//! Bad input: every answer is a 4xx problem+json with a stable `code`,
//! naming the field at fault, and the cart it was aimed at stays exactly as it was.

use reqwest::{Method, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{id, spawn_app, TestApp};

/// A cart with one line, and products that cannot go into it for various reasons.
struct Fixture {
    app: TestApp,
    cart: String,
    line: String,
    product: Uuid,
    cable: Uuid,
    inactive: Uuid,
    dollars: Uuid,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let customer = app.customer("ACME").await;
    let product = app.product(json!({})).await;
    let cable = app.cable("4.80", "3.10").await;
    let inactive = app.product(json!({"active": false})).await;
    let dollars = app.product(json!({"currency": "USD"})).await;
    let cart = app.cart(customer).await;
    let cart = app.add(&cart, product, "UNIT", "2").await;
    Fixture {
        cart: id(&cart),
        line: id(&cart["lines"][0]),
        app,
        product,
        cable,
        inactive,
        dollars,
    }
}

/// One bad request and the problem it must get: by default 400 `VALIDATION_FAILED`.
struct Case {
    method: Method,
    path: String,
    content_type: Option<&'static str>,
    header: Option<(&'static str, &'static str)>,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
    field: Option<&'static str>,
}

fn case(method: Method, path: impl Into<String>, body: impl Into<Vec<u8>>) -> Case {
    Case {
        method,
        path: path.into(),
        content_type: Some("application/json"),
        header: None,
        body: body.into(),
        status: 400,
        code: "VALIDATION_FAILED",
        field: None,
    }
}

impl Case {
    /// 400: the input could not be read as the request; `field` is at fault.
    fn bad(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    /// 422: the request was read, but breaks a rule about `field`.
    fn invalid(mut self, field: &'static str) -> Self {
        (self.status, self.field) = (422, Some(field));
        self
    }

    fn is(mut self, status: u16, code: &'static str) -> Self {
        (self.status, self.code) = (status, code);
        self
    }
}

impl Fixture {
    fn add(&self, body: impl Into<Vec<u8>>) -> Case {
        case(Method::POST, format!("/carts/{}/products", self.cart), body)
    }

    fn add_json(&self, body: Value) -> Case {
        self.add(body.to_string())
    }

    fn add_quantity(&self, product: Uuid, kind: &str, value: Value) -> Case {
        self.add_json(json!({"productId": product, "quantity": {"type": kind, "value": value}}))
    }

    /// A valid add-product body.
    fn good_body(&self) -> String {
        json!({"productId": self.product, "quantity": {"type": "UNIT", "value": "1"}}).to_string()
    }

    async fn cart_now(&self) -> Value {
        let path = format!("/carts/{}", self.cart);
        self.app.get_json(&path, &self.app.backoffice).await
    }

    /// Sends a case; returns a description of it for messages, and the answer.
    async fn send(&self, case: &Case) -> (String, Response) {
        let shown = String::from_utf8_lossy(&case.body[..case.body.len().min(120)]);
        let what = format!("{} {} {shown}", case.method, case.path);
        let mut request = self
            .app
            .client
            .request(case.method.clone(), self.app.url(&case.path))
            .bearer_auth(&self.app.backoffice)
            .body(case.body.clone());
        if let Some(content_type) = case.content_type {
            request = request.header("Content-Type", content_type);
        }
        if let Some((name, value)) = case.header {
            request = request.header(name, value);
        }
        let response = request.send().await;
        (
            what.clone(),
            response.unwrap_or_else(|e| panic!("{what}: {e}")),
        )
    }

    /// Sends each case and checks its problem, and that the cart did not change.
    async fn check(&self, cases: Vec<Case>) {
        let before = self.cart_now().await;
        for case in cases {
            let (what, response) = self.send(&case).await;
            let status = response.status();
            assert!(!status.is_server_error(), "{what}: {status}");
            let content_type = response.headers().get("content-type").cloned();
            let problem: Value = response
                .json()
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(status.as_u16(), case.status, "{what}: {problem}");
            let content_type = content_type.as_ref().and_then(|v| v.to_str().ok());
            assert_eq!(content_type, Some("application/problem+json"), "{what}");
            assert_eq!(problem["code"], case.code, "{what}: {problem}");
            assert_eq!(problem["status"], case.status, "{what}: {problem}");
            let detail = problem["detail"].as_str().unwrap_or_default();
            assert!(!detail.is_empty(), "{what}: {problem}");
            if let Some(field) = case.field {
                let errors = problem["errors"].as_array().cloned().unwrap_or_default();
                let named = errors.iter().any(|e| e["field"] == field);
                assert!(named, "{what}: wanted {field} in {problem}");
            }
            let after = self.cart_now().await;
            assert_eq!(
                after["version"], before["version"],
                "{what} changed the cart"
            );
            assert_eq!(after["lines"].as_array().map(Vec::len), Some(1), "{what}");
            assert_eq!(after, before, "{what} changed the cart");
        }
    }
}

#[actix_web::test]
async fn unreadable_bodies_are_bad_requests_naming_the_field() {
    let fx = fixture().await;
    let p = fx.product;
    let unit = |value: Value| fx.add_quantity(p, "UNIT", value);
    let one = json!({"type": "UNIT", "value": "1"});
    fx.check(vec![
        fx.add(r#"{"productId": "#),
        fx.add(""),
        fx.add("[]").bad("body"),
        unit(json!(true)).bad("quantity.value"),
        unit(json!("two")).bad("quantity.value"),
        fx.add_quantity(p, "BOX", json!("1")).bad("quantity.type"),
        fx.add_json(json!({"quantity": one})).bad("productId"),
        fx.add_json(json!({"productId": p})).bad("quantity"),
        fx.add_json(json!({"productId": "nope", "quantity": one}))
            .bad("productId"),
        fx.add_json(json!({"productId": p, "quantity": one, "removable": "yes"}))
            .bad("removable"),
    ])
    .await;
}

#[actix_web::test]
async fn a_json_array_is_not_a_request_object() {
    let fx = fixture().await;
    let positional = json!([fx.product, {"type": "UNIT", "value": "1"}, null, null, null]);
    fx.check(vec![fx.add_json(positional).bad("body")]).await;
}

#[actix_web::test]
async fn lines_breaking_the_rules_are_refused_naming_the_field() {
    let fx = fixture().await;
    let (p, cable) = (fx.product, fx.cable);
    let unit = |product: Uuid, value: Value| fx.add_quantity(product, "UNIT", value);
    let metres =
        |product: Uuid, value: &str| fx.add_quantity(product, "CONTENT_QUANTITY", json!(value));
    let number = format!(r#"{{"productId": "{p}", "quantity": {{"type": "UNIT", "value": 1.5}}}}"#);
    fx.check(vec![
        unit(Uuid::new_v4(), json!("1")).invalid("productId"),
        unit(p, json!("0")).invalid("quantity.value"),
        unit(p, json!(0)).invalid("quantity.value"),
        unit(p, json!("-1")).invalid("quantity.value"),
        unit(p, json!("1.5")).invalid("quantity.value"),
        fx.add(number).invalid("quantity.value"),
        metres(cable, "1.2345").invalid("quantity.value"),
        metres(cable, "-0.5").invalid("quantity.value"),
        metres(p, "1").invalid("quantity.type"),
        unit(cable, json!("1")).invalid("quantity.type"),
        unit(fx.inactive, json!("1")).invalid("productId"),
        unit(fx.dollars, json!("1")).invalid("productId"),
    ])
    .await;
}

#[actix_web::test]
async fn huge_numbers_are_client_errors() {
    let fx = fixture().await;
    let digits = "9".repeat(100);
    let mut cases = Vec::new();
    // Beyond what a decimal holds, or in exponent form: unreadable, 400. 10^28 written out
    // is read, and is too large: 422.
    let unreadable = [
        "1e999999",
        "1E-999999",
        "1e28",
        &digits,
        &format!("0.{digits}"),
        &"9".repeat(39),
        "79228162514264337593543950336",
    ];
    let ten_to_28 = format!("1{}", "0".repeat(28));
    let read = [ten_to_28.as_str()];
    for (value, readable) in unreadable
        .iter()
        .map(|v| (*v, false))
        .chain(read.iter().map(|v| (*v, true)))
    {
        let p = fx.product;
        let text =
            format!(r#"{{"productId": "{p}", "quantity": {{"type": "UNIT", "value": {value}}}}}"#);
        for case in [fx.add_quantity(p, "UNIT", json!(value)), fx.add(text)] {
            cases.push(if readable {
                case.invalid("quantity.value")
            } else {
                case.bad("quantity.value")
            });
        }
    }
    fx.check(cases).await;
}

#[actix_web::test]
async fn bad_paths_and_routes_are_problems() {
    let fx = fixture().await;
    let (cart, line, body) = (&fx.cart, &fx.line, fx.good_body());
    let quantity = json!({"quantity": {"type": "UNIT", "value": "5"}}).to_string();
    let unknown = Uuid::new_v4();
    let (get, post, patch, delete) = (Method::GET, Method::POST, Method::PATCH, Method::DELETE);
    fx.check(vec![
        case(get.clone(), "/carts/not-a-uuid", "").bad("cartId"),
        case(post.clone(), "/carts/not-a-uuid/products", body.clone()).bad("cartId"),
        case(delete.clone(), format!("/carts/{cart}/lines/nope"), "").bad("lineId"),
        case(get.clone(), format!("/carts/{unknown}"), "").is(404, "NOT_FOUND"),
        case(post, format!("/carts/{unknown}/products"), body.clone()).is(404, "NOT_FOUND"),
        case(
            patch.clone(),
            format!("/carts/{cart}/lines/{unknown}"),
            quantity.clone(),
        )
        .is(404, "NOT_FOUND"),
        case(delete.clone(), format!("/carts/{cart}/lines/{unknown}"), "").is(404, "NOT_FOUND"),
        case(patch, format!("/carts/{unknown}/lines/{line}"), quantity).is(404, "NOT_FOUND"),
        case(get, "/no-such-thing", "").is(404, "NOT_FOUND"),
        case(delete, format!("/carts/{cart}"), "").is(405, "METHOD_NOT_ALLOWED"),
        case(Method::PUT, format!("/carts/{cart}/products"), body).is(405, "METHOD_NOT_ALLOWED"),
    ])
    .await;
    let outside = format!("{}/no-such-thing", fx.app.address);
    let response = fx.app.client.get(outside).send().await.expect("request");
    crate::helpers::assert_problem(response, 404, "NOT_FOUND").await;
}

#[actix_web::test]
async fn bodies_of_the_wrong_type_or_size_and_bad_preconditions_are_refused() {
    let fx = fixture().await;
    let mut plain = fx.add(fx.good_body()).is(415, "UNSUPPORTED_MEDIA_TYPE");
    plain.content_type = Some("text/plain");
    let mut untyped = fx.add(fx.good_body()).is(415, "UNSUPPORTED_MEDIA_TYPE");
    untyped.content_type = None;
    let mut huge = format!(r#"{{"productId": "{}", "padding": ""#, fx.product).into_bytes();
    huge.resize(2 * 1024 * 1024, b'x');
    huge.extend_from_slice(br#"", "quantity": {"type": "UNIT", "value": "1"}}"#);
    let mut garbled = fx.add(fx.good_body()).bad("If-Match");
    garbled.header = Some(("If-Match", "yesterday"));
    let mut stale = fx.add(fx.good_body()).is(412, "VERSION_MISMATCH");
    stale.header = Some(("If-Match", "\"0\""));
    fx.check(vec![
        plain,
        untyped,
        fx.add(huge).is(413, "PAYLOAD_TOO_LARGE"),
        garbled,
        stale,
    ])
    .await;
}

#[actix_web::test]
async fn bad_line_changes_and_carts_are_refused() {
    let fx = fixture().await;
    let path = format!("/carts/{}/lines/{}", fx.cart, fx.line);
    let patch = |quantity: Value| {
        let body = json!({"quantity": quantity}).to_string();
        case(Method::PATCH, path.clone(), body)
    };
    let cart = |customer: Uuid, source: &str| {
        let body = json!({"customerId": customer, "source": source}).to_string();
        case(Method::POST, "/carts", body)
    };
    fx.check(vec![
        patch(json!({"type": "UNIT", "value": "0"})).invalid("quantity.value"),
        patch(json!({"type": "UNIT", "value": "2.5"})).invalid("quantity.value"),
        patch(json!({"type": "CONTENT_QUANTITY", "value": "2.5"})).invalid("quantity.type"),
        patch(json!({"type": "UNIT"})).bad("quantity.value"),
        patch(json!(null)).bad("quantity"),
        cart(Uuid::new_v4(), "OFE").invalid("customerId"),
        cart(Uuid::new_v4(), "FAX").bad("source"),
    ])
    .await;
}
