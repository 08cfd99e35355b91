//! Registries built from the store, cached per clearance.
//!
//! Building a registry reads every accepted claim (milliseconds for the bundled dataset); a verdict
//! over a built one takes microseconds. So the server keeps one registry per clearance and asks the
//! store for its latest change cursor at most once per check interval: an unchanged cursor means
//! an unchanged registry. Writes made through this server invalidate at once, so a client sees its
//! own writes; writes from another process (the CLI) are seen within the check interval.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mandat_app::App;
use mandat_core::Registry;
use mandat_store::Clearance;

use crate::error::ApiError;

#[derive(Debug)]
struct Entry {
    cursor: i64,
    checked: Instant,
    registry: Arc<Registry>,
}

/// The cache.
#[derive(Debug)]
pub struct RegistryCache {
    interval: Duration,
    entries: Mutex<HashMap<Clearance, Entry>>,
}

impl RegistryCache {
    /// A cache that trusts an entry for `interval` before checking the store.
    pub fn new(interval: Duration) -> Self {
        RegistryCache {
            interval,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Clearance, Entry>> {
        // A panic while holding the lock leaves only a cache behind; its data stays usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The registry `clearance` may see, current as of at most one check interval ago.
    pub async fn get(&self, app: &App, clearance: Clearance) -> Result<Arc<Registry>, ApiError> {
        let known = {
            let entries = self.lock();
            match entries.get(&clearance) {
                Some(e) if e.checked.elapsed() < self.interval => return Ok(e.registry.clone()),
                Some(e) => Some((e.cursor, e.registry.clone())),
                None => None,
            }
        };
        let cursor = app.store.last_change().await?;
        if let Some((c, reg)) = known
            && c == cursor
        {
            if let Some(e) = self.lock().get_mut(&clearance) {
                e.checked = Instant::now();
            }
            return Ok(reg);
        }
        let registry = Arc::new(app.registry(clearance).await?);
        self.lock().insert(
            clearance,
            Entry {
                cursor,
                checked: Instant::now(),
                registry: registry.clone(),
            },
        );
        Ok(registry)
    }

    /// Forgets every entry (after a write through this server).
    pub fn invalidate(&self) {
        self.lock().clear();
    }
}
