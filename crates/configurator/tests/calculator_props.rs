//! Property tests: the planners against exhaustive search on small inputs.

use std::collections::HashMap;

use orderpath_configurator::{
    drum_cost, plan_cuts, plan_total_length, CalculatorError, DrumChoice,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

/// 1–4 options with distinct ids; capacities either whole metres or any
/// millimetre value in 1..=12 m, prices 0.00..=50.00.
fn options() -> impl Strategy<Value = Vec<DrumChoice>> {
    let capacity = prop_oneof![
        (1_i64..=12).prop_map(|m| Decimal::new(m, 0)),
        (1_000_i64..=12_000).prop_map(|mm| Decimal::new(mm, 3)),
    ];
    prop::collection::vec((capacity, 0_i64..=5_000), 1..=4).prop_map(|drums| {
        drums
            .into_iter()
            .enumerate()
            .map(|(i, (max_length, cents))| DrumChoice {
                drum_product_id: Uuid::from_u128(1000 - i as u128),
                max_length,
                price: Decimal::new(cents, 2),
            })
            .collect()
    })
}

fn length(max_mm: i64) -> impl Strategy<Value = Decimal> {
    (1..=max_mm).prop_map(|mm| Decimal::new(mm, 3))
}

/// Minimal (cost, drum count) over every multiset of drums covering
/// `total`, enumerated in option order and never growing past a cover
/// (every minimal cover, hence every optimum, is among them).
fn brute_force(options: &[DrumChoice], total: Decimal) -> (Decimal, usize) {
    fn go(
        options: &[DrumChoice],
        total: Decimal,
        sum: Decimal,
        cost: Decimal,
        count: usize,
        best: &mut Option<(Decimal, usize)>,
    ) {
        if sum >= total {
            if best.is_none_or(|b| (cost, count) < b) {
                *best = Some((cost, count));
            }
            return;
        }
        let Some((first, rest)) = options.split_first() else {
            return;
        };
        let (mut sum, mut cost, mut count) = (sum, cost, count);
        loop {
            go(rest, total, sum, cost, count, best);
            if sum >= total {
                break;
            }
            sum += first.max_length;
            cost += first.price;
            count += 1;
        }
    }
    let mut best = None;
    go(options, total, Decimal::ZERO, Decimal::ZERO, 0, &mut best);
    best.expect("any total is coverable")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn plan_total_length_matches_brute_force(options in options(), total in length(20_000)) {
        let plans = plan_total_length(&options, total).unwrap();
        let (cost, count) = brute_force(&options, total);
        prop_assert_eq!(drum_cost(&plans), cost);
        prop_assert_eq!(plans.len(), count);

        let capacity: HashMap<Uuid, Decimal> =
            options.iter().map(|o| (o.drum_product_id, o.max_length)).collect();
        prop_assert_eq!(plans.iter().map(|p| p.length).sum::<Decimal>(), total);
        for plan in &plans {
            prop_assert!(plan.length > Decimal::ZERO);
            prop_assert!(plan.length <= capacity[&plan.drum_product_id]);
        }
    }

    #[test]
    fn plan_total_length_ignores_option_order(options in options(), total in length(20_000)) {
        let mut reversed = options.clone();
        reversed.reverse();
        prop_assert_eq!(plan_total_length(&options, total), plan_total_length(&reversed, total));
    }

    #[test]
    fn plan_cuts_matches_brute_force(
        options in options(),
        cuts in prop::collection::vec(length(13_000), 0..6),
    ) {
        let result = plan_cuts(&options, &cuts);
        let expected: Result<Vec<_>, usize> = cuts
            .iter()
            .enumerate()
            .map(|(index, &cut)| {
                let mut fitting: Vec<&DrumChoice> =
                    options.iter().filter(|o| o.max_length >= cut).collect();
                fitting.sort_by_key(|o| (o.price, o.max_length, o.drum_product_id));
                fitting.first().map(|o| (cut, o.drum_product_id, o.price)).ok_or(index)
            })
            .collect();
        match (result, expected) {
            (Ok(plans), Ok(expected)) => {
                let got: Vec<_> =
                    plans.iter().map(|p| (p.length, p.drum_product_id, p.drum_price)).collect();
                prop_assert_eq!(got, expected);
            }
            (Err(CalculatorError::CutTooLong { index, .. }), Err(first)) => {
                prop_assert_eq!(index, first);
            }
            (got, expected) => prop_assert!(false, "got {:?}, expected {:?}", got, expected),
        }
    }
}
