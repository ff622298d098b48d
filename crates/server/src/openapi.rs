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
