//! The `orderpath` command as a user runs it in a clone next to `scripts/run`: without
//! `DATABASE_URL` it uses the database that `scripts/run` recorded for the project.

use std::path::Path;
use std::process::{Command, Output};

use diesel::dsl::count_star;
use diesel::prelude::*;
use orderpath_db::schema::api_tokens;
use orderpath_testing::TestDatabase;

fn orderpath_in(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orderpath"))
        .args(args)
        .current_dir(folder)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "info")
        .output()
        .expect("run orderpath")
}

#[test]
fn without_database_url_token_create_uses_the_recorded_database() {
    let db = TestDatabase::new();
    let project = std::env::temp_dir().join(format!("orderpath-cli-{}", uuid::Uuid::new_v4()));
    let inside = project.join("docs");
    std::fs::create_dir_all(&inside).expect("folders");
    let create = ["token", "create", "--role", "integration", "--name", "ERP"];

    let refused = orderpath_in(&inside, &create);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        said.contains("DATABASE_URL is not set") && said.contains(".orderpath/database-url"),
        "{said}"
    );

    std::fs::create_dir_all(project.join(".orderpath")).expect("folder");
    std::fs::write(
        project.join(".orderpath/database-url"),
        format!("{}\n", db.url()),
    )
    .expect("record");
    let created = orderpath_in(&inside, &create);
    let said = String::from_utf8_lossy(&created.stderr);
    assert!(created.status.success(), "{said}");
    assert!(
        said.contains("DATABASE_URL is not set: using") && said.contains(db.url()),
        "it says where the database came from: {said}"
    );
    let printed = String::from_utf8_lossy(&created.stdout);
    assert!(
        printed
            .lines()
            .last()
            .is_some_and(|token| token.len() >= 32),
        "{printed}"
    );
    let tokens: i64 = api_tokens::table
        .filter(api_tokens::name.eq("ERP"))
        .select(count_star())
        .first(&mut db.connection())
        .expect("count");
    assert_eq!(tokens, 1, "the token is in the recorded database");
    std::fs::remove_dir_all(&project).expect("clean up");
}
