//! Every migration can be undone and done again.

use diesel::sql_query;
use diesel_migrations::MigrationHarness;
use orderpath_db::{run_pending_migrations, MIGRATIONS};
use orderpath_testing::{number, TestDatabase};

fn tables(conn: &mut diesel::PgConnection) -> i64 {
    let count = sql_query(
        "SELECT count(*) AS n FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    );
    number(conn, count)
}

#[test]
fn every_down_migration_works_and_the_schema_comes_back() {
    let (_db, mut conn) = TestDatabase::connected();
    let before = tables(&mut conn);
    assert!(before > 10, "the template is migrated");
    conn.revert_all_migrations(MIGRATIONS)
        .expect("revert every migration");
    assert_eq!(tables(&mut conn), 0, "down.sql removes what up.sql made");
    let applied = run_pending_migrations(&mut conn).expect("migrate again");
    assert!(!applied.is_empty());
    assert_eq!(tables(&mut conn), before);
}
