//! Exact unbounded covering knapsack: the cheapest multiset of drums whose
//! capacities sum to at least a target.
//!
//! Everything here is integer arithmetic on already validated, scaled input
//! (capacities and target in a common length unit, prices in a common
//! price unit, both non-negative). The objective is lexicographic:
//! minimal cost, then minimal number of drums. Two exact solvers are used:
//!
//! * [`solve_dp`]: dynamic programme over the remaining requirement
//!   `0..=target`, `O(target · n)`; used when the target is small.
//! * [`solve_residue`]: shortest paths over residues modulo the capacity of
//!   the best-ratio drum, `O(capacity · n)`, independent of the target; used
//!   when that capacity is smaller than the target or the target is too
//!   large for the DP. See its docs for the proof of exactness.
//!
//! * [`search::solve_search`]: the residue method as a best-first search that stops
//!   once no unexplored rest can beat the best cover found; tried first, it settles a
//!   few hundred residues where the other two would visit a million.
//!
//! The exhaustive solvers are bounded by [`MAX_WORK`] and the search by [`SEARCH_WORK`];
//! beyond that [`solve`] gives up with [`TooLarge`] instead of running (and allocating)
//! without bound: the calculator's cost is bounded for every input.

/// Most states times items an exhaustive solver (DP or residue method) may visit: about
/// 20 ms of work on a small server, whatever the input. Beyond it, and when the search
/// cannot settle the instance, [`solve`] answers [`TooLarge`].
const MAX_WORK: u64 = 1_500_000;

/// Most residues times items the best-first search settles before it gives up (a few
/// milliseconds).
const SEARCH_WORK: usize = 60_000;

/// A drum option in solver units. `capacity > 0`, `price >= 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub capacity: u64,
    pub price: i128,
}

/// The instance needs more than [`MAX_WORK`] in every exhaustive solver, and the search
/// could not settle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// How many of each item (same indices as `items`) an optimal cover uses.
///
/// Optimal means: minimal total price, then minimal number of drums. Such a
/// cover is *minimal*: dropping any drum leaves less than `target` (else the
/// cover without it would be as cheap and smaller). Among equally good
/// covers the choice depends only on `items` (in order) and `target`.
///
/// Requires a non-empty `items` and `target > 0`.
pub(crate) fn solve(items: &[Item], target: u64) -> Result<Vec<u64>, TooLarge> {
    let step = items.iter().fold(0, |g, item| gcd(g, item.capacity));
    let reduced: Vec<Item> = items
        .iter()
        .map(|item| Item {
            capacity: item.capacity / step,
            price: item.price,
        })
        .collect();
    let target = target.div_ceil(step);
    let best = best_ratio(&reduced);
    let residues = reduced[best].capacity;

    // An exhaustive solver visits each of its states once per item.
    let affordable = |states: u64| states.saturating_mul(items.len() as u64) <= MAX_WORK;

    if residues < target || !affordable(target) {
        let budget = SEARCH_WORK / items.len();
        if let Some(counts) = search::solve_search(&reduced, target, budget) {
            return Ok(counts);
        }
        if affordable(residues) {
            if let Some(counts) = solve_residue(&reduced, target) {
                return Ok(counts);
            }
        }
    }
    if affordable(target) {
        return Ok(solve_dp(&reduced, target));
    }
    Err(TooLarge)
}

/// Index of the item with the lowest price per capacity; among those the
/// largest capacity, then the first.
pub(crate) fn best_ratio(items: &[Item]) -> usize {
    let mut best = 0;
    for (i, item) in items.iter().enumerate().skip(1) {
        let b = items[best];
        let lhs = item.price * i128::from(b.capacity);
        let rhs = b.price * i128::from(item.capacity);
        if lhs < rhs || (lhs == rhs && item.capacity > b.capacity) {
            best = i;
        }
    }
    best
}

/// DP over the remaining requirement `r` in `0..=target`:
/// `f(0) = (0, 0)`, `f(r) = min_i f(r - capacity_i, floored at 0) + (price_i, 1)`,
/// ties going to the first item. Exact by optimal substructure of the
/// additive lexicographic objective.
pub(crate) fn solve_dp(items: &[Item], target: u64) -> Vec<u64> {
    let len = usize::try_from(target).expect("target bounded by MAX_WORK") + 1;
    let mut cost = vec![0_i128; len];
    let mut count = vec![0_u64; len];
    let mut choice = vec![0_usize; len];
    for r in 1..len {
        let mut best: Option<(i128, u64, usize)> = None;
        for (i, item) in items.iter().enumerate() {
            let prev = r.saturating_sub(usize::try_from(item.capacity).unwrap_or(usize::MAX));
            let candidate = (cost[prev] + item.price, count[prev] + 1, i);
            if best.is_none_or(|(c, n, _)| (candidate.0, candidate.1) < (c, n)) {
                best = Some(candidate);
            }
        }
        let (c, n, i) = best.expect("items is not empty");
        (cost[r], count[r], choice[r]) = (c, n, i);
    }

    let mut counts = vec![0; items.len()];
    let mut r = len - 1;
    while r > 0 {
        let i = choice[r];
        counts[i] += 1;
        r = r.saturating_sub(usize::try_from(items[i].capacity).unwrap_or(usize::MAX));
    }
    counts
}

/// Residue method. Let `b` be the best-ratio item ([`best_ratio`]) and
/// `B` its capacity. Write a cover `S` as a rest `R` (the non-`b` drums) plus
/// `x` drums `b`, with total capacity `C`. Then, exactly,
///
/// ```text
/// B·cost(S)  = W(R) + price_b·C,   W(R) = Σ_{i∈R} (price_i·B − price_b·cap_i) ≥ 0
/// B·count(S) = Q(R) + C,           Q(R) = Σ_{i∈R} (B − cap_i)
/// ```
///
/// Every edge weight `(W_i, Q_i)` is lexicographically positive: `W_i > 0`
/// unless item `i` has `b`'s ratio, and then `cap_i < B` (b has the largest
/// capacity of its ratio; items with `cap_i ≡ 0 mod B` are dominated and
/// skipped). So shortest paths over residues `C_R mod B` (lexicographic
/// order on `(W, Q)`) are well defined; they are computed with the
/// Böcker–Lipták round-robin algorithm (one pass per item and residue
/// cycle, no heap).
///
/// For residue `ρ`, let `L(ρ)` be the least length `≥ target` that is `≡ ρ`.
/// Any cover with residue `ρ` has `C ≥ L(ρ)`, hence
/// `(B·cost, B·count) ≥ LB(ρ) = (W*(ρ) + price_b·L(ρ), Q*(ρ) + L(ρ))`,
/// and if the shortest rest has `C_R ≤ L(ρ)`, padding it with `b` drums up
/// to `L(ρ)` attains `LB(ρ)`. The minimum over `ρ` of `LB` is thus optimal
/// whenever some residue attaining it is so attainable; ties go to the least
/// total capacity. Otherwise (only possible when the target is small
/// compared to the drums) this returns `None` and the caller uses the DP.
pub(crate) fn solve_residue(items: &[Item], target: u64) -> Option<Vec<u64>> {
    let b = best_ratio(items);
    let modulus = items[b].capacity;
    let len = usize::try_from(modulus).ok()?;
    let big_b = i128::from(modulus);
    let price_b = items[b].price;
    let index = |i: usize| u32::try_from(i).ok();

    // One record per residue, so that a relaxation touches one cache line, not four.
    let mut best = vec![Residue::UNREACHED; len];
    best[0] = Residue {
        w: 0,
        cap: 0,
        drums: 0,
        pred: u32::MAX,
    };

    for (i, item) in items.iter().enumerate() {
        let step = usize::try_from(item.capacity % modulus).ok()?;
        if i == b || step == 0 {
            continue;
        }
        let wi = item.price * big_b - price_b * i128::from(item.capacity);
        let item_index = index(i)?;
        let cycles = usize::try_from(gcd(step as u64, modulus)).ok()?;
        let cycle_len = len / cycles;
        // `r + step` wraps by one subtraction: far cheaper than a division per step.
        let next_of = |r: usize| {
            let next = r + step;
            if next >= len {
                next - len
            } else {
                next
            }
        };
        for start in 0..cycles {
            // Begin at the cycle's closest residue: it cannot improve.
            let mut at: Option<usize> = None;
            let mut r = start;
            for _ in 0..cycle_len {
                if best[r].reached() && at.is_none_or(|a| best[r].key(big_b) < best[a].key(big_b)) {
                    at = Some(r);
                }
                r = next_of(r);
            }
            let Some(mut r) = at else { continue };
            for _ in 0..cycle_len {
                let next = next_of(r);
                let from = best[r];
                let candidate = Residue {
                    w: from.w + wi,
                    cap: from.cap + item.capacity,
                    drums: from.drums + 1,
                    pred: item_index,
                };
                if !best[next].reached() || candidate.key(big_b) < best[next].key(big_b) {
                    best[next] = candidate;
                }
                r = next;
            }
        }
    }

    // Lexicographic minimum of (LB cost, LB count, L), over attainable residues.
    let base = target % modulus;
    let mut best_lb: Option<(i128, i128)> = None;
    let mut chosen: Option<(u64, usize)> = None; // (L, residue), attainable only
    for (rho, residue) in best.iter().enumerate() {
        if !residue.reached() {
            continue;
        }
        let (w, q) = residue.key(big_b);
        let l = target + (rho as u64 + modulus - base) % modulus;
        let lb = (w + price_b * i128::from(l), q + i128::from(l));
        if best_lb.is_none_or(|current| lb < current) {
            best_lb = Some(lb);
            chosen = None;
        }
        if Some(lb) == best_lb && residue.cap <= l && chosen.is_none_or(|(bl, _)| l < bl) {
            chosen = Some((l, rho));
        }
    }

    let (l, rho) = chosen?;
    let mut counts = vec![0; items.len()];
    counts[b] = (l - best[rho].cap) / modulus;
    let mut r = rho;
    while r != 0 {
        let i = usize::try_from(best[r].pred).ok()?;
        counts[i] += 1;
        let step = usize::try_from(items[i].capacity % modulus).ok()?;
        r = (r + len - step) % len;
    }
    Some(counts)
}

/// The shortest rest found so far for one residue: its weight `W`, total capacity, number
/// of drums and the item of its last drum. `Q = drums · B − cap` is derived, not stored.
#[derive(Debug, Clone, Copy)]
struct Residue {
    w: i128,
    cap: u64,
    drums: u32,
    pred: u32,
}

impl Residue {
    const UNREACHED: Residue = Residue {
        w: i128::MAX,
        cap: 0,
        drums: 0,
        pred: u32::MAX,
    };

    fn reached(&self) -> bool {
        self.w != i128::MAX
    }

    /// The order of rests: `(W, Q)` lexicographically.
    fn key(&self, modulus: i128) -> (i128, i128) {
        (
            self.w,
            i128::from(self.drums) * modulus - i128::from(self.cap),
        )
    }
}

pub(crate) fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

mod search;
#[cfg(test)]
mod tests;
