//! People and machines that call the service: users with passwords, the sessions signing
//! in starts, sign-in throttling, machine tokens, and resolving a presented bearer token
//! to the caller behind it. Every change that ends a credential is announced on
//! [`CREDENTIALS_CHANNEL`] so that no instance keeps it alive from a cache.

mod credentials;
mod email;
mod password;
mod role;
mod secret;
mod sessions;
mod sign_in;
mod throttle;
mod tokens;
mod users;

pub use credentials::{
    authenticate, EndedCredential, Principal, PrincipalKind, CREDENTIALS_CHANNEL,
};
pub use password::{Password, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
pub use role::Role;
pub use secret::hash_token;
pub use sessions::{sign_out, touch_session, DEFAULT_SESSION_IDLE, SESSION_LIFETIME};
pub use sign_in::{sign_in, SignInOutcome, SignedIn, SIGN_IN_ACTIVITY_SOURCE};
pub use throttle::{prune_sign_in_failures, FAILURE_WINDOW, MAX_FAILURES};
pub use tokens::{
    create_token, find_token, issue_token, list_tokens, revoke_token, IssuedToken, TokenRecord,
    TokenSummary,
};
pub use users::{create_user, get_user, list_users, update_user, NewUser, User, UserChange};
