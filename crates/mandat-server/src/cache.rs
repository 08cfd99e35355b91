//! Registries built from the store, cached per clearance, and the serialised answers computed
//! from them.
//!
//! Building a registry reads every accepted claim (milliseconds for the bundled dataset); a verdict
//! over a built one takes microseconds. So the server keeps one registry per clearance and asks the
//! store for its latest change cursor at most once per check interval (one request asks, the
//! others go on with the entry meanwhile): an unchanged cursor means an unchanged registry. Writes made through this server invalidate at once, so a client sees its
//! own writes; writes from another process (the CLI) are seen within the check interval.
//!
//! Each cached registry carries a generation, a number never given to another one. Answers that
//! depend on nothing but the registry and the request (a status verdict) are kept serialised under
//! their generation in a bounded map, so a repeated question costs a map look-up; a new registry
//! has a new generation, so its answers are computed afresh.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use mandat_app::App;
use mandat_core::{Registry, TimePoint};
use mandat_rules::Options;
use mandat_store::Clearance;

use crate::error::ApiError;

/// How many serialised answers are kept at most.
pub const BODY_CAPACITY: usize = 4096;

#[derive(Debug)]
struct Entry {
    cursor: i64,
    checked: Instant,
    /// When a request began asking the store for its cursor, if one is asking.
    asking: Option<Instant>,
    generation: u64,
    registry: Arc<Registry>,
}

/// A registry with the generation its answers are cached under.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The registry.
    pub registry: Arc<Registry>,
    /// Its generation: unique to this registry among every one this cache has held.
    pub generation: u64,
}

/// What a status answer depends on besides the registry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusKey {
    /// The caller's clearance (each clearance has its own registry).
    pub clearance: Clearance,
    /// The mission as asked for (an id, name or alias).
    pub mission: String,
    /// Valid time, resolved (`today` is a date here).
    pub on: TimePoint,
    /// Knowledge time.
    pub as_of: Option<TimePoint>,
    /// Interpretation options.
    pub options: Options,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<Clearance, Entry>,
    /// Bumped by every invalidation: a registry built across one is not cached.
    epoch: u64,
    /// Source of generations.
    next_generation: u64,
    /// Answers with the generation they were computed from; one of another generation is a miss.
    bodies: Bounded<StatusKey, (u64, Bytes)>,
}

/// The cache.
#[derive(Debug)]
pub struct RegistryCache {
    interval: Duration,
    inner: Mutex<Inner>,
}

impl RegistryCache {
    /// A cache that trusts an entry for `interval` before checking the store.
    pub fn new(interval: Duration) -> Self {
        RegistryCache {
            interval,
            inner: Mutex::new(Inner {
                bodies: Bounded::new(BODY_CAPACITY),
                ..Inner::default()
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves only a cache behind; its data stays usable.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The registry `clearance` may see, current as of at most one check interval ago.
    pub async fn get(&self, app: &App, clearance: Clearance) -> Result<Arc<Registry>, ApiError> {
        Ok(self.snapshot(app, clearance).await?.registry)
    }

    /// [`RegistryCache::get`] with the registry's generation.
    pub async fn snapshot(&self, app: &App, clearance: Clearance) -> Result<Snapshot, ApiError> {
        let (known, epoch) = {
            let mut inner = self.lock();
            let epoch = inner.epoch;
            let known = match inner.entries.get_mut(&clearance) {
                // Fresh, or another request is asking the store right now (one asks, the others
                // go on with the entry they have: no burst of identical queries per interval).
                Some(e)
                    if e.checked.elapsed() < self.interval
                        || e.asking.is_some_and(|t| t.elapsed() < self.interval) =>
                {
                    return Ok(Snapshot {
                        registry: e.registry.clone(),
                        generation: e.generation,
                    });
                }
                Some(e) => {
                    // If this request is dropped while asking, the next one asks after an interval.
                    e.asking = Some(Instant::now());
                    Some((e.cursor, e.generation))
                }
                None => None,
            };
            (known, epoch)
        };
        let cursor = app.store.last_change().await?;
        if let Some((c, generation)) = known {
            let mut inner = self.lock();
            if let Some(e) = inner.entries.get_mut(&clearance)
                && e.generation == generation
            {
                e.asking = None;
                // Unchanged: trust the entry for another interval.
                if c == cursor {
                    e.checked = Instant::now();
                    return Ok(Snapshot {
                        registry: e.registry.clone(),
                        generation,
                    });
                }
            }
        }
        let registry = Arc::new(app.registry(clearance).await?);
        let mut inner = self.lock();
        inner.next_generation += 1;
        let generation = inner.next_generation;
        // A write through this server during the build may or may not be in this registry: use it
        // for this request (which began before the write finished) but do not keep it.
        if inner.epoch == epoch
            && let Some(old) = inner.entries.insert(
                clearance,
                Entry {
                    cursor,
                    checked: Instant::now(),
                    asking: None,
                    generation,
                    registry: registry.clone(),
                },
            )
        {
            inner.bodies.retain(|(g, _)| *g != old.generation);
        }
        Ok(Snapshot {
            registry,
            generation,
        })
    }

    /// The serialised status answer kept for `key` under `generation`, if any.
    pub fn status_body(&self, generation: u64, key: &StatusKey) -> Option<Bytes> {
        match self.lock().bodies.get(key) {
            Some((g, body)) if g == generation => Some(body),
            _ => None,
        }
    }

    /// Keeps a serialised status answer, if `generation` is still the current registry of
    /// the key's clearance (an answer from a registry replaced meanwhile is never kept).
    pub fn keep_status_body(&self, generation: u64, key: StatusKey, body: Bytes) {
        let mut inner = self.lock();
        if inner
            .entries
            .get(&key.clearance)
            .is_some_and(|e| e.generation == generation)
        {
            inner.bodies.insert(key, (generation, body));
        }
    }

    /// How many serialised answers are kept.
    pub fn kept_bodies(&self) -> usize {
        self.lock().bodies.len()
    }

    /// Forgets every entry and answer (after a write through this server).
    pub fn invalidate(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.bodies.clear();
        inner.epoch += 1;
    }
}

/// A map of at most `capacity` entries that forgets the least recently used half when full: two
/// maps, recent and old; a hit in the old one moves to the recent one; when the recent one holds
/// half the capacity it becomes the old one, and the old one is dropped.
#[derive(Debug)]
struct Bounded<K, V> {
    half: usize,
    recent: HashMap<K, V>,
    old: HashMap<K, V>,
}

impl<K, V> Default for Bounded<K, V> {
    fn default() -> Self {
        Bounded {
            half: 1,
            recent: HashMap::new(),
            old: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Bounded<K, V> {
    fn new(capacity: usize) -> Self {
        Bounded {
            half: (capacity / 2).max(1),
            ..Bounded::default()
        }
    }

    fn get(&mut self, key: &K) -> Option<V>
    where
        K: Clone,
    {
        if let Some(v) = self.recent.get(key) {
            return Some(v.clone());
        }
        let v = self.old.remove(key)?;
        self.insert(key.clone(), v.clone());
        Some(v)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.recent.len() >= self.half && !self.recent.contains_key(&key) {
            self.old = std::mem::take(&mut self.recent);
        }
        self.old.remove(&key);
        self.recent.insert(key, value);
    }

    fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        self.recent.retain(|_, v| keep(v));
        self.old.retain(|_, v| keep(v));
    }

    fn clear(&mut self) {
        self.recent.clear();
        self.old.clear();
    }

    fn len(&self) -> usize {
        self.recent.len() + self.old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Bounded;

    #[test]
    fn bounded_map_keeps_at_most_its_capacity() {
        let mut m = Bounded::new(4);
        for i in 0..10 {
            m.insert(i, i * 10);
            assert!(m.len() <= 4, "{} entries after inserting {i}", m.len());
        }
        assert_eq!(m.get(&9), Some(90));
        assert_eq!(m.get(&8), Some(80));
        assert_eq!(m.get(&0), None);
    }

    #[test]
    fn bounded_map_forgets_the_least_recently_used_first() {
        let mut m = Bounded::new(4);
        m.insert("a", 1);
        m.insert("b", 2);
        m.insert("c", 3); // "a" and "b" are the old half now
        assert_eq!(m.get(&"a"), Some(1)); // used: back in the recent half
        m.insert("d", 4); // the recent half is full: "b", never used again, goes
        assert_eq!(m.get(&"b"), None);
        assert_eq!(m.get(&"a"), Some(1));
        assert_eq!(m.get(&"d"), Some(4));
    }

    #[test]
    fn bounded_map_replaces_and_filters_values_in_either_half() {
        let mut m = Bounded::new(4);
        m.insert("a", 1);
        m.insert("b", 2);
        m.insert("c", 3); // "a" and "b" are old now
        m.insert("a", 4);
        assert_eq!(m.get(&"a"), Some(4));
        assert_eq!(m.len(), 3);
        m.retain(|v| *v != 4);
        assert_eq!(m.get(&"a"), None);
        assert_eq!(m.get(&"b"), Some(2));
        m.clear();
        assert_eq!(m.len(), 0);
    }
}
