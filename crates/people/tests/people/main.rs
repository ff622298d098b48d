//! The people crate against a real database: users, sign-in and its throttle, sessions
//! and their expiry, machine tokens, and the announcements that end cached credentials.

mod helpers;

mod activity;
mod announcements;
mod sessions;
mod sign_in;
mod tokens;
mod users;
