//! Mandate assembly on phrasings of German and English reporting: changes of a ceiling, tallies with
//! their members as subject, the end of the running mandate, first decisions as history, other
//! missions' figures, sums of several mandates, and words hyphenated across line breaks. Every value
//! is checked together with the exact bytes its span covers.

use mandat_extract::{ExtractOptions, Extraction, MandateEnd, MissionRegistry, Span, extract};

fn run(text: &str) -> Extraction {
    extract(
        text,
        &MissionRegistry::bundled(),
        &ExtractOptions::new("test.txt"),
    )
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

#[test]
fn a_changed_ceiling_is_its_new_value() {
    let t = "Das Kabinett hat die Beteiligung an KFOR verlängert. Dabei sinkt die \
             Personalobergrenze von 1.200 auf 650 Soldatinnen und Soldaten.";
    let x = run(t);
    let c = x.mandate.ceiling.expect("ceiling");
    assert_eq!(c.value, 650);
    assert_eq!(slice(t, c.span), "Personalobergrenze von 1.200 auf 650");

    let t = "Der Bundestag hat das UNIFIL-Mandat verlängert. Künftig dürfen statt bisher 900 nur \
             noch 700 Soldatinnen und Soldaten eingesetzt werden.";
    let x = run(t);
    let c = x.mandate.ceiling.expect("ceiling");
    assert_eq!(c.value, 700);
    assert_eq!(
        slice(t, c.span),
        "statt bisher 900 nur noch 700 Soldatinnen und Soldaten"
    );

    let t = "The cabinet agreed to extend the UNIFIL mandate. The number of soldiers sent to \
             the eastern Mediterranean will drop from 900 to 650 under the new mandate.";
    let x = run(t);
    let c = x.mandate.ceiling.expect("ceiling");
    assert_eq!(c.value, 650);
    assert_eq!(slice(t, c.span), "from 900 to 650");

    let t = "The cabinet decided to extend the KFOR mandate. It keeps the limit on the number of \
             German soldiers who may serve in the region at 1,350.";
    let x = run(t);
    let c = x.mandate.ceiling.expect("ceiling");
    assert_eq!(c.value, 1350);
    assert!(slice(t, c.span).starts_with("limit on the number of German soldiers"));
    assert!(slice(t, c.span).ends_with("at 1,350"));
}

#[test]
fn a_sum_of_several_mandates_is_no_ceiling() {
    let t = "Das Parlament verlängerte die Mandate für die beiden Auslandseinsätze mit bis zu \
             2.200 Soldaten. Für UNIFIL können bis zu 450 Soldaten entsandt werden.";
    let x = run(t);
    let c = x.mandate.ceiling.expect("ceiling");
    assert_eq!(c.value, 450);
    assert_eq!(slice(t, c.span), "bis zu 450 Soldaten");
}

#[test]
fn tallies_with_members_as_subject() {
    let t = "The Bundestag voted on Thursday to extend the KFOR mission. Some 480 lawmakers, \
             most of them from the governing parties, voted in favour, while 71 lawmakers of \
             the opposition voted against and two abstained.";
    let x = run(t);
    let v = x.mandate.parliament_vote.expect("vote");
    assert_eq!((v.yes, v.no), (Some(480), Some(71)));
    assert!(slice(t, v.span).starts_with("480 lawmakers"));

    let t = "Der Bundestag stimmte am Mittwoch der Verlängerung von UNIFIL zu. 512 Abgeordnete \
             votierten am Abend in namentlicher Abstimmung dafür, 96 waren dagegen.";
    let x = run(t);
    let v = x.mandate.parliament_vote.expect("vote");
    assert_eq!((v.yes, v.no), (Some(512), Some(96)));

    let t = "Der Bundestag hat die Verlängerung von UNIFIL gebilligt. Für den Antrag votierten \
             in der namentlichen Abstimmung am späten Donnerstagabend 470 Abgeordnete, während \
             88 den Antrag ablehnten.";
    let x = run(t);
    let v = x.mandate.parliament_vote.expect("vote");
    assert_eq!((v.yes, v.no), (Some(470), Some(88)));

    // "einer Enthaltung" is one abstention, not the figure of the tally before it.
    let t = "Der Bundestag hat UNIFIL verlängert. Bei 460 Ja-Stimmen und 95 Nein-Stimmen sowie \
             einer Enthaltung wurde das Mandat beschlossen.";
    let x = run(t);
    let v = x.mandate.parliament_vote.expect("vote");
    assert_eq!((v.yes, v.no, v.abstain), (Some(460), Some(95), Some(1)));
    assert!(slice(t, v.span).ends_with("einer Enthaltung"));

    // The verb belongs to the members named last.
    let t = "Der Bundestag hat UNIFIL verlängert. Insgesamt votierten 590 Abgeordnete für den \
             Antrag, zwölf Abgeordnete enthielten sich.";
    let x = run(t);
    let v = x.mandate.parliament_vote.expect("vote");
    assert_eq!(v.yes, Some(590));
    assert_ne!(v.abstain, Some(590));
}

#[test]
fn the_end_of_the_running_mandate_is_not_the_new_end() {
    let t = "Das Kabinett hat beschlossen, das bis Ende Juni laufende UNIFIL-Mandat um ein Jahr \
             bis zum 30. Juni 2031 zu verlängern.";
    let x = run(t);
    let e = x.mandate.mandate_end.expect("end");
    assert_eq!(e.date, MandateEnd::On(jiff_day(2031, 6, 30)));
    assert_eq!(slice(t, e.span), "30. Juni 2031");

    let t = " date 2030-03 Die Regierung will den UNIFIL-Einsatz, der bis Ende April befristet \
             ist, fortsetzen.";
    let x = run(t);
    assert_eq!(x.mandate.mandate_end, None);
}

fn jiff_day(y: i16, m: i8, d: i8) -> mandat_extract::DateValue {
    mandat_extract::DateValue::Day(jiff::civil::Date::new(y, m, d).expect("valid date"))
}

#[test]
fn a_first_decision_is_history() {
    let t = "UNIFIL\nDer Bundestag hat die Beteiligung erstmals am 20. September 2006 gebilligt. \
             Die Verlängerung bis zum 30. Juni 2031 hat der Bundestag am 17. Juni 2030 gebilligt.";
    let x = run(t);
    let v = x.mandate.parliament_vote.expect("vote");
    assert_eq!(slice(t, v.span), "17. Juni 2030");
}

#[test]
fn figures_of_other_missions_in_the_same_line_are_left_out() {
    let t = "Der Bundestag hat den KFOR-Einsatz verlängert. Derzeit sind dort 90 deutsche \
             Soldaten stationiert.\nAuch UNIFIL wurde verlängert. Gegenwärtig sind in Libanon \
             rund 150 deutsche Soldaten im Einsatz.";
    let x = run(t);
    assert_eq!(x.mandate.mission.as_deref(), Some("KFOR"));
    let s: Vec<(u64, &str)> = x
        .mandate
        .deployed_strength
        .iter()
        .map(|s| (s.value, slice(t, s.span)))
        .collect();
    assert_eq!(s, vec![(90, "90 deutsche Soldaten")]);
}

#[test]
fn the_ceiling_restated_is_no_strength() {
    let t = "Die Bundeswehr bleibt bei UNIFIL. Das Kabinett hat die Verlängerung beschlossen. \
             Die Obergrenze liegt derzeit bei 450 Soldaten; künftig können bis zu 450 Soldaten \
             entsandt werden. Derzeit sind 130 deutsche Soldaten im Einsatz.";
    let x = run(t);
    assert_eq!(x.mandate.ceiling.as_ref().map(|c| c.value), Some(450));
    let s: Vec<u64> = x
        .mandate
        .deployed_strength
        .iter()
        .map(|s| s.value)
        .collect();
    assert_eq!(s, vec![130]);
}

#[test]
fn words_hyphenated_at_line_ends_are_joined_for_matching() {
    let t = "Die Bundesregierung hat am 4. Mai 2030 die Fortsetzung der Beteiligung an UNIFIL\n\
             bis zum 30. Novem-\nber 2031 mit bis zu 300 Soldatinnen und Soldaten be-\n\
             schlossen.";
    let x = run(t);
    let c = x.mandate.cabinet_decision.expect("cabinet decision");
    assert_eq!(slice(t, c.span), "4. Mai 2030");
    let e = x.mandate.mandate_end.expect("end");
    assert_eq!(e.date, MandateEnd::On(jiff_day(2031, 11, 30)));
    assert_eq!(slice(t, e.span), "30. Novem-\nber 2031");
    assert_eq!(e.text, "30. Novem-\nber 2031");
    for m in &x.mentions {
        assert_eq!(
            m.text,
            slice(t, m.span),
            "mention text is the slice of its span"
        );
    }
}
