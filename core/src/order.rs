//! Sorting through one compiled sort.
//!
//! Why: every `sort_by`, `sort_by_key` or `sort_unstable` on a new type or
//! with a new closure compiles its own copy of the standard library's sort,
//! several kilobytes of wasm each; at about sixty call sites that was the
//! largest family of generic code in the phone's bundle after the view
//! code. [`sort_by`] sorts a list of positions instead, with the comparison
//! behind a `dyn`, so the sort itself exists once; what each call site adds
//! is its comparison and a few swaps.
//!
//! The spot-check rules (`spotcheck`: the canonical order, tallies, the
//! live ladder, rankings) and the sync protocol's per-change paths keep the
//! standard sorts: they run over every observation or every change, where
//! a `dyn` call per comparison costs time that a tap or a push measures.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably (equal items keep their order).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let len = u32::try_from(items.len()).expect("fewer than 2^32 items");
    let mut order: Vec<u32> = (0..len).collect();
    sort_positions(&mut order, &mut |a, b| {
        compare(&items[a as usize], &items[b as usize])
    });
    put_in_order(&mut order, &mut |a, b| items.swap(a, b));
}

/// Sorts `items` by `key`, stably.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their own order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The one compiled sort: positions, by what `compare` says of the items
/// at them.
#[inline(never)]
fn sort_positions(order: &mut [u32], compare: &mut dyn FnMut(u32, u32) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Moves the items so that position `k` holds the one that was at
/// `order[k]`, by following each cycle of the permutation with `swap`
/// (no item is cloned; `order` is used up).
#[inline(never)]
fn put_in_order(order: &mut [u32], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut k = start;
        loop {
            let from = order[k] as usize;
            order[k] = k as u32;
            if from == start {
                break;
            }
            swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // Every list of up to 7 items drawn from 3 keys, each item tagged
        // with its first position, so stability shows.
        for len in 0..=7u32 {
            for code in 0..3u32.pow(len) {
                let items: Vec<(u32, usize)> = (0..len)
                    .map(|i| (code / 3u32.pow(i) % 3, i as usize))
                    .collect();
                let mut expected = items.clone();
                expected.sort_by_key(|&(k, _)| k);
                let mut sorted = items.clone();
                sort_by_key(&mut sorted, |&(k, _)| k);
                assert_eq!(sorted, expected, "{items:?}");
            }
        }
    }

    #[test]
    fn sorts_owned_items_in_place() {
        let mut names: Vec<String> = ["丙", "甲", "乙", "甲", "丁"].map(String::from).to_vec();
        let mut expected = names.clone();
        expected.sort();
        sort(&mut names);
        assert_eq!(names, expected);
        let mut reversed = vec![1, 5, 3, 2, 4];
        sort_by(&mut reversed, |a, b| b.cmp(a));
        assert_eq!(reversed, [5, 4, 3, 2, 1]);
    }
}
