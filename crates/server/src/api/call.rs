//! What every API handler starts from, extracted once: the app's state and who is calling,
//! with the time of the call and the one way to reach the database.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse, HttpResponseBuilder};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use futures_util::future::LocalBoxFuture;
use orderpath_db::Held;
use serde::Serialize;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::if_match::with_etag;
use crate::auth::Caller;
use crate::state::AppState;

/// What a handler returns: the response, or the problem that answers the call instead.
pub type Answer = Result<HttpResponse, ApiError>;

/// One call of the API by an authenticated caller. Extracting it answers 401 exactly as
/// extracting the [`Caller`] does.
pub struct Call {
    pub state: web::Data<AppState>,
    pub caller: Caller,
    /// The transaction a request with an `Idempotency-Key` runs in (see
    /// `api::idempotency`): every read and write of the call goes to it, so the change
    /// commits with the answer that reports it.
    held: Option<Held>,
}

impl FromRequest for Call {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let held = req.extensions().get::<Held>().cloned();
        let caller = Caller::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            // Authenticating needs the state, so a caller never comes without it.
            let state = state.ok_or(ApiError::Unauthenticated)?;
            Ok(Call {
                state,
                caller,
                held,
            })
        })
    }
}

/// A document (a cart, an offer, an order) as the API answers with it: its version as
/// ETag, which a client sends back in `If-Match` to change it only if nobody else did, and
/// a body that shows it to staff or to its customer.
pub trait Shown {
    type Body: Serialize;
    fn version(&self) -> i64;
    fn body(&self, staff: bool) -> Self::Body;
}

/// A unit of database work: one domain call, or a few that belong together.
pub trait Work<T>: FnOnce(&mut PgConnection) -> orderpath_core::Result<T> + Send + 'static {}

impl<T, F> Work<T> for F where
    F: FnOnce(&mut PgConnection) -> orderpath_core::Result<T> + Send + 'static
{
}

impl Call {
    /// The time the app sees now (a manual clock in tests).
    pub fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    /// For a customer token, the only customer whose documents it may see.
    pub fn scope(&self) -> Option<Uuid> {
        self.caller.customer_scope()
    }

    /// Whether answers may show purchase prices and margins.
    pub fn staff(&self) -> bool {
        self.caller.sees_purchase_prices()
    }

    /// Answers with `document` as this caller may see it, its version as ETag.
    pub fn show(&self, mut builder: HttpResponseBuilder, document: &impl Shown) -> HttpResponse {
        with_etag(&mut builder, document.version()).json(document.body(self.staff()))
    }

    /// Runs `work` on a pooled connection, without a transaction (see `orderpath_db::read`);
    /// in a request with an `Idempotency-Key`, in that request's transaction, so it sees
    /// what the request wrote.
    pub async fn read<T: Send + 'static>(&self, work: impl Work<T>) -> Result<T, ApiError> {
        match &self.held {
            Some(held) => Ok(held.run(work).await?),
            None => Ok(orderpath_db::read(&self.state.pool, work).await?),
        }
    }

    /// Runs `work` in one transaction on a pooled connection (see `orderpath_db::write`);
    /// in a request with an `Idempotency-Key`, in a savepoint of that request's
    /// transaction, which commits with the answer kept for the key.
    pub async fn write<T: Send + 'static>(&self, work: impl Work<T>) -> Result<T, ApiError> {
        match &self.held {
            Some(held) => Ok(held.run(work).await?),
            None => Ok(orderpath_db::write(&self.state.pool, work).await?),
        }
    }
}
