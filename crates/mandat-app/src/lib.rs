//! Application services of mandat, shared by the CLI and the server: opening the store (and
//! loading the bundled dataset into it on first use), ingesting documents (load, extract, store
//! the proposals), and building the rules engine's registry from what the store holds.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mandat_app::AppError> {
//! let app = mandat_app::App::open("sqlite::memory:").await?;
//! let registry = app.registry(mandat_store::Clearance::PUBLIC).await?;
//! assert!(!registry.is_empty());
//! # Ok(()) }
//! ```

pub mod alerts;
pub mod bundle;
pub mod facts;
pub mod ingest;
pub mod missions;
pub mod proposals;

use std::collections::HashMap;

use jiff::Timestamp;
use mandat_core::{Citation, Fact, Registry, RegistryError};
use mandat_extract::{ExtractOptions, Extraction, MissionRegistry};
use mandat_load::{Document, Limits};
use mandat_store::{
    Actor, ClaimFilter, ClaimStatus, Clearance, DocumentId, IngestOutcome, NewClaim, NewDocument,
    NewEvidence, PreparedIngest, Store, StoreError,
};

pub use bundle::{Bundle, BundleError, BundleFile};
pub use facts::{FactsAdded, SourceLinked};
pub use ingest::{Concurrency, IngestInput, POSTGRES_WRITERS};
pub use missions::{UnknownMission, resolve_mission};
pub use proposals::{Proposal, proposals};

/// What can go wrong in an application service.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bundled dataset or the stored facts do not form a valid registry.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The bundled mission registry is invalid.
    #[error("mission registry: {0}")]
    Missions(#[from] mandat_extract::RegistryError),
    /// A document could not be loaded.
    #[error("{source_name}: {error}")]
    Load {
        /// The document.
        source_name: String,
        /// Why.
        error: mandat_load::LoadError,
    },
    /// A document could not be read.
    #[error("{message}")]
    Unreadable {
        /// The document.
        source_name: String,
        /// Why, naming the document.
        message: String,
    },
    /// A correction must keep the fact id of the claim it corrects.
    #[error("a correction keeps the fact id `{expected}`, not `{got}`")]
    CorrectionChangesId {
        /// The corrected claim's fact id.
        expected: String,
        /// The id the correction carries.
        got: String,
    },
    /// The bundle cannot be generated from the store.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// A source to record is not valid.
    #[error("source `{id}`: {message}")]
    InvalidSource {
        /// The source id as given.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A source's text was offered that does not contain every quote citing the source.
    #[error(
        "source `{source_id}`: document {document} does not contain the quotes of {} fact(s), so it is not linked:\n  {}",
        facts.len(),
        facts.join("\n  ")
    )]
    QuotesNotInDocument {
        /// The source id.
        source_id: String,
        /// The offered document.
        document: DocumentId,
        /// `fact id: "quote"` of every quote not found.
        facts: Vec<String>,
    },
    /// A file of facts to add is not valid (file, line, column and key named).
    #[error(transparent)]
    FactFile(#[from] mandat_core::FileError),
    /// A stored claim's payload is not a fact of the current vocabulary.
    #[error("stored claim for fact {fact} is not a valid fact: {message}")]
    Payload {
        /// The fact id.
        fact: String,
        /// The decoding error.
        message: String,
    },
}

/// Result of [`App::seed_if_empty`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Bundled documents stored.
    pub documents: usize,
    /// Bundled facts stored as accepted claims.
    pub facts: usize,
}

/// Result of ingesting one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    /// Stored, with this many proposed facts.
    Stored {
        /// The document.
        document: DocumentId,
        /// Proposals stored.
        proposals: usize,
    },
    /// The same bytes were stored before; nothing was written.
    AlreadyPresent(DocumentId),
}

/// The store with the services on top of it.
#[derive(Debug, Clone)]
pub struct App {
    /// The store.
    pub store: Store,
    /// Shared: handlers clone the `App` per request, and the registry holds compiled automata.
    missions: std::sync::Arc<MissionRegistry>,
}

impl App {
    /// Opens the store at `url`, applies migrations, and loads the bundled dataset when the store
    /// is empty.
    pub async fn open(url: &str) -> Result<App, AppError> {
        let store = Store::open(url).await?;
        let app = App {
            store,
            missions: std::sync::Arc::new(MissionRegistry::from_yaml(mandat_data::MISSIONS_YAML)?),
        };
        if let Some(r) = app.seed_if_empty().await? {
            tracing::info!(
                documents = r.documents,
                facts = r.facts,
                "loaded the bundled dataset"
            );
        }
        Ok(app)
    }

    /// The mission registry (ids, names, aliases).
    pub fn missions(&self) -> &MissionRegistry {
        &self.missions
    }

    /// Loads the bundled documents and facts into an empty store (no documents, no claims);
    /// `None` when the store already holds something.
    pub async fn seed_if_empty(&self) -> Result<Option<SeedReport>, AppError> {
        let st = self.store.status().await?;
        if st.documents.unwrap_or(0) > 0 || st.claims.unwrap_or(0) > 0 {
            return Ok(None);
        }
        let system = Actor::system();
        let mut texts: HashMap<&str, (DocumentId, String)> = HashMap::new();
        for (path, bytes) in mandat_data::DOCUMENTS {
            let doc =
                mandat_load::load_auto(bytes, Some(path), &Limits::default()).map_err(|error| {
                    AppError::Load {
                        source_name: (*path).to_owned(),
                        error,
                    }
                })?;
            let new = new_document(
                &format!("{}{path}", bundle::BUNDLED_PREFIX),
                bytes,
                &doc,
                Vec::new(),
            );
            let id = match self.store.ingest_document(new, Vec::new(), &system).await? {
                IngestOutcome::Stored { document, .. }
                | IngestOutcome::AlreadyPresent(document) => document,
            };
            texts.insert(path, (id, doc.text));
        }
        let mut new_sources: Vec<mandat_store::NewSource> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (name, yaml) in mandat_data::DATASET_FILES {
            if name.ends_with("calendar.yaml") {
                continue;
            }
            let f = mandat_core::parse_fact_file(name, yaml).map_err(RegistryError::from)?;
            // A source is about the missions of the file that lists it.
            let mut missions: Vec<String> = Vec::new();
            for fact in &f.facts {
                for m in fact.kind.missions() {
                    if !missions.iter().any(|x| x == m.as_str()) {
                        missions.push(m.as_str().to_owned());
                    }
                }
            }
            for src in f.sources {
                if !seen.insert(src.id.clone()) {
                    continue;
                }
                let document = src
                    .document
                    .as_deref()
                    .and_then(|d| texts.get(d))
                    .map(|(id, _)| *id);
                new_sources.push(facts::new_source(&src, document, missions.clone()));
            }
        }
        self.store.add_sources(new_sources, &system).await?;
        let bundle = mandat_data::registry()?;
        let mut claims = Vec::with_capacity(bundle.len());
        for fact in bundle.facts() {
            let evidence = match &fact.source {
                Some(Citation::Source { source, quote, .. }) => {
                    let doc = bundle
                        .source(source)
                        .and_then(|s| s.document.as_deref())
                        .and_then(|d| texts.get(d));
                    match (doc, quote) {
                        (Some((id, text)), Some(q)) if text.contains(q.as_str()) => {
                            let start = text.find(q.as_str()).unwrap_or(0) as u64;
                            NewEvidence::Span {
                                document: *id,
                                start,
                                end: start + q.len() as u64,
                            }
                        }
                        _ => NewEvidence::Citation {
                            text: match quote {
                                Some(q) => format!("{source}: \"{q}\""),
                                None => source.to_string(),
                            },
                        },
                    }
                }
                Some(Citation::Text(t)) => NewEvidence::Citation { text: t.clone() },
                None => NewEvidence::Unsourced,
            };
            claims.push(new_claim(fact, bundle.missions_of(fact), evidence)?);
        }
        let facts = claims.len();
        self.store
            .record_claims(claims, ClaimStatus::Accepted, &system)
            .await?;
        Ok(Some(SeedReport {
            documents: texts.len(),
            facts,
        }))
    }

    /// The registry of every accepted, effective fact the store holds and `clearance` may see,
    /// with the store's sources and the bundled calendar. The rules engine answers from it exactly as from
    /// the bundled dataset.
    pub async fn registry(&self, clearance: Clearance) -> Result<Registry, AppError> {
        self.registry_with(clearance, None, &[], Vec::new()).await
    }

    /// Checks that `facts` can join the accepted facts (every id new, every reference resolving),
    /// as seen by everyone and by readers of `clearance`, with the accepted version of fact
    /// `replacing` left out (a correction replaces it). A write that passes cannot make the
    /// registry unbuildable.
    pub async fn check_facts(
        &self,
        facts: &[Fact],
        replacing: Option<&str>,
        clearance: Clearance,
    ) -> Result<(), AppError> {
        for c in [Clearance::ALL, clearance] {
            self.registry_with(c, replacing, &[], facts.to_vec())
                .await?;
        }
        Ok(())
    }

    /// The registry of the accepted facts `clearance` sees, without fact `exclude`, with
    /// `extra_sources` and the `extra` facts added.
    async fn registry_with(
        &self,
        clearance: Clearance,
        exclude: Option<&str>,
        extra_sources: &[mandat_core::Source],
        extra: Vec<Fact>,
    ) -> Result<Registry, AppError> {
        let mut reg = Registry::new();
        for (name, yaml) in mandat_data::DATASET_FILES {
            if name.ends_with("calendar.yaml") {
                let c =
                    mandat_core::parse_calendar_file(name, yaml).map_err(RegistryError::from)?;
                reg.merge_calendar(&c.calendar);
                reg.add_sources(name, c.sources)?;
            }
        }
        reg.add_sources("store", self.sources(clearance).await?)?;
        if !extra_sources.is_empty() {
            reg.add_sources("new", extra_sources.to_vec())?;
        }
        let filter = ClaimFilter {
            clearance,
            ..ClaimFilter::default()
        };
        let claims = self.store.claims(&filter, None).await?;
        let mut facts = Vec::with_capacity(claims.len() + extra.len());
        for c in claims {
            if exclude == Some(c.fact_id.as_str()) {
                continue;
            }
            let fact: Fact = serde_json::from_value(c.payload).map_err(|e| AppError::Payload {
                fact: c.fact_id.to_string(),
                message: e.to_string(),
            })?;
            facts.push(fact);
        }
        facts.extend(extra);
        reg.extend(facts)?;
        Ok(reg)
    }

    /// Applies a review decision as `actor`, who sees claims up to `clearance`. An acceptance or a
    /// correction is refused when its fact does not fit the accepted ones ([`App::check_facts`]), so
    /// no review can make the registry unbuildable; a correction keeps the fact id.
    pub async fn review(
        &self,
        claim: mandat_store::ClaimId,
        decision: mandat_store::ReviewDecision,
        actor: &Actor,
        clearance: Clearance,
        note: Option<&str>,
    ) -> Result<mandat_store::ReviewOutcome, AppError> {
        let stored = self
            .store
            .claim(claim, None, clearance)
            .await?
            .ok_or(StoreError::ClaimNotFound(claim))?;
        match &decision {
            mandat_store::ReviewDecision::Accept => {
                let fact = App::fact_of(&stored)?;
                self.check_facts(&[fact], None, stored.classification)
                    .await?;
            }
            mandat_store::ReviewDecision::Correct { payload, .. } => {
                let fact: Fact =
                    serde_json::from_value(payload.clone()).map_err(|e| AppError::Payload {
                        fact: stored.fact_id.to_string(),
                        message: e.to_string(),
                    })?;
                if fact.id.as_str() != stored.fact_id.as_str() {
                    return Err(AppError::CorrectionChangesId {
                        expected: stored.fact_id.to_string(),
                        got: fact.id.to_string(),
                    });
                }
                self.check_facts(
                    &[fact],
                    Some(stored.fact_id.as_str()),
                    stored.classification,
                )
                .await?;
            }
            mandat_store::ReviewDecision::Reject | mandat_store::ReviewDecision::Retract => {}
        }
        Ok(self.store.review(claim, decision, actor, note).await?)
    }

    /// Records a fact entered by hand (not from ingestion) as an accepted claim, after
    /// [`App::check_facts`].
    pub async fn record_fact(
        &self,
        fact: &Fact,
        evidence: NewEvidence,
        classification: Clearance,
        actor: &Actor,
    ) -> Result<mandat_store::ClaimId, AppError> {
        self.check_facts(std::slice::from_ref(fact), None, classification)
            .await?;
        let mut claim = new_claim(fact, fact.kind.missions().to_vec(), evidence)?;
        claim.classification = classification;
        let ids = self
            .store
            .record_claims(vec![claim], ClaimStatus::Accepted, actor)
            .await?;
        ids.into_iter().next().ok_or_else(|| {
            AppError::Store(StoreError::Corrupt(
                "recording a claim returned no id".into(),
            ))
        })
    }

    /// Records a source (editors and above), optionally linked to the stored document that is
    /// its text, after checking it has the dataset's form. `source.document` (a bundled path) is
    /// not taken from the caller: only the bundle itself brings bundled documents. An id that
    /// exists is refused: a source is never changed.
    pub async fn add_source(
        &self,
        source: &mandat_core::Source,
        document: Option<DocumentId>,
        missions: Vec<String>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let new = facts::new_source(source, document, missions);
        for (what, v) in [("publisher", &new.publisher), ("title", &new.title)] {
            if v.trim().is_empty() {
                return Err(AppError::InvalidSource {
                    id: new.id.clone(),
                    message: format!("the {what} is empty"),
                });
            }
        }
        for (name, yaml) in mandat_data::DATASET_FILES {
            if name.ends_with("calendar.yaml")
                && mandat_core::parse_calendar_file(name, yaml)
                    .is_ok_and(|c| c.sources.iter().any(|x| x.id == source.id))
            {
                return Err(AppError::InvalidSource {
                    id: new.id.clone(),
                    message: format!("the id is a source of the bundled {name}"),
                });
            }
        }
        for m in &new.missions {
            if self.missions.get(m).is_none() {
                return Err(AppError::InvalidSource {
                    id: new.id.clone(),
                    message: format!("unknown mission id `{m}`"),
                });
            }
        }
        Ok(self.store.add_sources(vec![new], actor).await?)
    }

    /// Decodes a stored claim's payload as a fact.
    pub fn fact_of(claim: &mandat_store::Claim) -> Result<Fact, AppError> {
        serde_json::from_value(claim.payload.clone()).map_err(|e| AppError::Payload {
            fact: claim.fact_id.to_string(),
            message: e.to_string(),
        })
    }

    /// Extracts a loaded document.
    pub fn extract(&self, source: &str, doc: &Document) -> Extraction {
        extract_document(source, doc, &self.missions)
    }

    /// Stores a loaded document once (by content hash) with its extraction's proposals as
    /// `proposed` facts, in one transaction.
    pub async fn ingest(
        &self,
        source: &str,
        bytes: &[u8],
        doc: &Document,
        actor: &Actor,
    ) -> Result<Ingested, AppError> {
        self.ingest_classified(source, bytes, doc, Clearance::PUBLIC, actor)
            .await
    }

    /// [`App::ingest`] of a document with a classification marking: its text, and every fact
    /// drawn from it, are hidden from readers below that clearance.
    pub async fn ingest_classified(
        &self,
        source: &str,
        bytes: &[u8],
        doc: &Document,
        classification: Clearance,
        actor: &Actor,
    ) -> Result<Ingested, AppError> {
        let hash = mandat_load::content_hash(bytes);
        if let Some(id) = self.store.document_id_by_hash(&hash).await? {
            return Ok(Ingested::AlreadyPresent(id));
        }
        let prepared = self.prepare(source, bytes, doc, classification)?;
        self.store_prepared(prepared, actor).await
    }

    /// The CPU work of an ingest, without touching the store: extraction, proposals, their spans
    /// checked and the text cut into search passages. Runs on any thread; [`App::store_prepared`]
    /// writes the result.
    pub fn prepare(
        &self,
        source: &str,
        bytes: &[u8],
        doc: &Document,
        classification: Clearance,
    ) -> Result<PreparedIngest, AppError> {
        let hash = mandat_load::content_hash(bytes);
        let x = self.extract(source, doc);
        let props = proposals(&x, &hash[..12], Timestamp::now());
        let mut claims = Vec::with_capacity(props.len());
        for p in &props {
            let evidence = NewEvidence::InDocument {
                start: p.span.0 as u64,
                end: p.span.1 as u64,
            };
            claims.push(new_claim(
                &p.fact,
                p.fact.kind.missions().to_vec(),
                evidence,
            )?);
        }
        let mut new = new_document(source, bytes, doc, x.missions.clone());
        new.classification = classification;
        if new.title.is_none() && !x.title.is_empty() {
            new.title = Some(x.title.clone());
        }
        Ok(PreparedIngest::new(new, claims)?)
    }

    /// Stores a prepared document once (by content hash), in one transaction.
    pub async fn store_prepared(
        &self,
        prepared: PreparedIngest,
        actor: &Actor,
    ) -> Result<Ingested, AppError> {
        Ok(match self.store.ingest_prepared(prepared, actor).await? {
            IngestOutcome::Stored { document, claims } => Ingested::Stored {
                document,
                proposals: claims.len(),
            },
            IngestOutcome::AlreadyPresent(id) => Ingested::AlreadyPresent(id),
        })
    }
}

/// Extraction of a loaded document, with the loader's language and title passed on.
pub fn extract_document(source: &str, doc: &Document, missions: &MissionRegistry) -> Extraction {
    let mut opts = ExtractOptions::new(source);
    opts.lang = doc.lang;
    opts.title = doc.title.clone();
    mandat_extract::extract(&doc.text, missions, &opts)
}

fn new_document(source: &str, bytes: &[u8], doc: &Document, missions: Vec<String>) -> NewDocument {
    NewDocument {
        source: source.to_owned(),
        content_hash: mandat_load::content_hash(bytes),
        media_type: doc.media_type.mime().to_owned(),
        lang: doc.lang.map_or("und", |l| l.code()).to_owned(),
        title: doc.title.clone(),
        published: None,
        text: doc.text.clone(),
        bytes_len: bytes.len() as u64,
        classification: Clearance::PUBLIC,
        missions,
    }
}

pub(crate) fn new_claim(
    fact: &Fact,
    missions: Vec<mandat_core::MissionId>,
    evidence: NewEvidence,
) -> Result<NewClaim, AppError> {
    let payload = serde_json::to_value(fact).map_err(|e| AppError::Payload {
        fact: fact.id.to_string(),
        message: e.to_string(),
    })?;
    Ok(NewClaim {
        fact_id: mandat_store::FactId::new(fact.id.as_str()).ok_or_else(|| AppError::Payload {
            fact: fact.id.to_string(),
            message: "invalid fact id".into(),
        })?,
        kind: fact.kind.name().to_owned(),
        missions: missions.iter().map(|m| m.as_str().to_owned()).collect(),
        valid_from: Some(fact.valid.to_string()),
        recorded_at: Some(fact.recorded.start()),
        payload,
        evidence,
        classification: Clearance::PUBLIC,
    })
}
