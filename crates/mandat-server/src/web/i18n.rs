//! The web UI's strings in German and English, and how a request's language is chosen.
//!
//! Every string a page shows is a field of [`Tr`], so a template cannot name a string that one
//! language lacks: the compiler checks both tables. Rule citations, fact ids and the rules
//! engine's explanation summaries stay as they are (they are the engine's words and cite the law).

use std::fmt;

/// Name of the cookie that keeps the language chosen with the switch.
pub const LANG_COOKIE: &str = "mandat_lang";

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// German.
    De,
    /// English.
    En,
}

impl Lang {
    /// The language code (`de`, `en`), as in `lang="..."` and the switch.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// Parses `de` or `en` (any case, region ignored: `de-AT` is German).
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("de") {
            Some(Lang::De)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The string table.
    pub fn tr(self) -> &'static Tr {
        match self {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }

    /// The other language (for the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        }
    }

    /// The language a request asks for: the switch's cookie wins, then the best-ranked of German
    /// and English in `Accept-Language`, then English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(l) = cookie.and_then(Lang::parse) {
            return l;
        }
        accept_language.and_then(best_of_accept).unwrap_or(Lang::En)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The supported language with the highest quality in an `Accept-Language` header; on equal
/// quality the one listed first.
fn best_of_accept(header: &str) -> Option<Lang> {
    let mut best: Option<(u16, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(Lang::parse) else {
            continue;
        };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .next()
            .map_or(1000, quality);
        if q > 0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l)
}

/// A quality value `0` to `1` with up to three decimals, in thousandths; malformed counts as 0.
fn quality(s: &str) -> u16 {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let whole: u16 = match int {
        "1" => 1000,
        "0" => 0,
        _ => return 0,
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let digits: u16 = format!("{frac:0<3}").parse().unwrap_or(0);
    (whole + digits).min(1000)
}

/// Every string of the UI in one language.
#[derive(Debug)]
pub struct Tr {
    /// The language of this table.
    pub lang: Lang,
    pub site_tagline: &'static str,
    pub nav_missions: &'static str,
    pub nav_deadlines: &'static str,
    pub nav_search: &'static str,
    pub nav_data: &'static str,
    pub nav_review: &'static str,
    pub nav_sign_in: &'static str,
    pub nav_sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub lang_name: &'static str,
    pub skip_to_content: &'static str,

    pub missions_title: &'static str,
    pub missions_intro: &'static str,
    pub col_mission: &'static str,
    pub col_name: &'static str,
    pub col_status_today: &'static str,
    pub col_ceiling: &'static str,
    pub col_strength: &'static str,
    pub col_facts: &'static str,
    pub none: &'static str,

    pub status_heading: &'static str,
    pub status_on: &'static str,
    pub as_of: &'static str,
    pub as_of_hint: &'static str,
    pub show: &'static str,
    pub status_label: &'static str,
    pub covering_mandate: &'static str,
    pub basis: &'static str,
    pub ceiling_check: &'static str,
    pub next_deadline: &'static str,
    pub warnings: &'static str,
    pub contested: &'static str,
    pub explanation: &'static str,
    pub facts_used: &'static str,
    pub timeline: &'static str,
    pub timeline_desc: &'static str,
    pub chart_ceiling: &'static str,
    pub chart_strength: &'static str,
    pub chart_mandate: &'static str,
    pub chart_legal_basis: &'static str,
    pub chart_no_data: &'static str,
    pub chart_events: &'static str,
    pub mandates: &'static str,
    pub col_mandate: &'static str,
    pub col_approved: &'static str,
    pub col_period: &'static str,
    pub col_legal_bases: &'static str,
    pub col_printed_paper: &'static str,
    pub col_changes: &'static str,
    pub first_mandate: &'static str,
    pub no_changes: &'static str,
    pub open_ended: &'static str,
    pub aliases: &'static str,
    pub organisation: &'static str,
    pub area: &'static str,
    pub predecessor: &'static str,

    pub change_ceiling: &'static str,
    pub change_period: &'static str,
    pub change_bases_added: &'static str,
    pub change_bases_removed: &'static str,
    pub change_conditions: &'static str,
    pub change_area: &'static str,
    pub change_costs: &'static str,
    pub change_missions_added: &'static str,
    pub change_missions_removed: &'static str,

    pub mandate_title: &'static str,
    pub terms: &'static str,
    pub missions_covered: &'static str,
    pub dependency: &'static str,
    pub dependency_strict: &'static str,
    pub dependency_advisory: &'static str,
    pub expires_if_ended: &'static str,
    pub overrun_permitted: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub costs: &'static str,
    pub supersedes: &'static str,
    pub verdict_first_day: &'static str,
    pub citations: &'static str,
    pub source: &'static str,
    pub quote: &'static str,
    pub note: &'static str,
    pub in_document: &'static str,
    pub online: &'static str,
    pub no_period: &'static str,

    pub document_title: &'static str,
    pub col_language: &'static str,
    pub published: &'static str,
    pub media_type: &'static str,
    pub ingested: &'static str,
    pub extracted_facts: &'static str,
    pub col_fact: &'static str,
    pub col_kind: &'static str,
    pub col_review_status: &'static str,
    pub col_valid: &'static str,
    pub col_evidence: &'static str,
    pub text: &'static str,
    pub no_facts: &'static str,
    pub untitled: &'static str,

    pub search_title: &'static str,
    pub search_query: &'static str,
    pub search_mission: &'static str,
    pub search_doc_lang: &'static str,
    pub any: &'static str,
    pub search_from: &'static str,
    pub search_until: &'static str,
    pub search_button: &'static str,
    pub search_none: &'static str,
    pub search_hint: &'static str,

    pub deadlines_title: &'static str,
    pub deadlines_within: &'static str,
    pub deadlines_from: &'static str,
    pub deadlines_none: &'static str,
    pub col_what: &'static str,
    pub col_when: &'static str,
    pub col_rule: &'static str,

    pub review_title: &'static str,
    pub review_intro: &'static str,
    pub review_empty: &'static str,
    pub accept: &'static str,
    pub reject: &'static str,
    pub review_done: &'static str,
    pub col_claim: &'static str,

    pub sign_in_title: &'static str,
    pub user_name: &'static str,
    pub password: &'static str,
    pub sign_in_button: &'static str,
    pub sign_in_failed: &'static str,
    pub sign_in_limited: &'static str,

    pub data_title: &'static str,
    pub data_intro: &'static str,
    pub data_covered: &'static str,
    pub col_first_mandate: &'static str,
    pub col_last_mandate: &'static str,
    pub col_no_ceiling: &'static str,
    pub col_tallies: &'static str,
    pub col_strength_reports: &'static str,
    pub data_missing: &'static str,
    pub data_missing_text: &'static str,
    pub data_gaps: &'static str,
    pub data_gaps_text: &'static str,
    pub data_gaps_none: &'static str,
    pub col_from: &'static str,
    pub col_until: &'static str,
    pub col_days: &'static str,
    pub col_between: &'static str,
    pub data_add: &'static str,
    pub data_add_text: &'static str,
    pub data_correct_text: &'static str,

    pub error_not_found: &'static str,
    pub error_bad_request: &'static str,
    pub error_forbidden: &'static str,
    pub error_sign_in: &'static str,
    pub error_internal: &'static str,
    pub error_other: &'static str,
    pub back_home: &'static str,
}

impl Tr {
    /// The name of a verdict status (`covered`, ...) in this language.
    pub fn status(&self, name: &str) -> &'static str {
        let de = self.lang == Lang::De;
        let (g, e) = match name {
            "covered" => ("gedeckt", "covered"),
            "provisional" => ("vorläufig (Gefahr im Verzug)", "provisional (emergency)"),
            "pending" => ("Antrag anhängig", "application pending"),
            "not_covered" => ("nicht gedeckt", "not covered"),
            "expired" => ("abgelaufen", "expired"),
            "revoked" => ("widerrufen", "revoked"),
            "must_terminate" => ("zu beenden", "must terminate"),
            "ended_no_approval_needed" => (
                "beendet, keine Zustimmung nötig",
                "ended, no approval needed",
            ),
            "not_required" => ("nicht zustimmungsbedürftig", "no approval required"),
            "authorized" => ("autorisiert", "authorized"),
            "within_60" => ("innerhalb der 60 Tage", "within the 60 days"),
            "within_30_withdrawal_only" => ("30 Tage, nur Rückzug", "30 days, withdrawal only"),
            "expired_unauthorized" => (
                "Frist abgelaufen, ohne Autorisierung",
                "expired, unauthorized",
            ),
            "clock_not_triggered" => ("Frist nicht ausgelöst", "clock not triggered"),
            "informed" => ("Parlament unterrichtet", "parliament informed"),
            "information_due" => ("Unterrichtung geschuldet", "information due"),
            "informed_late_justified" => (
                "nachträglich unterrichtet, begründet",
                "informed late, justified",
            ),
            _ => ("unbekannt", "unknown"),
        };
        if de { g } else { e }
    }

    /// The name of a coverage basis (`approved`, `deemed`, `bridge`, `retroactive`).
    pub fn basis_name(&self, name: &str) -> &'static str {
        let de = self.lang == Lang::De;
        let (g, e) = match name {
            "approved" => ("Zustimmung des Bundestages", "approved by the Bundestag"),
            "deemed" => (
                "als erteilt geltende Zustimmung (§ 4 ParlBG)",
                "deemed approval (§ 4 ParlBG)",
            ),
            "bridge" => (
                "Verlängerungsbrücke (§ 7 Abs. 2 ParlBG)",
                "extension bridge (§ 7(2) ParlBG)",
            ),
            "retroactive" => (
                "nachträgliche Zustimmung (§ 5 ParlBG)",
                "retroactive approval (§ 5 ParlBG)",
            ),
            _ => ("unbekannt", "unknown"),
        };
        if de { g } else { e }
    }

    /// The name of a ceiling check outcome.
    pub fn check_name(&self, name: &str) -> &'static str {
        let de = self.lang == Lang::De;
        let (g, e) = match name {
            "ok" => ("innerhalb der Obergrenze", "within the ceiling"),
            "exceeded" => ("Obergrenze überschritten", "ceiling exceeded"),
            "exceeded_permitted" => (
                "überschritten, vorübergehend erlaubt",
                "exceeded, temporarily permitted",
            ),
            _ => ("unbekannt", "unknown"),
        };
        if de { g } else { e }
    }

    /// The name of a deadline kind (`mandate_lapse`, ...).
    pub fn deadline_kind(&self, name: &str) -> &'static str {
        let de = self.lang == Lang::De;
        let (g, e) = match name {
            "debate_demand_window" => (
                "Frist für das Verlangen einer Befassung (§ 4)",
                "window for a debate demand (§ 4)",
            ),
            "bridge_end" => (
                "Ende der Verlängerungsbrücke (§ 7 Abs. 2)",
                "end of the extension bridge (§ 7(2))",
            ),
            "mandate_lapse" => ("Mandat läuft aus", "mandate lapses"),
            "legal_basis_end" => ("Rechtsgrundlage endet", "legal basis ends"),
            "wpr_report_due" => (
                "WPR: Bericht fällig (48 Stunden)",
                "WPR: report due (48 hours)",
            ),
            "wpr_60_days" => ("WPR: 60 Tage enden", "WPR: 60 days end"),
            "wpr_90_days" => ("WPR: Rückzugsfrist endet", "WPR: withdrawal period ends"),
            _ => ("sonstige Frist", "other deadline"),
        };
        if de { g } else { e }
    }

    /// The name of a fact kind of the shared vocabulary.
    pub fn fact_kind(&self, name: &str) -> &'static str {
        let de = self.lang == Lang::De;
        let (g, e) = match name {
            "legal_basis" => ("Rechtsgrundlage", "legal basis"),
            "legal_basis_ended" => ("Rechtsgrundlage beendet", "legal basis ended"),
            "cabinet_decision" => ("Kabinettsbeschluss", "cabinet decision"),
            "application_distributed" => ("Antrag der Bundesregierung", "government application"),
            "debate_requested" => ("Verlangen einer Plenardebatte", "debate demand"),
            "vote" => ("Abstimmung", "vote"),
            "mandate_approved" => ("Mandat", "mandate"),
            "deployment_started" => ("Einsatzbeginn", "deployment started"),
            "emergency_deployment_started" => {
                ("Einsatz bei Gefahr im Verzug", "emergency deployment")
            }
            "deployment_ended" => ("Einsatzende", "deployment ended"),
            "revocation" => ("Rückholung (Widerruf)", "revocation"),
            "strength_report" => ("Personalstärke", "deployed strength"),
            "classification" => ("Einstufung", "classification"),
            "sitting_days" => ("Sitzungstage", "sitting days"),
            "members" => ("Mitglieder des Bundestages", "members of the Bundestag"),
            "introduction" => ("Einführung von Streitkräften", "introduction of forces"),
            "report" => ("Bericht an den Kongress", "report to Congress"),
            "authorization" => ("Autorisierung", "authorization"),
            "certification" => ("Bescheinigung", "certification"),
            "information_letter" => ("Unterrichtungsschreiben", "information letter"),
            _ => ("Tatsache", "fact"),
        };
        if de { g } else { e }
    }

    /// The name of a claim's review status.
    pub fn review_status(&self, name: &str) -> &'static str {
        let de = self.lang == Lang::De;
        let (g, e) = match name {
            "proposed" => ("vorgeschlagen", "proposed"),
            "accepted" => ("angenommen", "accepted"),
            "rejected" => ("abgelehnt", "rejected"),
            "superseded" => ("ersetzt", "superseded"),
            "retracted" => ("zurückgezogen", "retracted"),
            _ => ("unbekannt", "unknown"),
        };
        if de { g } else { e }
    }
}

/// German.
pub static DE: Tr = Tr {
    lang: Lang::De,
    site_tagline: "Parlamentsmandate für Auslandseinsätze der Streitkräfte",
    nav_missions: "Einsätze",
    nav_deadlines: "Fristen",
    nav_search: "Suche",
    nav_data: "Daten",
    nav_review: "Prüfung",
    nav_sign_in: "Anmelden",
    nav_sign_out: "Abmelden",
    signed_in_as: "Angemeldet als",
    lang_name: "Deutsch",
    skip_to_content: "Zum Inhalt",

    missions_title: "Einsätze",
    missions_intro: "Alle Einsätze im Register mit ihrem Status heute, der Personalobergrenze und der zuletzt gemeldeten Stärke.",
    col_mission: "Einsatz",
    col_name: "Name",
    col_status_today: "Status heute",
    col_ceiling: "Obergrenze",
    col_strength: "Stärke",
    col_facts: "Tatsachen",
    none: "keine",

    status_heading: "Status",
    status_on: "Am",
    as_of: "Kenntnisstand",
    as_of_hint: "leer: alles Bekannte",
    show: "Anzeigen",
    status_label: "Status",
    covering_mandate: "Mandat",
    basis: "Grundlage",
    ceiling_check: "Stärke gegen Obergrenze",
    next_deadline: "Nächste Frist",
    warnings: "Hinweise",
    contested: "Umstritten",
    explanation: "Begründung",
    facts_used: "Tatsachen",
    timeline: "Zeitleiste",
    timeline_desc: "Personalobergrenzen der Mandate als Stufenlinie, gemeldete Personalstärke als Punkte, Mandate und Rechtsgrundlagen als Bänder, Kabinettsbeschlüsse und Abstimmungen als Marken.",
    chart_ceiling: "Obergrenze",
    chart_strength: "gemeldete Stärke",
    chart_mandate: "Mandat",
    chart_legal_basis: "Rechtsgrundlage",
    chart_no_data: "Keine datierten Mandate oder Stärkemeldungen.",
    chart_events: "Ereignisse",
    mandates: "Mandate",
    col_mandate: "Mandat",
    col_approved: "Beschlossen",
    col_period: "Zeitraum",
    col_legal_bases: "Rechtsgrundlagen",
    col_printed_paper: "Drucksache",
    col_changes: "Änderungen zum vorigen Mandat",
    first_mandate: "erstes Mandat",
    no_changes: "keine",
    open_ended: "unbefristet",
    aliases: "Auch genannt",
    organisation: "Organisation",
    area: "Einsatzgebiet",
    predecessor: "Vorgänger",

    change_ceiling: "Obergrenze",
    change_period: "Zeitraum",
    change_bases_added: "Rechtsgrundlagen hinzu",
    change_bases_removed: "Rechtsgrundlagen entfallen",
    change_conditions: "Bedingungen geändert",
    change_area: "Einsatzgebiet",
    change_costs: "Kosten",
    change_missions_added: "Einsätze hinzu",
    change_missions_removed: "Einsätze entfallen",

    mandate_title: "Mandat",
    terms: "Bedingungen",
    missions_covered: "Einsätze",
    dependency: "Abhängigkeit von den Rechtsgrundlagen",
    dependency_strict: "strikt: das Mandat endet mit einer Rechtsgrundlage",
    dependency_advisory: "beratend: das Ende einer Rechtsgrundlage ist ein Hinweis",
    expires_if_ended: "Erlischt, wenn endet",
    overrun_permitted: "Vorübergehende Überschreitung der Obergrenze erlaubt",
    yes: "ja",
    no: "nein",
    costs: "Voraussichtliche Kosten",
    supersedes: "Ersetzt",
    verdict_first_day: "Status am ersten Tag",
    citations: "Belege",
    source: "Quelle",
    quote: "Zitat",
    note: "Anmerkung",
    in_document: "Stelle im Dokument",
    online: "online",
    no_period: "Das Mandat nennt keinen Zeitraum.",

    document_title: "Dokument",
    col_language: "Sprache",
    published: "Veröffentlicht",
    media_type: "Format",
    ingested: "Erfasst",
    extracted_facts: "Erkannte Tatsachen",
    col_fact: "Tatsache",
    col_kind: "Art",
    col_review_status: "Prüfstatus",
    col_valid: "Gültig",
    col_evidence: "Beleg",
    text: "Text",
    no_facts: "Keine Tatsachen aus diesem Dokument.",
    untitled: "ohne Titel",

    search_title: "Suche",
    search_query: "Suchbegriffe",
    search_mission: "Einsatz",
    search_doc_lang: "Sprache des Dokuments",
    any: "alle",
    search_from: "Veröffentlicht ab",
    search_until: "Veröffentlicht bis",
    search_button: "Suchen",
    search_none: "Keine Treffer.",
    search_hint: "Wörter werden auf ihren Stamm zurückgeführt (Deutsch und Englisch); \"Phrasen\" in Anführungszeichen.",

    deadlines_title: "Fristen",
    deadlines_within: "Tage voraus",
    deadlines_from: "Ab",
    deadlines_none: "Keine Fristen in diesem Zeitraum.",
    col_what: "Was",
    col_when: "Wann",
    col_rule: "Regel",

    review_title: "Prüfung",
    review_intro: "Vorgeschlagene Tatsachen aus erfassten Dokumenten. Nur angenommene Tatsachen zählen für den Status.",
    review_empty: "Keine Vorschläge zu prüfen.",
    accept: "Annehmen",
    reject: "Ablehnen",
    review_done: "Entscheidung gespeichert",
    col_claim: "Nr.",

    sign_in_title: "Anmelden",
    user_name: "Benutzername",
    password: "Passwort",
    sign_in_button: "Anmelden",
    sign_in_failed: "Benutzername oder Passwort ist falsch.",
    sign_in_limited: "Zu viele Versuche. Bitte in einer Minute erneut versuchen.",

    data_title: "Daten",
    data_intro: "Das Register enthält einen belegten Datensatz zu Mandaten der Bundeswehr; jede Tatsache nennt ihre Quelle. Vorschläge aus erfassten Dokumenten zählen erst nach der Prüfung.",
    data_covered: "Was abgedeckt ist",
    col_first_mandate: "Erstes Mandat",
    col_last_mandate: "Letztes Mandat",
    col_no_ceiling: "Mandate ohne Obergrenze",
    col_tallies: "Abstimmungen mit Zahlen",
    col_strength_reports: "Stärkemeldungen",
    data_missing: "Was fehlt",
    data_missing_text: "Nicht jeder Einsatz hat jedes Mandat, jede Abstimmung und jede Stärkemeldung. Fehlt eine Tatsache, sagt der Status das offen (etwa \"nicht gedeckt\" oder ein Hinweis), statt eine günstige Annahme zu treffen. Stärkemeldungen sind lückenhaft; Sitzungstage und Mitgliederzahlen sind nur für die erfassten Wahlperioden bekannt. Die letzten drei Spalten zeigen, was je Einsatz fehlt (Obergrenzen, Abstimmungsergebnisse, Stärkemeldungen); die bekannten fehlenden Mandate nennt data/README.md.",
    data_gaps: "Lücken zwischen Mandaten",
    data_gaps_text: "Tage zwischen zwei gebilligten Mandaten eines Einsatzes, die kein gebilligtes Mandat des Datensatzes deckt, aus den Tatsachen berechnet (ein Mandat endet früher, wenn ein späteres es ersetzt). Manche Lücken sind echt (der Einsatz ruhte oder eine Verlängerung kam zu spät), andere sind Verlängerungen, die dem Datensatz fehlen; data/README.md nennt zu jeder den Grund.",
    data_gaps_none: "Keine Lücken.",
    col_from: "Von",
    col_until: "Bis",
    col_days: "Tage",
    col_between: "Zwischen",
    data_add: "Ergänzen oder berichtigen",
    data_add_text: "Redakteure laden Dokumente hoch (API: POST /api/v1/documents) oder erfassen Tatsachen mit Beleg (POST /api/v1/facts; auf der Kommandozeile eine Datei mit \"mandat fact add\", deren Zitate im gespeicherten Dokument stehen müssen). Aus Dokumenten erkannte Tatsachen erscheinen unter \"Prüfung\" und zählen erst, wenn sie angenommen sind. Der mitgelieferte Datensatz wird mit \"mandat bundle write data\" aus dem Speicher erzeugt (siehe README, Abschnitt Data).",
    data_correct_text: "Eine falsche Tatsache wird nicht überschrieben: Prüfer nehmen eine berichtigte Fassung an, die die alte ersetzt; der alte Stand bleibt für Abfragen zum früheren Kenntnisstand erhalten.",

    error_not_found: "Nicht gefunden",
    error_bad_request: "Ungültige Eingabe",
    error_forbidden: "Keine Berechtigung",
    error_sign_in: "Anmeldung erforderlich",
    error_internal: "Interner Fehler",
    error_other: "Die Anfrage konnte nicht bearbeitet werden",
    back_home: "Zur Einsatzliste",
};

/// English.
pub static EN: Tr = Tr {
    lang: Lang::En,
    site_tagline: "Parliamentary mandates of armed-forces deployments abroad",
    nav_missions: "Missions",
    nav_deadlines: "Deadlines",
    nav_search: "Search",
    nav_data: "Data",
    nav_review: "Review",
    nav_sign_in: "Sign in",
    nav_sign_out: "Sign out",
    signed_in_as: "Signed in as",
    lang_name: "English",
    skip_to_content: "Skip to content",

    missions_title: "Missions",
    missions_intro: "Every mission in the registry with its status today, its ceiling and the latest reported strength.",
    col_mission: "Mission",
    col_name: "Name",
    col_status_today: "Status today",
    col_ceiling: "Ceiling",
    col_strength: "Strength",
    col_facts: "Facts",
    none: "none",

    status_heading: "Status",
    status_on: "On",
    as_of: "As known on",
    as_of_hint: "empty: everything known",
    show: "Show",
    status_label: "Status",
    covering_mandate: "Mandate",
    basis: "Basis",
    ceiling_check: "Strength against ceiling",
    next_deadline: "Next deadline",
    warnings: "Warnings",
    contested: "Contested",
    explanation: "Explanation",
    facts_used: "Facts",
    timeline: "Timeline",
    timeline_desc: "Mandated ceilings as a step line, reported strength as points, mandates and legal bases as bands, cabinet decisions and votes as marks.",
    chart_ceiling: "ceiling",
    chart_strength: "reported strength",
    chart_mandate: "mandate",
    chart_legal_basis: "legal basis",
    chart_no_data: "No dated mandates or strength reports.",
    chart_events: "Events",
    mandates: "Mandates",
    col_mandate: "Mandate",
    col_approved: "Approved",
    col_period: "Period",
    col_legal_bases: "Legal bases",
    col_printed_paper: "Printed paper",
    col_changes: "Changes from the previous mandate",
    first_mandate: "first mandate",
    no_changes: "none",
    open_ended: "open-ended",
    aliases: "Also known as",
    organisation: "Organisation",
    area: "Area",
    predecessor: "Predecessor",

    change_ceiling: "Ceiling",
    change_period: "Period",
    change_bases_added: "Legal bases added",
    change_bases_removed: "Legal bases removed",
    change_conditions: "Conditions changed",
    change_area: "Area",
    change_costs: "Costs",
    change_missions_added: "Missions added",
    change_missions_removed: "Missions removed",

    mandate_title: "Mandate",
    terms: "Terms",
    missions_covered: "Missions",
    dependency: "Dependency on the legal bases",
    dependency_strict: "strict: the mandate ends with a legal basis",
    dependency_advisory: "advisory: a legal basis ending is a warning",
    expires_if_ended: "Expires if ended",
    overrun_permitted: "Temporary overruns of the ceiling permitted",
    yes: "yes",
    no: "no",
    costs: "Expected costs",
    supersedes: "Supersedes",
    verdict_first_day: "Status on its first day",
    citations: "Citations",
    source: "Source",
    quote: "Quote",
    note: "Note",
    in_document: "span in the document",
    online: "online",
    no_period: "The mandate states no period.",

    document_title: "Document",
    col_language: "Language",
    published: "Published",
    media_type: "Format",
    ingested: "Stored",
    extracted_facts: "Extracted facts",
    col_fact: "Fact",
    col_kind: "Kind",
    col_review_status: "Review status",
    col_valid: "Valid",
    col_evidence: "Evidence",
    text: "Text",
    no_facts: "No facts from this document.",
    untitled: "untitled",

    search_title: "Search",
    search_query: "Words",
    search_mission: "Mission",
    search_doc_lang: "Document language",
    any: "any",
    search_from: "Published from",
    search_until: "Published until",
    search_button: "Search",
    search_none: "No hits.",
    search_hint: "Words are stemmed (German and English); put \"phrases\" in quotes.",

    deadlines_title: "Deadlines",
    deadlines_within: "Days ahead",
    deadlines_from: "From",
    deadlines_none: "No deadlines in this period.",
    col_what: "What",
    col_when: "When",
    col_rule: "Rule",

    review_title: "Review",
    review_intro: "Facts proposed from ingested documents. Only accepted facts count in verdicts.",
    review_empty: "No proposals to review.",
    accept: "Accept",
    reject: "Reject",
    review_done: "Decision saved",
    col_claim: "No.",

    sign_in_title: "Sign in",
    user_name: "User name",
    password: "Password",
    sign_in_button: "Sign in",
    sign_in_failed: "Wrong user name or password.",
    sign_in_limited: "Too many attempts. Please try again in a minute.",

    data_title: "Data",
    data_intro: "The registry holds a cited dataset of German Bundeswehr mandates; every fact names its source. Facts proposed from ingested documents count only after review.",
    data_covered: "What is covered",
    col_first_mandate: "First mandate",
    col_last_mandate: "Last mandate",
    col_no_ceiling: "Mandates without ceiling",
    col_tallies: "Votes with counts",
    col_strength_reports: "Strength reports",
    data_missing: "What is missing",
    data_missing_text: "Not every mission has every mandate, vote and strength report. Where a fact is missing, the status says so (for instance \"not covered\" or a warning) rather than assuming the favourable outcome. Strength reports are sparse; sitting days and member counts are known only for the electoral terms recorded. The last three columns show what each mission lacks (ceilings, vote counts, strength reports); data/README.md lists the mandates known to be missing.",
    data_gaps: "Gaps between mandates",
    data_gaps_text: "Days between two approved mandates of a mission that no approved mandate of the dataset covers, computed from the facts (a mandate ends early where a later one supersedes it). Some gaps are real (the mission paused or an extension came late), others are renewals the dataset lacks; data/README.md gives the reason for each.",
    data_gaps_none: "No gaps.",
    col_from: "From",
    col_until: "Until",
    col_days: "Days",
    col_between: "Between",
    data_add: "Adding or correcting a fact",
    data_add_text: "Editors upload documents (API: POST /api/v1/documents) or record facts with evidence (POST /api/v1/facts; on the command line a file with \"mandat fact add\", whose quotes must stand in the stored document). Facts extracted from documents appear under \"Review\" and count only once accepted. The bundled dataset is generated from the store with \"mandat bundle write data\" (see the README, section Data).",
    data_correct_text: "A wrong fact is never overwritten: a reviewer accepts a corrected version that supersedes it, and the old one stays for questions about what was known earlier.",

    error_not_found: "Not found",
    error_bad_request: "Bad input",
    error_forbidden: "Not allowed",
    error_sign_in: "Sign-in required",
    error_internal: "Internal error",
    error_other: "The request could not be handled",
    back_home: "Back to the missions",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cookie: Option<&str>, accept: Option<&str>, want: Lang) {
        assert_eq!(
            Lang::negotiate(cookie, accept),
            want,
            "{cookie:?} {accept:?}"
        );
    }

    #[test]
    fn negotiation_prefers_cookie_then_quality() {
        check(None, None, Lang::En);
        check(None, Some("de-DE,de;q=0.9,en;q=0.8"), Lang::De);
        check(None, Some("en-GB,en;q=0.9,de;q=0.8"), Lang::En);
        check(None, Some("fr-FR, de;q=0.5, en;q=0.7"), Lang::En);
        check(None, Some("fr-FR, de;q=0.75, en;q=0.7"), Lang::De);
        check(None, Some("de;q=0, en;q=0.1"), Lang::En);
        check(None, Some("fr, it"), Lang::En);
        check(None, Some("de;q=abc, en;q=0.2"), Lang::En);
        check(Some("de"), Some("en"), Lang::De);
        check(Some("xx"), Some("de"), Lang::De);
    }

    #[test]
    fn quality_values_parse_to_thousandths() {
        assert_eq!(quality("1"), 1000);
        assert_eq!(quality("0.5"), 500);
        assert_eq!(quality("0.125"), 125);
        assert_eq!(quality("0.1234"), 0);
        assert_eq!(quality("2"), 0);
    }

    #[test]
    fn both_tables_name_every_status() {
        for s in mandat_rules::Status::ALL {
            assert_ne!(DE.status(s.name()), "unbekannt", "{s}");
            assert_ne!(EN.status(s.name()), "unknown", "{s}");
        }
    }
}
