//! Document lines, the one shape carts, offers and orders share: the line with its totals,
//! the stored record offers and orders keep of it, the copy of a cart's lines into a new
//! document, the shared reading helpers, and merchants' price edits on single lines with
//! their audit (the `price_edits` table, which this crate alone writes).
//!
//! Each document crate writes its own line table; this crate gives them one record type
//! ([`LineRecord`]) with the [`line_record_columns!`] macro and [`line_rows`] to read and
//! insert it, [`document_with_lines!`] and [`lines_of_documents!`] to read a document's or
//! a page's lines, and one implementation of price edits over [`PriceEditable`].

mod audit;
mod edit;
mod line;
mod read;
mod record;
mod rows;
mod table;

pub use audit::{list_price_edits, DocumentType, EditContext, PriceEditRecord, PriceField};
pub use edit::{
    edit_line_price, restore_line_price, LineEdit, PriceChange, PriceEditable, StoredPrices,
};
pub use line::{Line, LineFlags};
pub use read::{document_and_lines, document_totals, lines_by_document};
pub use record::{copy_lines, LineRecord};
pub use rows::{insert_line_copies, line_rows, LineRows, LineTable};

#[cfg(test)]
mod tests;
