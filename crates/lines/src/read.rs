//! Reading documents with their lines: the parts every document's loader shares once its
//! own query has run.

use std::collections::HashMap;

use orderpath_pricing::DocumentTotals;
use uuid::Uuid;

use crate::line::Line;
use crate::record::LineRecord;

/// Splits the rows of one document left-joined with its line table (one row per line, a
/// lone row with no line for a document without lines) into the document and its lines,
/// in row order. `None` when there is no row: the document does not exist.
pub fn document_and_lines<D>(rows: Vec<(D, Option<LineRecord>)>) -> Option<(D, Vec<Line>)> {
    let mut rows = rows.into_iter();
    let (document, first) = rows.next()?;
    let lines = first
        .into_iter()
        .chain(rows.filter_map(|(_, line)| line))
        .map(LineRecord::into_line)
        .collect();
    Some((document, lines))
}

/// Groups `(document id, line)` rows by document, keeping their order within each.
pub fn lines_by_document(rows: Vec<(Uuid, LineRecord)>) -> HashMap<Uuid, Vec<Line>> {
    let mut lines: HashMap<Uuid, Vec<Line>> = HashMap::new();
    for (document, record) in rows {
        lines.entry(document).or_default().push(record.into_line());
    }
    lines
}

/// The totals of a document: its lines' totals added up.
pub fn document_totals(lines: &[Line]) -> DocumentTotals {
    DocumentTotals::sum(lines.iter().map(|l| &l.totals))
}
