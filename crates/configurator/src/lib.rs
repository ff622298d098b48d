//! Pure configurator logic for orderpath: no database, no HTTP.
//!
//! * [`build_drafts`] turns a configurable-product request (a parent line
//!   with children such as a cable and its drum) into validated
//!   [`LineDraft`]s, or reports every field error at once.
//! * [`plan_cuts`] and [`plan_total_length`] choose drums for cable cuts,
//!   exactly and deterministically; [`drum_cost`] prices the result.
//!
//! Lengths and prices are [`rust_decimal::Decimal`] throughout; no floats. Quantities,
//! product kinds, drum options, field errors and the limits on quantities and prices are
//! core's (`orderpath_core`), the same everywhere in orderpath.

mod calculator;
mod cover;
mod drafts;
mod types;

pub use calculator::{
    drum_cost, plan_cuts, plan_total_length, CalculatorError, CutPlan, DrumChoice, MAX_DRUMS,
};
pub use drafts::build_drafts;
pub use types::{
    ChildRequest, ConfigurableRequest, Flags, LineDraft, ProductFacts, RequestedQuantity,
};
