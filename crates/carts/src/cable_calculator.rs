//! The cable calculator: on which drums to wind cuts of a cable, at the lowest drum cost.
//! The catalog says which drums may carry the cable and what they cost; the configurator
//! chooses among them.

use diesel::PgConnection;
use orderpath_configurator as configurator;
use orderpath_core::{Error, Result};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::configured::cable_drum_choices;

/// What the calculator is asked for one cable.
#[derive(Debug, Clone)]
pub enum CableRequest {
    /// These cut lengths, in this order: each on the cheapest drum that carries it.
    Cuts(Vec<Decimal>),
    /// This total length, cut as the calculator chooses over the cheapest set of drums.
    TotalLength(Decimal),
}

/// The calculator's proposal.
#[derive(Debug, Clone)]
pub struct CablePlan {
    /// Each cut with the drum it is wound on.
    pub cuts: Vec<configurator::CutPlan>,
    /// The drums' prices added up.
    pub drum_cost: Decimal,
}

/// Proposes the drums for `request` on cable `cable_id`. Errors name the request field
/// they are about (`cableProductId`, `cuts[i]`, `cuts` or `totalLength`).
pub fn cable_calculator(
    conn: &mut PgConnection,
    cable_id: Uuid,
    request: &CableRequest,
) -> Result<CablePlan> {
    let choices = cable_drum_choices(conn, cable_id)?;
    let cuts = match request {
        CableRequest::Cuts(cuts) => configurator::plan_cuts(&choices, cuts),
        CableRequest::TotalLength(total) => configurator::plan_total_length(&choices, *total),
    }
    .map_err(|e| Error::field(error_field(&e, request), e.to_string()))?;
    Ok(CablePlan {
        drum_cost: configurator::drum_cost(&cuts),
        cuts,
    })
}

/// The request field a calculator error is about.
fn error_field(error: &configurator::CalculatorError, request: &CableRequest) -> String {
    use configurator::CalculatorError as E;
    match (error, request) {
        (E::NoDrumOptions | E::InvalidDrumOption { .. } | E::DuplicateDrumOption { .. }, _) => {
            "cableProductId".into()
        }
        (E::InvalidLength { index, .. } | E::CutTooLong { index, .. }, CableRequest::Cuts(_)) => {
            format!("cuts[{index}]")
        }
        (_, CableRequest::Cuts(_)) => "cuts".into(),
        (_, CableRequest::TotalLength(_)) => "totalLength".into(),
    }
}
