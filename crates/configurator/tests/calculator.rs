//! `plan_cuts`, `plan_total_length` and `drum_cost` on hand-made cases.

use std::str::FromStr;

use orderpath_configurator::{
    drum_cost, plan_cuts, plan_total_length, CalculatorError, CutPlan, DrumChoice, MAX_DRUMS,
};
use rust_decimal::Decimal;
use uuid::Uuid;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn drum(id: u128, max_length: &str, price: &str) -> DrumChoice {
    DrumChoice {
        drum_product_id: Uuid::from_u128(id),
        max_length: d(max_length),
        price: d(price),
    }
}

/// Drum options from `(id, max length, price)` rows.
fn drums(rows: &[(u128, &str, &str)]) -> Vec<DrumChoice> {
    rows.iter()
        .map(|&(id, max_length, price)| drum(id, max_length, price))
        .collect()
}

fn summary(plans: &[CutPlan]) -> Vec<(String, u128)> {
    plans
        .iter()
        .map(|p| (p.length.to_string(), p.drum_product_id.as_u128()))
        .collect()
}

/// Where `plan_cuts` puts cuts of `lengths`: each cut's length and its drum.
fn cut_on(options: &[DrumChoice], lengths: &[&str]) -> Vec<(String, u128)> {
    summary(&plan_cuts(options, &cuts(lengths)).expect("cuts planned"))
}

fn cuts(values: &[&str]) -> Vec<Decimal> {
    values.iter().map(|v| d(v)).collect()
}

#[test]
fn spec_example_each_cut_on_its_cheapest_drum() {
    let options = [drum(1, "500", "30"), drum(2, "200", "12")];
    let plans = plan_cuts(&options, &cuts(&["400", "400", "150"])).unwrap();
    assert_eq!(
        summary(&plans),
        [("400".into(), 1), ("400".into(), 1), ("150".into(), 2)]
    );
    assert_eq!(drum_cost(&plans), d("72"));
}

#[test]
fn plan_cuts_ties_go_to_smaller_drum_then_smaller_id() {
    let options = drums(&[(9, "300", "10"), (5, "200", "10"), (3, "200", "10")]);
    assert_eq!(cut_on(&options, &["150"]), [("150".into(), 3)]);
}

#[test]
fn plan_cuts_refuses_bad_cuts() {
    let options = [drum(1, "500", "30")];
    for (bad, index) in [("0", 1), ("-3", 1), ("1.0001", 1), ("1000000000", 1)] {
        assert_eq!(
            plan_cuts(&options, &cuts(&["1", bad])),
            Err(CalculatorError::InvalidLength {
                index,
                length: d(bad)
            })
        );
    }
    assert_eq!(
        plan_cuts(&options, &cuts(&["500.001"])),
        Err(CalculatorError::CutTooLong {
            index: 0,
            length: d("500.001"),
            longest: d("500")
        })
    );
    assert_eq!(plan_cuts(&options, &[]), Ok(vec![]));
}

#[test]
fn options_are_validated() {
    let err = |options: &[DrumChoice]| plan_total_length(options, d("1")).unwrap_err();
    assert_eq!(err(&[]), CalculatorError::NoDrumOptions);
    assert_eq!(plan_cuts(&[], &[]), Err(CalculatorError::NoDrumOptions));
    let invalid = |option: DrumChoice| {
        let refusal = err(std::slice::from_ref(&option));
        assert!(
            matches!(refusal, CalculatorError::InvalidDrumOption { .. }),
            "{option:?}: {refusal:?}"
        );
    };
    for (max_length, price) in [
        ("0", "1"),
        ("0.0001", "1"),
        ("5", "-1"),
        ("5", "0.0000001"),
        ("5", "1000000000000"),
    ] {
        invalid(drum(1, max_length, price));
    }
    assert_eq!(
        err(&[drum(1, "5", "1"), drum(1, "6", "1")]),
        CalculatorError::DuplicateDrumOption {
            drum_product_id: Uuid::from_u128(1)
        }
    );
    // Drum prices are catalog prices: the one price limit applies.
    assert!(plan_total_length(&[drum(1, "5", "999999999.9999")], d("1")).is_ok());
    invalid(drum(1, "5", "1000000000"));
}

#[test]
fn total_is_validated() {
    let options = [drum(1, "500", "30")];
    for bad in ["0", "-1", "0.0005", "1000000000"] {
        assert_eq!(
            plan_total_length(&options, d(bad)),
            Err(CalculatorError::InvalidTotal { total: d(bad) })
        );
    }
}

#[test]
fn greedy_by_ratio_would_be_wrong() {
    // 500 @ 14 has the better ratio, but two 300 @ 10 cover 600 for 20
    // (500 + 300 = 24, 500 + 500 = 28).
    let options = [drum(1, "300", "10"), drum(2, "500", "14")];
    let plans = plan_total_length(&options, d("600")).unwrap();
    assert_eq!(summary(&plans), [("300".into(), 1), ("300".into(), 1)]);
    assert_eq!(drum_cost(&plans), d("20"));
}

#[test]
fn cuts_fill_largest_drums_first_and_sum_to_total() {
    let options = [drum(1, "500", "30"), drum(2, "200", "12")];
    // 1050 m: 500 + 500 + 200 (72) vs 500 + 200×3 (66) vs 200×6 (72):
    // the cheapest is 500 + 3 × 200, with the remainder on the last drum.
    let plans = plan_total_length(&options, d("1050")).unwrap();
    assert_eq!(
        summary(&plans),
        [
            ("500".into(), 1),
            ("200".into(), 2),
            ("200".into(), 2),
            ("150".into(), 2)
        ]
    );
    assert_eq!(plans.iter().map(|p| p.length).sum::<Decimal>(), d("1050"));
    assert_eq!(drum_cost(&plans), d("66"));
}

#[test]
fn equal_cost_prefers_fewer_drums() {
    // Same ratio: 1000 m on two 500s (60) or five 200s (60): two drums win.
    let options = [drum(1, "200", "12"), drum(2, "500", "30")];
    let plans = plan_total_length(&options, d("1000")).unwrap();
    assert_eq!(summary(&plans), [("500".into(), 2), ("500".into(), 2)]);
}

#[test]
fn result_does_not_depend_on_option_order() {
    let options = drums(&[(3, "250", "15"), (1, "500", "30"), (2, "125", "7.5")]);
    let mut reversed = options.to_vec();
    reversed.reverse();
    for total in ["1", "130", "374.999", "1000", "12345.678"] {
        assert_eq!(
            plan_total_length(&options, d(total)),
            plan_total_length(&reversed, d(total))
        );
    }
}

#[test]
fn millimetre_totals_are_exact() {
    let options = [drum(1, "0.5", "1")];
    let plans = plan_total_length(&options, d("1.001")).unwrap();
    assert_eq!(
        summary(&plans),
        [("0.5".into(), 1), ("0.5".into(), 1), ("0.001".into(), 1)]
    );
}

#[test]
fn hundred_kilometres_with_round_drums_is_fast_and_exact() {
    let options = drums(&[(1, "1000", "50"), (2, "500", "26"), (3, "250", "14")]);
    let plans = plan_total_length(&options, d("100000.5")).unwrap();
    // 100 × 1000 m, then 0.5 m on the cheapest drum: the 250 m drum.
    assert_eq!(plans.len(), 101);
    assert_eq!(drum_cost(&plans), d("5014"));
    assert_eq!(
        plans.last().map(|p| (p.length, p.drum_product_id)),
        Some((d("0.5"), Uuid::from_u128(3)))
    );
}

#[test]
fn thousand_kilometres_with_millimetre_capacities() {
    // Capacities share only a 1 mm step; solved over 500_000 residues.
    let options = [drum(1, "500", "20"), drum(2, "333.333", "14")];
    let plans = plan_total_length(&options, d("1000000")).unwrap();
    assert_eq!(
        plans.iter().map(|p| p.length).sum::<Decimal>(),
        d("1000000")
    );
    assert_eq!(drum_cost(&plans), d("40000")); // 2000 × 500 m
}

#[test]
fn too_many_drums_is_refused() {
    let options = [drum(1, "1", "1")];
    assert_eq!(
        plan_total_length(&options, d("10001")),
        Err(CalculatorError::TooManyDrums {
            needed: 10_001,
            limit: MAX_DRUMS
        })
    );
    // The cheapest plan itself may exceed the limit even when big drums exist.
    let options = [drum(1, "1", "1"), drum(2, "100", "1000")];
    assert!(matches!(
        plan_total_length(&options, d("20000")),
        Err(CalculatorError::TooManyDrums { needed: 20_000, .. })
    ));
}

#[test]
fn error_messages_read_well() {
    let err = CalculatorError::CutTooLong {
        index: 2,
        length: d("300"),
        longest: d("250"),
    };
    assert_eq!(
        err.to_string(),
        "cut #2 of 300 m is longer than the longest drum option (250 m)"
    );
}

#[test]
fn search_too_large_is_refused_not_run() {
    // Drums whose lengths share only a 1 mm step (997,123 residues) and whose prices are
    // in exact proportion to their lengths, so that no drum is worse than another and the
    // search cannot prune: 5000 km is beyond every exact solver's bound.
    let options = drums(&[
        (1, "997.123", "997.123"),
        (2, "613.777", "613.777"),
        (3, "301.999", "301.999"),
        (4, "149.5", "149.5"),
        (5, "73.001", "73.001"),
    ]);
    assert_eq!(
        plan_total_length(&options, d("5000000")),
        Err(CalculatorError::SearchTooLarge {
            total: d("5000000"),
            step: d("0.001")
        })
    );
}

#[test]
fn awkward_capacities_in_thousandths_are_planned_exactly() {
    // Five drums whose lengths share only a 1 mm step: a million residues for the
    // exhaustive method; the search settles it, exactly as cheap and with as many drums as
    // the exhaustive method's answer (1,554,493 on 5,016 drums).
    let options = [
        drum(1, "997.123", "310"),
        drum(2, "613.777", "199"),
        drum(3, "301.999", "101"),
        drum(4, "149.5", "52"),
        drum(5, "73.001", "27"),
    ];
    let plans = plan_total_length(&options, d("5000000")).unwrap();
    assert_eq!(
        plans.iter().map(|p| p.length).sum::<Decimal>(),
        d("5000000")
    );
    assert_eq!(drum_cost(&plans), d("1554493"));
    assert_eq!(plans.len(), 5016);
}

#[test]
fn worst_case_residue_search_finishes() {
    // 999_999 residues times 20 options: the largest residue search allowed.
    let mut options = vec![drum(1, "999.999", "40")];
    options.extend((2..=20).map(|i| drum(i, &format!("{}.{:03}", 100 + 37 * i, i), "40")));
    let plans = plan_total_length(&options, d("2000000")).unwrap();
    assert_eq!(
        plans.iter().map(|p| p.length).sum::<Decimal>(),
        d("2000000")
    );
}

#[test]
fn a_cut_exactly_as_long_as_a_drum_goes_on_that_drum() {
    let options = [drum(1, "500", "30"), drum(2, "1000", "50")];
    assert_eq!(
        cut_on(&options, &["500", "500.001"]),
        [("500".into(), 1), ("500.001".into(), 2)]
    );
    // The longest drum carries a cut of its full length.
    assert_eq!(cut_on(&options, &["1000"]), [("1000".into(), 2)]);
}

#[test]
fn exactly_max_drums_is_allowed() {
    let options = [drum(1, "1", "1")];
    let total = Decimal::from(MAX_DRUMS);
    let plans = plan_total_length(&options, total).unwrap();
    assert_eq!(plans.len() as u64, MAX_DRUMS);
    assert_eq!(drum_cost(&plans), total);
    // Bigger drums would need only 100, but the cheapest plan has exactly MAX_DRUMS.
    let options = [drum(1, "1", "1"), drum(2, "100", "1000")];
    let plans = plan_total_length(&options, total).unwrap();
    assert_eq!(plans.len() as u64, MAX_DRUMS);
    assert!(plans
        .iter()
        .all(|p| p.drum_product_id == Uuid::from_u128(1)));
}

#[test]
fn a_free_drum_is_a_valid_option_and_costs_nothing() {
    let options = [drum(1, "500", "0"), drum(2, "500", "0.0001")];
    let plans = plan_total_length(&options, d("1200")).unwrap();
    assert_eq!(
        summary(&plans),
        [("500".into(), 1), ("500".into(), 1), ("200".into(), 1)]
    );
    assert_eq!(drum_cost(&plans), Decimal::ZERO);
    let plans = plan_cuts(&options, &cuts(&["10"])).unwrap();
    assert_eq!(summary(&plans), [("10".into(), 1)]);
    assert_eq!(plans[0].drum_price, Decimal::ZERO);
}

#[test]
fn a_drum_price_with_exactly_four_decimals_is_priced_exactly() {
    // 250 m on 100 m drums at 12.3456: three drums, 37.0368, not a rounded amount.
    let options = [drum(1, "100", "12.3456")];
    let plans = plan_total_length(&options, d("250")).unwrap();
    assert_eq!(plans.len(), 3);
    assert_eq!(drum_cost(&plans), d("37.0368"));
    assert_eq!(
        plan_total_length(&[drum(1, "100", "12.34567")], d("250")),
        Err(CalculatorError::InvalidDrumOption {
            drum_product_id: Uuid::from_u128(1),
            reason: "price may have at most 4 decimal places".into()
        })
    );
}

#[test]
fn the_cheaper_drum_wins_by_a_ten_thousandth() {
    // Prices are compared in their smallest unit: 0.0001 decides.
    let options = [drum(1, "100", "10.0001"), drum(2, "100", "10")];
    let plans = plan_total_length(&options, d("300")).unwrap();
    assert!(plans
        .iter()
        .all(|p| p.drum_product_id == Uuid::from_u128(2)));
    assert_eq!(drum_cost(&plans), d("30"));
}
