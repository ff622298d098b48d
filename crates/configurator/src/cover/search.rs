//! Best-first search over residues: the residue method of [`super::solve_residue`] run as
//! Dijkstra's algorithm from residue 0, stopping as soon as no unexplored rest can lead to a
//! cover as good as the best one found.
//!
//! Every residue `ρ` reached with a rest `R` gives a real cover: `R` padded with drums `b`
//! up to `L(ρ)` (or `R` alone when it already reaches the target), so the search always
//! holds an upper bound. A rest not yet settled weighs at least the last settled `(W, Q)`,
//! so every cover through it has `(B·cost, B·count) ≥ (W + price_b·target, Q + target)`:
//! once that exceeds the best cover, the search is complete. With drum prices that are not
//! all in one ratio, the best cover's cost lies close to the bound `price_b · target / B`,
//! and only a few hundred residues are settled instead of all `B` of them.
//!
//! The answer is the one [`super::solve_residue`] gives: least `(cost, count)`, then least
//! total capacity. When a settled residue's shortest rest overshoots its `L(ρ)` and its
//! bound does not exceed the best cover, or after `budget` settled residues, the search
//! gives up (`None`) and the exhaustive solvers decide.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::{best_ratio, Item};

/// The shortest rest known for one residue.
#[derive(Clone, Copy)]
struct Rest {
    w: i128,
    q: i128,
    cap: u64,
    /// The item of the rest's last drum (`usize::MAX` for the empty rest).
    last: usize,
    settled: bool,
}

/// Key of a cover or a bound: `(B·cost, B·count)` in the residue method's terms.
type Key = (i128, i128);

pub(crate) fn solve_search(items: &[Item], target: u64, budget: usize) -> Option<Vec<u64>> {
    let b = best_ratio(items);
    let modulus = items[b].capacity;
    let big_b = i128::from(modulus);
    let price_b = items[b].price;
    // (item, residue step, W_i, Q_i) of every drum worth adding to a rest.
    let edges: Vec<(usize, u64, i128, i128)> = items
        .iter()
        .enumerate()
        .filter(|&(i, item)| i != b && item.capacity % modulus != 0)
        .map(|(i, item)| {
            let w = item.price * big_b - price_b * i128::from(item.capacity);
            (
                i,
                item.capacity % modulus,
                w,
                big_b - i128::from(item.capacity),
            )
        })
        .collect();

    let base = target % modulus;
    let floor: Key = (price_b * i128::from(target), i128::from(target));
    let mut rests: HashMap<u64, Rest> = HashMap::new();
    rests.insert(
        0,
        Rest {
            w: 0,
            q: 0,
            cap: 0,
            last: usize::MAX,
            settled: false,
        },
    );
    let mut queue = BinaryHeap::from([Reverse((0_i128, 0_i128, 0_u64))]);
    // The best padded cover: its key, its total capacity, its residue.
    let mut best: Option<(Key, u64, u64)> = None;
    // The best cover any rest could give, of the residues whose shortest rest overshoots.
    let mut overshooting: Option<Key> = None;
    let mut settled = 0;

    while let Some(Reverse((w, q, rho))) = queue.pop() {
        let rest = rests[&rho];
        if rest.settled || (rest.w, rest.q) != (w, q) {
            continue; // a stale queue entry
        }
        let bound = (w + floor.0, q + floor.1);
        let best_key = best.map(|(key, _, _)| key);
        if best_key.is_some_and(|key| bound > key) {
            break;
        }
        settled += 1;
        if settled > budget {
            return None;
        }
        rests.get_mut(&rho).expect("present").settled = true;

        let length = target + (rho + modulus - base) % modulus;
        let key = (w + price_b * i128::from(length), q + i128::from(length));
        if rest.cap <= length {
            if best.is_none_or(|(k, c, _)| (key, length) < (k, c)) {
                best = Some((key, length, rho));
            }
        } else if overshooting.is_none_or(|k| key < k) {
            overshooting = Some(key);
        }

        for &(item, step, wi, qi) in &edges {
            let next = (rho + step) % modulus;
            let candidate = (w + wi, q + qi);
            let known = rests.get(&next);
            if known.is_some_and(|r| r.settled || (r.w, r.q) <= candidate) {
                continue;
            }
            rests.insert(
                next,
                Rest {
                    w: candidate.0,
                    q: candidate.1,
                    cap: rest.cap + items[item].capacity,
                    last: item,
                    settled: false,
                },
            );
            queue.push(Reverse((candidate.0, candidate.1, next)));
        }
    }

    let (key, length, rho) = best?;
    if overshooting.is_some_and(|k| k <= key) {
        return None;
    }
    let mut counts = vec![0; items.len()];
    counts[b] = (length - rests[&rho].cap) / modulus;
    let mut r = rho;
    while r != 0 {
        let item = rests[&r].last;
        counts[item] += 1;
        r = (r + modulus - items[item].capacity % modulus) % modulus;
    }
    Some(counts)
}
