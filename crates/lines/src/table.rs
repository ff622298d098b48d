//! One record type for the line tables of offers and orders. The tables have the same
//! columns but for the document key (`offer_id`, `order_id`); these macros name the
//! columns and the statements that read lines once, so each document crate reads its own
//! table with [`LineRecord`](crate::LineRecord) instead of a copy of it (lines are
//! written with [`line_rows`](crate::line_rows)). Call them with the tables' schema modules in scope
//! (`use orderpath_db::schema::offer_lines;`) and diesel's prelude imported.

/// The columns of a document line table in [`LineRecord`](crate::LineRecord) order:
/// `.select(line_record_columns!(offer_lines))` loads records, and
/// `line_record_columns!(offer_lines).nullable()` loads `Option<LineRecord>` on the
/// right of a left join.
#[macro_export]
macro_rules! line_record_columns {
    ($table:ident) => {
        (
            $table::id,
            $table::product_id,
            $table::parent_line_id,
            $table::sku,
            $table::name,
            $table::unit,
            $table::quantity_type,
            $table::quantity,
            $table::allow_quantity_change,
            $table::allow_quantity_splitting,
            $table::removable,
            $table::unit_price,
            $table::catalog_unit_price,
            $table::unit_price_overridden,
            $table::purchase_price,
            $table::catalog_purchase_price,
            $table::purchase_price_overridden,
            $table::vat_rate,
            $table::position,
        )
    };
}

/// Reads document `$id` from table `$documents` (selected as `$row`) with its lines from
/// `$lines` in one statement, left-joined so that a document without lines is found too:
/// `Ok(None)` when the document does not exist.
/// `document_with_lines!(conn, offers, OfferRow, offer_lines, id)`.
#[macro_export]
macro_rules! document_with_lines {
    ($conn:expr, $documents:ident, $row:ty, $lines:ident, $id:expr) => {
        $documents::table
            .left_join($lines::table)
            .filter($documents::id.eq($id))
            .select((
                <$row>::as_select(),
                $crate::line_record_columns!($lines).nullable(),
            ))
            .order($lines::position)
            .load($conn)
            .map($crate::document_and_lines::<$row>)
    };
}

/// Reads the lines of the documents `$ids` from `$lines`, whose key column is `$document`,
/// in one statement, grouped by document in position order.
/// `lines_of_documents!(conn, offer_lines, offer_id, &ids)`.
#[macro_export]
macro_rules! lines_of_documents {
    ($conn:expr, $lines:ident, $document:ident, $ids:expr) => {
        $lines::table
            .filter($lines::$document.eq_any($ids))
            .order(($lines::$document, $lines::position))
            .select(($lines::$document, $crate::line_record_columns!($lines)))
            .load($conn)
            .map($crate::lines_by_document)
    };
}
