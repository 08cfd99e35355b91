//! Ingesting many documents at once: loading and extraction on several threads, storage with as many
//! writers as the backend profits from, each document in its own transaction.
//!
//! Guarantees, whatever the concurrency: a document is reported only once its transaction has
//! committed (or failed, leaving no rows); bytes already stored are reported as already present
//! without extraction or writes; two inputs with the same bytes in one run are stored once, by the
//! earlier input, and the later one is reported as already present (never an error).

use std::collections::HashMap;
use std::sync::Arc;

use mandat_load::Limits;
use mandat_store::{Actor, BackendKind, Clearance, DocumentId};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::{App, AppError, Ingested};

/// Concurrent writers on PostgreSQL. Each commit waits for a disk flush (~4.4 ms), during which one
/// writer does nothing; four writers keep the server busy (measured: 77 documents/s with one writer,
/// ~186/s with four, storage alone) without holding more than half of the store's connections.
pub const POSTGRES_WRITERS: usize = 4;

/// One input of [`App::ingest_many`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestInput {
    /// A document's bytes with the source recorded for it; `name` (a file name) helps to tell the
    /// format.
    Bytes {
        /// Where it came from (a path), stored with the document.
        source: String,
        /// The file name, for the format.
        name: Option<String>,
        /// The original bytes.
        bytes: Vec<u8>,
    },
    /// A document that could not be read: reported as failed in its place.
    Unreadable {
        /// Where it came from.
        source: String,
        /// Why it could not be read.
        message: String,
    },
}

/// How many documents are worked on at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concurrency {
    /// Documents loaded and extracted at once (threads).
    pub jobs: usize,
    /// Transactions open at once.
    pub writers: usize,
}

impl Concurrency {
    /// `jobs` loading and extracting threads (at least one) and the writers the backend profits
    /// from: one on SQLite (it serialises writers anyway; more would only wait for its lock),
    /// [`POSTGRES_WRITERS`] on PostgreSQL.
    pub fn for_backend(jobs: usize, backend: BackendKind) -> Self {
        Self {
            jobs: jobs.max(1),
            writers: match backend {
                BackendKind::Sqlite => 1,
                BackendKind::Postgres => POSTGRES_WRITERS,
            },
        }
    }
}

/// The outcome of a run's first input with given bytes, for later inputs with the same bytes:
/// `None` while it runs, then the document it stored or found (`None` if it failed).
type FirstOutcome = Option<Option<DocumentId>>;

impl App {
    /// Ingests `inputs` as public documents, `concurrency.jobs` at a time for loading and
    /// extraction and `concurrency.writers` at a time for storage, and calls `done(index, source,
    /// outcome)` once per input (index in `inputs`) as soon as its outcome is final: after its
    /// transaction committed, or with the error that left nothing written. Calls come in
    /// completion order; callers wanting input order reorder by index. Inputs are read from the
    /// iterator only as fast as they are processed, so memory stays bounded.
    pub async fn ingest_many<I, F>(
        &self,
        inputs: I,
        limits: Limits,
        concurrency: Concurrency,
        actor: &Actor,
        mut done: F,
    ) where
        I: IntoIterator<Item = IngestInput>,
        F: FnMut(usize, &str, Result<Ingested, AppError>),
    {
        let shared = Arc::new(Shared {
            app: self.clone(),
            actor: actor.clone(),
            limits,
            extract: Semaphore::new(concurrency.jobs.max(1)),
            write: Semaphore::new(concurrency.writers.max(1)),
        });
        // Enough in flight that extraction never waits for a writer to pick up its result, and
        // few enough that only a handful of documents are held in memory.
        let in_flight = 2 * concurrency.jobs.max(1) + concurrency.writers.max(1);
        let mut first: HashMap<String, watch::Receiver<FirstOutcome>> = HashMap::new();
        let mut tasks = JoinSet::new();
        let mut inputs = inputs.into_iter().enumerate();
        let mut more = true;
        loop {
            while more && tasks.len() < in_flight {
                let Some((index, input)) = inputs.next() else {
                    more = false;
                    break;
                };
                match input {
                    IngestInput::Unreadable { source, message } => {
                        let error = AppError::Unreadable {
                            source_name: source.clone(),
                            message,
                        };
                        done(index, &source, Err(error));
                    }
                    IngestInput::Bytes {
                        source,
                        name,
                        bytes,
                    } => {
                        // Hashed here, in input order, so the earlier of two equal inputs is the
                        // one that stores.
                        let hash = mandat_load::content_hash(&bytes);
                        let (tx, rx) = watch::channel(None);
                        let earlier = first.get(&hash).cloned();
                        if earlier.is_none() {
                            first.insert(hash.clone(), rx);
                        }
                        let job = Job {
                            index,
                            source,
                            name,
                            bytes,
                            hash,
                        };
                        tasks.spawn(Arc::clone(&shared).run(job, earlier, tx));
                    }
                }
            }
            match tasks.join_next().await {
                Some(Ok((index, source, outcome))) => done(index, &source, outcome),
                Some(Err(e)) => match e.try_into_panic() {
                    Ok(panic) => std::panic::resume_unwind(panic),
                    Err(e) => unreachable!("ingest tasks are never cancelled: {e}"),
                },
                None if more => {}
                None => break,
            }
        }
    }
}

struct Shared {
    app: App,
    actor: Actor,
    limits: Limits,
    extract: Semaphore,
    write: Semaphore,
}

struct Job {
    index: usize,
    source: String,
    name: Option<String>,
    bytes: Vec<u8>,
    hash: String,
}

impl Shared {
    async fn run(
        self: Arc<Self>,
        job: Job,
        earlier: Option<watch::Receiver<FirstOutcome>>,
        tx: watch::Sender<FirstOutcome>,
    ) -> (usize, String, Result<Ingested, AppError>) {
        if let Some(mut rx) = earlier {
            // The same bytes came earlier in this run: their outcome decides. Only if that input
            // failed does this one try itself (a load may depend on the file name).
            let stored = match rx.wait_for(Option::is_some).await {
                Ok(outcome) => outcome.flatten(),
                Err(_) => None,
            };
            if let Some(id) = stored {
                return (job.index, job.source, Ok(Ingested::AlreadyPresent(id)));
            }
        }
        let (index, source) = (job.index, job.source.clone());
        let outcome = Arc::clone(&self).ingest(job).await;
        tx.send_replace(Some(match &outcome {
            Ok(Ingested::Stored { document, .. } | Ingested::AlreadyPresent(document)) => {
                Some(*document)
            }
            Err(_) => None,
        }));
        (index, source, outcome)
    }

    async fn ingest(self: Arc<Self>, job: Job) -> Result<Ingested, AppError> {
        if let Some(id) = self.app.store.document_id_by_hash(&job.hash).await? {
            return Ok(Ingested::AlreadyPresent(id));
        }
        let prepared = {
            let _permit = self.extract.acquire().await.expect("never closed");
            let me = Arc::clone(&self);
            let work = tokio::task::spawn_blocking(move || {
                let doc = mandat_load::load_auto(&job.bytes, job.name.as_deref(), &me.limits)
                    .map_err(|error| AppError::Load {
                        source_name: job.source.clone(),
                        error,
                    })?;
                me.app
                    .prepare(&job.source, &job.bytes, &doc, Clearance::PUBLIC)
            });
            match work.await {
                Ok(prepared) => prepared?,
                Err(e) => match e.try_into_panic() {
                    Ok(panic) => std::panic::resume_unwind(panic),
                    Err(e) => unreachable!("extraction is never cancelled: {e}"),
                },
            }
        };
        let _permit = self.write.acquire().await.expect("never closed");
        self.app.store_prepared(prepared, &self.actor).await
    }
}
