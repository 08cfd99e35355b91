//! The mission timeline as inline SVG, drawn on the server so the page needs no JavaScript.
//!
//! [`render`] is a pure function of [`Chart`]: ceilings as a step line, reported strength as
//! points joined by a line, mandates and legal bases as bands below the plot, events as marks on
//! their own row, and an axis with years. Every mark carries a `<title>` (a tooltip, read by
//! screen readers), and the whole drawing a `<title>` and `<desc>`. Every text is XML-escaped.

use std::fmt::Write as _;

use jiff::civil::Date;

/// A ceiling in force over a period (a step of the step line).
#[derive(Debug, Clone)]
pub struct Step {
    /// First day.
    pub from: Date,
    /// Last day; `None` when open-ended (drawn up to the end of the axis).
    pub until: Option<Date>,
    /// The ceiling; `None` when the mandate sets none (a gap in the line).
    pub ceiling: Option<u32>,
}

/// A reported strength.
#[derive(Debug, Clone)]
pub struct Point {
    /// The day.
    pub on: Date,
    /// Soldiers deployed.
    pub count: u32,
}

/// A labelled period: a mandate or a legal basis.
#[derive(Debug, Clone)]
pub struct Band {
    /// First day.
    pub from: Date,
    /// Last day; `None` when open-ended.
    pub until: Option<Date>,
    /// Tooltip text.
    pub label: String,
    /// Where the band links to, if anywhere.
    pub href: Option<String>,
}

/// The kinds of event mark, each with its own shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Cabinet decision (triangle).
    Cabinet,
    /// Vote in the Bundestag (diamond).
    Vote,
    /// Anything else: deployment start or end, revocation, application (square).
    Other,
}

/// A dated event.
#[derive(Debug, Clone)]
pub struct Event {
    /// The day.
    pub on: Date,
    /// Its kind.
    pub kind: EventKind,
    /// Tooltip text.
    pub label: String,
}

/// Texts of the chart in the page's language.
#[derive(Debug, Clone)]
pub struct Labels {
    /// The accessible title of the drawing.
    pub title: String,
    /// The accessible description of the drawing.
    pub desc: String,
    /// Legend: ceiling.
    pub ceiling: String,
    /// Legend: strength.
    pub strength: String,
    /// Row label: mandates.
    pub mandates: String,
    /// Row label: legal bases.
    pub legal_bases: String,
    /// Row label: events.
    pub events: String,
}

/// Everything the chart shows.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Ceiling steps, in any order.
    pub ceilings: Vec<Step>,
    /// Strength reports, in any order.
    pub strength: Vec<Point>,
    /// Mandates.
    pub mandates: Vec<Band>,
    /// Legal bases.
    pub legal_bases: Vec<Band>,
    /// Events.
    pub events: Vec<Event>,
    /// Where open-ended periods stop being drawn (today).
    pub today: Date,
    /// Texts.
    pub labels: Labels,
}

const WIDTH: f64 = 960.0;
const LEFT: f64 = 112.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const PLOT_H: f64 = 240.0;
const ROW_H: f64 = 16.0;
const ROW_GAP: f64 = 6.0;
const MAX_LANES: usize = 6;

/// Days from `a` to `b` (negative when `b` is earlier).
fn days(a: Date, b: Date) -> f64 {
    b.duration_since(a).as_secs() as f64 / 86_400.0
}

/// The day after `d`, or `d` at the end of the calendar.
fn next_day(d: Date) -> Date {
    d.tomorrow().unwrap_or(d)
}

/// XML-escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at least `v`.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

/// The date range shown: the dates of the ceilings, mandates, strength reports and events, open
/// ends drawn to `today`, at least a year. Legal bases do not widen it (a treaty of 1949 would
/// squeeze half a century of mandates into a corner); they are cut at its edges. Only when nothing
/// else is dated do the legal bases set the range.
fn range(c: &Chart) -> Option<(Date, Date)> {
    fn collect(c: &Chart, bands: &[&Band], dates: &mut Vec<Date>) -> bool {
        let mut open = false;
        for s in &c.ceilings {
            dates.push(s.from);
            match s.until {
                Some(u) => dates.push(next_day(u)),
                None => open = true,
            }
        }
        for b in bands {
            dates.push(b.from);
            match b.until {
                Some(u) => dates.push(next_day(u)),
                None => open = true,
            }
        }
        dates.extend(c.strength.iter().map(|p| p.on));
        dates.extend(c.events.iter().map(|e| e.on));
        open
    }
    let mut dates: Vec<Date> = Vec::new();
    let mandates: Vec<&Band> = c.mandates.iter().collect();
    let mut open = collect(c, &mandates, &mut dates);
    if dates.is_empty() {
        let bases: Vec<&Band> = c.legal_bases.iter().collect();
        open = collect(c, &bases, &mut dates);
    }
    let lo = *dates.iter().min()?;
    let mut hi = *dates.iter().max()?;
    if open && c.today > hi {
        hi = c.today;
    }
    if days(lo, hi) < 365.0 {
        hi = lo.checked_add(jiff::Span::new().days(365)).unwrap_or(hi);
    }
    Some((lo, hi))
}

/// Where each mandate's band ends: at its own end or where the next mandate starts, whichever
/// comes first (a new mandate replaces the one before, whether or not that one had an end).
fn mandate_ends(bands: &[Band], hi: Date) -> Vec<Date> {
    let mut order: Vec<usize> = (0..bands.len()).collect();
    order.sort_by_key(|&i| bands[i].from);
    let mut ends = vec![hi; bands.len()];
    for (k, &i) in order.iter().enumerate() {
        let own = bands[i].until.map_or(hi, next_day);
        let next = order
            .get(k + 1)
            .map(|&j| bands[j].from)
            .filter(|n| *n > bands[i].from);
        ends[i] = next.map_or(own, |n| own.min(n));
    }
    ends
}

/// Assigns each band a lane so that bands in one lane do not overlap; at most `MAX_LANES`
/// lanes (further bands share the last lane).
fn lanes(bands: &[Band], band_ends: &[Date]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..bands.len()).collect();
    order.sort_by_key(|&i| bands[i].from);
    let mut ends: Vec<Date> = Vec::new();
    let mut lane = vec![0; bands.len()];
    for i in order {
        let b = &bands[i];
        let end = band_ends[i];
        let slot = ends.iter().position(|e| *e <= b.from);
        let l = match slot {
            Some(l) => l,
            None if ends.len() < MAX_LANES => {
                ends.push(end);
                ends.len() - 1
            }
            None => MAX_LANES - 1,
        };
        if ends[l] < end {
            ends[l] = end;
        }
        lane[i] = l;
    }
    (lane, ends.len().max(1))
}

/// Renders the chart as an `<svg>` element, or a short note when there is nothing to draw.
pub fn render(c: &Chart, no_data: &str) -> String {
    let Some((lo, hi)) = range(c) else {
        return format!("<p class=\"chart-empty\">{}</p>", esc(no_data));
    };
    let plot_w = WIDTH - LEFT - RIGHT;
    let span_days = days(lo, hi).max(1.0);
    let x = |d: Date| LEFT + (days(lo, d) / span_days).clamp(0.0, 1.0) * plot_w;
    let max_v = c
        .ceilings
        .iter()
        .filter_map(|s| s.ceiling)
        .chain(c.strength.iter().map(|p| p.count))
        .max()
        .unwrap_or(0);
    let y_max = nice_ceiling(f64::from(max_v) * 1.05);
    let y = |v: u32| TOP + PLOT_H - (f64::from(v) / y_max) * PLOT_H;

    let mandate_end = mandate_ends(&c.mandates, hi);
    let basis_end: Vec<Date> = c
        .legal_bases
        .iter()
        .map(|b| b.until.map_or(hi, next_day))
        .collect();
    let (mandate_lane, mandate_lanes) = lanes(&c.mandates, &mandate_end);
    let (basis_lane, basis_lanes) = lanes(&c.legal_bases, &basis_end);
    let mandates_top = TOP + PLOT_H + 30.0;
    let bases_top = mandates_top + mandate_lanes as f64 * ROW_H + ROW_GAP;
    let events_top = bases_top + basis_lanes as f64 * ROW_H + ROW_GAP;
    let height = events_top + ROW_H + 10.0;

    let mut s = String::with_capacity(16 * 1024);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {WIDTH} {height:.0}\" \
         role=\"img\" aria-labelledby=\"chart-title chart-desc\" font-family=\"sans-serif\" font-size=\"11\">\
         <title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>",
        esc(&c.labels.title),
        esc(&c.labels.desc)
    );

    // Value grid and axis.
    s.push_str("<g class=\"grid\" stroke=\"#ddd\" stroke-width=\"1\">");
    let mut grid_labels = String::new();
    for i in 0..=4 {
        let v = y_max * f64::from(i) / 4.0;
        let gy = TOP + PLOT_H - PLOT_H * f64::from(i) / 4.0;
        let _ = write!(
            s,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\"/>",
            LEFT + plot_w
        );
        let _ = write!(
            grid_labels,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            gy + 4.0,
            v.round()
        );
    }
    s.push_str("</g><g class=\"axis\" fill=\"#333\">");
    s.push_str(&grid_labels);

    // Years along the bottom of the plot; every year when few, else every 2nd, 5th or 10th.
    let (y0, y1) = (lo.year(), hi.year());
    let n_years = i32::from(y1) - i32::from(y0) + 1;
    let step = match n_years {
        ..=14 => 1,
        15..=28 => 2,
        29..=70 => 5,
        _ => 10,
    };
    for year in y0..=y1 {
        if i32::from(year) % step != 0 {
            continue;
        }
        let Ok(jan1) = Date::new(year, 1, 1) else {
            continue;
        };
        if jan1 < lo || jan1 > hi {
            continue;
        }
        let gx = x(jan1);
        let _ = write!(
            s,
            "<line x1=\"{gx:.1}\" x2=\"{gx:.1}\" y1=\"{TOP}\" y2=\"{:.1}\" stroke=\"#eee\"/>\
             <text x=\"{gx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
            TOP + PLOT_H + 4.0,
            TOP + PLOT_H + 16.0
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\"/></g>",
        LEFT + plot_w,
        TOP + PLOT_H,
        TOP + PLOT_H
    );

    // Ceilings as a step line: each step runs until the next one starts (a later mandate takes
    // over) or its own end, whichever comes first.
    let mut steps: Vec<&Step> = c.ceilings.iter().collect();
    steps.sort_by_key(|st| st.from);
    let mut path = String::new();
    let mut last: Option<(Date, u32)> = None;
    let mut step_titles = String::new();
    for (i, st) in steps.iter().enumerate() {
        let Some(v) = st.ceiling else {
            last = None;
            continue;
        };
        let own_end = st.until.map_or(hi, next_day);
        let end = steps
            .get(i + 1)
            .map_or(own_end, |n| own_end.min(n.from.max(st.from)));
        let (x1, x2, yy) = (x(st.from), x(end), y(v));
        match last {
            Some((prev_end, _)) if prev_end == st.from => {
                let _ = write!(path, " V{yy:.1} H{x2:.1}");
            }
            _ => {
                let _ = write!(path, " M{x1:.1},{yy:.1} H{x2:.1}");
            }
        }
        let _ = write!(
            step_titles,
            "<rect x=\"{x1:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"8\" fill=\"transparent\">\
             <title>{}: {v} ({} .. {})</title></rect>",
            yy - 4.0,
            (x2 - x1).max(1.0),
            esc(&c.labels.ceiling),
            st.from,
            st.until.map_or_else(|| "…".to_owned(), |u| u.to_string())
        );
        last = Some((end, v));
    }
    if !path.is_empty() {
        let _ = write!(
            s,
            "<path class=\"ceiling\" d=\"{}\" fill=\"none\" stroke=\"#b22222\" stroke-width=\"2\"/>",
            path.trim()
        );
    }
    s.push_str(&step_titles);

    // Strength: points joined by a thin line.
    let mut pts: Vec<&Point> = c.strength.iter().collect();
    pts.sort_by_key(|p| p.on);
    if pts.len() > 1 {
        let line: Vec<String> = pts
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.on), y(p.count)))
            .collect();
        let _ = write!(
            s,
            "<polyline class=\"strength\" points=\"{}\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1\"/>",
            line.join(" ")
        );
    }
    for p in &pts {
        let _ = write!(
            s,
            "<circle class=\"strength-point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#1f5fa8\">\
             <title>{}: {} ({})</title></circle>",
            x(p.on),
            y(p.count),
            esc(&c.labels.strength),
            p.count,
            p.on
        );
    }

    // Bands.
    let band_row = |s: &mut String,
                    bands: &[Band],
                    ends: &[Date],
                    lane: &[usize],
                    top: f64,
                    fill: [&str; 2]| {
        for (i, b) in bands.iter().enumerate() {
            let x1 = x(b.from);
            let x2 = x(ends[i]);
            let by = top + lane[i] as f64 * ROW_H;
            let body = format!(
                "<rect x=\"{x1:.1}\" y=\"{by:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" \
                 stroke=\"#fff\" stroke-width=\"0.5\"><title>{}</title></rect>",
                (x2 - x1).max(1.5),
                ROW_H - 2.0,
                fill[i % 2],
                esc(&b.label)
            );
            match &b.href {
                Some(h) => {
                    let _ = write!(s, "<a href=\"{}\">{body}</a>", esc(h));
                }
                None => s.push_str(&body),
            }
        }
    };
    s.push_str("<g class=\"mandates\">");
    band_row(
        &mut s,
        &c.mandates,
        &mandate_end,
        &mandate_lane,
        mandates_top,
        ["#8fb3d9", "#b9d0e8"],
    );
    s.push_str("</g><g class=\"legal-bases\">");
    band_row(
        &mut s,
        &c.legal_bases,
        &basis_end,
        &basis_lane,
        bases_top,
        ["#a9cf9f", "#cde3c7"],
    );
    s.push_str("</g>");

    // Events.
    s.push_str("<g class=\"events\">");
    let ey = events_top + ROW_H / 2.0 - 1.0;
    for e in &c.events {
        let ex = x(e.on);
        let title = format!("<title>{} {}</title>", e.on, esc(&e.label));
        let _ = match e.kind {
            EventKind::Cabinet => write!(
                s,
                "<path class=\"event cabinet\" d=\"M{ex:.1},{:.1} l5,9 h-10 z\" fill=\"#7a4fa0\">{title}</path>",
                ey - 5.0
            ),
            EventKind::Vote => write!(
                s,
                "<path class=\"event vote\" d=\"M{ex:.1},{:.1} l5,5 l-5,5 l-5,-5 z\" fill=\"#d07a00\">{title}</path>",
                ey - 5.0
            ),
            EventKind::Other => write!(
                s,
                "<rect class=\"event other\" x=\"{:.1}\" y=\"{:.1}\" width=\"8\" height=\"8\" fill=\"#555\">{title}</rect>",
                ex - 4.0,
                ey - 4.0
            ),
        };
    }
    s.push_str("</g>");

    // Row labels and legend.
    let _ = write!(
        s,
        "<g class=\"labels\" fill=\"#333\" text-anchor=\"end\">\
         <text x=\"{:.1}\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
        LEFT - 6.0,
        mandates_top + ROW_H - 5.0,
        esc(&c.labels.mandates),
        LEFT - 6.0,
        bases_top + ROW_H - 5.0,
        esc(&c.labels.legal_bases),
        LEFT - 6.0,
        events_top + ROW_H - 5.0,
        esc(&c.labels.events),
    );
    let _ = write!(
        s,
        "<g class=\"legend\" fill=\"#333\"><line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"12\" y2=\"12\" stroke=\"#b22222\" stroke-width=\"2\"/>\
         <text x=\"{:.1}\" y=\"16\">{}</text>\
         <circle cx=\"{:.1}\" cy=\"12\" r=\"3.5\" fill=\"#1f5fa8\"/><text x=\"{:.1}\" y=\"16\">{}</text></g>",
        LEFT + 24.0,
        LEFT + 30.0,
        esc(&c.labels.ceiling),
        LEFT + 180.0,
        LEFT + 188.0,
        esc(&c.labels.strength),
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    fn chart() -> Chart {
        Chart {
            ceilings: vec![
                Step {
                    from: d("2000-01-01"),
                    until: Some(d("2000-12-31")),
                    ceiling: Some(8500),
                },
                Step {
                    from: d("2001-01-01"),
                    until: None,
                    ceiling: Some(3500),
                },
            ],
            strength: vec![Point {
                on: d("2001-06-01"),
                count: 3000,
            }],
            mandates: vec![Band {
                from: d("2000-01-01"),
                until: Some(d("2000-12-31")),
                label: "m1 <b>".into(),
                href: Some("/mandates/m1".into()),
            }],
            legal_bases: vec![],
            events: vec![Event {
                on: d("2000-06-01"),
                kind: EventKind::Vote,
                label: "vote & \"count\"".into(),
            }],
            today: d("2004-01-01"),
            labels: Labels {
                title: "KFOR <timeline>".into(),
                desc: "desc".into(),
                ceiling: "ceiling".into(),
                strength: "strength".into(),
                mandates: "mandates".into(),
                legal_bases: "legal bases".into(),
                events: "events".into(),
            },
        }
    }

    #[test]
    fn steps_points_bands_and_years_are_drawn() {
        let svg = render(&chart(), "none");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<title id=\"chart-title\">KFOR &lt;timeline&gt;</title>"));
        // One continuous step path: down from 8500 to 3500 at the start of 2001.
        let path = svg
            .split("class=\"ceiling\" d=\"")
            .nth(1)
            .expect("ceiling path");
        let d_attr = path.split('"').next().unwrap_or("");
        assert_eq!(d_attr.matches('M').count(), 1, "{d_attr}");
        assert_eq!(d_attr.matches('V').count(), 1, "{d_attr}");
        assert!(svg.contains("<title>ceiling: 8500 (2000-01-01 .. 2000-12-31)</title>"));
        assert!(svg.contains("<title>strength: 3000 (2001-06-01)</title>"));
        assert!(svg.contains("<a href=\"/mandates/m1\">"));
        assert!(svg.contains("m1 &lt;b&gt;"));
        assert!(svg.contains("vote &amp; &quot;count&quot;"));
        // The open ceiling runs to today (2004): the years 2000 to 2004 are on the axis.
        for year in 2000..=2004 {
            assert!(svg.contains(&format!(">{year}</text>")), "{year}");
        }
        assert!(!svg.contains(">2005</text>"));
    }

    #[test]
    fn nothing_to_draw_is_a_note() {
        let mut c = chart();
        c.ceilings.clear();
        c.strength.clear();
        c.mandates.clear();
        c.events.clear();
        assert_eq!(
            render(&c, "no <data>"),
            "<p class=\"chart-empty\">no &lt;data&gt;</p>"
        );
    }

    #[test]
    fn overlapping_bands_get_separate_lanes() {
        let b = |from: &str, until: Option<&str>| Band {
            from: d(from),
            until: until.map(d),
            label: String::new(),
            href: None,
        };
        let bands = vec![
            b("2000-01-01", Some("2000-12-31")),
            b("2000-06-01", None),
            b("2001-01-01", Some("2001-12-31")),
        ];
        let ends: Vec<Date> = bands
            .iter()
            .map(|b| b.until.map_or(d("2005-01-01"), next_day))
            .collect();
        let (lane, n) = lanes(&bands, &ends);
        assert_eq!(lane, vec![0, 1, 0]);
        assert_eq!(n, 2);
    }

    #[test]
    fn a_mandate_band_ends_where_the_next_one_starts() {
        let b = |from: &str| Band {
            from: d(from),
            until: None,
            label: String::new(),
            href: None,
        };
        let bands = vec![b("2001-06-01"), b("1999-06-12"), b("2009-06-01")];
        let ends = mandate_ends(&bands, d("2026-01-01"));
        assert_eq!(
            ends,
            vec![d("2009-06-01"), d("2001-06-01"), d("2026-01-01")]
        );
        let (lane, n) = lanes(&bands, &ends);
        assert_eq!((lane, n), (vec![0, 0, 0], 1));
    }

    #[test]
    fn legal_bases_do_not_widen_the_range() {
        let mut c = chart();
        c.legal_bases.push(Band {
            from: d("1949-04-04"),
            until: None,
            label: "treaty".into(),
            href: None,
        });
        let (lo, _) = range(&c).expect("a range");
        assert_eq!(lo, d("2000-01-01"));
        c.ceilings.clear();
        c.strength.clear();
        c.mandates.clear();
        c.events.clear();
        assert_eq!(range(&c).map(|r| r.0), Some(d("1949-04-04")));
    }

    #[test]
    fn nice_numbers_round_up() {
        assert_eq!(nice_ceiling(8925.0), 10_000.0);
        assert_eq!(nice_ceiling(3675.0), 5000.0);
        assert_eq!(nice_ceiling(210.0), 250.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }
}
