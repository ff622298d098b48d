//! Pure price arithmetic: line and document totals, VAT, margins and rounding, exactly as
//! `docs/api.md` (Totals and rounding) orders them. No floats, no I/O: every amount is a
//! `rust_decimal::Decimal` and rounding is written once, in [`rounding`].

pub mod rounding;
pub mod totals;

pub use rounding::round_money;
pub use totals::{DocumentTotals, LineInput, LineTotals, Totals};
