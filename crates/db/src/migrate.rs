use diesel::{sql_query, PgConnection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use orderpath_core::StoreError;

/// The SQL migrations of the top-level `migrations/` folder, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Advisory lock key (arbitrary, fixed) so two instances starting at once never race
/// through the same migration.
const MIGRATION_LOCK_KEY: i64 = 0x6f72_6465_7270_6174;

/// Runs every pending migration under a PostgreSQL advisory lock and returns the versions
/// applied. Safe to call from several processes at once: the second waits, then finds
/// nothing to do.
pub fn run_pending_migrations(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
        .execute(conn)
        .map_err(StoreError::from_error)?;
    let outcome = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(ToString::to_string).collect())
        .map_err(StoreError::migration);
    sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
        .execute(conn)
        .map_err(StoreError::from_error)?;
    outcome
}
