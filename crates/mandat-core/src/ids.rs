//! Newtypes for identifiers and constrained values.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ValueError;

macro_rules! string_id {
    ($(#[$m:meta])* $name:ident, $what:literal) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates and wraps an id: non-empty, no leading or trailing whitespace.
            pub fn new(s: impl Into<String>) -> Result<Self, ValueError> {
                let s = s.into();
                if s.is_empty() || s.trim() != s {
                    return Err(ValueError::new(format!(
                        concat!("invalid ", $what, " `{}`: must be non-empty without surrounding spaces"),
                        s
                    )));
                }
                Ok($name(s))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                $name::new(s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                $name::new(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// Canonical mission id (`KFOR`, `UNIFIL`, `NATO Mission Iraq`, ...).
    MissionId,
    "mission id"
);
string_id!(
    /// Id of a fact, unique within a registry.
    FactId,
    "fact id"
);
string_id!(
    /// Id of a source document entry in a dataset file.
    SourceId,
    "source id"
);

/// The kinds of canonical legal-basis ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalRefKind {
    /// `UNSC 1244`
    UnscResolution,
    /// `Art. 24(2) GG`
    BasicLaw,
    /// `§ 4(1) ParlBG`, `§ 5 ParlBG`
    Statute,
    /// `EU Council Decision (CFSP) 2020/472`
    EuCouncilDecision,
    /// `EU Council Joint Action 2008/851/CFSP`
    EuJointAction,
    /// `NATO decision 1999-01-30`
    NatoDecision,
    /// `UNCLOS`
    Unclos,
    /// `AUMF 2001`, `Declaration of war 1941-12-08`: US authorisations (war-powers pack)
    UsAuthorization,
    /// `other: <readable text>` for an instrument without a canonical form yet
    Other,
}

/// A canonical legal-basis id, validated against the canonical forms of the extraction contract.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LegalRef(String);

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `N`, `N(M)`, `Na`, `Na(M)`: an article or section number with an optional paragraph.
fn article(s: &str) -> bool {
    let (num, para) = match s.split_once('(') {
        Some((n, rest)) => match rest.strip_suffix(')') {
            Some(p) => (n, Some(p)),
            None => return false,
        },
        None => (s, None),
    };
    let base = num.trim_end_matches(|c: char| c.is_ascii_lowercase());
    digits(base) && base.len() + 1 >= num.len() && para.is_none_or(digits)
}

/// `YYYY/N`
fn year_number(s: &str) -> bool {
    matches!(s.split_once('/'), Some((y, n)) if y.len() == 4 && digits(y) && digits(n))
}

impl LegalRef {
    /// Validates a canonical legal-basis id.
    pub fn new(s: impl Into<String>) -> Result<Self, ValueError> {
        let s = s.into();
        match Self::classify(&s) {
            Some(_) => Ok(LegalRef(s)),
            None => Err(ValueError::new(format!(
                "invalid legal basis `{s}`: expected a canonical id such as `UNSC 1244`, `Art. 24(2) GG`, \
                 `§ 4(1) ParlBG`, `EU Council Decision (CFSP) 2020/472`, `EU Council Joint Action 2008/851/CFSP`, \
                 `NATO decision 1999-01-30`, `UNCLOS`, `AUMF 2001` or `other: <text>`"
            ))),
        }
    }

    fn classify(s: &str) -> Option<LegalRefKind> {
        if s == "UNCLOS" {
            return Some(LegalRefKind::Unclos);
        }
        if let Some(n) = s.strip_prefix("UNSC ") {
            return digits(n).then_some(LegalRefKind::UnscResolution);
        }
        if let Some(rest) = s.strip_prefix("Art. ") {
            let a = rest.strip_suffix(" GG")?;
            return article(a).then_some(LegalRefKind::BasicLaw);
        }
        if let Some(rest) = s.strip_prefix("§ ") {
            let (a, law) = rest.split_once(' ')?;
            let law_ok = !law.is_empty() && law.chars().all(|c| c.is_alphanumeric() || c == '-');
            return (article(a) && law_ok).then_some(LegalRefKind::Statute);
        }
        if let Some(rest) = s.strip_prefix("EU Council Decision (CFSP) ") {
            return year_number(rest).then_some(LegalRefKind::EuCouncilDecision);
        }
        if let Some(rest) = s.strip_prefix("EU Council Joint Action ") {
            let yn = rest.strip_suffix("/CFSP")?;
            return year_number(yn).then_some(LegalRefKind::EuJointAction);
        }
        if let Some(rest) = s.strip_prefix("NATO decision ") {
            return crate::time::parse_date(rest)
                .ok()
                .map(|_| LegalRefKind::NatoDecision);
        }
        if let Some(rest) = s.strip_prefix("AUMF ") {
            return (rest.len() == 4 && digits(rest)).then_some(LegalRefKind::UsAuthorization);
        }
        if let Some(rest) = s.strip_prefix("Declaration of war ") {
            return crate::time::parse_date(rest)
                .ok()
                .map(|_| LegalRefKind::UsAuthorization);
        }
        if let Some(rest) = s.strip_prefix("other: ") {
            return (!rest.trim().is_empty() && rest.trim() == rest).then_some(LegalRefKind::Other);
        }
        None
    }

    /// The kind of instrument.
    pub fn kind(&self) -> LegalRefKind {
        Self::classify(&self.0).unwrap_or(LegalRefKind::Other)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LegalRef {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        LegalRef::new(s)
    }
}

impl From<LegalRef> for String {
    fn from(v: LegalRef) -> String {
        v.0
    }
}

impl FromStr for LegalRef {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        LegalRef::new(s)
    }
}

impl fmt::Display for LegalRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A personnel ceiling ("bis zu 400 Soldatinnen und Soldaten"); at least one soldier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Ceiling(u32);

impl Ceiling {
    /// Validates a ceiling (must be positive).
    pub fn new(n: u32) -> Result<Self, ValueError> {
        if n == 0 {
            return Err(ValueError::new("invalid ceiling 0: must be at least 1"));
        }
        Ok(Ceiling(n))
    }

    /// The number of soldiers.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Ceiling {
    type Error = ValueError;
    fn try_from(n: u32) -> Result<Self, ValueError> {
        Ceiling::new(n)
    }
}

impl From<Ceiling> for u32 {
    fn from(c: Ceiling) -> u32 {
        c.0
    }
}

impl fmt::Display for Ceiling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Bundestag printed-paper number (Drucksache), `term/number` such as `20/6655`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PrintedPaperNo {
    term: u8,
    number: u32,
}

impl PrintedPaperNo {
    /// The electoral term.
    pub fn term(self) -> u8 {
        self.term
    }

    /// The running number within the term.
    pub fn number(self) -> u32 {
        self.number
    }
}

impl FromStr for PrintedPaperNo {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        let bad = || {
            ValueError::new(format!(
                "invalid printed paper number `{s}`: expected term/number such as 20/6655"
            ))
        };
        let (t, n) = s.split_once('/').ok_or_else(bad)?;
        if !digits(t)
            || !digits(n)
            || t.starts_with('0')
            || n.starts_with('0')
            || t.len() > 2
            || n.len() > 6
        {
            return Err(bad());
        }
        Ok(PrintedPaperNo {
            term: t.parse().map_err(|_| bad())?,
            number: n.parse().map_err(|_| bad())?,
        })
    }
}

impl TryFrom<String> for PrintedPaperNo {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        s.parse()
    }
}

impl From<PrintedPaperNo> for String {
    fn from(v: PrintedPaperNo) -> String {
        v.to_string()
    }
}

impl fmt::Display for PrintedPaperNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.term, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_legal_refs() {
        for ok in [
            "UNSC 1244",
            "Art. 24(2) GG",
            "Art. 87a GG",
            "§ 4(1) ParlBG",
            "§ 5 ParlBG",
            "EU Council Decision (CFSP) 2020/472",
            "EU Council Joint Action 2008/851/CFSP",
            "NATO decision 1999-01-30",
            "UNCLOS",
            "AUMF 2001",
            "other: Libyan request of 2011",
        ] {
            assert!(LegalRef::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "UNSC",
            "UN 1244",
            "Art 24(2) GG",
            "Art. 24(2 GG",
            "NATO decision 1999-02-30",
            "EU Council Decision 2020/472",
            "unclos",
            "other: ",
        ] {
            assert!(LegalRef::new(bad).is_err(), "{bad}");
        }
        assert_eq!(
            LegalRef::new("UNSC 1244").unwrap().kind(),
            LegalRefKind::UnscResolution
        );
    }

    #[test]
    fn printed_paper_numbers() {
        let p: PrintedPaperNo = "20/6655".parse().unwrap();
        assert_eq!((p.term(), p.number()), (20, 6655));
        assert_eq!(p.to_string(), "20/6655");
        for bad in ["20-6655", "/1", "20/", "020/1", "x/1", "20/6655/1"] {
            assert!(bad.parse::<PrintedPaperNo>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ceilings_and_ids() {
        assert!(Ceiling::new(0).is_err());
        assert_eq!(Ceiling::new(400).unwrap().get(), 400);
        assert!(MissionId::new(" KFOR").is_err());
        assert!(FactId::new("").is_err());
    }
}
