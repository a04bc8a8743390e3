//! A small, fast, deterministic hasher for the rules' internal maps.
//!
//! Why: the spot-check rules look up 100,000 observations by id and must
//! finish in a few milliseconds on a phone. std's SipHash is built for
//! untrusted keys and is several times slower on 16-byte UUIDs. This is the
//! Fx hash (as in rustc) with a finaliser. Nothing hashed here decides an output's order:
//! every result is sorted or kept in a `BTreeMap`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// Fx alone leaves the low bits (the bucket index) poorly mixed when
    /// the last word's low bytes are constant, as in ids made from small
    /// numbers; a murmur3-style finaliser spreads every bit.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Interns 128-bit ids as dense `u32` indices (0, 1, 2, … in order of
/// first insertion).
///
/// The spot-check pass does two lookups per observation (its check, its
/// member); this table keeps them to a multiply and, usually, one probe
/// into a small table of 8-byte slots (a hash tag and the index), the
/// full keys living in a dense array. Linear probing, load factor at most
/// 1/2, Fibonacci hashing. It stays fast in size-optimised builds.
pub(crate) struct IdTable {
    /// `(tag, index)`; `index == u32::MAX` marks an empty slot.
    slots: Vec<(u32, u32)>,
    keys: Vec<u128>,
    shift: u32,
}

impl IdTable {
    pub fn with_capacity(n: usize) -> Self {
        let size = (n.max(8) * 2).next_power_of_two();
        Self {
            slots: vec![(0, u32::MAX); size],
            keys: Vec::with_capacity(n),
            shift: 64 - size.trailing_zeros(),
        }
    }

    #[inline(always)]
    fn hash(key: u128) -> u64 {
        ((key as u64) ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    /// The index of `key`, if interned.
    #[inline(always)]
    pub fn get(&self, key: u128) -> Option<u32> {
        let h = Self::hash(key);
        let tag = h as u32;
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let (t, index) = self.slots[i];
            if index == u32::MAX {
                return None;
            }
            if t == tag && self.keys[index as usize] == key {
                return Some(index);
            }
            i = (i + 1) & mask;
        }
    }

    /// The index of `key`, interning it if new; and whether it was new.
    #[inline(always)]
    pub fn intern(&mut self, key: u128) -> (u32, bool) {
        if (self.keys.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let h = Self::hash(key);
        let tag = h as u32;
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let (t, index) = self.slots[i];
            if index == u32::MAX {
                let index = self.keys.len() as u32;
                self.slots[i] = (tag, index);
                self.keys.push(key);
                return (index, true);
            }
            if t == tag && self.keys[index as usize] == key {
                return (index, false);
            }
            i = (i + 1) & mask;
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    fn grow(&mut self) {
        let keys = std::mem::take(&mut self.keys);
        *self = Self::with_capacity(self.slots.len());
        for key in keys {
            self.intern(key);
        }
    }
}

pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// A map with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, BuildHasherDefault};

    use super::FxHasher;
    use crate::ids::MemberId;

    #[test]
    fn id_table_interns_densely_and_grows() {
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
        let build = BuildHasherDefault::<FxHasher>::default();
        let mut low: Vec<u64> = (0..10_000u128)
            .map(|i| build.hash_one(MemberId::from_u128(i)) & 0xFFFF)
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
