use crate::Error;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// A page of a keyset-paginated list. `next_cursor` is `None` at the end of a plain list;
/// change feeds always set it, so a client can resume from where it caught up.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The `limit` parameter: 1 to 500, 50 when absent.
pub fn limit(requested: Option<i64>) -> Result<i64, Error> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(Error::field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}
