//! A least-recently-used map bounded by the memory its values hold rather than by their
//! count: the caches of rendered documents and of carts hold values of very different
//! sizes (a one-line cart, a thousand-line offer).

use std::hash::Hash;

use lru::LruCache;

/// Values by key, the least recently used evicted first once their weights together pass
/// the budget; a value heavier than the whole budget is not kept.
pub struct WeighedLru<K: Hash + Eq, V> {
    entries: LruCache<K, V>,
    weight: fn(&V) -> usize,
    bytes: usize,
    budget: usize,
}

impl<K: Hash + Eq, V> WeighedLru<K, V> {
    /// An empty map keeping at most `budget` of `weight` (0 keeps nothing).
    pub fn new(budget: usize, weight: fn(&V) -> usize) -> Self {
        WeighedLru {
            entries: LruCache::unbounded(),
            weight,
            bytes: 0,
            budget,
        }
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Changes the budget, evicting beyond it.
    pub fn set_budget(&mut self, budget: usize) {
        self.budget = budget;
        self.evict();
    }

    /// The value of `key`, now the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        self.entries.get(key)
    }

    /// Whether `key` has a value, without using it.
    pub fn contains(&self, key: &K) -> bool {
        self.entries.contains(key)
    }

    /// Takes the value of `key` out.
    pub fn pop(&mut self, key: &K) -> Option<V> {
        let value = self.entries.pop(key)?;
        self.bytes -= (self.weight)(&value);
        Some(value)
    }

    /// Keeps `value` under `key` in place of any earlier one, evicting the least recently
    /// used values beyond the budget.
    pub fn put(&mut self, key: K, value: V) {
        let weight = (self.weight)(&value);
        if weight > self.budget {
            return;
        }
        self.bytes += weight;
        if let Some(old) = self.entries.put(key, value) {
            self.bytes -= (self.weight)(&old);
        }
        self.evict();
    }

    fn evict(&mut self) {
        while self.bytes > self.budget {
            match self.entries.pop_lru() {
                Some((_, evicted)) => self.bytes -= (self.weight)(&evicted),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(v: &&str) -> usize {
        v.len()
    }

    #[test]
    fn the_least_recently_used_go_first_and_a_replaced_value_stops_counting() {
        let mut map = WeighedLru::new(10, bytes);
        map.put(1, "aaaa");
        map.put(2, "aaaa");
        assert!(map.get(&1).is_some());
        map.put(3, "aaaa");
        assert!(!map.contains(&2), "2 was used least recently");
        map.put(1, "aa");
        map.put(4, "aaaa");
        assert!(
            map.contains(&1) && map.contains(&3) && map.contains(&4),
            "2 + 4 + 4"
        );
        assert_eq!(map.pop(&3).map(|v| v.len()), Some(4));
        map.put(5, "aaaaaaaaaaa");
        assert!(!map.contains(&5), "heavier than the whole budget");
        map.set_budget(5);
        assert!(!map.contains(&1) && map.contains(&4), "1 was used before 4");
    }
}
