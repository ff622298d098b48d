use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::auth::{find_token, hash_token, Role, TokenRecord};
use crate::state::AppState;

/// Who is calling: the authenticated token. Extracting it answers 401 when the token is
/// missing or unknown.
#[derive(Debug, Clone)]
pub struct Caller(pub TokenRecord);

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
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or(ApiError::Unauthenticated)?;
            let state = state.ok_or(ApiError::Unauthenticated)?;
            let key = hash_token(&token);
            if let Some(record) = state.token_cache.get(&key) {
                return Ok(Caller(record));
            }
            let record = orderpath_db::read(&state.pool, move |conn| find_token(conn, &token))
                .await?
                .ok_or(ApiError::Unauthenticated)?;
            state.token_cache.put(key, record.clone());
            Ok(Caller(record))
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let header = req.headers().get("Authorization")?.to_str().ok()?;
    let (scheme, token) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty() && token.len() <= 256).then(|| token.to_string())
}

/// Remembers recently seen tokens for a short while, so a busy client costs one token
/// lookup per minute instead of one per request. Tokens cannot be changed once issued,
/// so a cached entry is never wrong, only possibly about a token deleted by hand.
pub struct TokenCache {
    entries: RwLock<HashMap<String, (TokenRecord, Instant)>>,
    ttl: Duration,
}

/// Bounds the cache; when full it is simply cleared.
const TOKEN_CACHE_CAPACITY: usize = 10_000;

impl TokenCache {
    pub fn new(ttl: Duration) -> Self {
        TokenCache {
            entries: RwLock::new(HashMap::new()),
            ttl,
        }
    }

    fn get(&self, key: &str) -> Option<TokenRecord> {
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(record, _)| record.clone())
    }

    fn put(&self, key: String, record: TokenRecord) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= TOKEN_CACHE_CAPACITY {
            entries.clear();
        }
        entries.insert(key, (record, Instant::now()));
    }
}
