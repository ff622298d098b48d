//! Drum choice for cable cuts.
//!
//! Lengths are metres, valid as content quantities are (positive, below
//! [`MAX_QUANTITY`], at most 3 decimals: millimetres), and are computed on
//! exactly as integer millimetres; prices are exact [`Decimal`]s, valid as
//! any price is ([`validate_price`]). Results are deterministic and
//! independent of the order of the drum options (they are canonicalised by
//! drum id).

use orderpath_core::money::{validate_price, PRICE_SCALE};
use orderpath_core::quantity::{Quantity, QuantityType, MAX_QUANTITY};
use rust_decimal::Decimal;
use thiserror::Error;
use uuid::Uuid;

use crate::cover::{self, Item};

/// Most drums [`plan_total_length`] will put in one answer.
pub const MAX_DRUMS: u64 = 10_000;

/// A drum that may carry a cut, with its capacity and price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrumChoice {
    pub drum_product_id: Uuid,
    /// Longest cut, in metres, the drum carries (> 0, at most 3 decimals).
    pub max_length: Decimal,
    /// Price of one drum, a valid price ([`validate_price`]).
    pub price: Decimal,
}

/// One cut and the drum it is wound on. Guaranteed: `0 < length <= max_length`
/// of that drum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutPlan {
    pub length: Decimal,
    pub drum_product_id: Uuid,
    pub drum_price: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalculatorError {
    #[error("no drum options to choose from")]
    NoDrumOptions,
    #[error("drum option {drum_product_id} is invalid: {reason}")]
    InvalidDrumOption {
        drum_product_id: Uuid,
        reason: String,
    },
    #[error("drum {drum_product_id} is listed more than once")]
    DuplicateDrumOption { drum_product_id: Uuid },
    #[error(
        "cut #{index} of {length} m is invalid: a length must be positive, \
         below {MAX_QUANTITY} m and have at most 3 decimals"
    )]
    InvalidLength { index: usize, length: Decimal },
    #[error(
        "total of {total} m is invalid: a length must be positive, \
         below {MAX_QUANTITY} m and have at most 3 decimals"
    )]
    InvalidTotal { total: Decimal },
    #[error("cut #{index} of {length} m is longer than the longest drum option ({longest} m)")]
    CutTooLong {
        index: usize,
        length: Decimal,
        longest: Decimal,
    },
    #[error("the plan needs at least {needed} drums; at most {limit} are allowed")]
    TooManyDrums { needed: u64, limit: u64 },
    #[error(
        "cannot plan {total} m exactly: the drum capacities only share a step of \
         {step} m, which makes the search too large"
    )]
    SearchTooLarge { total: Decimal, step: Decimal },
}

/// For each cut, in order, the cheapest drum that carries it; ties go to
/// the smaller `max_length`, then the smaller drum id.
pub fn plan_cuts(
    options: &[DrumChoice],
    cuts: &[Decimal],
) -> Result<Vec<CutPlan>, CalculatorError> {
    let options = canonical(options)?;
    let longest = options
        .iter()
        .map(|o| o.max_length)
        .max()
        .unwrap_or_default();
    cuts.iter()
        .enumerate()
        .map(|(index, &length)| {
            if to_mm(length).is_none() {
                return Err(CalculatorError::InvalidLength { index, length });
            }
            options
                .iter()
                .filter(|o| o.max_length >= length)
                .min_by_key(|o| (o.price, o.max_length, o.drum_product_id))
                .map(|o| plan(length, o))
                .ok_or(CalculatorError::CutTooLong {
                    index,
                    length,
                    longest,
                })
        })
        .collect()
}

/// Splits `total` metres over the cheapest multiset of drums whose
/// capacities sum to at least `total`.
///
/// Optimal: minimal total drum price, then fewest drums. Remaining ties are
/// broken deterministically: the answer depends only on the set of options
/// and the total, never on the options' order.
///
/// The cuts are listed by drum capacity, largest first (then drum id), and
/// each drum carries `min(capacity, remaining)`. Guaranteed: cut lengths sum
/// exactly to `total`, each is `> 0` and `<=` its drum's `max_length`.
/// No drum carries 0: an optimal multiset is a minimal cover (dropping any
/// drum leaves less than `total`, else it would be as cheap with fewer
/// drums), so every drum but the last is filled and the last gets the
/// positive remainder.
///
/// Limits: at most [`MAX_DRUMS`] drums ([`CalculatorError::TooManyDrums`]).
/// The search works in steps of the GCD of the capacities and allocates at
/// most 1 000 000 states; realistic drums (capacities sharing a step of a
/// metre or more, or a best-value drum under 1 km) plan any total below
/// [`MAX_QUANTITY`] in milliseconds; the largest search allowed (a million
/// states × 20 options) takes a few seconds unoptimised. Odd millimetre capacities together with a
/// total that is small compared to the drums but over 1 000 000 steps give
/// [`CalculatorError::SearchTooLarge`] rather than an unbounded search.
pub fn plan_total_length(
    options: &[DrumChoice],
    total: Decimal,
) -> Result<Vec<CutPlan>, CalculatorError> {
    let options = canonical(options)?;
    let total_mm = to_mm(total).ok_or(CalculatorError::InvalidTotal { total })?;
    let items: Vec<Item> = options
        .iter()
        .map(|o| Item {
            capacity: to_mm(o.max_length).expect("validated"),
            price: price_units(o.price),
        })
        .collect();

    let largest = items.iter().map(|i| i.capacity).max().expect("not empty");
    let at_least = total_mm.div_ceil(largest);
    if at_least > MAX_DRUMS {
        return Err(too_many(at_least));
    }
    let counts = cover::solve(&items, total_mm).map_err(|cover::TooLarge| {
        let step = items.iter().fold(0, |g, i| cover::gcd(g, i.capacity));
        CalculatorError::SearchTooLarge {
            total,
            step: from_mm(step),
        }
    })?;
    let drums: u64 = counts.iter().sum();
    if drums > MAX_DRUMS {
        return Err(too_many(drums));
    }

    let mut order: Vec<usize> = (0..options.len()).collect();
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(items[i].capacity),
            options[i].drum_product_id,
        )
    });
    let mut remaining = total_mm;
    let mut plans = Vec::with_capacity(usize::try_from(drums).unwrap_or(0));
    for i in order {
        for _ in 0..counts[i] {
            let carried = items[i].capacity.min(remaining);
            if carried == 0 {
                // Unreachable for an optimal cover (see above); dropping the
                // drum keeps the plan valid and only makes it cheaper.
                continue;
            }
            remaining -= carried;
            plans.push(plan(from_mm(carried), &options[i]));
        }
    }
    debug_assert_eq!(remaining, 0);
    Ok(plans)
}

/// Total price of the drums of `plans`.
pub fn drum_cost(plans: &[CutPlan]) -> Decimal {
    plans.iter().map(|p| p.drum_price).sum()
}

fn plan(length: Decimal, option: &DrumChoice) -> CutPlan {
    CutPlan {
        length,
        drum_product_id: option.drum_product_id,
        drum_price: option.price,
    }
}

fn too_many(needed: u64) -> CalculatorError {
    CalculatorError::TooManyDrums {
        needed,
        limit: MAX_DRUMS,
    }
}

/// Validates the options and sorts them by drum id.
fn canonical(options: &[DrumChoice]) -> Result<Vec<DrumChoice>, CalculatorError> {
    if options.is_empty() {
        return Err(CalculatorError::NoDrumOptions);
    }
    let mut sorted = options.to_vec();
    sorted.sort_by_key(|o| o.drum_product_id);
    for (i, o) in sorted.iter().enumerate() {
        let invalid = |reason| CalculatorError::InvalidDrumOption {
            drum_product_id: o.drum_product_id,
            reason,
        };
        if to_mm(o.max_length).is_none() {
            return Err(invalid(format!(
                "max_length must be positive, below {MAX_QUANTITY} m and have at most 3 decimals"
            )));
        }
        if let Err(reason) = validate_price(o.price) {
            return Err(invalid(format!("price {reason}")));
        }
        if i > 0 && sorted[i - 1].drum_product_id == o.drum_product_id {
            return Err(CalculatorError::DuplicateDrumOption {
                drum_product_id: o.drum_product_id,
            });
        }
    }
    Ok(sorted)
}

/// Millimetres of a valid length (a valid content quantity), `None` otherwise.
fn to_mm(length: Decimal) -> Option<u64> {
    let mut mm = Quantity::new(QuantityType::ContentQuantity, length)
        .ok()?
        .value();
    mm.rescale(QuantityType::ContentQuantity.max_scale());
    u64::try_from(mm.mantissa()).ok()
}

fn from_mm(mm: u64) -> Decimal {
    let scale = QuantityType::ContentQuantity.max_scale();
    Decimal::from_i128_with_scale(i128::from(mm), scale).normalize()
}

/// A validated price in its smallest unit (prices have at most [`PRICE_SCALE`] decimals).
fn price_units(price: Decimal) -> i128 {
    let mut units = price;
    units.rescale(PRICE_SCALE);
    units.mantissa()
}
