//! Pure configurator logic for orderpath: no database, no HTTP.
//!
//! * [`build_drafts`] turns a configurable-product request (a parent line
//!   with children such as a cable and its drum) into validated
//!   [`LineDraft`]s, or reports every [`FieldError`] at once.
//! * [`plan_cuts`] and [`plan_total_length`] choose drums for cable cuts,
//!   exactly and deterministically; [`drum_cost`] prices the result.
//!
//! Lengths and prices are [`rust_decimal::Decimal`] throughout; no floats.

mod calculator;
mod cover;
mod drafts;
mod types;

pub use calculator::{
    drum_cost, plan_cuts, plan_total_length, CalculatorError, CutPlan, DrumChoice, MAX_DRUMS,
    MAX_LENGTH, MAX_PRICE, MAX_PRICE_DECIMALS,
};
pub use drafts::{build_drafts, MAX_CONTENT_DECIMALS, MAX_QUANTITY};
pub use types::{
    ChildRequest, ConfigurableRequest, DrumOption, FieldError, Flags, LineDraft, ProductFacts,
    ProductKind, QuantityType, RequestedQuantity,
};
