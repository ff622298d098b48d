//! Pages of lists and feeds.
//!
//! Every plain list is keyset-paginated the same way, and a new one should be too:
//!
//! 1. decode the cursor into the key the page starts after ([`crate::cursor::decode_key`]
//!    for a one-part key such as a sequence number or a SKU);
//! 2. read the rows after that key in key order, `.limit(page::fetch_limit(limit))`: one
//!    more than the page holds, which tells whether another page follows;
//! 3. hand them to [`Page::keyset`], which keeps `limit` rows and makes `nextCursor` from
//!    the last one kept; complete the kept rows with [`Page::try_map_items`] or
//!    [`Page::map_items`] when they need more than the one query.
//!
//! ```
//! use orderpath_core::cursor;
//! use orderpath_core::page::{fetch_limit, Page};
//!
//! let limit = 2;
//! // What `.filter(seq.gt(after)).order(seq).limit(fetch_limit(limit))` returned:
//! let seqs: Vec<i64> = vec![10, 20, 30];
//! assert_eq!(seqs.len() as i64, fetch_limit(limit));
//! let page = Page::keyset(seqs, limit, |seq| cursor::encode(&[&seq.to_string()]));
//! assert_eq!(page.items, [10, 20]);
//! let next = page.next_cursor.expect("a third row was read");
//! assert_eq!(cursor::decode_key::<i64>(&next).ok(), Some(20));
//! ```
//!
//! Change feeds are pages too, read through `orderpath_db::feed` (see [`Page::feed`]).

use crate::cursor::FeedPosition;
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

/// How many rows a keyset query reads for a page of `limit`: one more, so that
/// [`Page::keyset`] knows whether another page follows.
pub fn fetch_limit(limit: i64) -> i64 {
    limit + 1
}

impl<T> Page<T> {
    /// The page of a plain list from `rows` read with [`fetch_limit`]`(limit)` in key
    /// order: the first `limit` rows, and when more were read, a cursor made by
    /// `cursor_of` from the last row kept (the key the next page starts after).
    pub fn keyset(mut rows: Vec<T>, limit: i64, cursor_of: impl FnOnce(&T) -> String) -> Self {
        let keep = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > keep;
        rows.truncate(keep);
        let next_cursor = if more {
            rows.last().map(cursor_of)
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    /// The page of a change feed from `rows` read after `after` in feed order: its cursor
    /// is always set, to the position of the last row or to `after` itself when caught up.
    pub fn feed(
        rows: Vec<T>,
        after: FeedPosition,
        position_of: impl FnOnce(&T) -> FeedPosition,
    ) -> Self {
        let last = rows.last().map_or(after, position_of);
        Page {
            items: rows,
            next_cursor: Some(last.encode()),
        }
    }

    /// The same page with each item turned into something else; the cursor stays.
    pub fn map_items<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(convert).collect(),
            next_cursor: self.next_cursor,
        }
    }

    /// The same page with its items turned into something else, all at once (for example
    /// rows completed by one more query); the cursor stays.
    pub fn try_map_items<U, E>(
        self,
        convert: impl FnOnce(Vec<T>) -> Result<Vec<U>, E>,
    ) -> Result<Page<U>, E> {
        Ok(Page {
            items: convert(self.items)?,
            next_cursor: self.next_cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(n: &i32) -> String {
        n.to_string()
    }

    #[test]
    fn a_keyset_page_with_more_rows_keeps_limit_and_points_at_its_last_row() {
        let page = Page::keyset(vec![1, 2, 3], 2, cursor);
        assert_eq!(page.items, [1, 2]);
        assert_eq!(page.next_cursor.as_deref(), Some("2"));
    }

    #[test]
    fn the_last_keyset_page_has_no_cursor() {
        let page = Page::keyset(vec![1, 2], 2, cursor);
        assert_eq!(page.items, [1, 2]);
        assert_eq!(page.next_cursor, None);
        assert_eq!(Page::keyset(Vec::new(), 2, cursor).next_cursor, None);
        assert_eq!(fetch_limit(2), 3);
    }

    #[test]
    fn a_feed_page_always_has_a_cursor() {
        let after = FeedPosition { txid: 7, seq: 1 };
        let at = |n: &i64| FeedPosition { txid: *n, seq: 0 };
        let caught_up = Page::feed(Vec::new(), after, at);
        assert_eq!(caught_up.next_cursor, Some(after.encode()));
        let page = Page::feed(vec![8, 9], after, at);
        assert_eq!(page.next_cursor, Some(at(&9).encode()));
    }
}
