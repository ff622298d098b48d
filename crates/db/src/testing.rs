//! Test databases: each test gets its own database, copied from a template that was
//! migrated once. Tests therefore run in parallel (also as separate processes) and never
//! see each other's rows.
//!
//! The server to use is `ORDERPATH_TEST_DATABASE_URL`, else `DATABASE_URL`, else the local
//! PostgreSQL on 127.0.0.1:5432 as user `postgres`.

use std::path::Path;

use diesel::{sql_query, Connection, PgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

use crate::{build_pool, run_pending_migrations, PgPool};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Serialises template creation across test processes.
const TEMPLATE_LOCK_KEY: i64 = 0x6f70_7465_6d70_6c74;
/// Prefix of every database this harness creates; `scripts/test` drops leftovers by it.
pub const TEST_DATABASE_PREFIX: &str = "orderpath_test_";

/// A private, migrated database, dropped when this value is dropped.
pub struct TestDatabase {
    name: String,
    url: String,
    admin_url: String,
}

impl TestDatabase {
    /// Creates a fresh database from the migrated template (creating the template first
    /// when the migrations changed). Panics with a clear message when PostgreSQL is not
    /// reachable: tests cannot run without it.
    pub fn new() -> Self {
        let admin_url = admin_url();
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("tests need PostgreSQL at {admin_url}: {e}"));
        let template = ensure_template(&mut admin, &admin_url);
        let name = format!("{TEST_DATABASE_PREFIX}{}", uuid_like_suffix());
        sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin)
            .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
        let url = with_database(&admin_url, &name);
        TestDatabase {
            name,
            url,
            admin_url,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self, size: u32) -> PgPool {
        build_pool(&self.url, size).expect("test database pool")
    }

    /// Drops the database now, ending every connection to it: the database is gone, as
    /// when a server dies under a running service.
    pub fn vanish(&self) {
        let mut admin = PgConnection::establish(&self.admin_url).expect("admin connection");
        sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .expect("drop test database");
    }

    pub fn connection(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("test database connection")
    }
}

impl Default for TestDatabase {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

fn admin_url() -> String {
    let url = std::env::var("ORDERPATH_TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string());
    without_tls(url)
}

/// Tests talk to a local server: TLS would only cost time, and libpq's TLS teardown at
/// process exit can crash a test binary whose other threads still hold connections.
fn without_tls(url: String) -> String {
    if url.contains("sslmode=") {
        url
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

/// Returns the template's name, creating and migrating it under an advisory lock if it
/// does not exist yet. It is built under a temporary name and renamed when complete, so
/// a crash half-way never leaves a half-migrated template behind.
fn ensure_template(admin: &mut PgConnection, admin_url: &str) -> String {
    let template = format!("orderpath_template_{}", migrations_fingerprint());
    sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})"))
        .execute(admin)
        .expect("template lock");
    if !database_exists(admin, &template) {
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
    sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})"))
        .execute(admin)
        .expect("template unlock");
    template
}

fn database_exists(admin: &mut PgConnection, name: &str) -> bool {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let found: Count = sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result(admin)
        .expect("look up database");
    found.n > 0
}

/// A short hash of every migration file, so a changed migration gets a new template.
fn migrations_fingerprint() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&file).expect("read migration"));
    }
    hex::encode(&hasher.finalize()[..6])
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Replaces the database name (the last path segment) of a PostgreSQL URL.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let root = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{root}/{database}?{q}"),
        None => format!("{root}/{database}"),
    }
}

fn uuid_like_suffix() -> String {
    let mut hasher = Sha256::new();
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
    hasher.update(format!("{:?}", std::thread::current().id()).as_bytes());
    hex::encode(&hasher.finalize()[..8])
}
