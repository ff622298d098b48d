//! People and machines that call the service (`docs/people.md`): signing in and out,
//! `GET /me`, users (staff), and machine tokens (staff). Sign-in needs no token.

pub mod bodies;

use actix_web::{delete, get, patch, post, web, HttpResponse};
use orderpath_people::{NewUser, TokenSummary, User, UserChange};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::api::body::Json;
use crate::api::call::{Answer, Backoffice, Call};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::{TokenId, UserId};
use crate::api::query::Query;
use crate::auth::{hash_token, Caller};
use crate::routes::common::{Listing, PageQuery, PageResponse};
use crate::state::AppState;
use bodies::{
    CreateTokenRequest, CreateUserRequest, IssuedTokenResponse, MeResponse, SessionResponse,
    SignInRequest, UpdateUserRequest, UserQuery,
};

/// Registers `/sessions`, `/me`, `/users` and `/tokens`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sign_in)
        .service(sign_out)
        .service(me)
        .service(create_user)
        .service(list_users)
        .service(get_user)
        .service(update_user)
        .service(create_token)
        .service(list_tokens)
        .service(revoke_token);
}

/// Sign in with email and password: a session token. An unknown email and a wrong password
/// get the same 401; after 5 failures for one email within 15 minutes every attempt for it
/// gets 429 with `Retry-After` until the window has passed. A customer user's sign-in is
/// its customer's activity (`CLIENT_LOGGED` after 30 minutes of silence).
#[utoipa::path(tag = "people", request_body = SignInRequest, security(()),
    responses((status = 201, body = SessionResponse), (status = 401, body = Problem),
        (status = 429, body = Problem)))]
#[post("/sessions")]
pub async fn sign_in(
    state: web::Data<AppState>,
    body: Json<SignInRequest>,
) -> Result<HttpResponse, ApiError> {
    let SignInRequest { email, password } = body.0;
    let now = state.clock.now();
    let window = state.client_inactivity();
    let outcome = orderpath_db::write(&state.pool, move |conn| {
        orderpath_people::sign_in(conn, &email, &password, now, window)
    })
    .await?;
    let signed_in = outcome.into_result()?;
    Ok(HttpResponse::Created().json(SessionResponse::from(signed_in)))
}

/// Sign out: the session's token stops working at once, on every instance.
#[utoipa::path(tag = "people",
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[delete("/sessions/current")]
pub async fn sign_out(call: Call, req: actix_web::HttpRequest) -> Answer {
    let Some(session) = call.caller.0.session_id else {
        return Err(ApiError::Forbidden(
            "a machine token has no session: revoke it with DELETE /tokens/{tokenId}".into(),
        ));
    };
    let now = call.now();
    call.write(move |conn| orderpath_people::sign_out(conn, session, now))
        .await?;
    if let Some(token) = crate::auth::bearer_token(&req) {
        call.state.credentials.forget(&hash_token(&token));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Who is calling: a signed-in user or a machine token.
#[utoipa::path(tag = "people",
    responses((status = 200, body = MeResponse), (status = 401, body = Problem)))]
#[get("/me")]
pub async fn me(caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(MeResponse::from(&caller.0))
}

/// Create a user (backoffice). Customer users speak for one customer.
#[utoipa::path(tag = "people", request_body = CreateUserRequest,
    responses((status = 201, body = User), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/users")]
pub async fn create_user(call: Backoffice, body: Json<CreateUserRequest>) -> Answer {
    let b = body.0;
    let new = NewUser {
        email: b.email,
        name: b.name,
        role: b.role,
        customer_id: b.customer_id,
        password: b.password,
    };
    let now = call.now();
    let user = call
        .write(move |conn| orderpath_people::create_user(conn, new, now))
        .await?;
    Ok(HttpResponse::Created().json(user))
}

/// Users by email, optionally of one customer and matching a search (backoffice).
#[utoipa::path(tag = "people", params(UserQuery, PageQuery),
    responses((status = 200, body = PageResponse<User>), (status = 403, body = Problem)))]
#[get("/users")]
pub async fn list_users(call: Backoffice, Listing(query, page): Listing<UserQuery>) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let users = call
        .read(move |conn| {
            let (search, after) = (query.search.as_deref(), page.cursor.as_deref());
            orderpath_people::list_users(conn, query.customer_id, search, after, limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(users, |user| user)))
}

/// One user (backoffice).
#[utoipa::path(tag = "people", params(("userId" = uuid::Uuid, Path)),
    responses((status = 200, body = User), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/users/{userId}")]
pub async fn get_user(call: Backoffice, id: UserId) -> Answer {
    let user = call
        .read(move |conn| orderpath_people::get_user(conn, id.0))
        .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Rename, deactivate or reactivate a user, or set its password (backoffice). Deactivating
/// and a new password end the user's sessions at once.
#[utoipa::path(tag = "people", request_body = UpdateUserRequest, params(("userId" = uuid::Uuid, Path)),
    responses((status = 200, body = User), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
#[patch("/users/{userId}")]
pub async fn update_user(call: Backoffice, id: UserId, body: Json<UpdateUserRequest>) -> Answer {
    let b = body.0;
    let change = UserChange {
        name: b.name,
        active: b.active,
        password: b.password,
    };
    let now = call.now();
    let user = call
        .write(move |conn| orderpath_people::update_user(conn, id.0, change, now))
        .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Make a machine token (backoffice); the answer shows it this once.
#[utoipa::path(tag = "people", request_body = CreateTokenRequest,
    responses((status = 201, body = IssuedTokenResponse), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
#[post("/tokens")]
pub async fn create_token(call: Backoffice, body: Json<CreateTokenRequest>) -> Answer {
    let b = body.0;
    let now = call.now();
    let issued = call
        .write(move |conn| orderpath_people::issue_token(conn, &b.name, b.role, b.customer_id, now))
        .await
        .map_err(name_body_fields)?;
    Ok(HttpResponse::Created().json(IssuedTokenResponse {
        token: issued.token,
        summary: issued.summary,
    }))
}

/// The domain names a token's customer `customer` (the command line's `--customer`); the
/// request body calls it `customerId`.
fn name_body_fields(error: ApiError) -> ApiError {
    match error {
        ApiError::Domain(orderpath_core::Error::Validation(mut fields)) => {
            for f in &mut fields {
                if f.field == "customer" {
                    f.field = "customerId".into();
                }
            }
            ApiError::Domain(orderpath_core::Error::Validation(fields))
        }
        other => other,
    }
}

/// Every machine token, revoked ones included, oldest first (backoffice). Never a secret.
#[utoipa::path(tag = "people", params(PageQuery),
    responses((status = 200, body = PageResponse<TokenSummary>), (status = 403, body = Problem)))]
#[get("/tokens")]
pub async fn list_tokens(call: Backoffice, Query(page): Query<PageQuery>) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let tokens = call
        .read(move |conn| orderpath_people::list_tokens(conn, page.cursor.as_deref(), limit))
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(tokens, |token| token)))
}

/// Revoke a machine token (backoffice): it stops working at once, on every instance.
#[utoipa::path(tag = "people", params(("tokenId" = uuid::Uuid, Path)),
    responses((status = 200, body = TokenSummary), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[delete("/tokens/{tokenId}")]
pub async fn revoke_token(call: Backoffice, id: TokenId) -> Answer {
    let now = call.now();
    let summary = call
        .write(move |conn| orderpath_people::revoke_token(conn, id.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}
