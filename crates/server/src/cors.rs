//! Cross-origin requests from browsers: a frontend served from another origin may call
//! the API when its origin is listed in `ORDERPATH_CORS_ORIGINS`. Without origins the
//! middleware is off and every answer stays as it would be without it.

use actix_cors::Cors;
use actix_web::http::header;
use actix_web::middleware::Condition;
use url::Url;

/// How long a browser may keep a preflight's answer.
const PREFLIGHT_MAX_AGE_SECS: usize = 3600;

/// The CORS middleware for `origins` (as [`parse_origins`] returns them). Requests from
/// other origins are served as usual, without CORS headers, so the browser refuses them;
/// clients that are not browsers are unaffected.
pub fn middleware(origins: &[String]) -> Condition<Cors> {
    let cors = origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::ETAG,
            header::ALLOW,
            header::RETRY_AFTER,
            header::HeaderName::from_static("offer-opened-emitted"),
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(PREFLIGHT_MAX_AGE_SECS)
        .block_on_origin_mismatch(false);
    Condition::new(!origins.is_empty(), cors)
}

/// Reads a comma-separated list of origins (`https://app.example.com,
/// http://localhost:5173`) into the form browsers send in `Origin`: scheme, host and a
/// port other than the scheme's default, lower-cased, no trailing slash. Blank items are
/// skipped.
pub fn parse_origins(list: &str) -> Result<Vec<String>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(parse_origin)
        .collect()
}

fn parse_origin(item: &str) -> Result<String, String> {
    let refuse = || format!("{item:?} is not an origin such as https://app.example.com");
    let url = Url::parse(item).map_err(|_| refuse())?;
    let bare = matches!(url.scheme(), "http" | "https")
        && url.has_host()
        && url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none();
    if !bare {
        return Err(refuse());
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::parse_origins;

    #[test]
    fn origins_are_read_as_browsers_send_them() {
        assert_eq!(
            parse_origins(" https://App.Example.com , http://localhost:5173,,https://x.io:443/"),
            Ok(vec![
                "https://app.example.com".to_string(),
                "http://localhost:5173".to_string(),
                "https://x.io".to_string(),
            ])
        );
        assert_eq!(parse_origins(""), Ok(Vec::new()));
    }

    #[test]
    fn anything_but_a_bare_origin_is_refused() {
        for bad in [
            "*",
            "app.example.com",
            "ftp://files.example.com",
            "https://app.example.com/app",
            "https://app.example.com?x=1",
            "https://app.example.com?",
            "https://app.example.com#top",
            "https://user@app.example.com",
        ] {
            assert!(parse_origins(bad).is_err(), "{bad}");
        }
    }
}
