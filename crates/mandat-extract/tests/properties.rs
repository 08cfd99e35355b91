//! Laws: every span slices the text exactly on char boundaries, and extraction never panics, also on
//! adversarial input (long digit runs, many dots, nested brackets, mixed scripts).

use mandat_extract::{ExtractOptions, MissionRegistry, extract};
use proptest::prelude::*;

fn check_spans(text: &str) {
    let registry = MissionRegistry::bundled();
    let x = extract(text, &registry, &ExtractOptions::new("p"));
    for m in &x.mentions {
        assert!(m.span.start <= m.span.end && m.span.end <= text.len());
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        assert_eq!(&text[m.span.start..m.span.end], m.text);
    }
    for d in &x.diagnostics {
        assert!(text.get(d.span.start..d.span.end).is_some());
    }
    if let Some(c) = &x.mandate.ceiling {
        assert_eq!(&text[c.span.start..c.span.end], c.text);
    }
    for b in &x.mandate.legal_bases {
        assert_eq!(&text[b.span.start..b.span.end], b.text);
    }
    serde_json::to_string(&x).expect("serialises");
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("bis zu 400 deutsche Soldatinnen und Soldaten ".to_string()),
        Just("am 21. Mai 2025 ".to_string()),
        Just("Resolutionen 1701 (2006) und zuletzt 2172 (2014) ".to_string()),
        Just("Art. 24 Abs. 2 GG ".to_string()),
        Just("rund 3,1 Millionen Euro ".to_string()),
        Just("mit 550 Ja-Stimmen, 106 Nein-Stimmen und 2 Enthaltungen. ".to_string()),
        Just("KFORKosovo Force ".to_string()),
        Just("Ende März ".to_string()),
        Just("ä".to_string()),
        Just("1.".to_string()),
        Just("(".to_string()),
        "[0-9.,() §ÄäßA-Za-z\n-]{0,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn spans_slice_exactly(parts in proptest::collection::vec(fragment(), 0..20)) {
        check_spans(&parts.concat());
    }
}

#[test]
fn adversarial_inputs_do_not_panic() {
    let cases = [
        "9".repeat(20_000),
        ".".repeat(20_000),
        "(".repeat(10_000) + &")".repeat(10_000),
        "1.".repeat(10_000),
        "Resolution ".repeat(2_000),
        "bis zu ".repeat(2_000) + "400",
        "§ 1 ".repeat(2_000),
        "ä1.ü2,".repeat(4_000),
        "im Jahr 1999ü und 2000.ä".repeat(500),
    ];
    for c in &cases {
        check_spans(c);
    }
}
