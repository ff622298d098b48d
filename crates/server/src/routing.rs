//! Which methods each registered path answers, read back from the OpenAPI document that
//! the route registration produced, so that a known path asked with another method
//! answers 405 with `Allow` without a second list of routes.
//!
//! Each handler registers its own actix resource guarded by its method, so a request with
//! another method matches no resource at all; this table tells such a request apart from
//! one for an unknown path.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};
use utoipa::openapi::path::PathItem;
use utoipa::openapi::OpenApi;

use crate::api::error::ApiError;
use crate::openapi::operation_slots;

/// The path templates of the routes, each with the methods it answers.
pub struct RouteTable {
    routes: Vec<Route>,
}

struct Route {
    /// The template's segments after its leading `/`: `None` for a `{…}` one.
    segments: Vec<Option<String>>,
    /// `{…}` segments: where templates overlap (`/webhooks/test`, `/webhooks/{webhookId}`)
    /// the one with fewer of them owns the path, as the literal route is registered first.
    variables: usize,
    methods: Vec<Method>,
}

impl Route {
    fn new(template: &str, methods: Vec<Method>) -> Self {
        let segments: Vec<Option<String>> = template
            .trim_start_matches('/')
            .split('/')
            .map(|segment| (!segment.starts_with('{')).then(|| segment.to_string()))
            .collect();
        Route {
            variables: segments.iter().filter(|s| s.is_none()).count(),
            segments,
            methods,
        }
    }

    /// Whether `path` fits the template: as many segments, the literal ones equal, the
    /// `{…}` ones not empty. Compared segment by segment rather than with a pattern,
    /// because every request is checked against every route.
    fn matches(&self, path: &str) -> bool {
        let mut given = path.trim_start_matches('/').split('/');
        let fits = self
            .segments
            .iter()
            .all(|template| match (template, given.next()) {
                (Some(literal), Some(segment)) => literal == segment,
                (None, Some(segment)) => !segment.is_empty(),
                (_, None) => false,
            });
        fits && given.next().is_none()
    }
}

impl RouteTable {
    /// Every path of `document`, with the methods it documents.
    pub fn from_document(document: &OpenApi) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| Route::new(path, methods(item)))
            .collect();
        RouteTable { routes }
    }

    /// The methods of the route that owns `path`, or `None` when no route does.
    pub fn methods_of(&self, path: &str) -> Option<&[Method]> {
        self.routes
            .iter()
            .filter(|route| route.matches(path))
            .min_by_key(|route| route.variables)
            .map(|route| route.methods.as_slice())
    }
}

fn methods(item: &PathItem) -> Vec<Method> {
    operation_slots(&mut item.clone())
        .into_iter()
        .filter_map(|(method, operation)| operation.is_some().then_some(method))
        .collect()
}

/// Middleware: a request for a known path with a method that path does not answer gets
/// 405 problem+json listing the path's methods in `Allow`; every other request goes on.
/// Needs the [`RouteTable`] as app data.
pub async fn reject_unsupported_methods(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let allowed = req
        .app_data::<web::Data<RouteTable>>()
        .and_then(|table| table.methods_of(req.match_info().as_str()))
        .filter(|methods| !methods.contains(req.method()))
        .map(<[Method]>::to_vec);
    match allowed {
        Some(allowed) => {
            let response = ApiError::MethodNotAllowed { allowed }.error_response();
            Ok(req.into_response(response))
        }
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathsBuilder};
    use utoipa::openapi::OpenApiBuilder;

    use super::*;

    fn table(routes: &[(&str, HttpMethod)]) -> RouteTable {
        let paths = routes
            .iter()
            .fold(PathsBuilder::new(), |paths, (path, method)| {
                paths.path(
                    *path,
                    PathItem::new(method.clone(), OperationBuilder::new().build()),
                )
            });
        RouteTable::from_document(&OpenApiBuilder::new().paths(paths).build())
    }

    #[test]
    fn a_path_answers_the_methods_of_its_template() {
        let table = table(&[
            ("/offers/{offerId}", HttpMethod::Get),
            ("/offers/{offerId}", HttpMethod::Patch),
            ("/offers", HttpMethod::Get),
        ]);
        assert_eq!(
            table.methods_of("/offers/42"),
            Some([Method::GET, Method::PATCH].as_slice())
        );
        assert_eq!(table.methods_of("/offers"), Some([Method::GET].as_slice()));
        assert_eq!(table.methods_of("/offers/42/lines"), None);
        assert_eq!(table.methods_of("/offer"), None);
        assert_eq!(table.methods_of("/offers/"), None, "an empty id is no id");
        assert_eq!(table.methods_of("/offers/42/"), None);
        assert_eq!(table.methods_of("/"), None);
    }

    #[test]
    fn a_literal_segment_owns_its_path_over_a_variable_one() {
        let table = table(&[
            ("/webhooks/{webhookId}", HttpMethod::Get),
            ("/webhooks/test", HttpMethod::Post),
        ]);
        assert_eq!(
            table.methods_of("/webhooks/test"),
            Some([Method::POST].as_slice())
        );
        assert_eq!(
            table.methods_of("/webhooks/7"),
            Some([Method::GET].as_slice())
        );
    }
}
