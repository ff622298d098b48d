use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::auth::{hash_token, Principal, Role};
use crate::state::AppState;

/// Who is calling: a signed-in user (a session token) or a machine token. Extracting it
/// answers 401 when the token is missing, unknown, signed out, revoked, expired, or its user
/// deactivated.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal);

impl Caller {
    /// Fails with 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.0.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "a {} token may not do this",
                self.0.role
            )))
        }
    }

    /// Fails with 403 unless the caller is staff (backoffice or integration).
    pub fn require_staff(&self) -> Result<(), ApiError> {
        self.require(&[Role::Backoffice, Role::Integration])
    }

    /// For a customer token, the only customer whose data it may see.
    pub fn customer_scope(&self) -> Option<Uuid> {
        match self.0.role {
            Role::Customer => self.0.customer_id,
            _ => None,
        }
    }

    /// The customer a list is filtered to: a customer token's own (asking for another is
    /// 403), or whatever staff asked for.
    pub fn customer_filter(&self, asked: Option<Uuid>) -> Result<Option<Uuid>, ApiError> {
        match (self.customer_scope(), asked) {
            (Some(own), Some(asked)) if own != asked => Err(ApiError::Forbidden(
                "a customer token sees only its own customer's documents".into(),
            )),
            (Some(own), _) => Ok(Some(own)),
            (None, asked) => Ok(asked),
        }
    }

    /// Whether responses may show purchase prices and margins.
    pub fn sees_purchase_prices(&self) -> bool {
        self.0.role != Role::Customer
    }

    pub fn name(&self) -> &str {
        &self.0.name
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Authenticated once already for this request (by the idempotency middleware).
        if let Some(caller) = req.extensions().get::<Caller>().cloned() {
            return Box::pin(async move { Ok(caller) });
        }
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or(ApiError::Unauthenticated)?;
            let state = state.ok_or(ApiError::Unauthenticated)?;
            authenticate(&state, token).await.map(Caller)
        })
    }
}

/// How often a session in use has its `last_used_at` moved: often enough that an idle
/// time counted in hours is exact to the minute, rarely enough to cost nothing.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

/// The principal behind `token` now: from the cache when it holds a credential still
/// valid and recently touched, else from the database (touching a session that needs it).
async fn authenticate(state: &AppState, token: String) -> Result<Principal, ApiError> {
    let key = hash_token(&token);
    let now = state.clock.now();
    let idle = state.config.session_idle;
    if let Some(principal) = state.credentials.get(&key) {
        if fresh(&principal, now, idle) {
            return Ok(principal);
        }
    }
    let read_at = state.credentials.generation();
    let principal = orderpath_db::read(&state.pool, move |conn| {
        let Some(mut principal) = orderpath_people::authenticate(conn, &token, now, idle)? else {
            return Ok(None);
        };
        if let (Some(session), Some(used)) = (principal.session_id, principal.last_used_at) {
            if now - used >= TOUCH_EVERY && orderpath_people::touch_session(conn, session, now)? {
                principal.last_used_at = Some(now);
            }
        }
        Ok::<_, orderpath_core::Error>(Some(principal))
    })
    .await?
    .ok_or(ApiError::Unauthenticated)?;
    state.credentials.put(key, principal.clone(), read_at);
    Ok(principal)
}

/// Whether a cached principal may be used at `now` without asking the database: not past
/// its idle or absolute end, and (a session) touched within the last minute.
fn fresh(principal: &Principal, now: DateTime<Utc>, idle: chrono::Duration) -> bool {
    let valid = principal.valid_until(idle).is_none_or(|end| now < end);
    let touched = principal
        .last_used_at
        .is_none_or(|used| now - used < TOUCH_EVERY);
    valid && touched
}

pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let header = req.headers().get("Authorization")?.to_str().ok()?;
    let (scheme, token) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty() && token.len() <= 256).then(|| token.to_string())
}
