//! The template every test database is copied from: migrated once per set of migrations,
//! shared by every run on the server.

use std::path::{Path, PathBuf};

use diesel::{sql_query, Connection, PgConnection, RunQueryDsl};
use orderpath_db::run_pending_migrations;
use sha2::{Digest, Sha256};

use crate::number::number;
use crate::server::with_database;

/// Serialises template creation across test processes.
const TEMPLATE_LOCK_KEY: i64 = 0x6f70_7465_6d70_6c74;

/// Returns the template's name, creating and migrating it under an advisory lock if it
/// does not exist yet. It is built under a temporary name and renamed when complete, so
/// a crash half-way never leaves a half-migrated template behind.
pub(crate) fn ensure_template(admin: &mut PgConnection, admin_url: &str) -> String {
    let template = format!("orderpath_template_{}", migrations_fingerprint());
    sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})"))
        .execute(admin)
        .expect("template lock");
    if !database_exists(admin, &template) {
        build_template(admin, admin_url, &template);
    }
    sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})"))
        .execute(admin)
        .expect("template unlock");
    template
}

fn build_template(admin: &mut PgConnection, admin_url: &str, template: &str) {
    let building = format!("{template}_building");
    sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
        .execute(admin)
        .expect("drop half-built template");
    sql_query(format!("CREATE DATABASE {building}"))
        .execute(admin)
        .expect("create template");
    {
        let mut conn = PgConnection::establish(&with_database(admin_url, &building))
            .expect("connect to template");
        run_pending_migrations(&mut conn).expect("migrate template");
    }
    sql_query(format!("ALTER DATABASE {building} RENAME TO {template}"))
        .execute(admin)
        .expect("finish template");
}

fn database_exists(admin: &mut PgConnection, name: &str) -> bool {
    let found = sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<diesel::sql_types::Text, _>(name);
    number(admin, found) > 0
}

/// A short hash of every migration file (its path inside the folder and its text), so a
/// changed migration gets a new template and checkouts with the same migrations share one.
fn migrations_fingerprint() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files = files_below(&dir);
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        let inside = file
            .strip_prefix(&dir)
            .expect("below the migrations folder");
        hasher.update(inside.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&file).expect("read migration"));
    }
    hex::encode(&hasher.finalize()[..6])
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out
}
