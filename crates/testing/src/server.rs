//! Which PostgreSQL server the tests use, and URLs of databases on it.

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The URL of a database on the test server that may create and drop databases.
pub(crate) fn admin_url() -> String {
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

/// Replaces the database name (the last path segment) of a PostgreSQL URL.
pub(crate) fn with_database(url: &str, database: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_replaced_and_the_options_kept() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres?sslmode=disable", "t1"),
            "postgres://u@h:5432/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h/postgres", "t1"),
            "postgres://u@h/t1"
        );
        assert_eq!(with_database("postgres://u@h", "t1"), "postgres://u@h/t1");
    }

    #[test]
    fn tls_is_turned_off_unless_the_url_chooses() {
        assert_eq!(
            without_tls("postgres://h/db".into()),
            "postgres://h/db?sslmode=disable"
        );
        assert_eq!(
            without_tls("postgres://h/db?user=u".into()),
            "postgres://h/db?user=u&sslmode=disable"
        );
        assert_eq!(
            without_tls("postgres://h/db?sslmode=require".into()),
            "postgres://h/db?sslmode=require"
        );
    }
}
