//! Both solvers against exhaustive enumeration, on small instances.

use proptest::prelude::*;

use super::search::solve_search;
use super::{best_ratio, solve, solve_dp, solve_residue, Item};

/// Lexicographic (cost, count) optimum by enumerating every multiset built
/// in item order that stops growing once it covers `target`. Every minimal
/// cover is such a multiset, and optimal covers are minimal.
fn brute_force(items: &[Item], target: u64) -> (i128, u64) {
    fn go(items: &[Item], target: u64, sum: u64, cost: i128, count: u64, best: &mut (i128, u64)) {
        if sum >= target {
            *best = (*best).min((cost, count));
            return;
        }
        let Some((first, rest)) = items.split_first() else {
            return;
        };
        let (mut sum, mut cost, mut count) = (sum, cost, count);
        loop {
            go(rest, target, sum, cost, count, best);
            if sum >= target {
                break;
            }
            sum += first.capacity;
            cost += first.price;
            count += 1;
        }
    }
    let mut best = (i128::MAX, u64::MAX);
    go(items, target, 0, 0, 0, &mut best);
    best
}

fn value(items: &[Item], counts: &[u64]) -> (i128, u64, u64) {
    let cost = items
        .iter()
        .zip(counts)
        .map(|(it, &n)| it.price * i128::from(n))
        .sum();
    let capacity = items
        .iter()
        .zip(counts)
        .map(|(it, &n)| it.capacity * n)
        .sum();
    (cost, counts.iter().sum(), capacity)
}

fn items_strategy() -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec(
        (1_u64..=14, 0_i128..=40).prop_map(|(capacity, price)| Item { capacity, price }),
        1..=4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn dp_is_optimal(items in items_strategy(), target in 1_u64..=40) {
        let counts = solve_dp(&items, target);
        let (cost, count, capacity) = value(&items, &counts);
        prop_assert!(capacity >= target);
        prop_assert_eq!((cost, count), brute_force(&items, target));
    }

    #[test]
    fn residue_is_optimal_when_it_answers(items in items_strategy(), target in 1_u64..=40) {
        if let Some(counts) = solve_residue(&items, target) {
            let (cost, count, capacity) = value(&items, &counts);
            prop_assert!(capacity >= target);
            prop_assert_eq!((cost, count), brute_force(&items, target));
        }
    }

    #[test]
    fn search_is_optimal_when_it_answers(items in items_strategy(), target in 1_u64..=40) {
        if let Some(counts) = solve_search(&items, target, 1_000) {
            let (cost, count, capacity) = value(&items, &counts);
            prop_assert!(capacity >= target);
            prop_assert_eq!((cost, count), brute_force(&items, target));
        }
    }

    /// On targets far beyond exhaustive enumeration, the search and the residue method
    /// agree drum for drum whenever both answer.
    #[test]
    fn search_agrees_with_the_residue_method(
        list in prop::collection::vec((1_u64..=5_000, 0_i128..=4_000), 1..=5),
        target in 5_000_u64..=50_000_000,
    ) {
        let items: Vec<Item> = list.iter().map(|&(capacity, price)| Item { capacity, price }).collect();
        if let (Some(searched), Some(walked)) =
            (solve_search(&items, target, 1_000_000), solve_residue(&items, target))
        {
            prop_assert_eq!(value(&items, &searched), value(&items, &walked));
        }
    }

    #[test]
    fn solve_is_optimal(items in items_strategy(), target in 1_u64..=40) {
        let counts = solve(&items, target).unwrap();
        let (cost, count, capacity) = value(&items, &counts);
        prop_assert!(capacity >= target);
        prop_assert_eq!((cost, count), brute_force(&items, target));
    }
}

#[test]
fn residue_answers_for_large_targets() {
    // Best ratio 5 @ 7 (1.4); 3 @ 5 is worse (1.67). Far beyond any DP bound.
    let items = [
        Item {
            capacity: 3,
            price: 5,
        },
        Item {
            capacity: 5,
            price: 7,
        },
    ];
    let target = 10_000_000_001; // ≡ 1 mod 5: 2 × 3 + k × 5 ≥ target is cheapest
    let counts = solve_residue(&items, target).expect("attainable");
    let (cost, _, capacity) = value(&items, &counts);
    assert!(capacity >= target);
    // All-5 cover: 2_000_000_001 × 7; with two 3s: 2 × 5 + 1_999_999_999 × 7.
    assert_eq!(counts, vec![2, 1_999_999_999]);
    assert_eq!(cost, 10 + 1_999_999_999 * 7);
}

#[test]
fn solve_reduces_by_gcd() {
    // Capacities 300_000 and 500_000 (mm): step 100_000, tiny instance.
    let items = [
        Item {
            capacity: 300_000,
            price: 10,
        },
        Item {
            capacity: 500_000,
            price: 14,
        },
    ];
    assert_eq!(solve(&items, 600_000), Ok(vec![2, 0]));
    // 100 km: 1_000_000 steps, solved over 5 residues: all 500 m drums.
    assert_eq!(solve(&items, 100_000_000_000), Ok(vec![0, 200_000]));
}

#[test]
fn best_ratio_prefers_larger_capacity_on_equal_ratio() {
    let items = [
        Item {
            capacity: 200,
            price: 12,
        },
        Item {
            capacity: 500,
            price: 30,
        },
    ];
    assert_eq!(best_ratio(&items), 1);
}

#[test]
fn residue_falls_back_when_small_target_overshoots() {
    // Best ratio is 10 @ 10. For target 3 the lowest bound is residue 4
    // (two 7s, padded to L = 4), but that rest overshoots L: unattainable.
    let items = [
        Item {
            capacity: 10,
            price: 10,
        },
        Item {
            capacity: 7,
            price: 8,
        },
    ];
    assert_eq!(solve_residue(&items, 3), None);
    assert_eq!(solve(&items, 3), Ok(vec![0, 1]));
}

fn items(list: &[(u64, i128)]) -> Vec<Item> {
    list.iter()
        .map(|&(capacity, price)| Item { capacity, price })
        .collect()
}

/// The residue solver answers `target` with an optimal cover (as exhaustive search finds).
fn assert_residue_optimal(list: &[(u64, i128)], target: u64) {
    let items = items(list);
    let counts = solve_residue(&items, target).expect("attainable");
    let (cost, count, capacity) = value(&items, &counts);
    assert!(capacity >= target, "{list:?} {target}: {counts:?}");
    assert_eq!(
        (cost, count),
        brute_force(&items, target),
        "{list:?} {target}: {counts:?}"
    );
}

#[test]
fn residue_weighs_each_other_drum_by_its_shortfall_from_the_best_drum() {
    // Q_i = B − capacity_i: any other weight picks more drums or dearer ones here.
    assert_residue_optimal(&[(11, 15), (6, 15), (6, 10)], 35);
    assert_residue_optimal(&[(7, 14), (4, 21), (12, 21)], 45);
}

#[test]
fn residue_walks_each_cycle_from_its_best_residue() {
    // A walk from another residue misses improvements around the cycle.
    assert_residue_optimal(&[(8, 16), (9, 17), (12, 23), (2, 11)], 32);
    assert_residue_optimal(&[(10, 20), (4, 8), (12, 23), (2, 8)], 29);
}

#[test]
fn residue_walks_every_residue_of_every_cycle() {
    assert_residue_optimal(&[(5, 13), (2, 6), (10, 22)], 37);
    assert_residue_optimal(&[(6, 24), (1, 8), (2, 14)], 27);
}

#[test]
fn residue_ties_go_to_the_least_total_capacity() {
    // Three drums at 18 cover 28 as 10+10+10, 10+10+11, 10+11+11 or 11+11+11: the
    // answer is the one of least capacity.
    let items = items(&[(10, 6), (11, 6), (9, 18), (6, 7)]);
    assert_eq!(solve_residue(&items, 28), Some(vec![3, 0, 0, 0]));
    assert_eq!(solve(&items, 28), Ok(vec![3, 0, 0, 0]));
}

#[test]
fn best_ratio_keeps_the_first_of_identical_items() {
    assert_eq!(best_ratio(&items(&[(8, 5), (8, 5), (9, 16)])), 0);
    assert_eq!(best_ratio(&items(&[(9, 16), (8, 5), (8, 5)])), 1);
}

#[test]
fn dp_ties_go_to_the_first_item() {
    assert_eq!(solve_dp(&items(&[(3, 5), (3, 5)]), 6), vec![2, 0]);
    assert_eq!(
        solve_dp(&items(&[(4, 9), (3, 5), (3, 5)]), 6),
        vec![0, 2, 0]
    );
}
