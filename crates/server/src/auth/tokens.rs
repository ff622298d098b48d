//! Machine tokens and principals live in the `people` crate, the only writer of
//! `api_tokens`, `users` and `sessions`.

pub use orderpath_people::{
    create_token, find_token, hash_token, Principal, PrincipalKind, Role, TokenRecord,
};
