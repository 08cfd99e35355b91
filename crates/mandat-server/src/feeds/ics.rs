//! `GET /feeds/deadlines.ics`: procedural deadlines, mandate lapses and legal-basis ends as an
//! iCalendar (RFC 5545) feed to subscribe to.
//!
//! A deadline that is a day ("the mandate ends with 2026-06-30") is an all-day event; one that is
//! an instant (18:00 Europe/Berlin, when a debate-demand window closes) is a timed event in UTC,
//! so no calendar needs our time-zone definitions to place it right.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use icalendar::{Calendar, Component, Event, EventLike, Property};
use jiff::Timestamp;
use mandat_core::{MissionId, Registry, TimePoint};
use mandat_rules::{Deadline, DeadlineKind};
use serde::Deserialize;

use super::{base_of, chrono_date, chrono_utc, feed_response, segment};
use crate::AppState;
use crate::api::{deadline_list, mission_id, registry_for, time_param, today};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};

/// Days ahead a calendar shows when the subscriber does not say.
const DEFAULT_DAYS: u32 = 365;

/// Query of the iCalendar feed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IcsParams {
    /// Only this mission (id, name or alias).
    mission: Option<String>,
    /// How many days ahead (default 365, at most 36500).
    within_days: Option<u32>,
    /// From when (default today).
    from: Option<String>,
}

/// The iCalendar feed of deadlines the caller may see.
pub(super) async fn deadlines_ics(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<IcsParams>,
) -> Result<Response, ApiError> {
    let within = q.within_days.unwrap_or(DEFAULT_DAYS);
    if within > 36_500 {
        return Err(ApiError::BadRequest(
            "within_days: at most 36500 (100 years)".into(),
        ));
    }
    let from = time_param("from", q.from.as_deref())?.unwrap_or_else(today);
    let reg = registry_for(&state, caller.clearance()).await?;
    let list = deadline_list(&state, &reg, from, within, None, q.mission.as_deref())?;
    let only = q
        .mission
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(|m| mission_id(&state, &reg, m))
        .transpose()?;
    let base = base_of(&state, &headers);
    let body = calendar(&reg, &list, only.as_ref(), base.as_deref()).to_string();
    Ok(feed_response(
        &headers,
        &caller,
        "text/calendar; charset=utf-8",
        body.into_bytes(),
        None,
    ))
}

/// The calendar of `list` (the deadlines of `mission` when given); events link to the mission
/// page under `base` when the server's address is known.
fn calendar(
    reg: &Registry,
    list: &[Deadline],
    mission: Option<&MissionId>,
    base: Option<&str>,
) -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//mandat//deadlines//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"));
    match mission {
        Some(m) => cal.name(&format!("mandat: deadlines of {m}")),
        None => cal.name("mandat: deadlines"),
    };
    cal.description(
        "Procedural deadlines, mandate lapses and legal-basis ends of armed-forces deployments \
         abroad, as the rules engine derives them from the accepted facts.",
    );
    let mut seen = BTreeSet::new();
    for d in list {
        let mut uid = uid_of(d);
        if !seen.insert(uid.clone()) {
            // The same deadline derived twice from the same facts at different times: the date
            // tells them apart, and stays the same on every fetch.
            uid = format!("{}/{}@mandat", uid.trim_end_matches("@mandat"), d.at.date());
            seen.insert(uid.clone());
        }
        cal.push(event(reg, d, &uid, base));
    }
    cal.done()
}

/// A UID that stays the same while the deadline is derived from the same facts, so a calendar
/// moves the event when a correction moves the deadline instead of showing both.
fn uid_of(d: &Deadline) -> String {
    let facts: Vec<String> = d.facts.iter().map(|f| segment(f.as_str())).collect();
    format!(
        "{}/{}/{}@mandat",
        segment(d.mission.as_str()),
        d.kind.name(),
        facts.join("+")
    )
}

/// What ends, in words.
fn label(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::DebateDemandWindow => "debate-demand window closes",
        DeadlineKind::BridgeEnd => "extension bridge ends",
        DeadlineKind::MandateLapse => "mandate lapses",
        DeadlineKind::LegalBasisEnd => "legal basis ends",
        DeadlineKind::WprReportDue => "48-hour report due",
        DeadlineKind::Wpr60Days => "60-day clock ends",
        DeadlineKind::Wpr90Days => "30-day withdrawal period ends",
    }
}

fn event(reg: &Registry, d: &Deadline, uid: &str, base: Option<&str>) -> Event {
    // DTSTAMP is when the information was created: the latest recording of the facts the deadline
    // derives from. The clock would make every fetch look like a change to every event.
    let stamp = d
        .facts
        .iter()
        .filter_map(|id| reg.fact(id))
        .map(|f| f.recorded.start())
        .max()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let when = match d.at {
        TimePoint::Day(day) => format!("{day}, through the end of the day (Europe/Berlin)"),
        TimePoint::At(_) => format!("{} (Europe/Berlin)", d.at),
    };
    let facts: Vec<String> = d.facts.iter().map(ToString::to_string).collect();
    let description = format!(
        "{}: {} ({}).\nWhen: {when}.\nRule: {}.\nFacts: {}.",
        d.mission,
        label(d.kind),
        d.kind.name(),
        d.rule.as_str(),
        if facts.is_empty() {
            "none".to_owned()
        } else {
            facts.join(", ")
        }
    );
    let mut e = Event::new();
    e.uid(uid)
        .timestamp(chrono_utc(stamp))
        .summary(&format!("{}: {}", d.mission, label(d.kind)))
        .description(&description)
        .categories([d.kind.name()])
        .add_property("TRANSP", "TRANSPARENT");
    // URL takes an absolute URI only.
    if let Some(base) = base {
        e.url(&format!("{base}missions/{}", segment(d.mission.as_str())));
    }
    match d.at {
        TimePoint::Day(day) => {
            // DTEND of an all-day event is exclusive: the next day.
            if let Some(start) = chrono_date(day) {
                e.starts(start);
                if let Some(end) = day.tomorrow().ok().and_then(chrono_date) {
                    e.ends(end);
                }
            }
        }
        TimePoint::At(t) => {
            e.starts(chrono_utc(t));
        }
    }
    e.done()
}
