//! A map of a few entries, sorted by key, in one allocation of exactly their size. A proposal
//! holds three (its facts, answers and checklist), and a team's years of meetings are held in
//! memory at once: a `BTreeMap` takes a node of eleven slots even for one entry.

use std::borrow::Borrow;

#[derive(Debug, Clone, PartialEq)]
pub struct SmallMap<K, V>(Box<[(K, V)]>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap(Box::default())
    }
}

impl<K, V> SmallMap<K, V> {
    /// The values, in the order of their keys.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// The entries, in the order of their keys.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Ord, V> SmallMap<K, V> {
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let at = self.0.binary_search_by(|(k, _)| k.borrow().cmp(key)).ok()?;
        Some(&self.0[at].1)
    }

    /// Sets `key` to `value`, replacing the value it had. Copies every entry: for tests and
    /// the odd edit, not for building a map (collect one instead).
    pub fn insert(&mut self, key: K, value: V) {
        let mut entries = std::mem::take(&mut self.0).into_vec();
        match entries.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(at) => entries[at].1 = value,
            Err(at) => entries.insert(at, (key, value)),
        }
        self.0 = entries.into_boxed_slice();
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SmallMap<K, V> {
    /// A later entry with the same key replaces an earlier one, as in a `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut entries: Vec<(K, V)> = entries.into_iter().collect();
        // Stable: entries with the same key stay in the order they came.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        // Of each run of one key, the first entry stays with the last one's value.
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        SmallMap(entries.into_boxed_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_as_a_btree_map_with_the_same_entries() {
        let entries = [("b", 1), ("a", 2), ("c", 3), ("a", 4), ("d", 5), ("b", 6)];
        let small: SmallMap<&str, i32> = entries.into_iter().collect();
        let btree: BTreeMap<&str, i32> = entries.into_iter().collect();
        for key in ["a", "b", "c", "d", "e", ""] {
            assert_eq!(small.get(key), btree.get(key), "{key}");
        }
        assert!(small.values().eq(btree.values()));

        let mut small = small;
        let mut btree = btree;
        for (key, value) in [("e", 7), ("a", 8), ("0", 9)] {
            small.insert(key, value);
            btree.insert(key, value);
        }
        assert!(small.values().eq(btree.values()));
        assert_eq!(small.get("a"), Some(&8));
        assert_eq!(SmallMap::<String, i32>::default().get("a"), None);
    }

    #[test]
    fn looks_up_owned_keys_by_borrowed_ones() {
        let map: SmallMap<String, bool> = [("q1".to_string(), true)].into_iter().collect();
        assert_eq!(map.get("q1"), Some(&true));
        assert_eq!(map.get("q2"), None);
    }
}
