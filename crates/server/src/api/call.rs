//! What every API handler starts from, extracted once: the app's state and who is calling,
//! with the time of the call and the one way to reach the database.
//!
//! A route for some roles only takes [`Staff`] or [`Backoffice`] instead of [`Call`]: the
//! caller's role is checked as the call is extracted. The body and query extractors wait
//! for that check ([`Authorization`]), so a caller without the right to a route gets 401
//! or 403 before its body is read, whatever is wrong with the body.

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::ops::Deref;
use std::rc::Rc;
use std::task::{Poll, Waker};

use actix_web::dev::Payload;
use actix_web::web::Bytes;
use actix_web::{
    web, FromRequest, HttpMessage, HttpRequest, HttpResponse, HttpResponseBuilder, ResponseError,
};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use futures_util::future::LocalBoxFuture;
use orderpath_core::StoreError;
use orderpath_db::{Batcher, Held};
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::if_match::with_etag;
use crate::auth::{Caller, Role};
use crate::render_cache::{RenderKey, Stamp};
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
        authorize(req, payload, None)
    }
}

/// A call by staff (a backoffice or an integration token); anyone else gets 403.
pub struct Staff(pub Call);

/// A call by a backoffice token; anyone else gets 403.
pub struct Backoffice(pub Call);

macro_rules! call_for_roles {
    ($name:ident, $roles:expr) => {
        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let call = authorize(req, payload, Some($roles));
                Box::pin(async move { call.await.map($name) })
            }
        }

        impl Deref for $name {
            type Target = Call;

            fn deref(&self) -> &Call {
                &self.0
            }
        }
    };
}

call_for_roles!(Staff, &[Role::Backoffice, Role::Integration]);
call_for_roles!(Backoffice, &[Role::Backoffice]);

/// Authenticates the caller and, given `roles`, requires one of them; registers the
/// call's [`Authorization`] for the other extractors of the request to wait for.
fn authorize(
    req: &HttpRequest,
    payload: &mut Payload,
    roles: Option<&'static [Role]>,
) -> LocalBoxFuture<'static, Result<Call, ApiError>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let held = req.extensions().get::<Held>().cloned();
    let caller = Caller::from_request(req, payload);
    let authorization = Authorization::default();
    req.extensions_mut().insert(authorization.clone());
    Box::pin(async move {
        let call = async {
            let caller = caller.await?;
            if let Some(roles) = roles {
                caller.require(roles)?;
            }
            // Authenticating needs the state, so a caller never comes without it.
            let state = state.ok_or(ApiError::Unauthenticated)?;
            Ok(Call {
                state,
                caller,
                held,
            })
        }
        .await;
        authorization.decide(call.is_ok());
        call
    })
}

/// Whether the call of a request may go on, once its caller is authenticated and its
/// role checked. Extractors that read input (the body, the query string) wait for it, so
/// that a refused caller learns only that, and no input of theirs is read.
#[derive(Clone, Default)]
pub struct Authorization(Rc<Gate>);

#[derive(Default)]
struct Gate {
    allowed: Cell<Option<bool>>,
    waiting: RefCell<Vec<Waker>>,
}

impl Authorization {
    /// Waits for the authorization of `req`'s call, if one of its extractors authorizes
    /// it (see [`Call`]); a route open to anyone goes on at once. Extractors run in the
    /// order of the handler's arguments, the call first.
    pub fn of(req: &HttpRequest) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let authorization = req.extensions().get::<Authorization>().cloned();
        async move {
            match authorization {
                Some(authorization) => authorization.wait().await,
                None => Ok(()),
            }
        }
    }

    fn decide(&self, allowed: bool) {
        self.0.allowed.set(Some(allowed));
        for waker in self.0.waiting.take() {
            waker.wake();
        }
    }

    fn wait(&self) -> impl Future<Output = Result<(), ApiError>> + '_ {
        poll_fn(|cx| match self.0.allowed.get() {
            Some(true) => Poll::Ready(Ok(())),
            // The call's own extractor answers with why first; this is never seen.
            Some(false) => Poll::Ready(Err(ApiError::Unauthenticated)),
            None => {
                self.0.waiting.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

/// A document (a cart, an offer, an order) as the API answers with it: its version as
/// ETag, which a client sends back in `If-Match` to change it only if nobody else did, and
/// a body that shows it to staff or to its customer.
pub trait Shown {
    fn version(&self) -> i64;
    /// Writes the body's JSON into `out`.
    fn write_json(&self, staff: bool, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
    /// About how many bytes the body's JSON takes, so that it is written without growing.
    fn size_hint(&self) -> usize;
    /// The document's id and the stamp its rendering is exactly current for, when known
    /// (a cart as a change left it or as loaded): [`Call::show`] then keeps the rendering.
    fn rendering_key(&self) -> Option<(Uuid, Stamp)> {
        None
    }
}

/// The JSON of `document` as staff (`staff`) or its customer may see it.
pub fn render(document: &impl Shown, staff: bool) -> Result<Bytes, serde_json::Error> {
    let mut json = Vec::with_capacity(document.size_hint());
    document.write_json(staff, &mut json)?;
    // The body may be kept in the render cache, which counts its length: the room left
    // over from the hint (a quarter of a 50-line cart's) is given back, not kept with it.
    json.shrink_to_fit();
    Ok(Bytes::from(json))
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

    /// Answers with `document` as this caller may see it, its version as ETag. A document
    /// whose stamp is known ([`Shown::rendering_key`]) has its rendering kept in the render
    /// cache, so that the next read of it on this instance (the page reloading a cart
    /// after a change) is served without loading it. Only what has committed is kept: in
    /// a request with an `Idempotency-Key` the change commits later, with the kept answer,
    /// and could still roll back.
    pub fn show(&self, mut builder: HttpResponseBuilder, document: &impl Shown) -> HttpResponse {
        let staff = self.staff();
        let body = match render(document, staff) {
            Ok(body) => body,
            Err(e) => {
                return ApiError::from(orderpath_core::Error::from(StoreError::task_failed(e)))
                    .error_response()
            }
        };
        if let (Some((id, stamp)), None) = (document.rendering_key(), &self.held) {
            let key = RenderKey { id, stamp, staff };
            self.state.renders.put(key, body.clone());
        }
        with_etag(&mut builder, document.version())
            .content_type("application/json")
            .body(body)
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

    /// Runs `work`, a change sent as one SQL statement, atomic on its own, without a
    /// transaction around it, whose BEGIN and COMMIT would be two more round trips (see
    /// `orderpath_db::read`); in a request with an `Idempotency-Key`, in a savepoint of
    /// that request's transaction, as [`Call::write`].
    pub async fn write_statement<T: Send + 'static>(
        &self,
        work: impl Work<T>,
    ) -> Result<T, ApiError> {
        match &self.held {
            Some(held) => Ok(held.run(work).await?),
            None => Ok(orderpath_db::read(&self.state.pool, work).await?),
        }
    }

    /// Writes the change `item` together with the others of its kind that are waiting
    /// (see `orderpath_db::Batcher`); in a request with an `Idempotency-Key`, alone, in a
    /// savepoint of that request's transaction, as [`Call::write`].
    pub async fn write_batched<I: Send + 'static, O: Send + 'static>(
        &self,
        batcher: &Batcher<I, O>,
        item: I,
    ) -> Result<O, ApiError> {
        let written = match &self.held {
            Some(held) => {
                let alone = batcher.write_alone(item);
                held.run(move |conn| alone(conn).map_err(orderpath_core::Error::Store))
                    .await?
            }
            None => batcher
                .submit(item)
                .await
                .map_err(orderpath_core::Error::Store)?,
        };
        Ok(written)
    }
}
