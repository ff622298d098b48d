//! The private database of one test.

use diesel::{sql_query, Connection, PgConnection, RunQueryDsl};
use orderpath_db::{build_pool, PgPool};

use crate::names::new_database_name;
use crate::server::{admin_url, with_database};
use crate::template::ensure_template;

/// A private, migrated database, dropped when this value is dropped.
///
/// The server to use is `ORDERPATH_TEST_DATABASE_URL`, else `DATABASE_URL`, else the local
/// PostgreSQL on 127.0.0.1:5432 as user `postgres`.
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
        let name = new_database_name();
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

    pub fn connection(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("test database connection")
    }

    /// A new test database and a connection to it. Keep the database bound
    /// (`let (_db, mut conn) = TestDatabase::connected();`) while the connection is in use:
    /// dropping it drops the database.
    pub fn connected() -> (Self, PgConnection) {
        let db = Self::new();
        let conn = db.connection();
        (db, conn)
    }

    /// Drops the database now, ending every connection to it: the database is gone, as
    /// when a server dies under a running service.
    pub fn vanish(&self) {
        let mut admin = PgConnection::establish(&self.admin_url).expect("admin connection");
        drop_database(&mut admin, &self.name).expect("drop test database");
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
            let _ = drop_database(&mut admin, &self.name);
        }
    }
}

fn drop_database(admin: &mut PgConnection, name: &str) -> diesel::QueryResult<usize> {
    sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin)
}
