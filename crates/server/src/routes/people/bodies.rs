//! Request and response bodies of sign-in, users and machine tokens.

use chrono::{DateTime, Utc};
use orderpath_people::{Principal, PrincipalKind, Role, SignedIn, TokenSummary, User};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInRequest {
    #[schema(example = "ann@example.com")]
    pub email: String,
    pub password: String,
}

/// A new session. The token is shown only here; send it as `Authorization: Bearer …`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionResponse {
    pub token: String,
    /// The latest end of the session; unused for `ORDERPATH_SESSION_IDLE_SECS` it ends sooner.
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

impl From<SignedIn> for SessionResponse {
    fn from(signed_in: SignedIn) -> Self {
        SessionResponse {
            token: signed_in.token,
            expires_at: signed_in.expires_at,
            user: signed_in.user,
        }
    }
}

/// `USER` for a signed-in person, `TOKEN` for a machine token.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CallerKind {
    User,
    Token,
}

/// Who is calling.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeResponse {
    pub kind: CallerKind,
    /// The user's id, or the token's: events name the caller by it (`userId`).
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl From<&Principal> for MeResponse {
    fn from(p: &Principal) -> Self {
        MeResponse {
            kind: match p.kind {
                PrincipalKind::User => CallerKind::User,
                PrincipalKind::Token => CallerKind::Token,
            },
            id: p.id,
            name: p.name.clone(),
            role: p.role,
            customer_id: p.customer_id,
            email: p.email.clone(),
        }
    }
}

/// A new user. `customerId` for (and only for) role `customer`; a password of at least 12
/// characters.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserRequest {
    /// One `@` with something on both sides, no spaces.
    #[schema(
        max_length = 254,
        pattern = r"^[^@\s\u0000-\u001F\u007F-\u009F]+@[^@\s\u0000-\u001F\u007F-\u009F]+$",
        example = "ann@example.com"
    )]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    #[schema(min_length = 12)]
    pub password: String,
}

/// What to change; a new password or `active: false` ends the user's sessions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserRequest {
    #[schema(required = false, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub active: Option<bool>,
    #[schema(required = false, min_length = 12)]
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only this customer's users.
    pub customer_id: Option<Uuid>,
    /// Part of an email or a name, in any letter case.
    pub search: Option<String>,
}

/// A new machine token; `customerId` for (and only for) role `customer`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateTokenRequest {
    #[schema(min_length = 1)]
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
}

/// A token just made: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuedTokenResponse {
    pub token: String,
    #[serde(flatten)]
    pub summary: TokenSummary,
}
