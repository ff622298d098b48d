//! The frame of the OpenAPI document: its info and the bearer security scheme. The paths
//! and their schemas are not listed here: the app collects them from the handlers'
//! annotations as it registers the routes (see [`crate::app`]), so the document cannot
//! describe a route that is not served, nor miss one that is. Swagger UI renders it from
//! assets compiled into the binary (no CDN: it works offline).

use actix_web::http::Method;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "orderpath", description = "The order path of a B2B sales platform: catalog, customers, carts, offers, orders and webhooks."),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

const BEARER: &str = "bearer";

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document before any route is registered.
pub fn frame() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Marks every operation below `prefix` as needing the bearer token: every API route but
/// sign-in does, so it is said here once rather than on each handler.
pub fn require_bearer_below(document: &mut utoipa::openapi::OpenApi, prefix: &str) {
    let items = document
        .paths
        .paths
        .iter_mut()
        .filter(|(path, _)| path.starts_with(prefix))
        .map(|(_, item)| item);
    for item in items {
        for (_, operation) in operation_slots(item) {
            // An operation that states its own security (`security(())` for a public one,
            // such as signing in) keeps it.
            if let Some(operation) = operation.as_mut().filter(|o| o.security.is_none()) {
                operation.security =
                    Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
            }
        }
    }
}

/// The operation slot of each method of a path item; a method the path does not answer has
/// an empty slot.
pub fn operation_slots(item: &mut PathItem) -> [(Method, &mut Option<Operation>); 8] {
    [
        (Method::GET, &mut item.get),
        (Method::PUT, &mut item.put),
        (Method::POST, &mut item.post),
        (Method::DELETE, &mut item.delete),
        (Method::OPTIONS, &mut item.options),
        (Method::HEAD, &mut item.head),
        (Method::PATCH, &mut item.patch),
        (Method::TRACE, &mut item.trace),
    ]
}

const REPLAYED_DESCRIPTION: &str =
    "`true` when this is the answer kept for the Idempotency-Key, given again";

/// Declares `Idempotency-Key` on every `POST` below `prefix` but those of `never_kept`
/// (paths below `prefix`), with the replay header and the 409 and 422 it may answer, so it
/// is said here once rather than on each handler (see `api::idempotency`).
pub fn declare_idempotency_key(
    document: &mut utoipa::openapi::OpenApi,
    prefix: &str,
    never_kept: &[&str],
) {
    let key = ParameterBuilder::new()
        .name(crate::api::idempotency::KEY_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Makes the request safe to repeat: the first answer to this key is kept (see docs/api.md, Idempotency). 1 to 255 visible ASCII characters.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(crate::api::idempotency::MAX_KEY_CHARS))
                .pattern(Some("^[!-~]+$")),
        ))
        .build();
    let problem = || {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build()
    };
    let items = document
        .paths
        .paths
        .iter_mut()
        .filter(|(path, _)| {
            path.strip_prefix(prefix)
                .is_some_and(|route| !never_kept.contains(&route))
        })
        .map(|(_, item)| item);
    for item in items {
        let Some(operation) = item.post.as_mut() else {
            continue;
        };
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .push(key.clone());
        let responses = &mut operation.responses.responses;
        for (status, when) in [
            (
                "400",
                "The Idempotency-Key is malformed (VALIDATION_FAILED)",
            ),
            (
                "409",
                "A request with the same Idempotency-Key is still running (IDEMPOTENCY_KEY_IN_USE)",
            ),
            (
                "422",
                "The Idempotency-Key was used for another request (IDEMPOTENCY_KEY_REUSED)",
            ),
        ] {
            responses.entry(status.to_string()).or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(when)
                        .content("application/problem+json", problem())
                        .build(),
                )
            });
        }
        for response in responses.values_mut() {
            if let RefOr::T(response) = response {
                response.headers.insert(
                    crate::api::idempotency::REPLAYED_HEADER.to_string(),
                    HeaderBuilder::new()
                        .schema(
                            ObjectBuilder::new()
                                .schema_type(Type::String)
                                .enum_values(Some(["true"])),
                        )
                        .description(Some(REPLAYED_DESCRIPTION))
                        .build(),
                );
            }
        }
    }
}

/// Makes the document say exactly what the service answers, once for every operation
/// rather than on each handler: the error statuses each operation can answer, all as
/// `application/problem+json`; the constraints the service enforces on parameters and
/// bodies; and a named page schema per listed resource. See `docs/api.md` (The OpenAPI document).
pub fn declare_answers(document: &utoipa::openapi::OpenApi, api_prefix: &str) -> serde_json::Value {
    // Worked on as JSON: the typed document cannot state everything the service does
    // (a decimal is a string or a number).
    let mut value = serde_json::to_value(document).expect("the document serialises");
    contract::declare(&mut value, api_prefix);
    value
}

mod contract {
    use serde_json::{json, Map, Value};

    use orderpath_core::page::MAX_LIMIT;

    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    const PROBLEM_JSON: &str = "application/problem+json";
    const PROBLEM: &str = "#/components/schemas/Problem";
    /// A decimal as the service reads it from a string (`docs/api.md`, Decimals).
    pub const DECIMAL_PATTERN: &str = r"^-?[0-9]{1,20}(\.[0-9]{1,8})?$";
    const UUID_PATTERN: &str =
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    const DATE_TIME_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";
    /// A text without control characters (Unicode `Cc`).
    const TEXT_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";
    /// A required text: no control characters, and not only white space (the service trims
    /// texts; the class is Rust's `White_Space` beyond the control characters).
    const NON_BLANK_TEXT_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*[^\u0000-\u001F\u007F-\u009F \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u001F\u007F-\u009F]*$";
    /// Free text: tab and line feed allowed.
    const FREE_TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$";
    /// An `If-Match` value the service reads: `*`, or a version as an ETag.
    const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#;
    /// A cursor is base64url without padding; the empty cursor is the first page.
    const CURSOR_PATTERN: &str = "^[A-Za-z0-9_-]*$";

    pub fn declare(document: &mut Value, api_prefix: &str) {
        let pages = name_pages(document);
        if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, item) in paths.iter_mut() {
                let api = path.starts_with(api_prefix);
                let templated = path.contains('{');
                for method in METHODS {
                    if let Some(operation) = item.get_mut(method) {
                        public_without_requirement(operation);
                        constrain_parameters(operation);
                        declare_statuses(operation, api, templated);
                        problem_json(operation);
                        rename_refs(operation, &pages);
                    }
                }
            }
        }
        constrain_bodies(document);
        pattern_uuids(document);
    }

    /// A uuid is read in its hyphenated form, a time as RFC 3339; `format` alone is only
    /// an annotation in OpenAPI 3.1, so a pattern says it.
    fn pattern_uuids(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("format").is_some_and(|f| f == "uuid") {
                    map.insert("pattern".into(), json!(UUID_PATTERN));
                }
                if map.get("format").is_some_and(|f| f == "date-time") {
                    map.insert("pattern".into(), json!(DATE_TIME_PATTERN));
                }
                map.values_mut().for_each(pattern_uuids);
            }
            Value::Array(items) => items.iter_mut().for_each(pattern_uuids),
            _ => {}
        }
    }

    /// A public operation (`security(())` on its handler) states "no security" as an empty
    /// list rather than one empty requirement, which generators read as "authenticated".
    fn public_without_requirement(operation: &mut Value) {
        let public = operation
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().all(|r| r.as_object().is_some_and(Map::is_empty)));
        if public {
            operation["security"] = json!([]);
        }
    }

    fn status_line(status: u16) -> &'static str {
        actix_web::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error")
    }

    /// The error statuses an operation can answer besides those its handler declares.
    fn declare_statuses(operation: &mut Value, api: bool, templated: bool) {
        let has_body = operation.get("requestBody").is_some();
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let bearer = operation["security"].as_array().is_some_and(|all| {
            all.iter()
                .any(|r| r.as_object().is_some_and(|r| !r.is_empty()))
        });
        let query = parameters.iter().any(|p| p["in"] == "query");
        let mut statuses = vec![405];
        if api {
            if has_body || !parameters.is_empty() {
                statuses.push(400);
            }
            if bearer {
                statuses.extend([401, 403]);
            }
            if templated {
                statuses.push(404);
            }
            if has_body {
                statuses.extend([413, 415]);
            }
            if has_body || query {
                statuses.push(422);
            }
            statuses.push(503);
        }
        let responses = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .expect("every operation has responses");
        for status in statuses {
            responses
                .entry(status.to_string())
                .or_insert_with(|| json!({ "description": status_line(status) }));
        }
        if let Some(not_allowed) = responses.get_mut("405") {
            not_allowed["headers"] = json!({ "Allow": {
                "description": "The methods this path answers.",
                "required": true,
                "schema": { "type": "string" }
            }});
        }
    }

    /// Every 4xx and 5xx answer is a problem document.
    fn problem_json(operation: &mut Value) {
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        for (status, response) in responses.iter_mut() {
            if status.starts_with('4') || status.starts_with('5') {
                let described = response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty());
                if !described {
                    let code = status.parse().unwrap_or(0);
                    response["description"] = json!(status_line(code));
                }
                response["content"] = json!({ PROBLEM_JSON: { "schema": { "$ref": PROBLEM } } });
            }
        }
    }

    fn constrain_parameters(operation: &mut Value) {
        let Some(parameters) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        else {
            return;
        };
        for parameter in parameters {
            let name = parameter["name"].as_str().unwrap_or_default().to_string();
            let in_query = parameter["in"] == "query";
            let schema = &mut parameter["schema"];
            match name.as_str() {
                "limit" => {
                    schema["minimum"] = json!(1);
                    schema["maximum"] = json!(MAX_LIMIT);
                }
                "cursor" => schema["pattern"] = json!(CURSOR_PATTERN),
                "If-Match" => {
                    *schema = json!({ "type": "string", "pattern": IF_MATCH_PATTERN });
                }
                id if id.ends_with("Id") => {
                    *schema = json!({ "type": "string", "format": "uuid" });
                }
                // A text parameter refuses control characters like a text of a body.
                _ if in_query && is_plain_text(schema) => {
                    schema["pattern"] = json!(TEXT_PATTERN);
                }
                _ => {}
            }
        }
    }

    /// Generic pages (`PageResponse_ProductResponse`) become one named schema per
    /// resource (`ProductPage`) whose items refer to the resource's own schema. Returns
    /// the renames.
    fn name_pages(document: &mut Value) -> Vec<(String, String)> {
        let Some(schemas) = document
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(Value::as_object_mut)
        else {
            return Vec::new();
        };
        let generic: Vec<String> = schemas
            .keys()
            .filter(|name| name.starts_with("PageResponse_"))
            .cloned()
            .collect();
        let mut renames = Vec::new();
        for old in generic {
            let item = old.trim_start_matches("PageResponse_").to_string();
            if !schemas.contains_key(&item) {
                continue;
            }
            let new = format!("{}Page", item.trim_end_matches("Response"));
            let mut page = schemas.remove(&old).expect("listed above");
            page["description"] = json!(format!(
                "A page of {item}: `items`, and `nextCursor` to ask for the next page (null after the last)."
            ));
            page["properties"]["items"] = json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } });
            schemas.insert(new.clone(), page);
            renames.push((
                format!("#/components/schemas/{old}"),
                format!("#/components/schemas/{new}"),
            ));
        }
        renames
    }

    fn rename_refs(value: &mut Value, renames: &[(String, String)]) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get_mut("$ref") {
                    if let Some((_, new)) = renames.iter().find(|(old, _)| old == target) {
                        *target = new.clone();
                    }
                }
                map.values_mut().for_each(|v| rename_refs(v, renames));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, renames)),
            _ => {}
        }
    }

    /// Constraints of request bodies that the handlers' types cannot state.
    fn constrain_bodies(document: &mut Value) {
        let requests = request_schemas(document);
        let Some(schemas) = document
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        for (name, schema) in schemas.iter_mut() {
            if !name.ends_with("Response") && !name.ends_with("Page") {
                constrain_decimals(schema);
            }
            if requests.contains(name) {
                constrain_texts(schema);
            }
        }
    }

    /// The schemas request bodies use, directly or through other schemas.
    fn request_schemas(document: &Value) -> std::collections::BTreeSet<String> {
        let mut found = std::collections::BTreeSet::new();
        let mut pending = Vec::new();
        for item in document["paths"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
        {
            for method in METHODS {
                collect_refs(&item[method]["requestBody"], &mut pending);
            }
        }
        while let Some(name) = pending.pop() {
            if found.insert(name.clone()) {
                collect_refs(&document["components"]["schemas"][&name], &mut pending);
            }
        }
        found
    }

    fn collect_refs(value: &Value, names: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    names.push(name.to_string());
                }
                map.values().for_each(|v| collect_refs(v, names));
            }
            Value::Array(items) => items.iter().for_each(|v| collect_refs(v, names)),
            _ => {}
        }
    }

    /// A text of a request refuses control characters; free text may hold tab and line
    /// feed (see `api::body`).
    fn constrain_texts(schema: &mut Value) {
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            if is_plain_text(property) {
                let free = crate::api::body::FREE_TEXT.contains(&name.as_str());
                let required = property["minLength"].as_u64().is_some_and(|min| min > 0);
                let pattern = match (free, required) {
                    (true, _) => FREE_TEXT_PATTERN,
                    (false, true) => NON_BLANK_TEXT_PATTERN,
                    (false, false) => TEXT_PATTERN,
                };
                property["pattern"] = json!(pattern);
            }
        }
    }

    /// A decimal field is a string whose example is a decimal: the service reads it from a
    /// string with the decimal pattern, or from a JSON number.
    fn constrain_decimals(schema: &mut Value) {
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for property in properties.values_mut() {
            decimal(property);
            // A list of decimals carries its example on the list.
            let example = property
                .get("example")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
                .cloned();
            if let (Some(items), Some(example)) = (property.get_mut("items"), example) {
                if items.get("example").is_none() {
                    items["example"] = example;
                }
                decimal(items);
            }
        }
    }

    fn decimal(property: &mut Value) {
        let Some(object) = property.as_object_mut() else {
            return;
        };
        if is_string(object)
            && object
                .get("example")
                .and_then(Value::as_str)
                .is_some_and(looks_decimal)
        {
            let nullable = matches!(object.get("type"),
                Some(Value::Array(types)) if types.iter().any(|t| t == "null"));
            object.remove("type");
            let mut forms = decimal_forms();
            if nullable {
                forms.push(json!({ "type": "null" }));
            }
            object.insert("anyOf".into(), Value::Array(forms));
        }
    }

    /// The forms of a decimal the service reads: a string of the decimal pattern, a JSON
    /// integer within a decimal's range, or a JSON number written without an exponent (as
    /// JSON writers do from 0.0001 up to 10^16).
    fn decimal_forms() -> Vec<Value> {
        let number = |text: String| text.parse::<serde_json::Number>().expect("a number");
        let max = rust_decimal::Decimal::MAX;
        vec![
            json!({ "type": "string", "pattern": DECIMAL_PATTERN }),
            json!({ "type": "integer", "minimum": number(format!("-{max}")), "maximum": number(max.to_string()) }),
            json!({ "type": "number", "minimum": 0.0001, "exclusiveMaximum": 1e16 }),
            json!({ "type": "number", "maximum": -0.0001, "exclusiveMinimum": -1e16 }),
        ]
    }

    /// A string that no pattern, format or enum constrains yet.
    fn is_plain_text(schema: &Value) -> bool {
        schema.as_object().is_some_and(|object| {
            is_string(object)
                && !["pattern", "format", "enum", "anyOf"]
                    .iter()
                    .any(|k| object.contains_key(*k))
        })
    }

    fn is_string(object: &Map<String, Value>) -> bool {
        match object.get("type") {
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
            _ => false,
        }
    }

    fn looks_decimal(text: &str) -> bool {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
        !whole.is_empty()
            && !fraction.is_empty()
            && whole
                .chars()
                .chain(fraction.chars())
                .all(|c| c.is_ascii_digit())
    }
}
