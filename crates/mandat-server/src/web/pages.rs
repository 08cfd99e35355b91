//! The page handlers and their templates' data.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mandat_core::{
    Citation, Fact, FactKind, MandateChange, MandateTerms, MissionId, Registry, TimePoint,
};
use mandat_rules::{Explanation, Options, Query as RuleQuery, Verdict, evaluate};
use mandat_store::{ClaimFilter, Clearance, Evidence, ReviewDecision, Role};
use serde::Deserialize;

use super::chart::{self, Band, Chart, Event, EventKind, Labels, Point, Step};
use super::{Ctx, LANG_COOKIE, Lang, Page, Tr, local_path, render, see_other, url_encode};
use crate::AppState;
use crate::api::{self, SearchParams};
use crate::error::ApiError;
use crate::extract::{AuthVia, ClientAddr};

// ---------------------------------------------------------------------------------------------
// Shared view pieces

/// Where a fact's evidence can be read: a span of a stored document, and/or a source online.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cite {
    /// `/documents/{id}#span-S-E`.
    pub span_href: Option<String>,
    /// The quoted evidence or citation text.
    pub quote: Option<String>,
    /// Source title (publisher: title, date).
    pub source: Option<String>,
    /// The source's address.
    pub url: Option<String>,
    /// Editor's note.
    pub note: Option<String>,
}

/// A fact as linked from an explanation step or a table.
#[derive(Debug, Clone)]
pub(crate) struct FactLink {
    pub id: String,
    pub kind: &'static str,
    pub cite: Cite,
}

/// One node of an explanation tree, flattened in document order. A node with children opens a
/// nested list; a leaf closes its item and `closes` enclosing lists (askama has no recursion).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub rule: String,
    pub summary: String,
    pub facts: Vec<FactLink>,
    pub has_children: bool,
    pub closes: usize,
}

fn span_href(document: i64, start: u64, end: u64) -> String {
    format!("/documents/{document}#span-{start}-{end}")
}

/// Evidence of the claims behind fact ids: the effective claims of `mission` in one query, then
/// one query per remaining id (legal bases name no mission), at most 64 of them.
async fn evidence(
    state: &AppState,
    clearance: Clearance,
    mission: Option<&str>,
    ids: &BTreeSet<String>,
) -> Result<HashMap<String, Evidence>, ApiError> {
    let mut out = HashMap::new();
    if let Some(m) = mission {
        let filter = ClaimFilter {
            mission: Some(m.to_owned()),
            clearance,
            ..ClaimFilter::default()
        };
        for c in state.app.store.claims(&filter, None).await? {
            out.insert(c.fact_id.as_str().to_owned(), c.evidence);
        }
    }
    for id in ids
        .iter()
        .filter(|i| !out.contains_key(*i))
        .take(64)
        .cloned()
        .collect::<Vec<_>>()
    {
        let Some(fact_id) = mandat_store::FactId::new(id.clone()) else {
            continue;
        };
        let filter = ClaimFilter {
            fact_id: Some(fact_id),
            clearance,
            ..ClaimFilter::default()
        };
        if let Some(c) = state.app.store.claims(&filter, None).await?.pop() {
            out.insert(id, c.evidence);
        }
    }
    Ok(out)
}

/// The citation of a fact: its stored evidence and its dataset source.
fn cite(reg: &Registry, source: Option<&Citation>, ev: Option<&Evidence>) -> Cite {
    let mut c = Cite::default();
    match ev {
        Some(Evidence::Span {
            document,
            start,
            end,
            quote,
        }) => {
            c.span_href = Some(span_href(document.0, *start, *end));
            c.quote = Some(quote.clone());
        }
        Some(Evidence::Citation { .. } | Evidence::Unsourced) | None => {}
    }
    match source {
        Some(Citation::Source {
            source,
            quote,
            note,
        }) => {
            if let Some(s) = reg.source(source) {
                c.source = Some(format!("{}: {}", s.publisher, s.title));
                c.url = s.url.clone();
            } else {
                c.source = Some(source.to_string());
            }
            if c.quote.is_none() {
                c.quote.clone_from(quote);
            }
            c.note.clone_from(note);
        }
        Some(Citation::Text(t)) if c.quote.is_none() => c.quote = Some(t.clone()),
        Some(Citation::Text(_)) | None => {}
    }
    // A stored citation text is the last resort: the dataset's own quote reads better.
    if c.quote.is_none()
        && let Some(Evidence::Citation { text }) = ev
    {
        c.quote = Some(text.clone());
    }
    c
}

fn fact_ids(e: &Explanation, out: &mut BTreeSet<String>) {
    out.extend(e.facts.iter().map(|f| f.id.to_string()));
    for c in &e.children {
        fact_ids(c, out);
    }
}

fn flatten(
    e: &Explanation,
    tr: &Tr,
    reg: &Registry,
    ev: &HashMap<String, Evidence>,
    closes_after: usize,
    out: &mut Vec<Node>,
) {
    out.push(Node {
        rule: e.rule.to_string(),
        summary: e.summary.clone(),
        facts: e
            .facts
            .iter()
            .map(|f| FactLink {
                id: f.id.to_string(),
                kind: tr.fact_kind(&f.kind),
                cite: cite(reg, f.source.as_ref(), ev.get(f.id.as_str())),
            })
            .collect(),
        has_children: !e.children.is_empty(),
        closes: if e.children.is_empty() {
            closes_after
        } else {
            0
        },
    });
    let n = e.children.len();
    for (i, c) in e.children.iter().enumerate() {
        let after = if i + 1 == n { closes_after + 1 } else { 0 };
        flatten(c, tr, reg, ev, after, out);
    }
}

/// A verdict as shown: status, mandate, ceiling, check, deadline, warnings and the tree.
#[derive(Debug, Clone)]
pub(crate) struct VerdictView {
    pub status: &'static str,
    pub status_code: &'static str,
    pub mandate: Option<String>,
    pub ceiling: Option<u32>,
    pub basis: Option<&'static str>,
    pub check: Option<String>,
    pub deadline: Option<String>,
    pub warnings: Vec<String>,
    pub contest: Option<String>,
    pub tree: Vec<Node>,
}

async fn verdict_view(
    state: &AppState,
    ctx: &Ctx,
    reg: &Registry,
    v: &Verdict,
) -> Result<VerdictView, ApiError> {
    let tr = ctx.tr();
    let mut ids = BTreeSet::new();
    fact_ids(&v.explanation, &mut ids);
    let ev = evidence(
        state,
        ctx.caller.clearance(),
        Some(v.query.mission.as_str()),
        &ids,
    )
    .await?;
    let mut tree = Vec::new();
    flatten(&v.explanation, tr, reg, &ev, 0, &mut tree);
    Ok(VerdictView {
        status: tr.status(v.status.name()),
        status_code: v.status.name(),
        mandate: v.mandate.as_ref().map(ToString::to_string),
        ceiling: v.ceiling.map(|c| c.get()),
        basis: v.basis.map(|b| tr.basis_name(b.name())),
        check: v.check.as_ref().map(|c| {
            format!(
                "{}: {} / {} ({})",
                tr.check_name(c.outcome.name()),
                c.strength,
                c.ceiling,
                c.report
            )
        }),
        deadline: v
            .deadline
            .as_ref()
            .map(|d| format!("{}: {} ({})", tr.deadline_kind(d.kind.name()), d.at, d.rule)),
        warnings: v.warnings.iter().map(|w| w.message.clone()).collect(),
        contest: v.contest.as_ref().map(|c| {
            format!(
                "{}: {} ({})",
                tr.contested,
                tr.status(c.alternative.name()),
                c.reason
            )
        }),
        tree,
    })
}

fn opt_num(v: Option<u32>) -> String {
    v.map_or_else(|| "–".to_owned(), |n| n.to_string())
}

fn euros(cents: Option<u64>) -> String {
    cents.map_or_else(
        || "–".to_owned(),
        |c| format!("{} €", group_thousands(c / 100)),
    )
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    out
}

fn period_text(tr: &Tr, p: Option<&mandat_core::Period>) -> String {
    match p {
        None => "–".to_owned(),
        Some(p) => match p.last() {
            Some(l) => format!("{} – {}", p.from(), l),
            None => format!("{} – ({})", p.from(), tr.open_ended),
        },
    }
}

fn list<T: std::fmt::Display>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What changed from the previous mandate, in words.
fn change_text(tr: &Tr, c: &MandateChange) -> String {
    match c {
        MandateChange::Ceiling { from, to } => format!(
            "{}: {} → {}",
            tr.change_ceiling,
            opt_num(from.map(|c| c.get())),
            opt_num(to.map(|c| c.get()))
        ),
        MandateChange::Period { from, to } => format!(
            "{}: {} → {}",
            tr.change_period,
            period_text(tr, from.as_ref()),
            period_text(tr, to.as_ref())
        ),
        MandateChange::LegalBases { added, removed } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("{}: {}", tr.change_bases_added, list(added)));
            }
            if !removed.is_empty() {
                parts.push(format!("{}: {}", tr.change_bases_removed, list(removed)));
            }
            parts.join("; ")
        }
        MandateChange::Conditions { .. } => tr.change_conditions.to_owned(),
        MandateChange::Area { from, to } => format!(
            "{}: {} → {}",
            tr.change_area,
            from.as_deref().unwrap_or("–"),
            to.as_deref().unwrap_or("–")
        ),
        MandateChange::Costs { from, to } => {
            format!("{}: {} → {}", tr.change_costs, euros(*from), euros(*to))
        }
        MandateChange::Missions { added, removed } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("{}: {}", tr.change_missions_added, list(added)));
            }
            if !removed.is_empty() {
                parts.push(format!("{}: {}", tr.change_missions_removed, list(removed)));
            }
            parts.join("; ")
        }
    }
}

fn mission_name(state: &AppState, lang: Lang, id: &str) -> String {
    state.app.missions().get(id).map_or_else(
        || id.to_owned(),
        |e| match lang {
            Lang::De => e.name.de.clone(),
            Lang::En => e.name.en.clone(),
        },
    )
}

/// Query parameters of a page, as text; every page reads only the ones it knows, so the
/// language switch or a bookmark with an extra parameter never breaks a page.
type Params = HashMap<String, String>;

fn params(q: Result<Query<Params>, QueryRejection>) -> Result<Params, ApiError> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

fn param<'a>(p: &'a Params, name: &str) -> Option<&'a str> {
    p.get(name)
        .map(String::as_str)
        .filter(|s| !s.trim().is_empty())
}

// ---------------------------------------------------------------------------------------------
// Missions

#[derive(Debug)]
pub(crate) struct MissionRow {
    pub id: String,
    pub href: String,
    pub name: String,
    pub status: &'static str,
    pub status_code: String,
    pub ceiling: String,
    pub strength: String,
}

#[derive(Template, Debug)]
#[template(path = "missions.html")]
pub(crate) struct MissionsPage {
    pub page: Page,
    pub rows: Vec<MissionRow>,
}

pub(crate) async fn missions(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let reg = api::registry_for(&state, ctx.caller.clearance()).await?;
        let tr = ctx.tr();
        let rows = api::mission_summaries(&state, &reg)
            .into_iter()
            .map(|s| MissionRow {
                href: format!("/missions/{}", url_encode(&s.id)),
                name: match ctx.lang {
                    Lang::De => s.name_de,
                    Lang::En => s.name_en,
                },
                status: tr.status(&s.status),
                status_code: s.status,
                ceiling: opt_num(s.ceiling),
                strength: opt_num(s.strength),
                id: s.id,
            })
            .collect();
        let t = MissionsPage {
            page: ctx.page(&state, tr.missions_title, "missions"),
            rows,
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// One mission

#[derive(Debug)]
pub(crate) struct MandateRow {
    pub id: String,
    pub href: String,
    pub approved: String,
    pub period: String,
    pub ceiling: String,
    pub legal_bases: String,
    pub printed_paper: String,
    pub first: bool,
    pub changes: Vec<String>,
}

#[derive(Template, Debug)]
#[template(path = "mission.html")]
pub(crate) struct MissionPage {
    pub page: Page,
    pub id: String,
    pub href: String,
    pub name: String,
    pub aliases: String,
    pub organisation: String,
    pub area: String,
    pub on: String,
    pub as_of: String,
    pub verdict: VerdictView,
    pub tree: Vec<Node>,
    pub chart: String,
    pub mandates: Vec<MandateRow>,
}

/// The chart's data from the strength series, the mandates and the mission's events.
fn chart_of(reg: &Registry, mission: &MissionId, tr: &Tr, name: &str) -> Chart {
    let series = api::strength_series(reg, mission);
    let date = |s: &str| s.parse::<TimePoint>().ok().map(|t| t.date());
    let ceilings = series
        .ceilings
        .iter()
        .filter_map(|c| {
            Some(Step {
                from: date(&c.from)?,
                until: c.until.as_deref().and_then(date),
                ceiling: c.ceiling,
            })
        })
        .collect();
    let strength = series
        .strength
        .iter()
        .filter_map(|p| {
            Some(Point {
                on: date(&p.on)?,
                count: p.count,
            })
        })
        .collect();
    let mut mandates = Vec::new();
    let mut bases: BTreeSet<mandat_core::LegalRef> = BTreeSet::new();
    for (f, terms) in api::mandates_of(reg, mission) {
        bases.extend(terms.legal_bases.iter().cloned());
        if let Some(p) = terms.period {
            mandates.push(Band {
                from: p.from(),
                until: p.last(),
                label: format!(
                    "{} {} ({}: {})",
                    tr.chart_mandate,
                    f.id,
                    tr.col_ceiling,
                    opt_num(terms.ceiling.map(|c| c.get()))
                ),
                href: Some(format!("/mandates/{}", url_encode(f.id.as_str()))),
            });
        }
    }
    let mut legal_bases = Vec::new();
    for r in &bases {
        for f in reg.legal_basis_facts(r) {
            if let FactKind::LegalBasis {
                period: Some(p), ..
            } = &f.kind
            {
                legal_bases.push(Band {
                    from: p.from(),
                    until: p.last(),
                    label: format!("{} {r}", tr.chart_legal_basis),
                    href: None,
                });
            }
        }
    }
    let events = reg
        .mission_facts(mission)
        .filter_map(|f| {
            let kind = match &f.kind {
                FactKind::CabinetDecision { .. } => EventKind::Cabinet,
                FactKind::Vote { .. } => EventKind::Vote,
                FactKind::DeploymentStarted { .. }
                | FactKind::EmergencyDeploymentStarted { .. }
                | FactKind::DeploymentEnded { .. }
                | FactKind::Revocation { .. }
                | FactKind::ApplicationDistributed { .. }
                | FactKind::DebateRequested { .. } => EventKind::Other,
                _ => return None,
            };
            Some(Event {
                on: f.valid.date(),
                kind,
                label: format!("{} ({})", tr.fact_kind(f.kind.name()), f.id),
            })
        })
        .collect();
    Chart {
        ceilings,
        strength,
        mandates,
        legal_bases,
        events,
        today: api::today().date(),
        labels: Labels {
            title: format!("{}: {name}", tr.timeline),
            desc: tr.timeline_desc.to_owned(),
            ceiling: tr.chart_ceiling.to_owned(),
            strength: tr.chart_strength.to_owned(),
            mandates: tr.mandates.to_owned(),
            legal_bases: tr.col_legal_bases.to_owned(),
            events: tr.chart_events.to_owned(),
        },
    }
}

pub(crate) async fn mission(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    q: Result<Query<Params>, QueryRejection>,
) -> Response {
    let r = async {
        let q = params(q)?;
        let on = api::time_param("on", param(&q, "on"))?.unwrap_or_else(api::today);
        let as_of = api::time_param("as_of", param(&q, "as_of"))?;
        let reg = api::registry_for(&state, ctx.caller.clearance()).await?;
        let id = api::mission_id(&state, &reg, &raw)?;
        let tr = ctx.tr();
        let entry = state.app.missions().get(id.as_str());
        let name = mission_name(&state, ctx.lang, id.as_str());
        let query = RuleQuery {
            mission: id.clone(),
            on,
            as_of,
        };
        let v = evaluate(&reg, &query, &Options::default());
        let verdict = verdict_view(&state, &ctx, &reg, &v).await?;
        let chart = chart::render(&chart_of(&reg, &id, tr, &name), tr.chart_no_data);
        let mandates = api::mandate_views(&reg, &id)
            .into_iter()
            .map(|m| MandateRow {
                href: format!("/mandates/{}", url_encode(&m.fact_id)),
                approved: m.approved,
                period: period_text(tr, m.terms.period.as_ref()),
                ceiling: opt_num(m.terms.ceiling.map(|c| c.get())),
                legal_bases: list(&m.terms.legal_bases),
                printed_paper: m
                    .terms
                    .printed_paper
                    .as_ref()
                    .map_or_else(String::new, ToString::to_string),
                first: m.previous.is_none(),
                changes: m.changes.iter().map(|c| change_text(tr, c)).collect(),
                id: m.fact_id,
            })
            .collect();
        let t = MissionPage {
            page: ctx.page(&state, format!("{id}: {name}"), "missions"),
            id: id.to_string(),
            href: format!("/missions/{}", url_encode(id.as_str())),
            aliases: entry.map(|e| e.aliases.join(", ")).unwrap_or_default(),
            organisation: entry
                .map(|e| crate::api::organisation_name(e.organisation).to_owned())
                .unwrap_or_default(),
            area: entry.map(|e| e.area.clone()).unwrap_or_default(),
            name,
            on: on.to_string(),
            as_of: as_of.map(|t| t.to_string()).unwrap_or_default(),
            tree: verdict.tree.clone(),
            verdict,
            chart,
            mandates,
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// One mandate

#[derive(Template, Debug)]
#[template(path = "mandate.html")]
pub(crate) struct MandatePage {
    pub page: Page,
    pub id: String,
    pub mission: String,
    pub mission_href: String,
    pub approved: String,
    pub missions: String,
    pub ceiling: String,
    pub period: String,
    pub legal_bases: String,
    pub dependency: &'static str,
    pub expires_if_ended: String,
    pub overrun: &'static str,
    pub area: String,
    pub costs: String,
    pub printed_paper: String,
    pub supersedes: Vec<(String, String)>,
    pub previous: Option<(String, String)>,
    pub changes: Vec<String>,
    pub first_day: String,
    pub verdict: VerdictView,
    pub tree: Vec<Node>,
    pub citation: Cite,
}

fn mandate_fact<'r>(reg: &'r Registry, raw: &str) -> Option<(&'r Fact, &'r MandateTerms)> {
    let id = mandat_core::FactId::new(raw).ok()?;
    let f = reg.fact(&id)?;
    match &f.kind {
        FactKind::MandateApproved { terms, .. } => Some((f, terms)),
        _ => None,
    }
}

pub(crate) async fn mandate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Response {
    let r = async {
        let reg = api::registry_for(&state, ctx.caller.clearance()).await?;
        let tr = ctx.tr();
        let (f, terms) = mandate_fact(&reg, &raw)
            .ok_or_else(|| ApiError::NotFound(format!("no mandate `{raw}`")))?;
        let mission = terms
            .missions
            .first()
            .cloned()
            .ok_or_else(|| ApiError::NotFound(format!("mandate `{raw}` names no mission")))?;
        let first_day = terms.period.map_or_else(|| f.valid.date(), |p| p.from());
        let query = RuleQuery {
            mission: mission.clone(),
            on: TimePoint::Day(first_day),
            as_of: None,
        };
        let v = evaluate(&reg, &query, &Options::default());
        let verdict = verdict_view(&state, &ctx, &reg, &v).await?;
        let mut own = BTreeSet::new();
        own.insert(f.id.to_string());
        let ev = evidence(&state, ctx.caller.clearance(), None, &own).await?;
        let citation = cite(&reg, f.source.as_ref(), ev.get(f.id.as_str()));
        let view = api::mandate_views(&reg, &mission)
            .into_iter()
            .find(|m| m.fact_id == f.id.as_str());
        let link = |id: &str| (id.to_owned(), format!("/mandates/{}", url_encode(id)));
        let supersedes = match &f.kind {
            FactKind::MandateApproved { supersedes, .. } => {
                supersedes.iter().map(|s| link(s.as_str())).collect()
            }
            _ => Vec::new(),
        };
        let t = MandatePage {
            page: ctx.page(&state, format!("{} {}", tr.mandate_title, f.id), "missions"),
            id: f.id.to_string(),
            mission_href: format!("/missions/{}", url_encode(mission.as_str())),
            mission: mission.to_string(),
            approved: f.valid.to_string(),
            missions: list(&terms.missions),
            ceiling: opt_num(terms.ceiling.map(|c| c.get())),
            period: terms
                .period
                .as_ref()
                .map_or_else(|| tr.no_period.to_owned(), |p| period_text(tr, Some(p))),
            legal_bases: list(&terms.legal_bases),
            dependency: match terms.dependency {
                mandat_core::Dependency::Strict => tr.dependency_strict,
                mandat_core::Dependency::Advisory => tr.dependency_advisory,
            },
            expires_if_ended: list(&terms.conditions.expires_if_ended),
            overrun: if terms.overrun_permitted {
                tr.yes
            } else {
                tr.no
            },
            area: terms.area.clone().unwrap_or_default(),
            costs: euros(terms.costs_eur_cents),
            printed_paper: terms
                .printed_paper
                .as_ref()
                .map_or_else(String::new, ToString::to_string),
            supersedes,
            previous: view.as_ref().and_then(|m| m.previous.as_deref().map(link)),
            changes: view
                .as_ref()
                .map(|m| m.changes.iter().map(|c| change_text(tr, c)).collect())
                .unwrap_or_default(),
            first_day: first_day.to_string(),
            tree: verdict.tree.clone(),
            verdict,
            citation,
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// Documents

/// A run of document text: maybe opening a highlight, anchors of overlapping spans, the text
/// (escaped by the template), maybe closing the highlight.
#[derive(Debug)]
pub(crate) struct Segment {
    pub open: Option<(String, String)>,
    pub anchors: Vec<String>,
    pub text: String,
    pub close: bool,
}

/// Cuts `text` into segments at the claims' spans. Spans that overlap an earlier highlight get
/// an empty anchor at their start instead of a highlight of their own, so every span has its
/// `span-S-E` target; spans off the text or off character boundaries are ignored.
pub(crate) fn segments(text: &str, spans: &[(u64, u64, String)]) -> Vec<Segment> {
    let mut spans: Vec<(usize, usize, &str)> = spans
        .iter()
        .filter_map(|(s, e, title)| {
            let (s, e) = (usize::try_from(*s).ok()?, usize::try_from(*e).ok()?);
            (s < e && text.get(s..e).is_some()).then_some((s, e, title.as_str()))
        })
        .collect();
    spans.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    spans.dedup_by_key(|&mut (s, e, _)| (s, e));
    // Boundaries: where a mark opens, an anchor sits, or a mark closes.
    let mut marks: Vec<(usize, usize, &str)> = Vec::new();
    let mut anchors: Vec<(usize, String)> = Vec::new();
    for (s, e, title) in spans {
        match marks.last() {
            Some(&(_, me, _)) if s < me => anchors.push((s, format!("span-{s}-{e}"))),
            _ => marks.push((s, e, title)),
        }
    }
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, text.len()]);
    for &(s, e, _) in &marks {
        cuts.insert(s);
        cuts.insert(e);
    }
    cuts.extend(anchors.iter().map(|(s, _)| *s));
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(Segment {
            open: marks
                .iter()
                .find(|m| m.0 == a)
                .map(|m| (format!("span-{}-{}", m.0, m.1), m.2.to_owned())),
            anchors: anchors
                .iter()
                .filter(|(s, _)| *s == a)
                .map(|(_, id)| id.clone())
                .collect(),
            text: text.get(a..b).unwrap_or("").to_owned(),
            close: marks.iter().any(|m| m.1 == b),
        });
    }
    out
}

#[derive(Debug)]
pub(crate) struct ClaimRow {
    pub id: i64,
    pub fact_id: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub valid: String,
    pub missions: String,
    pub evidence: String,
    pub href: Option<String>,
}

fn claim_row(tr: &Tr, c: &api::ClaimView) -> ClaimRow {
    ClaimRow {
        id: c.id,
        fact_id: c.fact_id.clone(),
        kind: tr.fact_kind(&c.kind),
        status: tr.review_status(&c.status),
        valid: c.valid_from.clone().unwrap_or_default(),
        missions: c.missions.join(", "),
        evidence: c.evidence.clone().unwrap_or_default(),
        href: match (c.document, c.span) {
            (Some(d), Some([s, e])) => Some(span_href(d, s, e)),
            _ => None,
        },
    }
}

#[derive(Template, Debug)]
#[template(path = "document.html")]
pub(crate) struct DocumentPage {
    pub page: Page,
    pub id: i64,
    pub title: String,
    pub source: String,
    pub lang: String,
    pub published: String,
    pub media_type: String,
    pub ingested: String,
    pub missions: String,
    pub claims: Vec<ClaimRow>,
    pub segments: Vec<Segment>,
}

pub(crate) async fn document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Response {
    let r = async {
        let id: i64 = raw
            .parse()
            .map_err(|_| ApiError::BadRequest(format!("`{raw}` is not a document number")))?;
        let d = api::document_view(&state, ctx.caller.clearance(), id).await?;
        let tr = ctx.tr();
        let spans: Vec<(u64, u64, String)> = d
            .claims
            .iter()
            .filter_map(|c| {
                c.span
                    .map(|[s, e]| (s, e, format!("{} ({})", tr.fact_kind(&c.kind), c.fact_id)))
            })
            .collect();
        let title = d
            .meta
            .title
            .clone()
            .unwrap_or_else(|| tr.untitled.to_owned());
        let t = DocumentPage {
            page: ctx.page(&state, format!("{}: {title}", tr.document_title), ""),
            id: d.meta.id,
            title,
            source: d.meta.source.clone(),
            lang: d.meta.lang.clone(),
            published: d.meta.published.clone().unwrap_or_default(),
            media_type: d.meta.media_type.clone(),
            ingested: d.meta.ingested_at.clone(),
            missions: d.meta.missions.join(", "),
            claims: d.claims.iter().map(|c| claim_row(tr, c)).collect(),
            segments: segments(&d.text, &spans),
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// Search

#[derive(Debug)]
pub(crate) struct HitRow {
    pub title: String,
    pub href: String,
    pub source: String,
    pub lang: String,
    pub published: String,
    pub passage: String,
    pub claims: Vec<ClaimRow>,
}

#[derive(Template, Debug)]
#[template(path = "search.html")]
pub(crate) struct SearchPage {
    pub page: Page,
    pub q: String,
    pub mission: String,
    pub doc_lang: String,
    pub from: String,
    pub until: String,
    pub missions: Vec<String>,
    pub searched: bool,
    pub hits: Vec<HitRow>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    q: Result<Query<Params>, QueryRejection>,
) -> Response {
    let r = async {
        let q = params(q)?;
        let tr = ctx.tr();
        let get = |k: &str| param(&q, k).unwrap_or("").trim().to_owned();
        let p = SearchParams {
            q: get("q"),
            mission: Some(get("mission")),
            lang: Some(get("doc_lang")),
            from: Some(get("from")),
            until: Some(get("until")),
            limit: None,
            offset: None,
        };
        let searched = !p.q.is_empty();
        let hits = if searched {
            api::run_search(&state, ctx.caller.clearance(), &p).await?
        } else {
            Vec::new()
        };
        let reg = api::registry_for(&state, ctx.caller.clearance()).await?;
        let t = SearchPage {
            page: ctx.page(&state, tr.search_title, "search"),
            missions: reg.missions().iter().map(ToString::to_string).collect(),
            hits: hits
                .iter()
                .map(|h| HitRow {
                    title: h.title.clone().unwrap_or_else(|| tr.untitled.to_owned()),
                    href: span_href(h.document, h.span[0], h.span[1]),
                    source: h.source.clone(),
                    lang: h.lang.clone(),
                    published: h.published.clone().unwrap_or_default(),
                    passage: h.passage.clone(),
                    claims: h.claims.iter().map(|c| claim_row(tr, c)).collect(),
                })
                .collect(),
            searched,
            q: p.q,
            mission: p.mission.unwrap_or_default(),
            doc_lang: p.lang.unwrap_or_default(),
            from: p.from.unwrap_or_default(),
            until: p.until.unwrap_or_default(),
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// Deadlines

#[derive(Debug)]
pub(crate) struct DeadlineRow {
    pub mission: String,
    pub href: String,
    pub what: &'static str,
    pub at: String,
    pub rule: String,
    pub facts: String,
}

#[derive(Template, Debug)]
#[template(path = "deadlines.html")]
pub(crate) struct DeadlinesPage {
    pub page: Page,
    pub from: String,
    pub within: u32,
    pub rows: Vec<DeadlineRow>,
}

pub(crate) async fn deadlines(
    State(state): State<AppState>,
    ctx: Ctx,
    q: Result<Query<Params>, QueryRejection>,
) -> Response {
    let r = async {
        let q = params(q)?;
        let tr = ctx.tr();
        let from = api::time_param("from", param(&q, "from"))?.unwrap_or_else(api::today);
        let within = match param(&q, "within_days") {
            None => 90,
            Some(s) => s
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 36_500)
                .ok_or_else(|| {
                    ApiError::BadRequest(format!("within_days={s}: a number of days, 0 to 36500"))
                })?,
        };
        let reg = api::registry_for(&state, ctx.caller.clearance()).await?;
        let found = api::deadline_list(&state, &reg, from, within, None, param(&q, "mission"))?;
        let rows = found
            .iter()
            .map(|d| DeadlineRow {
                href: format!("/missions/{}", url_encode(d.mission.as_str())),
                mission: d.mission.to_string(),
                what: tr.deadline_kind(d.kind.name()),
                at: d.at.to_string(),
                rule: d.rule.to_string(),
                facts: list(&d.facts),
            })
            .collect();
        let t = DeadlinesPage {
            page: ctx.page(&state, tr.deadlines_title, "deadlines"),
            from: from.to_string(),
            within,
            rows,
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// Data

#[derive(Debug)]
pub(crate) struct CoverageRow {
    pub id: String,
    pub href: String,
    pub name: String,
    pub facts: usize,
    pub mandates: usize,
    pub first: String,
    pub last: String,
    /// Approved mandates whose ceiling the dataset does not state.
    pub no_ceiling: usize,
    /// Votes with published counts.
    pub tallies: usize,
    /// Strength reports.
    pub strength: usize,
}

/// Days between two approved mandates of a mission that no approved mandate covers.
#[derive(Debug)]
pub(crate) struct GapRow {
    pub mission: String,
    pub href: String,
    pub gap: api::GapView,
}

#[derive(Template, Debug)]
#[template(path = "data.html")]
pub(crate) struct DataPage {
    pub page: Page,
    pub rows: Vec<CoverageRow>,
    pub gaps: Vec<GapRow>,
    pub total_facts: usize,
}

pub(crate) async fn data(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let reg = api::registry_for(&state, ctx.caller.clearance()).await?;
        let tr = ctx.tr();
        let mut rows: Vec<CoverageRow> = reg
            .missions()
            .into_iter()
            .map(|m| {
                let mandates = api::mandates_of(&reg, m);
                let start = |t: &MandateTerms| t.period.map(|p| p.from().to_string());
                CoverageRow {
                    href: format!("/missions/{}", url_encode(m.as_str())),
                    name: mission_name(&state, ctx.lang, m.as_str()),
                    facts: reg.mission_facts(m).count(),
                    mandates: mandates.len(),
                    first: mandates
                        .first()
                        .and_then(|(_, t)| start(t))
                        .unwrap_or_default(),
                    last: mandates
                        .last()
                        .map(|(_, t)| period_text(tr, t.period.as_ref()))
                        .unwrap_or_default(),
                    no_ceiling: mandates.iter().filter(|(_, t)| t.ceiling.is_none()).count(),
                    tallies: reg
                        .mission_facts(m)
                        .filter(|f| {
                            matches!(&f.kind, FactKind::Vote { tally, .. } if tally.yes.is_some())
                        })
                        .count(),
                    strength: reg.strength_reports(m).count(),
                    id: m.to_string(),
                }
            })
            .collect();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        let gaps = mandat_rules::all_coverage_gaps(&reg)
            .into_iter()
            .map(|g| GapRow {
                href: format!("/missions/{}", url_encode(g.mission.as_str())),
                mission: g.mission.to_string(),
                gap: api::GapView::from(&g),
            })
            .collect();
        let t = DataPage {
            page: ctx.page(&state, tr.data_title, "data"),
            total_facts: reg.len(),
            rows,
            gaps,
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// Review

#[derive(Template, Debug)]
#[template(path = "review.html")]
pub(crate) struct ReviewPage {
    pub page: Page,
    pub done: Option<String>,
    pub rows: Vec<ClaimRow>,
    pub csrf: String,
}

pub(crate) async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    q: Result<Query<Params>, QueryRejection>,
) -> Response {
    let r = async {
        let q = params(q)?;
        let Some((user, via)) = &ctx.caller.0 else {
            return Ok(see_other(&format!(
                "/signin?next={}",
                url_encode(&ctx.here)
            )));
        };
        if user.role < Role::Reviewer {
            return Err(ApiError::Forbidden(format!(
                "reviewing needs the reviewer role; {} has {}",
                user.name, user.role
            )));
        }
        let tr = ctx.tr();
        let list = crate::write::proposals(&state, user.clearance, None, None, 200).await?;
        let csrf = match via {
            AuthVia::Session { token } => crate::auth::csrf_token(&state, token),
            AuthVia::Bearer => String::new(),
        };
        let t = ReviewPage {
            page: ctx.page(&state, tr.review_title, "review"),
            done: param(&q, "done").map(str::to_owned),
            rows: list.iter().map(|c| claim_row(tr, c)).collect(),
            csrf,
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

/// A form that changes something: only its CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Checks a form's CSRF token against the session; bearer callers (programs, not browsers) need
/// none. Anonymous callers are refused before anything else.
fn check_form(
    state: &AppState,
    ctx: &Ctx,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<mandat_store::User, ApiError> {
    let Some((user, via)) = &ctx.caller.0 else {
        return Err(ApiError::Unauthorized);
    };
    if let AuthVia::Session { token } = via {
        let sent = form.map(|Form(f)| f.csrf).unwrap_or_default();
        if !crate::auth::csrf_ok(state, token, &sent) {
            return Err(ApiError::Forbidden(
                "the form's security token is missing or stale; reload the page and try again"
                    .into(),
            ));
        }
    }
    Ok(user.clone())
}

pub(crate) async fn review_decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, decision)): Path<(String, String)>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let r = async {
        let user = check_form(&state, &ctx, form)?;
        if user.role < Role::Reviewer {
            return Err(ApiError::Forbidden(format!(
                "reviewing needs the reviewer role; {} has {}",
                user.name, user.role
            )));
        }
        let id: i64 = id
            .parse()
            .map_err(|_| ApiError::BadRequest(format!("`{id}` is not a claim number")))?;
        let decision = match decision.as_str() {
            "accept" => ReviewDecision::Accept,
            "reject" => ReviewDecision::Reject,
            other => return Err(ApiError::NotFound(format!("no review decision `{other}`"))),
        };
        let out = crate::write::review(&state, &user, id, decision, None).await?;
        Ok(see_other(&format!(
            "/review?done={}",
            url_encode(&format!("{} {}", out.claim, out.status))
        )))
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// Sign-in, sign-out, language

#[derive(Template, Debug)]
#[template(path = "signin.html")]
pub(crate) struct SignInPage {
    pub page: Page,
    pub next: String,
    pub name: String,
    pub failure: Option<&'static str>,
}

pub(crate) async fn sign_in_form(
    State(state): State<AppState>,
    ctx: Ctx,
    q: Result<Query<Params>, QueryRejection>,
) -> Response {
    let r = async {
        let q = params(q)?;
        let tr = ctx.tr();
        let t = SignInPage {
            page: ctx.page(&state, tr.sign_in_title, "signin"),
            next: local_path(param(&q, "next")).to_owned(),
            name: String::new(),
            failure: None,
        };
        Ok(render(&t)?.into_response())
    }
    .await;
    ctx.respond(&state, r)
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Whether a request comes from another site: the browser says so (`Sec-Fetch-Site`), or its
/// `Origin` names another host than the one addressed. Browsers send one or both with every form
/// post, so a cross-site sign-in (login CSRF: signing a victim into the attacker's account) is
/// refused; clients that send neither (scripts, tests) are not browsers driven by another site.
pub(crate) fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if get("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (get("origin"), get("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let authority = origin.split_once("://").map_or(origin, |(_, a)| a);
            !authority.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

pub(crate) async fn sign_in(
    State(state): State<AppState>,
    ctx: Ctx,
    client: ClientAddr,
    headers: axum::http::HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let r = async {
        if cross_site(&headers) {
            return Err(ApiError::Forbidden(
                "sign-in from another site is refused".into(),
            ));
        }
        let Form(f) = form.map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let next = local_path(Some(&f.next)).to_owned();
        let tr = ctx.tr();
        let failure = match crate::auth::sign_in(&state, f.name.trim(), &f.password, client).await {
            Ok((_, token)) => {
                let mut res = see_other(&next);
                res.headers_mut().insert(
                    header::SET_COOKIE,
                    crate::auth::session_cookie(&state, &token.secret),
                );
                return Ok(res);
            }
            Err(ApiError::Unauthorized) => (StatusCode::UNAUTHORIZED, tr.sign_in_failed),
            Err(ApiError::TooManyRequests) => (StatusCode::TOO_MANY_REQUESTS, tr.sign_in_limited),
            Err(e) => return Err(e),
        };
        let t = SignInPage {
            page: ctx.page(&state, tr.sign_in_title, "signin"),
            next,
            name: f.name,
            failure: Some(failure.1),
        };
        Ok((failure.0, render(&t)?).into_response())
    }
    .await;
    ctx.respond(&state, r)
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    ctx: Ctx,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let r = async {
        check_form(&state, &ctx, form)?;
        crate::auth::sign_out(&state, &ctx.caller).await?;
        let mut res = see_other("/");
        res.headers_mut()
            .insert(header::SET_COOKIE, crate::auth::clear_cookie());
        Ok(res)
    }
    .await;
    ctx.respond(&state, r)
}

/// The language switch: remembers the choice in a cookie for a year and goes back.
pub(crate) async fn switch_lang(
    State(state): State<AppState>,
    ctx: Ctx,
    q: Result<Query<Params>, QueryRejection>,
) -> Response {
    let r = async {
        let q = params(q)?;
        let lang = param(&q, "lang")
            .and_then(Lang::parse)
            .ok_or_else(|| ApiError::BadRequest("lang: `de` or `en`".into()))?;
        let mut res = see_other(local_path(param(&q, "next")));
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
        Ok(res)
    }
    .await;
    ctx.respond(&state, r)
}

// ---------------------------------------------------------------------------------------------
// Errors

#[derive(Template, Debug)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub page: Page,
    pub status: u16,
    pub heading: &'static str,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str, spans: &[(u64, u64, String)]) -> String {
        let mut s = String::new();
        for seg in segments(text, spans) {
            if let Some((id, _)) = &seg.open {
                s.push_str(&format!("[{id}|"));
            }
            for a in &seg.anchors {
                s.push_str(&format!("({a})"));
            }
            s.push_str(&seg.text);
            if seg.close {
                s.push(']');
            }
        }
        s
    }

    fn sp(s: u64, e: u64) -> (u64, u64, String) {
        (s, e, String::new())
    }

    #[test]
    fn spans_become_marks_and_anchors() {
        assert_eq!(html("abcdef", &[]), "abcdef");
        assert_eq!(html("abcdef", &[sp(1, 3)]), "a[span-1-3|bc]def");
        assert_eq!(
            html("abcdef", &[sp(4, 6), sp(0, 2)]),
            "[span-0-2|ab]cd[span-4-6|ef]"
        );
        // Overlapping and nested spans: the later one is an anchor inside the first highlight.
        assert_eq!(
            html("abcdef", &[sp(1, 4), sp(2, 6)]),
            "a[span-1-4|b(span-2-6)cd]ef"
        );
        assert_eq!(
            html("abcdef", &[sp(1, 5), sp(2, 3)]),
            "a[span-1-5|b(span-2-3)cde]f"
        );
        // Off the text, empty, or inside a multi-byte character: ignored.
        assert_eq!(html("abc", &[sp(2, 9), sp(1, 1)]), "abc");
        assert_eq!(html("äb", &[sp(1, 3)]), "äb");
    }

    #[test]
    fn explanation_trees_nest_by_closing_counts() {
        let leaf = |r: &str| Explanation::new(r, r);
        let mut a = leaf("a");
        a.children.push(leaf("a1"));
        let mut b = leaf("b");
        b.children.push(leaf("b1"));
        let mut root = leaf("root");
        root.children.extend([a, b, leaf("c")]);
        let mut nodes = Vec::new();
        let reg = Registry::new();
        flatten(
            &root,
            &super::super::i18n::EN,
            &reg,
            &HashMap::new(),
            0,
            &mut nodes,
        );
        let shape: Vec<(String, bool, usize)> = nodes
            .iter()
            .map(|n| (n.rule.clone(), n.has_children, n.closes))
            .collect();
        let want = [
            ("root", true, 0),
            ("a", true, 0),
            ("a1", false, 1),
            ("b", true, 0),
            ("b1", false, 1),
            ("c", false, 1),
        ];
        let want: Vec<(String, bool, usize)> = want
            .iter()
            .map(|(r, h, c)| ((*r).to_owned(), *h, *c))
            .collect();
        assert_eq!(shape, want);
    }

    #[test]
    fn changes_read_as_words() {
        let c = MandateChange::Ceiling {
            from: mandat_core::Ceiling::new(8500).ok(),
            to: mandat_core::Ceiling::new(3500).ok(),
        };
        assert_eq!(
            change_text(&super::super::i18n::DE, &c),
            "Obergrenze: 8500 → 3500"
        );
        assert_eq!(group_thousands(1_234_567), "1\u{202f}234\u{202f}567");
    }
}
