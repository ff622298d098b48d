//! The migrations are embedded in the binary (`migrate::MIGRATIONS`): a migration added or
//! changed must rebuild this crate, which cargo does not know from the Rust sources alone.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
