//! The bundled dataset generated from the store: `facts/*.yaml` from the accepted, effective,
//! public claims and the sources, and `documents/` from the documents that came from the bundle.
//!
//! Which file a fact goes to: the dataset file of its first mission (`file` in the mission
//! registry, else the mission id as a slug); a fact that names no mission (a vote, a revocation)
//! goes where the fact it refers to goes; one that neither names nor refers (a legal basis) goes
//! where its source goes. A source goes to every file with a fact citing it, and a source no fact
//! cites to the file of its first mission. Facts keep the order they were recorded in (a
//! correction keeps the place of the fact it corrects), sources too, so a store seeded from the
//! bundle writes the bundle back byte for byte.

use std::collections::{BTreeMap, HashMap, HashSet};

use mandat_core::{
    Citation, Fact, FactFile, FactId, Lang, Registry, Source, SourceId, parse_fact_file,
    write_fact_file,
};
use mandat_store::{ClaimFilter, ClaimId, Clearance, DocumentId, Evidence, SourceRecord};

use crate::{App, AppError};

/// The prefix of the `source` name under which the bundled documents are stored.
pub const BUNDLED_PREFIX: &str = "bundled:";

/// One file of a written bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    /// Path relative to the bundle directory (`facts/kfor.yaml`, `documents/seeds/...`).
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A generated bundle: its files in path order, and the sources left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// `facts/*.yaml` and the bundled documents, sorted by path.
    pub files: Vec<BundleFile>,
    /// Sources that no public fact cites and that name no mission, so no file is theirs.
    pub unplaced_sources: Vec<String>,
}

impl Bundle {
    /// The names of the fact files (`kfor.yaml`, ...).
    pub fn fact_files(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter_map(|f| f.path.strip_prefix("facts/"))
    }
}

/// Why a bundle cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A fact's evidence is a span of a document that no source is linked to.
    #[error(
        "fact `{fact}` quotes document {document} ({name}), which has no source: record one with \
         `mandat source add --id ID --publisher NAME --title TITLE --date YYYY-MM-DD --lang de|en --document {document}`"
    )]
    DocumentWithoutSource {
        /// The fact.
        fact: String,
        /// The document.
        document: DocumentId,
        /// The name it was ingested under.
        name: String,
    },
    /// A fact cites a source id the store does not hold.
    #[error(
        "fact `{fact}` cites source `{source_id}`, which the store does not hold: record it with `mandat source add --id {source_id} ...`"
    )]
    UnknownSource {
        /// The fact.
        fact: String,
        /// The source id.
        source_id: String,
    },
    /// A fact names no mission, refers to no placed fact and cites no placed source.
    #[error(
        "fact `{0}` names no mission, refers to no other fact and cites no source of a mission: no file is its own"
    )]
    Unplaceable(String),
    /// A stored source does not have the dataset's form.
    #[error("source `{id}`: {message}")]
    InvalidSource {
        /// The source.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A written file does not read back to what was written (a defect of the writer).
    #[error("{0} does not read back to the facts it was written from")]
    NotReadBack(String),
    /// A bundled document's name would leave the `documents/` folder.
    #[error("bundled document name `{0}` is not a relative path")]
    DocumentPath(String),
}

/// A stored source in the dataset's form; `document` is the path below `data/documents/` when the
/// linked document is a bundled one.
pub(crate) fn core_source(r: &SourceRecord, bundled: Option<String>) -> Result<Source, AppError> {
    let bad = |message: String| {
        AppError::Bundle(BundleError::InvalidSource {
            id: r.id.clone(),
            message,
        })
    };
    Ok(Source {
        id: SourceId::new(r.id.clone()).map_err(|e| bad(e.message().to_owned()))?,
        publisher: r.publisher.clone(),
        title: r.title.clone(),
        date: mandat_core::parse_partial_date(&r.date).map_err(|e| bad(e.message().to_owned()))?,
        url: r.url.clone(),
        lang: Lang::from_code(&r.lang)
            .ok_or_else(|| bad(format!("language `{}` is not de or en", r.lang)))?,
        printed_paper: r
            .printed_paper
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e: mandat_core::ValueError| bad(e.message().to_owned()))?,
        document: bundled,
    })
}

impl App {
    /// The store's sources in the dataset's form, in the order recorded, as `clearance` sees them.
    pub async fn sources(&self, clearance: Clearance) -> Result<Vec<Source>, AppError> {
        let mut out = Vec::new();
        for r in self.store.sources(clearance).await? {
            let bundled = self.bundled_path(r.document).await?;
            out.push(core_source(&r, bundled)?);
        }
        Ok(out)
    }

    pub(crate) async fn bundled_path(
        &self,
        doc: Option<DocumentId>,
    ) -> Result<Option<String>, AppError> {
        let Some(doc) = doc else { return Ok(None) };
        Ok(self
            .store
            .document_source_name(doc)
            .await?
            .and_then(|n| n.strip_prefix(BUNDLED_PREFIX).map(str::to_owned)))
    }

    /// The dataset file (without `.yaml`) of a mission id.
    fn mission_file(&self, mission: &str) -> String {
        self.missions()
            .get(mission)
            .map_or_else(|| mandat_extract::slug(mission), |m| m.dataset_file())
    }

    /// Generates the bundle from the store (see the module documentation): the accepted,
    /// effective, public facts with their sources, and the documents that came from the bundle.
    /// Every file is checked to read back to what was written, and all of them together (with the
    /// bundled calendar) to form a valid registry.
    pub async fn bundle(&self) -> Result<Bundle, AppError> {
        let public = Clearance::PUBLIC;
        let records = self.store.sources(public).await?;
        let mut sources: Vec<Source> = Vec::with_capacity(records.len());
        let mut by_document: HashMap<DocumentId, usize> = HashMap::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for r in &records {
            let bundled = self.bundled_path(r.document).await?;
            if let Some(d) = r.document {
                by_document.insert(d, sources.len());
            }
            index.insert(r.id.clone(), sources.len());
            sources.push(core_source(r, bundled)?);
        }

        let claims = self
            .store
            .claims(
                &ClaimFilter {
                    clearance: public,
                    ..ClaimFilter::default()
                },
                None,
            )
            .await?;
        // (place in the log, fact, index of the cited source)
        let mut facts: Vec<(ClaimId, Fact, Option<usize>)> = Vec::with_capacity(claims.len());
        for c in &claims {
            let mut fact = App::fact_of(c)?;
            let cited = match &c.evidence {
                Evidence::Span {
                    document, quote, ..
                } => {
                    let Some(&i) = by_document.get(document) else {
                        let name = self
                            .store
                            .document_source_name(*document)
                            .await?
                            .unwrap_or_default();
                        return Err(BundleError::DocumentWithoutSource {
                            fact: fact.id.to_string(),
                            document: *document,
                            name,
                        }
                        .into());
                    };
                    let id = sources[i].id.clone();
                    let note = match &fact.source {
                        Some(Citation::Source { source, note, .. }) if *source == id => {
                            note.clone()
                        }
                        _ => None,
                    };
                    // A span of a printed paper runs over line breaks; the dataset writes a
                    // quote with its whitespace normalised (data/README.md, "Quotes").
                    fact.source = Some(Citation::Source {
                        source: id,
                        quote: Some(mandat_core::normalise_space(quote)),
                        note,
                    });
                    Some(i)
                }
                Evidence::Citation { .. } | Evidence::Unsourced => match &fact.source {
                    Some(Citation::Source { source, .. }) => {
                        Some(*index.get(source.as_str()).ok_or_else(|| {
                            BundleError::UnknownSource {
                                fact: fact.id.to_string(),
                                source_id: source.to_string(),
                            }
                        })?)
                    }
                    Some(Citation::Text(_)) | None => None,
                },
            };
            let place = self.first_claim(c).await?;
            facts.push((place, fact, cited));
        }
        facts.sort_by_key(|(place, _, _)| *place);

        // Files of facts: by mission, then by reference, then by source.
        let mut file_of: HashMap<FactId, String> = HashMap::new();
        for (_, f, _) in &facts {
            if let Some(m) = f.kind.missions().first() {
                file_of.insert(f.id.clone(), self.mission_file(m.as_str()));
            }
        }
        loop {
            let mut changed = false;
            for (_, f, _) in &facts {
                if file_of.contains_key(&f.id) {
                    continue;
                }
                let target = f
                    .kind
                    .references()
                    .into_iter()
                    .find_map(|(_, r)| file_of.get(r).cloned());
                if let Some(t) = target {
                    file_of.insert(f.id.clone(), t);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Files of sources: every file citing them; else the file of their first mission.
        let mut source_files: Vec<Vec<String>> = vec![Vec::new(); sources.len()];
        for (_, f, cited) in &facts {
            if let (Some(i), Some(file)) = (cited, file_of.get(&f.id))
                && !source_files[*i].contains(file)
            {
                source_files[*i].push(file.clone());
            }
        }
        for (i, r) in records.iter().enumerate() {
            if source_files[i].is_empty()
                && let Some(m) = r.missions.first()
            {
                source_files[i].push(self.mission_file(m));
            }
        }
        for (_, f, cited) in &facts {
            if file_of.contains_key(&f.id) {
                continue;
            }
            match cited.and_then(|i| source_files[i].first()) {
                Some(file) => {
                    file_of.insert(f.id.clone(), file.clone());
                }
                None => return Err(BundleError::Unplaceable(f.id.to_string()).into()),
            }
        }

        let mut about: HashMap<String, String> = HashMap::new();
        for m in self.missions().missions() {
            if let Some(a) = &m.about {
                about.entry(m.dataset_file()).or_insert_with(|| a.clone());
            }
        }
        let mut files: BTreeMap<String, FactFile> = BTreeMap::new();
        for (i, names) in source_files.iter().enumerate() {
            for name in names {
                entry(&mut files, name, &about)
                    .sources
                    .push(sources[i].clone());
            }
        }
        let mut unplaced_sources = Vec::new();
        for (i, names) in source_files.iter().enumerate() {
            if names.is_empty() {
                unplaced_sources.push(sources[i].id.to_string());
            }
        }
        for (_, f, _) in facts {
            let name = file_of.get(&f.id).cloned().unwrap_or_default();
            entry(&mut files, &name, &about).facts.push(f);
        }

        let mut out = Vec::with_capacity(files.len() + 8);
        let mut texts = Vec::with_capacity(files.len());
        for ff in files.values() {
            let text = write_fact_file(ff);
            let back =
                parse_fact_file(&ff.name, &text).map_err(mandat_core::RegistryError::from)?;
            if back != *ff {
                return Err(BundleError::NotReadBack(ff.name.clone()).into());
            }
            texts.push((ff.name.clone(), text));
        }
        let mut all: Vec<(&str, &str)> = mandat_data::DATASET_FILES
            .iter()
            .filter(|(n, _)| n.ends_with("calendar.yaml"))
            .copied()
            .collect();
        all.extend(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        Registry::from_files(&all)?;
        for (name, text) in texts {
            out.push(BundleFile {
                path: name,
                bytes: text.into_bytes(),
            });
        }

        let mut after = None;
        loop {
            let page = self.store.documents(after, 100, public).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for d in page {
                let Some(rel) = d.source.strip_prefix(BUNDLED_PREFIX) else {
                    continue;
                };
                if rel.is_empty()
                    || rel.starts_with('/')
                    || rel.contains('\\')
                    || rel
                        .split('/')
                        .any(|c| c.is_empty() || c == "." || c == "..")
                {
                    return Err(BundleError::DocumentPath(rel.to_owned()).into());
                }
                out.push(BundleFile {
                    path: format!("documents/{rel}"),
                    bytes: d.text.into_bytes(),
                });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        let mut seen = HashSet::new();
        out.retain(|f| seen.insert(f.path.clone()));
        Ok(Bundle {
            files: out,
            unplaced_sources,
        })
    }

    /// The first claim of a fact's corrections: where the fact stands in the log.
    async fn first_claim(&self, c: &mandat_store::Claim) -> Result<ClaimId, AppError> {
        let mut id = c.id;
        let mut prev = c.supersedes;
        while let Some(p) = prev {
            id = p;
            prev = match self.store.claim(p, None, Clearance::ALL).await? {
                Some(older) => older.supersedes,
                None => None,
            };
        }
        Ok(id)
    }
}

fn entry<'a>(
    files: &'a mut BTreeMap<String, FactFile>,
    name: &str,
    about: &HashMap<String, String>,
) -> &'a mut FactFile {
    files.entry(name.to_owned()).or_insert_with(|| FactFile {
        name: format!("facts/{name}.yaml"),
        about: about.get(name).cloned(),
        sources: Vec::new(),
        facts: Vec::new(),
    })
}
