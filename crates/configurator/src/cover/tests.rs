//! Both solvers against exhaustive enumeration, on small instances.

use proptest::prelude::*;

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
