//! Mandate assembly: from the mentions, the facts about the mandate the document is about. Works on
//! sentences: each sentence is classified once by cue words (cabinet, parliament, history, costs,
//! expiry), and each mention is placed in its sentence by binary search, so the whole pass is linear
//! in the text plus `m log s` for `m` mentions and `s` sentences.

use std::sync::LazyLock;

use regex::Regex;

use crate::dates::{DateMention, DateRole};
use crate::legal::LegalRef;
use crate::missions::{MissionMention, MissionRegistry};
use crate::model::{
    AreaFact, DateValue, DatedFact, Diagnostic, DiagnosticCode, EndFact, ExpiryCondition,
    ExpiryKind, FigureFact, Mandate, MandateEnd, Modifier, MoneyFact, Span, Strength,
    StrengthQualifier, VoteFact,
};
use crate::money::MoneyMention;
use crate::num::{self, DIGITS, WORDS};
use crate::personnel::PersonnelMention;
use crate::text::{sentences, window_before};

/// Cue words, each setting a flag on the sentence it occurs in. One Aho-Corasick pass over the
/// text sets all flags, instead of one regex run per sentence and cue.
mod cue {
    pub const CABINET: u32 = 1;
    pub const GOVERNMENT: u32 = 1 << 1;
    pub const DECIDED: u32 = 1 << 2;
    pub const PARLIAMENT: u32 = 1 << 3;
    pub const APPROVED: u32 = 1 << 4;
    pub const FUTURE: u32 = 1 << 5;
    pub const CEILING: u32 = 1 << 6;
    pub const DEPLOYED: u32 = 1 << 7;
    pub const CURRENTLY: u32 = 1 << 8;
    pub const GERMAN: u32 = 1 << 9;
    pub const MULTINATIONAL: u32 = 1 << 10;
    pub const COSTS: u32 = 1 << 11;
    pub const OPEN_ENDED: u32 = 1 << 12;
    pub const EXPIRY: u32 = 1 << 13;
    pub const EXTENDED: u32 = 1 << 14;
    pub const VOTE: u32 = 1 << 15;
    /// The sentence tells of a first decision ("erstmals", "for the first time"): history.
    pub const FIRST: u32 = 1 << 16;
    /// The sentence speaks of several mandates or deployments at once ("die Mandate für die drei
    /// Auslandseinsätze"): a figure there is a sum, not one mandate's ceiling.
    pub const SEVERAL: u32 = 1 << 17;

    /// (word, flags, whole word only)
    pub const TABLE: &[(&str, u32, bool)] = &[
        ("kabinett", CABINET, false),
        ("cabinet", CABINET, false),
        ("regierung hat am", CABINET, false),
        ("regierung am", CABINET, false),
        ("government on ", CABINET, false),
        ("bundesregierung", GOVERNMENT, false),
        ("government", GOVERNMENT, false),
        ("ministers", GOVERNMENT, false),
        ("beschlo", DECIDED, false),
        ("beschließ", DECIDED, false),
        ("billigt", DECIDED, false),
        ("verabschied", DECIDED, false),
        ("approved", DECIDED | APPROVED, false),
        ("decided", DECIDED, false),
        ("agreed", DECIDED, false),
        ("endorsed", DECIDED | APPROVED, false),
        ("backed", DECIDED | APPROVED, false),
        ("green light", DECIDED | APPROVED, false),
        ("grünes licht", DECIDED | APPROVED, false),
        ("auf den weg gebracht", DECIDED, false),
        ("bundestag", PARLIAMENT, false),
        ("parlament", PARLIAMENT, false),
        ("parliament", PARLIAMENT, false),
        ("lawmakers", PARLIAMENT, false),
        ("abgeordnete", PARLIAMENT, false),
        ("legislators", PARLIAMENT, false),
        ("mps", PARLIAMENT, true),
        ("deputies", PARLIAMENT, false),
        ("zugestimmt", APPROVED, false),
        ("stimmte", APPROVED | VOTE, false),
        ("billigte", APPROVED, false),
        ("gebilligt", APPROVED, false),
        ("beschloss", APPROVED, false),
        ("verlängert", APPROVED | EXTENDED, false),
        ("voted", APPROVED | VOTE, false),
        ("extended", APPROVED | EXTENDED, false),
        ("gave its approval", APPROVED, false),
        ("sprach sich", APPROVED, false),
        ("muss", FUTURE, true),
        ("soll", FUTURE, true),
        ("sollen", FUTURE, true),
        ("müssen", FUTURE, false),
        ("noch zustimmen", FUTURE, false),
        ("must", FUTURE, true),
        ("will vote", FUTURE, false),
        ("is expected", FUTURE, false),
        ("are expected", FUTURE, false),
        ("has yet to", FUTURE, false),
        ("still has to", FUTURE, false),
        ("needs to", FUTURE, false),
        ("will have to", FUTURE, false),
        ("to vote on", FUTURE, false),
        ("is set to", FUTURE, false),
        ("abstimmen wird", FUTURE, false),
        ("entscheiden wird", FUTURE, false),
        ("maximal", CEILING, false),
        ("obergrenze", CEILING, false),
        ("höchstgrenze", CEILING, false),
        ("ceiling", CEILING, false),
        ("maximum", CEILING, false),
        ("cap", CEILING, true),
        ("bis zu", CEILING, false),
        ("up to", CEILING, false),
        ("derzeit", DEPLOYED | CURRENTLY, false),
        ("aktuell", DEPLOYED | CURRENTLY, false),
        ("zurzeit", DEPLOYED | CURRENTLY, false),
        ("gegenwärtig", DEPLOYED | CURRENTLY, false),
        ("momentan", DEPLOYED | CURRENTLY, false),
        ("currently", DEPLOYED | CURRENTLY, false),
        ("already", DEPLOYED | CURRENTLY, false),
        ("at present", DEPLOYED | CURRENTLY, false),
        ("presently", DEPLOYED | CURRENTLY, false),
        ("stationiert", DEPLOYED, false),
        ("stationed", DEPLOYED, false),
        ("im einsatz", DEPLOYED, false),
        ("deployed", DEPLOYED, false),
        ("serving", DEPLOYED, false),
        ("are in", DEPLOYED, true),
        ("sind in", DEPLOYED, true),
        ("vor ort", DEPLOYED, false),
        ("beteiligt", DEPLOYED, false),
        ("involved", DEPLOYED, false),
        ("participating", DEPLOYED, false),
        ("taking part", DEPLOYED, false),
        ("deutsch", GERMAN, false),
        ("german", GERMAN, false),
        ("bundeswehr", GERMAN, false),
        ("insgesamt", MULTINATIONAL, false),
        ("total", MULTINATIONAL, false),
        ("nationen", MULTINATIONAL, false),
        ("nations", MULTINATIONAL, false),
        ("alliierte", MULTINATIONAL, false),
        ("allied", MULTINATIONAL, false),
        ("multinational", MULTINATIONAL, false),
        ("-strong", MULTINATIONAL, false),
        ("partner", MULTINATIONAL, false),
        ("kosten", COSTS, false),
        ("ausgaben", COSTS, false),
        ("cost", COSTS, false),
        ("expenditure", COSTS, false),
        ("expenses", COSTS, false),
        ("spending", COSTS, false),
        ("beziffert", COSTS, false),
        ("veranschlagt", COSTS, false),
        ("estimated", COSTS, false),
        ("zeitlich unbegrenzt", OPEN_ENDED, false),
        ("unbefristet", OPEN_ENDED, false),
        ("ohne zeitliche befristung", OPEN_ENDED, false),
        ("ohne befristung", OPEN_ENDED, false),
        ("open-ended", OPEN_ENDED, false),
        ("no time limit", OPEN_ENDED, false),
        ("without a time limit", OPEN_ENDED, false),
        ("without time limit", OPEN_ENDED, false),
        ("indefinitely", OPEN_ENDED, false),
        ("not time-limited", OPEN_ENDED, false),
        ("unlimited period", OPEN_ENDED, false),
        ("solange", EXPIRY, false),
        ("erlischt", EXPIRY, false),
        ("as long as", EXPIRY, false),
        ("so long as", EXPIRY, false),
        ("expires when", EXPIRY, false),
        ("expires if", EXPIRY, false),
        ("provided that", EXPIRY, false),
        ("vorbehaltlich", EXPIRY, false),
        ("verlänger", EXTENDED, false),
        ("fortsetz", EXTENDED, false),
        ("fortgesetzt", EXTENDED, false),
        ("extend", EXTENDED, false),
        ("extension", EXTENDED, false),
        ("renew", EXTENDED, false),
        ("stimm", VOTE, false),
        ("enthalt", VOTE, false),
        ("enthielt", VOTE, false),
        ("vote", VOTE, false),
        ("voting", VOTE, false),
        ("abstain", VOTE, false),
        ("abstention", VOTE, false),
        ("out of", VOTE, false),
        ("votierten", VOTE, false),
        ("ablehnten", VOTE, false),
        ("erstmals", FIRST, false),
        ("zum ersten mal", FIRST, false),
        ("first approved", FIRST, false),
        ("first authori", FIRST, false),
        ("eingesetzt werden", CEILING, false),
        ("entsandt werden", CEILING, false),
        ("number of soldiers", CEILING, false),
        ("number of troops", CEILING, false),
        ("anzahl der soldat", CEILING, false),
        ("zahl der soldat", CEILING, false),
        ("die mandate", SEVERAL, false),
        ("beiden mandate", SEVERAL, false),
        ("drei mandate", SEVERAL, false),
        ("auslandseinsätze", SEVERAL, false),
        ("auslandsmissionen", SEVERAL, false),
        ("missions abroad", SEVERAL, false),
        ("deployments abroad", SEVERAL, false),
        ("foreign missions", SEVERAL, false),
    ];
}

/// The cue automaton (overlapping matches of all cue words, ASCII case folded) as a dense table, so
/// that the pass over every byte of every document is a table lookup and one comparison per byte:
/// an Aho-Corasick DFA is built and then read out state by state into rows over byte classes, with
/// the match states numbered last.
struct CueAutomaton {
    /// The column of each byte.
    classes: [u8; 256],
    /// Columns per row.
    stride: usize,
    /// `trans[row + classes[b]]` is the row (state times `stride`) after reading `b` in state `row`.
    trans: Vec<u32>,
    /// The row of the start state.
    start: u32,
    /// Rows from this one on are match states.
    first_match: u32,
    /// Per match state (in row order), its range in `matches`.
    match_ranges: Vec<(u32, u32)>,
    /// (pattern, length) of the matches ending in each match state, in the automaton's order.
    matches: Vec<(u32, u32)>,
}

impl CueAutomaton {
    fn build() -> Self {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::{Anchored, dfa::DFA};
        use std::collections::HashMap;
        use std::collections::hash_map::Entry;

        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(cue::TABLE.iter().map(|(w, _, _)| *w))
            .expect("cue automaton builds");
        let start = dfa
            .start_state(Anchored::No)
            .expect("cue automaton is unanchored");
        // All states reachable from the start, with their 256 successors.
        let mut index: HashMap<aho_corasick::automaton::StateID, usize> = HashMap::new();
        let mut states = vec![start];
        let mut rows: Vec<[aho_corasick::automaton::StateID; 256]> = Vec::new();
        index.insert(start, 0);
        while rows.len() < states.len() {
            let sid = states[rows.len()];
            let row = std::array::from_fn(|b| dfa.next_state(Anchored::No, sid, b as u8));
            for &next in &row {
                if let Entry::Vacant(e) = index.entry(next) {
                    e.insert(states.len());
                    states.push(next);
                }
            }
            rows.push(row);
        }
        // Numbering: states without a match first, then the match states.
        let is_match = |sid| dfa.is_special(sid) && dfa.is_match(sid);
        let mut order: Vec<usize> = (0..states.len()).collect();
        order.sort_by_key(|&i| is_match(states[i]));
        let mut number = vec![0usize; states.len()];
        for (n, &i) in order.iter().enumerate() {
            number[i] = n;
        }
        // Bytes with the same successor in every state share a column.
        let mut column_of: HashMap<Vec<usize>, u8> = HashMap::new();
        let mut classes = [0u8; 256];
        for (b, class) in classes.iter_mut().enumerate() {
            let column: Vec<usize> = rows.iter().map(|r| index[&r[b]]).collect();
            let next = column_of.len();
            *class = *column_of
                .entry(column)
                .or_insert_with(|| u8::try_from(next).expect("at most 256 byte classes"));
        }
        let stride = column_of.len();
        let mut trans = vec![0u32; states.len() * stride];
        for (i, row) in rows.iter().enumerate() {
            for (b, next) in row.iter().enumerate() {
                let to = number[index[next]] * stride;
                trans[number[i] * stride + classes[b] as usize] =
                    u32::try_from(to).expect("cue table fits u32");
            }
        }
        let first_match = order
            .iter()
            .position(|&i| is_match(states[i]))
            .unwrap_or(order.len());
        let mut match_ranges = Vec::new();
        let mut matches = Vec::new();
        for &i in &order[first_match..] {
            let sid = states[i];
            let from = matches.len();
            for m in 0..dfa.match_len(sid) {
                let pattern = dfa.match_pattern(sid, m);
                matches.push((pattern.as_u32(), dfa.pattern_len(pattern) as u32));
            }
            match_ranges.push((from as u32, matches.len() as u32));
        }
        let row = |n: usize| u32::try_from(n * stride).expect("cue table fits u32");
        Self {
            classes,
            stride,
            trans,
            start: row(number[0]),
            first_match: row(first_match),
            match_ranges,
            matches,
        }
    }
}

static CUES: LazyLock<CueAutomaton> = LazyLock::new(CueAutomaton::build);

/// Per sentence: the cue flags, and where its first expiry cue starts. Matches are taken in the
/// order of an overlapping search: by end, and at one end in the automaton's pattern order. Kept out
/// of line: inlined into `assemble`, its loop over the bytes runs short of registers.
#[inline(never)]
fn sentence_cues(text: &str, sents: &[Span]) -> (Vec<u32>, Vec<Option<usize>>) {
    let mut flags = vec![0u32; sents.len()];
    let mut expiry = vec![None; sents.len()];
    let cues = &*CUES;
    // The byte classes copied to the stack: one base register fewer in the loop.
    let (classes, trans, first_match) = (cues.classes, &*cues.trans, cues.first_match);
    let bytes = text.as_bytes();
    let mut row = cues.start;
    let mut si = 0;
    for at in 0..bytes.len() {
        row = trans[row as usize + classes[bytes[at] as usize] as usize];
        if row < first_match {
            continue;
        }
        let (from, to) = cues.match_ranges[(row - first_match) as usize / cues.stride];
        for &(pattern, len) in &cues.matches[from as usize..to as usize] {
            let (end, start) = (at + 1, at + 1 - len as usize);
            while si < sents.len() && sents[si].end <= start {
                si += 1;
            }
            if si >= sents.len() {
                return (flags, expiry);
            }
            let (_, f, whole) = cue::TABLE[pattern as usize];
            if whole
                && (crate::text::is_letter_before(text, start)
                    || crate::text::is_word_char_at(text, end))
            {
                continue;
            }
            flags[si] |= f;
            if f & cue::EXPIRY != 0 && expiry[si].is_none() {
                expiry[si] = Some(start);
            }
        }
    }
    (flags, expiry)
}

fn re(p: &str) -> Regex {
    crate::text::build_regex(p).expect("assembly pattern compiles")
}

static UN_COND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)sicherheitsrat|vereinten nationen|vn-mandat|un-mandat|un mandate|security council|united nations",
    )
});
static DECISION_COND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)nordatlantikrat|nato-rat|beschluss der nato|einsatzbeschluss|nato decision|nato deployment decision|north atlantic council|rates der europäischen union|council of the european union|eu decision",
    )
});
static PARL_COND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)zustimmung des (?:deutschen )?bundestag|approval of the (?:german )?bundestag|bundestag's approval|parliamentary approval",
    )
});
static BUDGET_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:aus den|aus dem|from the|gedeckt|finanziert aus)\s*$"));
static VOTE_NUM: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i:einer)|{DIGITS}|{WORDS}|(?i:keine|none|no)")));
static VOTE_YES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:ja-stimmen|jastimmen|stimmen dafür|dafür|für den antrag|für das mandat|für die|für den|für das|stimmten mit ja|mit ja|in favou?r|voted for|voting for|yes votes|votes for|for it|von [0-9]+ stimmen|out of [0-9]+)",
    )
});
static VOTE_NO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:nein-stimmen|neinstimmen|gegenstimmen|gegenstimme|stimmten dagegen|votierten dagegen|dagegen|mit nein|ablehnten|against|no votes|votes against|voting no|voted no|opposed)",
    )
});
static VOTE_ABSTAIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:enthaltungen|enthaltung|enthielten sich|enthielt sich|abstentions|abstention|abstained|abstaining)",
    )
});
static VOTE_YES_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i:für[^.;]{{0,120}}?(?:stimmten|votierten)(?:\s+[\p{{L}}-]+){{0,8}}?\s+|(?:endorsed|approved|backed|supported) by\s+)(?P<n>{DIGITS})"
    ))
});
static VOTE_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i:mit|by|voted|votes)\s+(?P<y>{DIGITS})\s*(?i:gegen|zu|to|-|–|:)\s*(?P<n>{DIGITS})(?:\s+(?i:stimmen|votes))?"
    ))
});

/// What follows the end date of the mandate that runs now ("des bis Ende April laufenden
/// Mandats", "die bis Ende Mai befristet ist", "which runs until 30 June").
static RUNNING_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?i:laufende[nmrs]?\b|läuft\b|auslaufende[nmrs]?\b|geltende[nmrs]?\b|befristet(?:e[nmrs]?)?\b(?:\s+(?:ist|war|sind)\b)|befristete[nmrs]?\b)",
    )
});

/// Members of parliament named as voters.
static MEMBERS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:lawmakers?|legislators?|deputies|members of parliament|mps|abgeordneten?|parlamentarier(?:innen)?)",
    )
});

/// A tally with its members as subject: "Some 505 lawmakers, mostly from the coalition, voted in
/// favour", "408 Abgeordnete votierten am Donnerstag dafür", "93 lawmakers from two parties voted
/// against". The gap up to the verb holds no digit, no sentence end and, being lazy, no other verb
/// of voting, so the verb is the first one after the members.
static VOTE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?P<n>{DIGITS})\s+(?:(?i:deutsche|german)\s+)?(?i:lawmakers|legislators|deputies|members of parliament|mps|abgeordnete|parlamentarier|parlamentarierinnen und parlamentarier)\b[^.;!?0-9]{{0,160}}?\b(?:(?P<yes>(?i:voted in favou?r|voted for|voted yes|backed|supported|stimmten (?:für|zu|mit ja)|votierten (?:für|mit ja)|dafür))|(?P<no>(?i:voted against|voted no|rejected|opposed|stimmten dagegen|votierten dagegen|dagegen|lehnten|ablehnten|stimmten gegen|votierten gegen))|(?P<ab>(?i:abstained|enthielten sich|enthielt sich)))"
    ))
});

/// The count standing shortly before a cue ("538 Ja-Stimmen", "sechs Parlamentarier enthielten
/// sich"): the last number in the 60 bytes before it with at most six words and no punctuation or
/// other digits in between.
fn count_before(t: &str, cue_start: usize) -> Option<(usize, u64)> {
    let window = window_before(t, cue_start, 60);
    let base = cue_start - window.len();
    let mut best = None;
    for m in VOTE_NUM.find_iter(window) {
        let abs_start = base + m.start();
        if crate::text::is_letter_before(t, abs_start)
            || crate::text::is_word_char_at(t, base + m.end())
            || t[base + m.end()..].starts_with('-')
        {
            continue;
        }
        let between = &window[m.end()..];
        let lower = between.to_lowercase();
        // "117 Nein-Stimmen sowie einer Enthaltung": a figure followed by its own tally noun
        // counts that tally, not the cue's.
        if between.split_whitespace().count() > 6
            || between.contains([',', ';', ':', '.', '!', '?'])
            || between.contains(|c: char| c.is_ascii_digit())
            || lower.contains("stimme")
            || lower.contains("votes")
        {
            continue;
        }
        if let Some(v) = count(m.as_str()) {
            best = Some((abs_start, v));
        }
    }
    best
}

/// Everything the recognisers found, sorted by start.
pub(crate) struct Found<'a> {
    pub dates: &'a [DateMention],
    pub personnel: &'a [PersonnelMention],
    pub money: &'a [MoneyMention],
    pub legal: &'a [LegalRef],
    pub missions: &'a [MissionMention],
}

#[derive(Default, Clone, Copy)]
struct SentenceInfo {
    history: bool,
    cabinet: bool,
    parliament_past: bool,
    parliament_future: bool,
    ceiling_cue: bool,
    deployed_cue: bool,
    currently: bool,
    german: bool,
    multinational: bool,
    costs: bool,
    vote: bool,
    open_ended: bool,
    extended: bool,
    first: bool,
    several: bool,
}

/// Result of assembly: the mandate, events found per sentence and diagnostics.
pub(crate) struct Assembled {
    pub mandate: Mandate,
    pub events: Vec<(crate::model::EventKind, Span, Option<DateValue>)>,
    pub diagnostics: Vec<Diagnostic>,
}

fn trim_span(text: &str, s: Span) -> Span {
    let slice = s.slice(text);
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return s;
    }
    Span::new(s.start + lead, s.end - trail)
}

fn count(s: &str) -> Option<u64> {
    let l = s.to_lowercase();
    if l == "keine" || l == "no" {
        return Some(0);
    }
    if l == "einer" {
        return Some(1);
    }
    let v = num::parse_figure(s)?;
    (v.fract() == 0.0 && (0.0..=800.0).contains(&v)).then_some(v as u64)
}

/// The starts of the lines after the first: one past each line break.
fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i + 1)
}

pub(crate) fn assemble(
    text: &str,
    found: &Found<'_>,
    registry: &MissionRegistry,
    doc_date: Option<DateValue>,
) -> Assembled {
    let sents = sentences(text);
    let sentence_of = |pos: usize| {
        sents
            .partition_point(|s| s.end <= pos)
            .min(sents.len().saturating_sub(1))
    };
    let mut diagnostics = Vec::new();

    // The document's year: the dateline, else the latest explicit day or month in the text.
    let doc_year = doc_date.map(|d| d.year()).or_else(|| {
        found
            .dates
            .iter()
            .filter(|d| d.explicit_year)
            .filter_map(|d| d.value.ok())
            .filter(|v| !matches!(v, DateValue::Year(_)))
            .map(|v| v.year())
            .max()
    });

    let mut info = vec![SentenceInfo::default(); sents.len()];
    // Years stated per sentence, for the history test.
    let mut max_year: Vec<Option<i16>> = vec![None; sents.len()];
    for d in found.dates {
        if let Ok(v) = d.value {
            let i = sentence_of(d.span.start);
            let y = v.year();
            max_year[i] = Some(max_year[i].map_or(y, |m| m.max(y)));
        }
    }
    let (flags, expiry_at) = sentence_cues(text, &sents);
    for i in 0..sents.len() {
        let f = flags[i];
        let has = |c: u32| f & c != 0;
        let parliament = has(cue::PARLIAMENT);
        let future = has(cue::FUTURE);
        info[i] = SentenceInfo {
            history: match (doc_year, max_year[i]) {
                (Some(dy), Some(my)) => my < dy,
                _ => false,
            },
            cabinet: (has(cue::CABINET) || (has(cue::GOVERNMENT) && !parliament))
                && has(cue::DECIDED),
            parliament_past: parliament && has(cue::APPROVED) && !future,
            parliament_future: parliament && future,
            ceiling_cue: has(cue::CEILING),
            deployed_cue: has(cue::DEPLOYED),
            currently: has(cue::CURRENTLY),
            german: has(cue::GERMAN),
            multinational: has(cue::MULTINATIONAL),
            costs: has(cue::COSTS),
            vote: has(cue::VOTE),
            open_ended: has(cue::OPEN_ENDED),
            extended: has(cue::EXTENDED),
            first: has(cue::FIRST),
            several: has(cue::SEVERAL),
        };
    }

    let mut mandate = Mandate::default();
    let mut events = Vec::new();

    // Mission: the first one named near the top (title and lead), else the most frequent.
    let mut order: Vec<(String, usize, usize)> = Vec::new();
    for m in found.missions {
        match order.iter_mut().find(|(id, _, _)| *id == m.id) {
            Some(e) => e.2 += 1,
            None => order.push((m.id.clone(), m.span.start, 1)),
        }
    }
    let lead_end = sents.get(2).map_or(text.len(), |s| s.end).max(300);
    mandate.mission = order
        .iter()
        .filter(|(_, first, _)| *first < lead_end)
        .map(|(id, _, _)| id.clone())
        .next()
        .or_else(|| {
            let best = order.iter().map(|(_, _, n)| *n).max()?;
            order
                .iter()
                .find(|(_, _, n)| *n == best)
                .map(|(id, _, _)| id.clone())
        });

    // A figure belongs to another mission when the mission named nearest to it in the same
    // sentence is another one, or, when the sentence names none after it, the one named last
    // before it in the same line (documents about several missions: "Das Kabinett verlängerte
    // außerdem „Althea“ … Derzeit ist die Bundeswehr dort mit 115 Soldaten präsent").
    let line_starts: Vec<usize> = std::iter::once(0).chain(line_breaks(text)).collect();
    let line_start_of = |pos: usize| line_starts[line_starts.partition_point(|&l| l <= pos) - 1];
    let other_mission = |pos: usize| {
        let sent = sents[sentence_of(pos)];
        let from = sent.start.min(line_start_of(pos));
        let i = found.missions.partition_point(|m| m.span.start < pos);
        let before = i
            .checked_sub(1)
            .and_then(|j| found.missions.get(j))
            .filter(|m| m.span.start >= from);
        let after = found.missions.get(i).filter(|m| m.span.start < sent.end);
        let nearest = match (before, after) {
            (Some(b), Some(a)) => Some(if pos - b.span.end <= a.span.start.saturating_sub(pos) {
                b
            } else {
                a
            }),
            (b, a) => b.or(a),
        };
        nearest.is_some_and(|m| Some(&m.id) != mandate.mission.as_ref())
    };

    // Ceiling.
    let mut names_mission = vec![false; sents.len()];
    for m in found.missions {
        names_mission[sentence_of(m.span.start)] = true;
    }
    let mut ceilings: Vec<&PersonnelMention> = Vec::new();
    for p in found.personnel {
        let i = sentence_of(p.span.start);
        let si = info[i];
        if si.history || other_mission(p.span.start) {
            continue;
        }
        // "die Mandate für die drei Auslandseinsätze mit bis zu 3.000 Soldaten": a sum.
        if si.several && !names_mission[i] {
            continue;
        }
        let change_target = si.ceiling_cue && p.change;
        if p.modifier == Modifier::UpTo || change_target {
            ceilings.push(p);
        }
    }
    if let Some(first) = ceilings.first() {
        mandate.ceiling = Some(FigureFact {
            value: first.value,
            text: first.span.slice(text).to_string(),
            span: first.span,
        });
        if let Some(other) = ceilings.iter().find(|p| p.value != first.value) {
            diagnostics.push(Diagnostic {
                code: DiagnosticCode::ConflictingCeilings,
                message: format!("ceiling {} stated besides {}", other.value, first.value),
                span: other.span,
            });
        }
    }

    // Deployed strength. Sets keep the checks per figure constant-time on long texts.
    let ceiling_spans: std::collections::HashSet<Span> = ceilings.iter().map(|c| c.span).collect();
    let mut strength_values = std::collections::HashSet::new();
    for p in found.personnel {
        let si = info[sentence_of(p.span.start)];
        if si.history
            || other_mission(p.span.start)
            || !matches!(p.modifier, Modifier::Exact | Modifier::Approx)
        {
            continue;
        }
        if ceiling_spans.contains(&p.span) {
            continue;
        }
        // The ceiling restated ("Die Obergrenze liegt derzeit bei 350 Soldaten", a heading "Nur
        // noch 550 Soldaten im Einsatz"): only a figure said to be current outside a sentence
        // about the ceiling is a strength.
        if mandate.ceiling.as_ref().is_some_and(|c| c.value == p.value)
            && (si.ceiling_cue || !si.currently)
        {
            continue;
        }
        let deployed = p.deployed || si.deployed_cue;
        // The documents are about German deployments: a figure counts unless the sentence speaks
        // of a multinational force and the phrase does not say the soldiers are German.
        let german = p.german || si.german || !si.multinational;
        if !deployed || !german || (si.multinational && !p.german && !p.deployed) {
            continue;
        }
        if !strength_values.insert(p.value) {
            continue;
        }
        mandate.deployed_strength.push(Strength {
            value: p.value,
            as_of: if si.currently { doc_date } else { None },
            qualifier: if p.modifier == Modifier::Approx {
                StrengthQualifier::Approx
            } else {
                StrengthQualifier::Exact
            },
            text: p.span.slice(text).to_string(),
            span: p.span,
        });
    }

    // Dates: cabinet decision, vote, start and end.
    let mut ends: Vec<(&DateMention, DateValue)> = Vec::new();
    for d in found.dates {
        let Ok(v) = d.value else { continue };
        let si_idx = sentence_of(d.span.start);
        let si = info[si_idx];
        // Without a dateline the document's year is only the latest year it states, which may
        // be the end of the mandate; dates of the procedure are then not judged as history.
        // A first decision ("erstmals am 22. April 2005 gebilligt") in an earlier year is
        // history even then.
        if si.history && (doc_date.is_some() || si.first) {
            continue;
        }
        let is_day = matches!(v, DateValue::Day(_));
        if d.role == DateRole::Until && !matches!(v, DateValue::Year(_)) {
            // "das bis Ende April laufende Mandat", "die bis Ende Mai befristet ist": the end of
            // the mandate running now, not of the one the document is about.
            let after = &text[d.span.end..];
            let after = &after[..after.floor_char_boundary(40)];
            if !RUNNING_END.is_match(after) {
                ends.push((d, v));
            }
            continue;
        }
        if is_day && si.cabinet && mandate.cabinet_decision.is_none() && d.role == DateRole::Plain {
            mandate.cabinet_decision = Some(DatedFact {
                date: v,
                text: d.span.slice(text).to_string(),
                span: d.span,
            });
            events.push((
                crate::model::EventKind::CabinetDecided,
                trim_span(text, sents[si_idx]),
                Some(v),
            ));
            continue;
        }
        if is_day && si.parliament_past && !si.cabinet && d.role == DateRole::Plain {
            if mandate.parliament_vote.is_none() {
                mandate.parliament_vote = Some(VoteFact {
                    date: Some(v),
                    yes: None,
                    no: None,
                    abstain: None,
                    text: d.span.slice(text).to_string(),
                    span: d.span,
                });
                events.push((
                    crate::model::EventKind::ParliamentApproved,
                    trim_span(text, sents[si_idx]),
                    Some(v),
                ));
            }
            continue;
        }
        if is_day && d.role == DateRole::From && mandate.mandate_start.is_none() && si.extended {
            mandate.mandate_start = Some(DatedFact {
                date: v,
                text: d.span.slice(text).to_string(),
                span: d.span,
            });
        }
    }

    // End: open-ended wins over dates, which may belong to a UN mandate cited alongside.
    let open = sents
        .iter()
        .enumerate()
        .find(|(i, _)| !info[*i].history && info[*i].open_ended);
    if let Some((i, s)) = open {
        let span = trim_span(text, *s);
        mandate.mandate_end = Some(EndFact {
            date: MandateEnd::OpenEnded,
            text: span.slice(text).to_string(),
            span,
        });
        events.push((crate::model::EventKind::OpenEnded, span, None));
        let _ = i;
    } else if let Some((d, v)) = ends.first() {
        mandate.mandate_end = Some(EndFact {
            date: MandateEnd::On(*v),
            text: d.span.slice(text).to_string(),
            span: d.span,
        });
        if let Some((other, ov)) = ends.iter().find(|(_, ov)| ov != v) {
            diagnostics.push(Diagnostic {
                code: DiagnosticCode::ConflictingEndDates,
                message: format!("end date {ov} stated besides {v}"),
                span: other.span,
            });
        }
    }

    // Vote counts: the first sentence with counts, and the one after it.
    let mut vote: (Option<u64>, Option<u64>, Option<u64>) = (None, None, None);
    let mut vote_span: Option<Span> = None;
    let mut first_vote_sentence = None;
    for (i, s) in sents.iter().enumerate() {
        if !info[i].vote || info[i].history {
            continue;
        }
        if first_vote_sentence.is_some_and(|f| i > f + 3) {
            break;
        }
        let t = s.slice(text);
        let mut hit = false;
        let mut note = |sp: Span| {
            vote_span = Some(match vote_span {
                Some(v) => Span::new(v.start.min(sp.start), v.end.max(sp.end)),
                None => sp,
            });
        };
        // Both tally patterns end in a figure written in digits: a sentence without a digit has
        // neither, and is not searched for them.
        let tallies = t.bytes().any(|b| b.is_ascii_digit()).then(|| {
            VOTE_PAIR
                .captures_iter(t)
                .chain(VOTE_YES_AFTER.captures_iter(t))
        });
        for c in tallies.into_iter().flatten() {
            let Some(m) = c.get(0) else { continue };
            let y = c.name("y").and_then(|x| count(x.as_str()));
            let n = c.name("n").and_then(|x| count(x.as_str()));
            match (y, n) {
                (Some(y), Some(n)) if vote.0.is_none() => {
                    vote.0 = Some(y);
                    vote.1 = Some(n);
                }
                (None, Some(y)) if vote.0.is_none() => vote.0 = Some(y),
                _ => continue,
            }
            note(Span::new(s.start + m.start(), s.start + m.end()));
            hit = true;
        }
        for c in VOTE_SUBJECT.captures_iter(t) {
            let (Some(m), Some(n)) = (c.get(0), c.name("n")) else {
                continue;
            };
            if crate::text::is_letter_before(text, s.start + m.start()) {
                continue;
            }
            // "663 Abgeordnete für das Mandat, sieben Abgeordnete enthielten sich": the verb
            // belongs to the members named last.
            let verb = c.name("yes").or(c.name("no")).or(c.name("ab"));
            let gap = verb.map_or("", |v| &t[n.end()..v.start()]);
            if MEMBERS.find_iter(gap).nth(1).is_some() {
                continue;
            }
            let Some(v) = count(n.as_str()) else { continue };
            let target = if c.name("yes").is_some() {
                &mut vote.0
            } else if c.name("no").is_some() {
                &mut vote.1
            } else {
                &mut vote.2
            };
            if target.is_none() {
                *target = Some(v);
                note(Span::new(s.start + m.start(), s.start + m.end()));
                hit = true;
            }
        }
        for (cue_re, slot) in [(&*VOTE_YES, 0), (&*VOTE_NO, 1), (&*VOTE_ABSTAIN, 2)] {
            for cue in cue_re.find_iter(t) {
                let Some((start, v)) = count_before(t, cue.start()) else {
                    continue;
                };
                let target = match slot {
                    0 => &mut vote.0,
                    1 => &mut vote.1,
                    _ => &mut vote.2,
                };
                if target.is_none() {
                    *target = Some(v);
                    note(Span::new(s.start + start, s.start + cue.end()));
                    hit = true;
                }
                break;
            }
        }
        if hit && first_vote_sentence.is_none() {
            first_vote_sentence = Some(i);
        }
    }
    if vote.0.is_some() || vote.1.is_some() || vote.2.is_some() {
        let span = vote_span.unwrap_or(Span::new(0, 0));
        events.push((crate::model::EventKind::VoteCounts, span, None));
        match mandate.parliament_vote.as_mut() {
            Some(pv) => {
                pv.yes = vote.0;
                pv.no = vote.1;
                pv.abstain = vote.2;
            }
            None => {
                mandate.parliament_vote = Some(VoteFact {
                    date: None,
                    yes: vote.0,
                    no: vote.1,
                    abstain: vote.2,
                    text: span.slice(text).to_string(),
                    span,
                });
            }
        }
    }
    for (i, s) in sents.iter().enumerate() {
        if info[i].parliament_future && !info[i].history {
            events.push((
                crate::model::EventKind::ParliamentMustApprove,
                trim_span(text, *s),
                None,
            ));
            break;
        }
    }

    // Legal bases: instruments that can found a deployment, first evidence of each.
    let mut basis_ids = std::collections::HashSet::new();
    for r in found.legal {
        if !r.id.is_deployment_basis() {
            continue;
        }
        let id = r.id.to_string();
        if !basis_ids.insert(id.clone()) {
            continue;
        }
        mandate.legal_bases.push(crate::model::LegalBasis {
            value: id.clone(),
            id,
            date: r.date,
            text: r.span.slice(text).to_string(),
            span: r.span,
        });
    }

    // Costs.
    for m in found.money {
        let si = info[sentence_of(m.span.start)];
        if si.history || !si.costs || BUDGET_LINE.is_match(window_before(text, m.span.start, 24)) {
            continue;
        }
        mandate.costs_eur = Some(MoneyFact {
            value: m.value,
            text: m.span.slice(text).to_string(),
            span: m.span,
        });
        break;
    }

    // Expiry conditions.
    let un_ref = mandate
        .legal_bases
        .iter()
        .find(|b| b.id.starts_with("UNSC"))
        .map(|b| b.id.clone());
    let decision_ref = mandate
        .legal_bases
        .iter()
        .find(|b| b.id.starts_with("NATO") || b.id.starts_with("EU "))
        .map(|b| b.id.clone());
    for (i, s) in sents.iter().enumerate() {
        if info[i].history {
            continue;
        }
        let Some(cue_start) = expiry_at[i] else {
            continue;
        };
        let span = trim_span(text, Span::new(cue_start, s.end));
        let tail = &text[cue_start..s.end];
        let mut push = |kind, reference: Option<String>| {
            if !mandate.expiry_conditions.iter().any(|c| c.kind == kind) {
                mandate.expiry_conditions.push(ExpiryCondition {
                    kind,
                    reference,
                    text: span.slice(text).to_string(),
                    span,
                });
            }
        };
        if UN_COND.is_match(tail) {
            push(ExpiryKind::LegalBasisEnds, un_ref.clone());
        }
        if DECISION_COND.is_match(tail) {
            push(ExpiryKind::DecisionNotExtended, decision_ref.clone());
        }
        if PARL_COND.is_match(tail) {
            push(ExpiryKind::ParliamentApprovalRequired, None);
        }
        events.push((crate::model::EventKind::ExpiresWhen, span, None));
    }
    for (i, s) in sents.iter().enumerate() {
        if !info[i].history
            && info[i].extended
            && (info[i].cabinet || info[i].parliament_past || info[i].parliament_future)
        {
            events.push((crate::model::EventKind::Extended, trim_span(text, *s), None));
            break;
        }
    }

    // Area: the registry's area of the mission, only where the text names it.
    if let Some(entry) = mandate.mission.as_deref().and_then(|id| registry.get(id)) {
        for part in entry
            .area
            .split([','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some(pos) = text.find(part) {
                mandate.area = Some(AreaFact {
                    text: part.to_string(),
                    span: Span::new(pos, pos + part.len()),
                });
                break;
            }
        }
    }
    if mandate.mission.is_none() {
        diagnostics.push(Diagnostic {
            code: DiagnosticCode::NoMission,
            message: "no mission of the registry is named".to_string(),
            span: Span::new(0, 0),
        });
    }
    events.sort_by_key(|e| e.1);
    Assembled {
        mandate,
        events,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cue flags and expiry starts as the overlapping search of an Aho-Corasick automaton over the
    /// same words reports them, read the plain way.
    fn sentence_cues_plain(text: &str, sents: &[Span]) -> (Vec<u32>, Vec<Option<usize>>) {
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(cue::TABLE.iter().map(|(w, _, _)| *w))
            .expect("cue automaton builds");
        let mut flags = vec![0u32; sents.len()];
        let mut expiry = vec![None; sents.len()];
        let mut si = 0;
        for m in ac.find_overlapping_iter(text) {
            while si < sents.len() && sents[si].end <= m.start() {
                si += 1;
            }
            if si >= sents.len() {
                break;
            }
            let (_, f, whole) = cue::TABLE[m.pattern().as_usize()];
            if whole
                && (crate::text::is_letter_before(text, m.start())
                    || crate::text::is_word_char_at(text, m.end()))
            {
                continue;
            }
            flags[si] |= f;
            if f & cue::EXPIRY != 0 && expiry[si].is_none() {
                expiry[si] = Some(m.start());
            }
        }
        (flags, expiry)
    }

    #[test]
    fn cue_table_reads_like_the_overlapping_search() {
        let texts = [
            "Das Bundeskabinett hat am 3. Mai beschlossen. Der Bundestag muss noch zustimmen; \
             BESCHLOSSEN wurde auch, dass das Mandat solange gilt, wie der Sicherheitsrat es trägt.",
            "The German cabinet approved the extension. MPs are expected to vote on it; the \
             government's cap of up to 1,000 troops remains, provided that the UN mandate lasts.",
            "Grünes Licht: die Abgeordneten stimmten für die Verlängerung, 5 enthielten sich.\n\n\
             Kosten: rund 50 Mio. Euro. Derzeit sind 300 Soldaten im Einsatz; mpsmust capcap.",
            "",
            "ööö beschließ verlängert müssen höchstgrenze gegenwärtig",
        ];
        for t in texts {
            let sents = sentences(t);
            assert_eq!(
                sentence_cues(t, &sents),
                sentence_cues_plain(t, &sents),
                "{t:?}"
            );
            // Fewer sentences than cues: the search stops at the last sentence.
            let cut = &sents[..sents.len().min(1)];
            assert_eq!(sentence_cues(t, cut), sentence_cues_plain(t, cut), "{t:?}");
        }
        let (flags, _) = sentence_cues(texts[0], &sentences(texts[0]));
        assert_ne!(flags[0] & cue::CABINET, 0);
        assert_ne!(flags[0] & cue::DECIDED, 0);
    }
}
