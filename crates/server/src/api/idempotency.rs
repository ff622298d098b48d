//! `Idempotency-Key` on the API's `POST` requests (see docs/api.md, Idempotency): the first
//! answer to a caller's key is kept, and a repeat of the same request gets it again instead
//! of doing the work twice.
//!
//! A request with a key runs in one transaction held for the whole request
//! ([`orderpath_db::Held`]): it first takes the key's lock (a transaction-scoped advisory
//! lock: a second request with the key while the first runs gets 409 at once, and a
//! crashed instance's lock ends with its connection), looks for a kept answer, lets the
//! handler run — [`crate::api::call::Call`] runs the handler's database work in that same
//! transaction — and stores the answer in it before it commits. The change and the answer
//! that reports it therefore commit together: a key has a kept answer exactly when its
//! change committed, on every instance and across restarts.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web;
use actix_web::{Error, FromRequest, HttpMessage, HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use orderpath_core::{ConflictCode, Error as DomainError};
use orderpath_db::idempotency::{self, KeptAnswer};
use orderpath_db::Held;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::api::body::read_limited;
use crate::api::error::ApiError;
use crate::app::BASE_PATH;
use crate::auth::Caller;
use crate::state::AppState;

/// The request header that names a request.
pub const KEY_HEADER: &str = "Idempotency-Key";
/// The response header that marks a kept answer given again.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";
/// The longest key, in characters.
pub const MAX_KEY_CHARS: usize = 255;

/// Routes whose answer carries a new secret (a session or a machine token). Secrets are
/// stored only as hashes, so these answers are never kept and the key is ignored there.
pub const NEVER_KEPT: [&str; 2] = ["/sessions", "/tokens"];

/// Middleware for the API scope: applies `Idempotency-Key` to `POST` requests of an
/// authenticated caller; every other request goes on untouched (a request whose token
/// does not authenticate gets its 401 from the handler, its body unread).
pub async fn keep_answers(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.method() != Method::POST || !applies_to(req.path()) {
        return pass(req, next).await;
    }
    let Some(key) = key_of(req.headers()) else {
        return pass(req, next).await;
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return pass(req, next).await;
    };
    // Who is calling comes first: without a caller there is no key to keep, and a
    // malformed key does not hide the 401.
    let Ok(caller) = Caller::from_request(req.request(), &mut Payload::None).await else {
        return pass(req, next).await;
    };
    let key = match key {
        Ok(key) => key,
        Err(refused) => return answer(req, refused),
    };
    // The handler's `Call` finds the caller here instead of authenticating again.
    req.extensions_mut().insert(caller.clone());
    let body = match read_limited(req.take_payload()).await {
        Ok(body) => body,
        Err(refused) => return answer(req, refused),
    };
    let request = Keyed {
        principal: caller.0.id,
        key,
        hash: request_hash(&req, &body),
        at: state.clock.now(),
    };
    req.set_payload(Payload::from(body));
    run_keyed(req, next, &state, request).await
}

/// A request with a key, as the kept answers know it.
struct Keyed {
    principal: Uuid,
    key: String,
    hash: Vec<u8>,
    at: DateTime<Utc>,
}

/// Runs a keyed request in its held transaction: answers from what is kept, or runs the
/// handler and keeps its answer with its change.
async fn run_keyed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    state: &AppState,
    request: Keyed,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let held = match Held::begin(&state.pool).await {
        Ok(held) => held,
        Err(e) => return answer(req, DomainError::Store(e).into()),
    };
    let found = {
        let (principal, key, now) = (request.principal, request.key.clone(), request.at);
        held.run(move |conn| look_up(conn, principal, &key, now))
            .await
    };
    match found {
        Ok(Found::Nothing) => {}
        Ok(Found::Running) => {
            end(held.rollback()).await;
            return answer(req, in_use());
        }
        Ok(Found::Kept(kept)) => {
            end(held.rollback()).await;
            if kept.request_hash != request.hash {
                return answer(req, ApiError::IdempotencyKeyReused);
            }
            return Ok(req.into_response(replay(&kept)));
        }
        Err(e) => {
            end(held.rollback()).await;
            return answer(req, e.into());
        }
    }

    // The handler's `Call` runs its work in the held transaction.
    req.extensions_mut().insert(held.clone());
    let response = match next.call(req).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(e) => {
            end(held.rollback()).await;
            return Err(e);
        }
    };
    if !kept_status(response.status()) {
        // A failure the client may retry with the same key: nothing of it stays.
        end(held.rollback()).await;
        return Ok(response);
    }
    let (http, response) = response.into_parts();
    let (response, body) = response.into_parts();
    let Ok(bytes) = body::to_bytes(body).await else {
        end(held.rollback()).await;
        let failed = ApiError::from(DomainError::from(AnswerUnreadable));
        return Ok(ServiceResponse::new(http, failed.error_response()));
    };
    let kept = KeptAnswer {
        principal_id: request.principal,
        idempotency_key: request.key,
        request_hash: request.hash,
        status: response.status().as_u16() as i16,
        headers: headers_to_json(response.headers()),
        body: bytes.to_vec(),
        created_at: request.at,
        expires_at: request.at + state.config.idempotency_ttl,
    };
    match keep_and_commit(held, kept).await {
        // The change and its answer are committed: only now may the client learn of it.
        Ok(()) => Ok(ServiceResponse::new(
            http,
            response.set_body(BoxBody::new(bytes)),
        )),
        Err(e) => Ok(ServiceResponse::new(
            http,
            ApiError::from(e).error_response(),
        )),
    }
}

/// Stores the answer in the held transaction and commits it with the change.
async fn keep_and_commit(held: Held, kept: KeptAnswer) -> Result<(), DomainError> {
    let stored = held
        .run(move |conn| idempotency::keep(conn, &kept).map_err(DomainError::from))
        .await;
    match stored {
        Ok(()) => held.commit().await.map_err(DomainError::Store),
        Err(e) => {
            end(held.rollback()).await;
            Err(e)
        }
    }
}

/// What the key's lock and its row say before the handler runs.
enum Found {
    /// No answer kept (or only an expired one, now forgotten): the request runs.
    Nothing,
    /// Another request with this key holds its lock.
    Running,
    Kept(KeptAnswer),
}

fn look_up(
    conn: &mut orderpath_db::PgConnection,
    principal: Uuid,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Found, DomainError> {
    if !idempotency::try_lock(conn, principal, key)? {
        return Ok(Found::Running);
    }
    match idempotency::find(conn, principal, key)? {
        Some(kept) if kept.expires_at > now => Ok(Found::Kept(kept)),
        Some(_) => {
            idempotency::forget(conn, principal, key)?;
            Ok(Found::Nothing)
        }
        None => Ok(Found::Nothing),
    }
}

/// Whether an answer with `status` is kept: every success and client error, except 429 (a
/// limit the client should wait out and try again). Server errors are not kept either:
/// nothing of such a request stays, and the key is free for a retry. (409
/// `IDEMPOTENCY_KEY_IN_USE` is answered before the handler runs and never kept.)
fn kept_status(status: StatusCode) -> bool {
    !status.is_server_error() && status != StatusCode::TOO_MANY_REQUESTS
}

fn in_use() -> ApiError {
    DomainError::conflict(
        ConflictCode::IdempotencyKeyInUse,
        "a request with this Idempotency-Key is still running; retry when it has finished",
    )
    .into()
}

/// Whether `path` is a `POST` route below the API base path whose answers may be kept.
fn applies_to(path: &str) -> bool {
    path.strip_prefix(BASE_PATH)
        .is_some_and(|route| !NEVER_KEPT.contains(&route.trim_end_matches('/')))
}

/// The request's key: `None` without the header; refused unless it is one header of 1 to
/// 255 visible ASCII characters.
fn key_of(headers: &HeaderMap) -> Option<Result<String, ApiError>> {
    let mut values = headers.get_all(KEY_HEADER);
    let first = values.next()?;
    let valid = values.next().is_none()
        && !first.is_empty()
        && first.len() <= MAX_KEY_CHARS
        && first.as_bytes().iter().all(u8::is_ascii_graphic);
    Some(match first.to_str() {
        Ok(key) if valid => Ok(key.to_string()),
        _ => Err(ApiError::bad_field(
            KEY_HEADER,
            format!("must be one header of 1 to {MAX_KEY_CHARS} visible ASCII characters"),
        )),
    })
}

/// SHA-256 of the method, the path with its query, and the body: what "the same request"
/// means for a key.
fn request_hash(req: &ServiceRequest, body: &[u8]) -> Vec<u8> {
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_string(), ToString::to_string);
    let mut hash = Sha256::new();
    hash.update(req.method().as_str().as_bytes());
    hash.update(b" ");
    hash.update(target.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    hash.finalize().to_vec()
}

fn headers_to_json(headers: &HeaderMap) -> serde_json::Value {
    headers
        .iter()
        .filter_map(|(name, value)| {
            let value = value.to_str().ok()?;
            Some(serde_json::json!([name.as_str(), value]))
        })
        .collect()
}

/// The kept answer, given again with `Idempotent-Replayed: true`.
fn replay(kept: &KeptAnswer) -> HttpResponse {
    let status = u16::try_from(kept.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status);
    for pair in kept.headers.as_array().into_iter().flatten() {
        let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {
            continue;
        };
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            response.append_header((name, value));
        }
    }
    response.insert_header((REPLAYED_HEADER, "true"));
    response.body(kept.body.clone())
}

async fn pass(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    Ok(next.call(req).await?.map_into_boxed_body())
}

fn answer(req: ServiceRequest, problem: ApiError) -> Result<ServiceResponse<BoxBody>, Error> {
    Ok(req.into_response(problem.error_response()))
}

/// Ends a held transaction whose outcome no longer matters to the answer: on failure the
/// connection is discarded and PostgreSQL rolls back.
async fn end(ending: impl std::future::Future<Output = Result<(), orderpath_core::StoreError>>) {
    if let Err(e) = ending.await {
        log::warn!("ending an idempotent request's transaction failed: {e}");
    }
}

/// The handler's answer could not be read back to be kept.
#[derive(Debug, thiserror::Error)]
#[error("the answer could not be read to be kept")]
struct AnswerUnreadable;

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(
                HeaderName::from_static("idempotency-key"),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn a_key_is_one_header_of_1_to_255_visible_ascii_characters() {
        assert!(key_of(&headers(&[])).is_none());
        let longest = "k".repeat(MAX_KEY_CHARS);
        for good in [b"a".as_slice(), longest.as_bytes(), b"order-42/retry:1~!"] {
            assert_eq!(
                key_of(&headers(&[good])).unwrap().ok().as_deref(),
                std::str::from_utf8(good).ok()
            );
        }
        let too_long = "k".repeat(MAX_KEY_CHARS + 1);
        for bad in [
            &[b"".as_slice()][..],
            &[too_long.as_bytes()],
            &[b"two words"],
            &[b"tab\there"],
            &["zażółć".as_bytes()],
            &[b"a", b"b"],
        ] {
            assert!(key_of(&headers(bad)).unwrap().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn successes_and_client_errors_are_kept_server_errors_and_429_are_not() {
        for kept in [200, 201, 204, 400, 403, 404, 409, 412, 422] {
            assert!(kept_status(StatusCode::from_u16(kept).unwrap()), "{kept}");
        }
        for not_kept in [429, 500, 503] {
            assert!(
                !kept_status(StatusCode::from_u16(not_kept).unwrap()),
                "{not_kept}"
            );
        }
    }

    #[test]
    fn answers_that_carry_a_new_secret_are_never_kept() {
        assert!(applies_to(&format!("{BASE_PATH}/carts/1/order")));
        assert!(!applies_to(&format!("{BASE_PATH}/sessions")));
        assert!(!applies_to(&format!("{BASE_PATH}/tokens")));
        assert!(!applies_to("/backoffice/"));
    }
}
