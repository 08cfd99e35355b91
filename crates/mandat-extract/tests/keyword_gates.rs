//! The keyword scan that gates the legal and money patterns changes nothing: on real documents and
//! on generated texts full of keywords, near misses and their pieces, the gated recognisers return
//! exactly what the ungated ones (every pattern run over the whole text) return.

mod common;

use mandat_extract::dates::{self, DateContext};
use mandat_extract::keywords::Keywords;
use mandat_extract::{Lang, lang, legal, money};
use proptest::prelude::*;

fn assert_gating_changes_nothing(text: &str) {
    let lang = lang::detect(text);
    let ds = dates::find(text, lang, &DateContext::default());
    let keywords = Keywords::scan(text);
    assert_eq!(
        legal::find_with(text, lang, &ds, keywords),
        legal::find_with(text, lang, &ds, Keywords::ALL),
        "{text:?}"
    );
    assert_eq!(
        money::find_with(text, lang, keywords),
        money::find_with(text, lang, Keywords::ALL),
        "{text:?}"
    );
}

fn texts_in(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("document folder reads") {
        let path = entry.expect("entry reads").path();
        if path.extension().is_some_and(|e| e == "txt") {
            out.push(std::fs::read_to_string(&path).expect("document reads"));
        }
    }
    out
}

#[test]
fn gated_recognisers_match_ungated_ones_on_real_documents() {
    let repo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = common::shared_dir();
    let mut texts = texts_in(&repo.join("corpus/docs"));
    texts.extend(texts_in(&shared.join("seeds")));
    texts.extend(texts_in(&shared.join("corpus/docs")));
    assert!(texts.len() > 40, "only {} documents found", texts.len());
    let mut gated_off = 0;
    for t in &texts {
        assert_gating_changes_nothing(t);
        // Every paragraph alone too: a gate closes more often on short texts.
        for p in t.split("\n\n") {
            assert_gating_changes_nothing(p);
            gated_off += usize::from(Keywords::scan(p) != Keywords::ALL);
        }
    }
    assert!(gated_off > 0, "no text left any pattern out");
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Art. 24 Abs. 2 GG".to_string()),
        Just("Artikel 87a des Grundgesetzes".to_string()),
        Just("§ 3 Abs. 2 ParlBG".to_string()),
        Just("HGB § 6".to_string()),
        Just("Beschluss (GASP) 2019/1234".to_string()),
        Just("Council Decision (CFSP) 2020/472".to_string()),
        Just("Gemeinsame Aktion 2008/851/GASP".to_string()),
        Just("Joint Action 2008/851/CFSP".to_string()),
        Just("Beschluss des NATO-Rates vom ".to_string()),
        Just("Beschluss des Nordatlantikrates vom ".to_string()),
        Just("decision of the North Atlantic Council on ".to_string()),
        Just("NAC decision of ".to_string()),
        Just("NATO's operational decision dated ".to_string()),
        Just("12. März 2020".to_string()),
        Just("4 December 2019".to_string()),
        Just("Seerechtsübereinkommen der Vereinten Nationen von 1982".to_string()),
        Just("UNCLOS".to_string()),
        Just("United Nations Convention on the Law of the Sea".to_string()),
        Just("rund 3,1 Millionen Euro".to_string()),
        Just("EUR 46.5 million".to_string()),
        Just("about €56 million".to_string()),
        Just("45 million euros".to_string()),
        Just("Resolution 1386 (2001)".to_string()),
        Just("(GASP)".to_string()),
        Just("/CFSP".to_string()),
        Just("nato art gasp nac euro convention seerecht".to_string()),
        Just("NA".to_string()),
        Just("C".to_string()),
        Just("Ar".to_string()),
        Just("EU".to_string()),
        Just("§".to_string()),
        Just("€".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just(", ".to_string()),
        "[0-9]{1,4}",
        "[A-Za-zÄÖÜäöüß()/.]{1,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]
    #[test]
    fn gated_recognisers_match_ungated_ones_on_generated_texts(
        parts in prop::collection::vec(fragment(), 0..14),
    ) {
        let text = parts.concat();
        assert_gating_changes_nothing(&text);
    }
}

#[test]
fn generated_fragments_reach_every_gated_pattern() {
    // The fragments above are worth comparing on: each gated pattern finds something in them.
    let text = "Art. 24 Abs. 2 GG; Beschluss (GASP) 2019/1234; Gemeinsame Aktion 2008/851/GASP; \
                Beschluss des NATO-Rates vom 12. März 2020; UNCLOS; rund 3,1 Millionen Euro";
    let ds = dates::find(text, Lang::De, &DateContext::default());
    let ids: Vec<String> = legal::find_with(text, Lang::De, &ds, Keywords::ALL)
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "Art. 24(2) GG",
            "EU Council Decision (CFSP) 2019/1234",
            "EU Council Joint Action 2008/851/CFSP",
            "NATO decision 2020-03-12",
            "UNCLOS"
        ]
    );
    assert_eq!(
        money::find_with(text, Lang::De, Keywords::scan(text)).len(),
        1
    );
}
