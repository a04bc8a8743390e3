//! Fast deterministic maps for the rules' internal indexes.
//!
//! Why: the spot-check rules look up 100,000 observations by id and must
//! finish in a few milliseconds on a phone. std's SipHash is built for
//! untrusted keys and is several times slower on 16-byte UUIDs, so the
//! rules use the Fx hash from the `rustc-hash` crate. Nothing hashed here
//! decides an output's order: every result is sorted or kept in a `BTreeMap`.

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

pub(crate) type FastMap<K, V> = FxHashMap<K, V>;
pub(crate) type FastSet<K> = FxHashSet<K>;

/// A map with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, FxBuildHasher)
}

/// Interns 128-bit ids as dense `u32` indices (0, 1, 2, … in order of
/// first insertion), so the hot loops index plain vectors.
pub(crate) struct IdTable {
    index: FastMap<u128, u32>,
}

impl IdTable {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            index: map_with_capacity(n),
        }
    }

    /// The index of `key`, if interned.
    #[inline]
    pub fn get(&self, key: u128) -> Option<u32> {
        self.index.get(&key).copied()
    }

    /// The index of `key`, interning it if new; and whether it was new.
    #[inline]
    pub fn intern(&mut self, key: u128) -> (u32, bool) {
        let next = self.index.len() as u32;
        match self.index.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => (*e.get(), false),
            std::collections::hash_map::Entry::Vacant(e) => (*e.insert(next), true),
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.index.len()
    }
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use rustc_hash::FxBuildHasher;

    use crate::ids::MemberId;

    #[test]
    fn id_table_interns_densely() {
        let mut t = super::IdTable::with_capacity(2);
        let key = |i: u128| i * 0x1_0000_0000_0000_0001 + 7;
        for i in 0..1_000u128 {
            assert_eq!(t.intern(key(i)), (i as u32, true));
        }
        for i in 0..1_000u128 {
            assert_eq!(t.get(key(i)), Some(i as u32));
            assert_eq!(t.intern(key(i)), (i as u32, false));
        }
        assert_eq!(t.len(), 1_000);
        assert_eq!(t.get(3), None);
        assert_eq!(t.intern(0), (1_000, true));
        assert_eq!(t.get(0), Some(1_000));
    }

    #[test]
    fn ids_from_small_numbers_spread_over_buckets() {
        let mut low: Vec<u64> = (0..10_000u128)
            .map(|i| FxBuildHasher.hash_one(MemberId::from_u128(i)) & 0xFFFF)
            .collect();
        low.sort_unstable();
        low.dedup();
        assert!(
            low.len() > 8_000,
            "only {} distinct low 16-bit values",
            low.len()
        );
    }
}
