//! `GET /feeds/changes.atom`: new facts (the store's change log) and status changes of missions
//! (computed by the rules engine), newest first, as Atom 1.0 (RFC 4287).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use atom_syndication::{Category, Entry, Feed, Generator, Link, Person, Text};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::Timestamp;
use jiff::civil::Date;
use mandat_core::{FactKind, MissionId, Registry, TimePoint, berlin_day_start};
use mandat_rules::{Options, Query, Status, Verdict, evaluate, mission_deadlines};
use mandat_store::{Change, Clearance, Evidence};
use serde::Deserialize;

use super::{TAG, base_of, chrono_utc, clip, feed_response, segment};
use crate::AppState;
use crate::api::{mission_id, registry_for, today};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};

/// At most this many entries of each sort: facts changed, and status changes.
const ENTRY_LIMIT: usize = 100;
/// The change log is read backwards in pages of this many events.
const PAGE: u32 = 500;
/// At most this many events are read for one answer, so a mission whose facts are rare in a long
/// log costs bounded work; its older changes are then simply not in the feed.
const SCAN_LIMIT: i64 = 50_000;

/// Query of the Atom feed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AtomParams {
    /// Only this mission (id, name or alias).
    mission: Option<String>,
}

/// One entry with what it is ordered by.
struct Item {
    updated: Timestamp,
    entry: Entry,
}

/// The Atom feed of changes the caller may see.
pub(super) async fn changes_atom(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<AtomParams>,
) -> Result<Response, ApiError> {
    let clearance = caller.clearance();
    let reg = registry_for(&state, clearance).await?;
    let mission = q
        .mission
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(|m| mission_id(&state, &reg, m))
        .transpose()?;

    let changes = recent_changes(&state, clearance, mission.as_ref()).await?;
    let mut items: Vec<Item> = changes.iter().map(change_item).collect();

    let until = today().date();
    let missions: Vec<MissionId> = match &mission {
        Some(m) => vec![m.clone()],
        None => reg.missions().into_iter().cloned().collect(),
    };
    let reg2 = Arc::clone(&reg);
    // Evaluating every mission around each of its dates is CPU work of some milliseconds; it
    // must not hold up the other requests sharing this worker thread.
    let mut status = tokio::task::spawn_blocking(move || {
        missions
            .iter()
            .flat_map(|m| status_changes(&reg2, m, until))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| ApiError::Internal(format!("status changes: {e}")))?;
    status.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.mission.cmp(&b.mission)));
    status.truncate(ENTRY_LIMIT);
    items.extend(status.iter().map(|s| status_item(&reg, s)));

    // Newest first; equal times by id, so the order never depends on how the items were found.
    items.sort_by(|a, b| {
        b.updated
            .cmp(&a.updated)
            .then_with(|| b.entry.id.cmp(&a.entry.id))
    });
    let updated = items.first().map_or(Timestamp::UNIX_EPOCH, |i| i.updated);

    let (id, title, self_href, alternate) = match &mission {
        Some(m) => (
            format!("{TAG}:feed/changes/{}", segment(m.as_str())),
            format!("mandat: new facts and status changes of {m}"),
            format!("/feeds/changes.atom?mission={}", segment(m.as_str())),
            format!("/missions/{}", segment(m.as_str())),
        ),
        None => (
            format!("{TAG}:feed/changes"),
            "mandat: new facts and status changes".to_owned(),
            "/feeds/changes.atom".to_owned(),
            "/".to_owned(),
        ),
    };
    let feed = Feed {
        title: Text::plain(title),
        id,
        updated: chrono_utc(updated).fixed_offset(),
        authors: vec![person("mandat")],
        generator: Some(Generator {
            value: "mandat".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        links: vec![
            link(&self_href, "self", Some("application/atom+xml")),
            link(&alternate, "alternate", Some("text/html")),
        ],
        subtitle: Some(Text::plain(
            "Facts proposed, accepted, rejected, corrected or retracted, and the days on which a \
             mission's status changed, as the rules engine evaluates the accepted facts.",
        )),
        base: base_of(&state, &headers),
        entries: items.into_iter().map(|i| i.entry).collect(),
        ..Feed::default()
    };
    let body = feed
        .write_to(Vec::new())
        .map_err(|e| ApiError::Internal(format!("atom feed: {e}")))?;
    Ok(feed_response(
        &headers,
        &caller,
        "application/atom+xml",
        body,
        Some(updated),
    ))
}

/// The newest changes the caller may see (about `mission` when given), newest first, at most
/// [`ENTRY_LIMIT`]. The store reads the log forwards from a cursor, so this walks back page by
/// page from the latest cursor; invisible changes are skipped by the store.
async fn recent_changes(
    state: &AppState,
    clearance: Clearance,
    mission: Option<&MissionId>,
) -> Result<Vec<Change>, ApiError> {
    let mut hi = state.app.store.last_change().await?;
    let floor = (hi - SCAN_LIMIT).max(0);
    let mut out = Vec::new();
    while hi > floor && out.len() < ENTRY_LIMIT {
        let lo = (hi - i64::from(PAGE)).max(0);
        // At most PAGE events have a cursor in (lo, hi], so one call reads them all; anything
        // beyond hi (visible or appended since) belongs to a newer page and is dropped.
        let page = state.app.store.changes(lo, PAGE, clearance).await?;
        out.extend(
            page.into_iter()
                .rev()
                .filter(|c| c.event.id.0 <= hi)
                .filter(|c| {
                    mission.is_none_or(|m| c.claim.missions.iter().any(|x| x == m.as_str()))
                }),
        );
        hi = lo;
    }
    out.truncate(ENTRY_LIMIT);
    Ok(out)
}

fn person(name: &str) -> Person {
    Person {
        name: name.to_owned(),
        ..Person::default()
    }
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Link::default()
    }
}

fn category(term: &str) -> Category {
    Category {
        term: term.to_owned(),
        ..Category::default()
    }
}

/// An entry for one change of the log: `KFOR: mandate_approved accepted`.
fn change_item(c: &Change) -> Item {
    let claim = &c.claim;
    let subject = if claim.missions.is_empty() {
        claim.fact_id.to_string()
    } else {
        claim.missions.join(", ")
    };
    let mut summary = format!(
        "Fact {} ({}) {} by {}.",
        claim.fact_id, claim.kind, c.event.status, c.event.actor
    );
    if let Some(v) = &claim.valid_from {
        summary.push_str(&format!(" Valid from {v}."));
    }
    let document = match &claim.evidence {
        Evidence::Span {
            document, quote, ..
        } => {
            summary.push_str(&format!(" Evidence: “{}”.", clip(quote, 280)));
            Some(document.0)
        }
        Evidence::Citation { text } => {
            summary.push_str(&format!(" Source: {}.", clip(text, 280)));
            None
        }
        Evidence::Unsourced => None,
    };
    if let Some(note) = c.event.note.as_deref().filter(|n| !n.trim().is_empty()) {
        summary.push_str(&format!(" Note: {}.", clip(note, 280)));
    }
    let mut links = Vec::new();
    if let Some(d) = document {
        // The evidence: the page with the span highlighted, and the same as JSON.
        links.push(link(
            &format!("/documents/{d}"),
            "alternate",
            Some("text/html"),
        ));
        links.push(link(
            &format!("/api/v1/documents/{d}"),
            "alternate",
            Some("application/json"),
        ));
    }
    for m in &claim.missions {
        let rel = if links.is_empty() {
            "alternate"
        } else {
            "related"
        };
        links.push(link(
            &format!("/missions/{}", segment(m)),
            rel,
            Some("text/html"),
        ));
    }
    if links.is_empty() {
        links.push(link(
            &format!("/api/v1/changes?since={}&limit=1", c.event.id.0 - 1),
            "alternate",
            Some("application/json"),
        ));
    }
    let entry = Entry {
        id: format!("{TAG}:change/{}", c.event.id.0),
        title: Text::plain(format!("{subject}: {} {}", claim.kind, c.event.status)),
        updated: chrono_utc(c.event.at).fixed_offset(),
        authors: vec![person(&c.event.actor)],
        categories: vec![category(&claim.kind), category(c.event.status.as_str())],
        links,
        summary: Some(Text::plain(summary)),
        ..Entry::default()
    };
    Item {
        updated: c.event.at,
        entry,
    }
}

/// A day on which a mission's status differs from the day before.
#[derive(Debug)]
pub(super) struct StatusChange {
    pub mission: MissionId,
    pub day: Date,
    pub before: Status,
    pub verdict: Verdict,
}

/// The days up to `until` on which the status of `mission` changed, oldest first.
///
/// A status can only change on a day where something happens: a fact takes effect, a mandate's
/// period starts or ends, a deadline passes. So the mission is evaluated on each such day and the
/// day before, not on every day of its history: O(f) verdicts for f facts.
pub(super) fn status_changes(
    reg: &Registry,
    mission: &MissionId,
    until: Date,
) -> Vec<StatusChange> {
    let opts = Options::default();
    let mut days = BTreeSet::new();
    for f in reg.mission_facts(mission) {
        match &f.kind {
            // Reports change the ceiling check, never the status.
            FactKind::StrengthReport { .. } => continue,
            FactKind::MandateApproved { terms, .. } => {
                if let Some(p) = terms.period {
                    days.insert(p.from());
                    if let Some(end) = p.end_exclusive() {
                        days.insert(end);
                    }
                }
            }
            _ => {}
        }
        insert_around(&mut days, f.valid.date());
    }
    for d in mission_deadlines(reg, mission, None, &opts) {
        insert_around(&mut days, d.at.date());
    }
    let mut memo: BTreeMap<Date, Verdict> = BTreeMap::new();
    let mut verdict_on = |d: Date| -> Verdict {
        memo.entry(d)
            .or_insert_with(|| {
                evaluate(
                    reg,
                    &Query {
                        mission: mission.clone(),
                        on: TimePoint::Day(d),
                        as_of: None,
                    },
                    &opts,
                )
            })
            .clone()
    };
    let mut out = Vec::new();
    for day in days.into_iter().filter(|d| *d <= until) {
        let Ok(prev) = day.yesterday() else { continue };
        let before = verdict_on(prev).status;
        let now = verdict_on(day);
        if now.status != before {
            out.push(StatusChange {
                mission: mission.clone(),
                day,
                before,
                verdict: now,
            });
        }
    }
    out
}

/// Adds `d` and the day after it (a change at an instant of `d` shows on `d`, an end with `d`
/// shows on the next day).
fn insert_around(days: &mut BTreeSet<Date>, d: Date) {
    days.insert(d);
    if let Ok(next) = d.tomorrow() {
        days.insert(next);
    }
}

/// An entry for a status change: `KFOR: covered from 2025-06-01`. Its time is when the change took
/// effect, or when the registry learned of the mandate it rests on, whichever is later: a
/// retroactive approval is news when it is recorded, not on the day it covers from.
fn status_item(reg: &Registry, s: &StatusChange) -> Item {
    let v = &s.verdict;
    let effect = berlin_day_start(s.day);
    let learned = v
        .mandate
        .as_ref()
        .and_then(|id| reg.fact(id))
        .map(|f| f.recorded.start());
    let updated = learned.map_or(effect, |l| l.max(effect));
    let m = &s.mission;
    let seg = segment(m.as_str());
    let mut summary = format!("{m} is {} from {} (before: {}).", v.status, s.day, s.before);
    if let Some(id) = &v.mandate {
        summary.push_str(&format!(" Mandate: {id}."));
    }
    if let Some(c) = v.ceiling {
        summary.push_str(&format!(" Ceiling: {}.", c.get()));
    }
    // The first step of the explanation that rests on facts says why (the one before it only
    // names the body of law).
    let why = v
        .explanation
        .children
        .iter()
        .find(|c| !c.facts.is_empty())
        .unwrap_or(&v.explanation);
    summary.push_str(&format!(
        " Why ({}): {}.",
        why.rule.as_str(),
        clip(&why.summary, 400)
    ));
    let entry = Entry {
        id: format!("{TAG}:status/{seg}/{}", s.day),
        title: Text::plain(format!("{m}: {} from {}", v.status, s.day)),
        updated: chrono_utc(updated).fixed_offset(),
        authors: vec![person("mandat rules engine")],
        categories: vec![category("status"), category(v.status.name())],
        links: vec![
            link(&format!("/missions/{seg}"), "alternate", Some("text/html")),
            link(
                &format!("/api/v1/missions/{seg}/status?on={}", s.day),
                "related",
                Some("application/json"),
            ),
        ],
        summary: Some(Text::plain(summary)),
        ..Entry::default()
    };
    Item { updated, entry }
}
