//! Machine tokens live in the `people` crate, the only writer of `api_tokens`.

pub use orderpath_people::{create_token, find_token, hash_token, Role, TokenRecord};
