//! Facts recorded by hand from a fact file (`mandat fact add`): the extractor did not propose
//! them, but their quotes are checked against the stored documents all the same.
//!
//! A fact that cites a source linked to a stored document (`mandat source add --document`) is
//! recorded with the exact byte span of its quote in that document ([`mandat_core::find_quote`]),
//! as an accepted proposal would be; a quote that is not in the document is refused, naming the
//! file, line and fact. A fact citing a source without a stored text is recorded with the citation
//! as written, as the bundled facts are.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use mandat_core::{Citation, FileError, FileErrorCode, Source};
use mandat_store::{
    Actor, ClaimFilter, ClaimStatus, Clearance, DocumentId, Evidence, NewEvidence, NewSource,
};

use crate::bundle::core_source;
use crate::{App, AppError, new_claim};

/// What [`App::add_fact_file`] recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactsAdded {
    /// Facts recorded as accepted claims.
    pub facts: usize,
    /// Of these, facts whose quote was found in a stored document and recorded as its span.
    pub spans: usize,
    /// Sources of the file that the store did not hold yet.
    pub sources: usize,
}

impl App {
    /// Records the facts of a fact file (the dataset's format, `name` for error messages) as
    /// accepted claims of `actor` (an editor or above), with the file's new sources. Either every
    /// fact is recorded or none: the facts must fit the accepted ones ([`App::check_facts`]), each
    /// must cite a source, and a quote from a source with a stored document must be in that
    /// document. The file's facts may cite the store's sources and refer to its facts; a source
    /// of the file that the store holds must be the same there.
    pub async fn add_fact_file(
        &self,
        name: &str,
        yaml: &str,
        actor: &Actor,
    ) -> Result<FactsAdded, AppError> {
        let records = self.store.sources(Clearance::ALL).await?;
        let mut known_sources = Vec::with_capacity(records.len());
        for r in &records {
            known_sources.push(core_source(r, self.bundled_path(r.document).await?)?);
        }
        let stored: HashMap<&str, &mandat_store::SourceRecord> =
            records.iter().map(|r| (r.id.as_str(), r)).collect();
        let accepted = self.registry(Clearance::ALL).await?;
        let known_id =
            |id: &str| mandat_core::FactId::new(id).is_ok_and(|id| accepted.fact(&id).is_some());
        let (file, at) = mandat_core::parse_fact_file_with(name, yaml, &known_sources, &known_id)?;

        let mut new_sources = Vec::new();
        for s in &file.sources {
            match known_sources.iter().find(|k| k.id == s.id) {
                Some(k) if same_source(k, s) => {}
                Some(_) => {
                    return Err(AppError::InvalidSource {
                        id: s.id.to_string(),
                        message: "the store holds a different source under this id (a source is \
                                  never changed: give the new one another id)"
                            .into(),
                    });
                }
                None => new_sources.push(s.clone()),
            }
        }

        let mut texts: HashMap<DocumentId, String> = HashMap::new();
        let mut evidence = Vec::with_capacity(file.facts.len());
        for (fact, &loc) in file.facts.iter().zip(&at) {
            let refused = |key: &str, code: FileErrorCode, message: String| {
                AppError::FactFile(FileError::at(name, loc, Some(key), code, message))
            };
            evidence.push(match &fact.source {
                None => {
                    return Err(refused(
                        "source",
                        FileErrorCode::MissingKey,
                        format!("fact `{}` names no source", fact.id),
                    ));
                }
                Some(Citation::Text(t)) => NewEvidence::Citation { text: t.clone() },
                Some(Citation::Source { source, quote, .. }) => {
                    let document = stored.get(source.as_str()).and_then(|r| r.document);
                    match (document, quote) {
                        (Some(d), Some(q)) => {
                            if let Entry::Vacant(e) = texts.entry(d) {
                                let doc = self
                                    .store
                                    .document(d, Clearance::ALL)
                                    .await?
                                    .ok_or(mandat_store::StoreError::DocumentNotFound(d))?;
                                e.insert(doc.text);
                            }
                            let text = &texts[&d];
                            let span = mandat_core::find_quote(text, q).ok_or_else(|| {
                                refused(
                                    "quote",
                                    FileErrorCode::InvalidValue,
                                    format!(
                                        "fact `{}`: the quote is not in document {d}, the text \
                                         of source `{source}` (a quote is a verbatim span; \
                                         whitespace may differ)",
                                        fact.id
                                    ),
                                )
                            })?;
                            NewEvidence::Span {
                                document: d,
                                start: span.start as u64,
                                end: span.end as u64,
                            }
                        }
                        (_, Some(q)) => NewEvidence::Citation {
                            text: format!("{source}: \"{q}\""),
                        },
                        (_, None) => NewEvidence::Citation {
                            text: source.to_string(),
                        },
                    }
                }
            });
        }

        // Checked with the new sources before anything is written.
        let reg = self
            .registry_with(Clearance::ALL, None, &new_sources, file.facts.clone())
            .await?;
        self.registry_with(Clearance::PUBLIC, None, &new_sources, file.facts.clone())
            .await?;
        let sources = new_sources.len();
        if !new_sources.is_empty() {
            // As in the bundle, a source a file lists is about the missions of the file's facts
            // (so that one cited only by a legal basis still has a dataset file).
            let mut missions: Vec<String> = Vec::new();
            for f in &file.facts {
                for m in reg.missions_of(f) {
                    if !missions.iter().any(|x| x == m.as_str()) {
                        missions.push(m.as_str().to_owned());
                    }
                }
            }
            let new = new_sources
                .iter()
                .map(|s| new_source(s, None, missions.clone()))
                .collect();
            self.store.add_sources(new, actor).await?;
        }
        let spans = evidence
            .iter()
            .filter(|e| matches!(e, NewEvidence::Span { .. }))
            .count();
        let mut claims = Vec::with_capacity(file.facts.len());
        for (fact, ev) in file.facts.iter().zip(evidence) {
            claims.push(new_claim(fact, reg.missions_of(fact), ev)?);
        }
        let facts = claims.len();
        self.store
            .record_claims(claims, ClaimStatus::Accepted, actor)
            .await?;
        Ok(FactsAdded {
            facts,
            spans,
            sources,
        })
    }
}

/// What [`App::link_source`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLinked {
    /// Accepted facts citing the source whose quote was found in the document and is now their
    /// evidence as a span of it.
    pub attested: usize,
}

impl App {
    /// Links a source recorded without its text to the stored document that is its text, after
    /// checking that every quote of an accepted fact citing the source is in the document
    /// ([`mandat_core::find_quote`]). Those facts are re-recorded with their quote's span as
    /// evidence, so from then on they cite the text as an accepted proposal does. A quote that
    /// is not in the document refuses the link and names every such fact; nothing is written.
    pub async fn link_source(
        &self,
        source: &str,
        document: DocumentId,
        actor: &Actor,
    ) -> Result<SourceLinked, AppError> {
        let doc = self
            .store
            .document(document, Clearance::ALL)
            .await?
            .ok_or(mandat_store::StoreError::DocumentNotFound(document))?;
        let claims = self
            .store
            .claims(
                &ClaimFilter {
                    clearance: Clearance::ALL,
                    ..ClaimFilter::default()
                },
                None,
            )
            .await?;
        let mut attest = Vec::new();
        let mut missing = Vec::new();
        for c in &claims {
            if matches!(c.evidence, Evidence::Span { .. }) {
                continue;
            }
            let fact = App::fact_of(c)?;
            let Some(Citation::Source {
                source: cited,
                quote: Some(quote),
                ..
            }) = &fact.source
            else {
                continue;
            };
            if cited.as_str() != source {
                continue;
            }
            match mandat_core::find_quote(&doc.text, quote) {
                Some(r) => attest.push((c.id, r.start as u64, r.end as u64)),
                None => missing.push(format!("{}: \"{quote}\"", fact.id)),
            }
        }
        if !missing.is_empty() {
            return Err(AppError::QuotesNotInDocument {
                source_id: source.to_owned(),
                document,
                facts: missing,
            });
        }
        let pairs = self
            .store
            .link_source_document(source, document, &attest, actor)
            .await?;
        Ok(SourceLinked {
            attested: pairs.len(),
        })
    }
}

/// Equal as the dataset writes them (a stored source may be linked to a document; a file's is not).
fn same_source(a: &Source, b: &Source) -> bool {
    Source {
        document: None,
        ..a.clone()
    } == Source {
        document: None,
        ..b.clone()
    }
}

/// The store's form of a source of the dataset, linked to `document` and about `missions`.
pub(crate) fn new_source(
    s: &Source,
    document: Option<DocumentId>,
    missions: Vec<String>,
) -> NewSource {
    NewSource {
        id: s.id.to_string(),
        publisher: s.publisher.clone(),
        title: s.title.clone(),
        date: s.date.to_string(),
        url: s.url.clone(),
        lang: s.lang.code().to_owned(),
        printed_paper: s.printed_paper.map(|p| p.to_string()),
        document,
        missions,
    }
}
