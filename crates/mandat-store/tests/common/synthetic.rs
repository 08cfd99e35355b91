//! Deterministic synthetic mandate-like documents in German and English, with claims on exact spans.
//! Shared by tests, the ingest worker example and the benchmarks.
#![allow(dead_code)]

use mandat_store::{Clearance, FactId, NewClaim, NewDocument, NewEvidence};
use serde_json::json;

const MISSIONS: &[(&str, &str, &str)] = &[
    ("KFOR", "im Kosovo", "in Kosovo"),
    (
        "UNIFIL",
        "vor der Küste des Libanon",
        "off the coast of Lebanon",
    ),
    (
        "EUFOR Althea",
        "in Bosnien und Herzegowina",
        "in Bosnia and Herzegovina",
    ),
    ("Sea Guardian", "im Mittelmeer", "in the Mediterranean"),
    ("Atalanta", "am Horn von Afrika", "off the Horn of Africa"),
    ("Irini", "im Mittelmeer", "in the Mediterranean"),
    ("UNMISS", "im Südsudan", "in South Sudan"),
    ("NATO Mission Iraq", "im Irak", "in Iraq"),
];

const DE_FILL: &[&str] = &[
    "Die Bundesregierung hat den Antrag dem Deutschen Bundestag zugeleitet.",
    "Der Einsatz erfolgt im Rahmen eines Systems gegenseitiger kollektiver Sicherheit.",
    "Die Soldatinnen und Soldaten unterstützen die Stabilisierung der Region.",
    "Die einsatzbedingten Zusatzausgaben werden aus dem Einzelplan 14 bestritten.",
    "Das Mandat umfasst Aufklärung, Führung, Sanitätsdienst und logistische Unterstützung.",
    "Die Lage bleibt angespannt; die Vereinten Nationen beobachten die Entwicklung genau.",
    "Der Auswärtige Ausschuss hat die Beschlussempfehlung mit großer Mehrheit angenommen.",
    "Die Ausbildung lokaler Sicherheitskräfte bleibt ein Schwerpunkt der Einsätze.",
];

const EN_FILL: &[&str] = &[
    "The Federal Government submitted the motion to the German Bundestag.",
    "The deployment takes place within a system of mutual collective security.",
    "The soldiers support the stabilisation of the region.",
    "Additional expenditure will be covered by budget section 14.",
    "The mandate covers reconnaissance, command, medical services and logistic support.",
    "The situation remains tense; the United Nations are monitoring developments closely.",
    "The Committee on Foreign Affairs adopted the recommendation by a large majority.",
    "Training local security forces remains a focus of the deployments.",
];

const MONTHS_DE: &[&str] = &[
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A small deterministic generator (xorshift64*), so runs are comparable.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Document number `n` of a corpus seeded with `seed`: about 1-2 KB, 3-6 paragraphs, with a ceiling
/// and a date claim on exact byte spans. Every `n` gives different bytes.
pub fn document(seed: u64, n: u64) -> (NewDocument, Vec<NewClaim>) {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0x1000_0000_01B3));
    let german = rng.below(3) != 0;
    let (mission, where_de, where_en) = MISSIONS[rng.below(MISSIONS.len() as u64) as usize];
    let ceiling = 50 * (1 + rng.below(60));
    let year = 2005 + rng.below(21);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let mut text = String::new();
    let (ceiling_phrase, date_phrase);
    if german {
        text.push_str(&format!(
            "Fortsetzung der Beteiligung bewaffneter deutscher Streitkräfte an {mission} (Drucksache 20/{n})\n\n"
        ));
        date_phrase = format!("{day}. {} {year}", MONTHS_DE[(month - 1) as usize]);
        text.push_str(&format!("Die Bundesregierung hat am {date_phrase} beschlossen, die Beteiligung {where_de} fortzusetzen. "));
        ceiling_phrase = format!("bis zu {ceiling} Soldatinnen und Soldaten");
        text.push_str(&format!(
            "Es können {ceiling_phrase} eingesetzt werden.\n\n"
        ));
    } else {
        text.push_str(&format!(
            "Continued participation of German armed forces in {mission} (printed paper 20/{n})\n\n"
        ));
        date_phrase = format!("{} {day}, {year}", MONTHS_EN[(month - 1) as usize]);
        text.push_str(&format!("On {date_phrase} the Federal Cabinet decided to continue the participation {where_en}. "));
        ceiling_phrase = format!("up to {ceiling} soldiers");
        text.push_str(&format!(
            "The mandate allows {ceiling_phrase} to be deployed.\n\n"
        ));
    }
    let fill = if german { DE_FILL } else { EN_FILL };
    for _ in 0..(2 + rng.below(4)) {
        for _ in 0..(2 + rng.below(3)) {
            text.push_str(fill[rng.below(fill.len() as u64) as usize]);
            text.push(' ');
        }
        text.push_str(&format!("({n}-{})\n\n", rng.below(1_000_000)));
    }
    let date = format!("{year}-{month:02}-{day:02}");
    let span = |needle: &str| {
        let start = text.find(needle).expect("phrase in text") as u64;
        NewEvidence::InDocument {
            start,
            end: start + needle.len() as u64,
        }
    };
    let claims = vec![
        NewClaim {
            fact_id: FactId::new(format!("d{n}-ceiling")).expect("fact id"),
            kind: "mandate_approved".into(),
            missions: vec![mission.into()],
            valid_from: Some(date.clone()),
            recorded_at: None,
            payload: json!({"kind": "mandate_approved", "mission": mission, "ceiling": ceiling,
                            "period": {"from": date, "until": "open"}}),
            evidence: span(&ceiling_phrase),
            classification: Clearance::PUBLIC,
        },
        NewClaim {
            fact_id: FactId::new(format!("d{n}-cabinet")).expect("fact id"),
            kind: "cabinet_decision".into(),
            missions: vec![mission.into()],
            valid_from: Some(date.clone()),
            recorded_at: None,
            payload: json!({"kind": "cabinet_decision", "mission": mission, "proposes": {"ceiling": ceiling}}),
            evidence: span(&date_phrase),
            classification: Clearance::PUBLIC,
        },
    ];
    let doc = NewDocument {
        source: format!("synthetic://{seed}/{n}"),
        content_hash: hex_sha256(text.as_bytes()),
        media_type: "text/plain".into(),
        lang: if german { "de" } else { "en" }.into(),
        title: text.lines().next().map(str::to_owned),
        published: Some(date.parse().expect("valid date")),
        bytes_len: text.len() as u64,
        text,
        classification: Clearance::PUBLIC,
        missions: vec![mission.into()],
    };
    (doc, claims)
}
