//! The two web apps of docs/pages.md: the backoffice console at `/backoffice/` and the
//! customers' store at `/store/`, with the code they share at `/common/`. Every file is
//! compiled into the binary (release builds embed the `pages/` folder; debug builds read it
//! from the source tree, so a page edit needs no rebuild). The pages use the public API
//! only, as any other client does; nothing is fetched from another origin, and the
//! Content-Security-Policy says so to the browser.

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Compress;
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

use actix_web::ResponseError;

use crate::api::error::ApiError;

#[derive(RustEmbed)]
#[folder = "pages/"]
struct Pages;

/// Scripts, styles, images and API calls come from this origin only; no inline script, no
/// framing by another site.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The apps' routes: each app's folder, its index at the bare path, and the shared code.
/// The files are compressed when the browser accepts it (brotli, gzip or zstd): a first load
/// transfers about a third of the bytes (docs/pages.md, Budgets). API responses are not.
pub fn configure(config: &mut web::ServiceConfig) {
    for app in ["backoffice", "store"] {
        config.route(&format!("/{app}"), web::get().to(move || to_index(app)));
    }
    for folder in ["backoffice", "store", "common"] {
        config.service(
            web::resource(format!("/{folder}/{{file:.*}}"))
                .wrap(Compress::default())
                .route(web::get().to(move |req, path| file(req, folder, path))),
        );
    }
}

async fn to_index(app: &'static str) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, format!("/{app}/")))
        .finish()
}

/// One file of an app; the app's `index.html` for its bare folder. The ETag is the file's
/// hash, so a browser revalidates cheaply and never keeps a stale script after an upgrade.
async fn file(req: HttpRequest, app: &'static str, path: web::Path<String>) -> HttpResponse {
    let file = path.into_inner();
    let name = if file.is_empty() {
        format!("{app}/index.html")
    } else {
        format!("{app}/{file}")
    };
    let Some(found) = Pages::get(&name) else {
        return ApiError::RouteNotFound.error_response();
    };
    let etag = format!("\"{}\"", hex::encode(&found.metadata.sha256_hash()[..16]));
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|given| given.as_bytes() == etag.as_bytes());
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CONTENT_TYPE, content_type(&name)))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    if unchanged {
        return response.finish();
    }
    response.body(found.data.into_owned())
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}
