//! Errors of the domain model and of fact files.

use std::fmt;

/// A value that does not satisfy a constraint of the domain model (a bad date, an id that is not
/// canonical, a negative ceiling).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    message: String,
}

impl ValueError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
        }
    }

    /// The message without position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// What went wrong in a fact, calendar or scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileErrorCode {
    /// The YAML itself is malformed.
    Syntax,
    /// A key the format does not know.
    UnknownKey,
    /// A key the fact kind requires is missing.
    MissingKey,
    /// A key the fact kind does not take.
    UnexpectedKey,
    /// A value that is not valid for its key (bad date, unknown status, ...).
    InvalidValue,
    /// A reference to a fact id that is not defined.
    UndefinedId,
    /// A reference to a source id that is not defined.
    UndefinedSource,
    /// An id defined twice.
    DuplicateId,
}

impl fmt::Display for FileErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            FileErrorCode::Syntax => "syntax error",
            FileErrorCode::UnknownKey => "unknown key",
            FileErrorCode::MissingKey => "missing key",
            FileErrorCode::UnexpectedKey => "unexpected key",
            FileErrorCode::InvalidValue => "invalid value",
            FileErrorCode::UndefinedId => "undefined fact id",
            FileErrorCode::UndefinedSource => "undefined source",
            FileErrorCode::DuplicateId => "duplicate id",
        };
        f.write_str(s)
    }
}

/// An error in a named YAML file, with the 1-based line and column and the key it concerns.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{file}:{line}:{column}: {}{message}", key.as_ref().map(|k| format!("key `{k}`: ")).unwrap_or_default())]
pub struct FileError {
    /// The file name as given by the caller.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    /// The key concerned, when known.
    pub key: Option<String>,
    /// What kind of error.
    pub code: FileErrorCode,
    /// A lower-case message.
    pub message: String,
}

impl FileError {
    /// Builds an error at a position.
    pub fn at(
        file: &str,
        loc: serde_saphyr::Location,
        key: Option<&str>,
        code: FileErrorCode,
        message: impl Into<String>,
    ) -> Self {
        FileError {
            file: file.to_owned(),
            line: loc.line(),
            column: loc.column(),
            key: key.map(str::to_owned),
            code,
            message: message.into(),
        }
    }

    /// Like [`FileError::from_yaml`], and when the error names no key (a value of the wrong
    /// type, say), takes the key from the source text at the error's position.
    pub fn from_yaml_source(file: &str, yaml: &str, err: &serde_saphyr::Error) -> Self {
        let mut e = Self::from_yaml(file, err);
        if e.key.is_none() && e.code == FileErrorCode::InvalidValue {
            e.key = key_before(yaml, e.line, e.column);
        }
        e
    }

    /// Converts a serde-saphyr error, keeping its position and recognising unknown keys.
    pub fn from_yaml(file: &str, err: &serde_saphyr::Error) -> Self {
        let (line, column) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        // Snippet wrappers only add rendering context; classify the error they hold.
        let mut err = err;
        while let serde_saphyr::Error::WithSnippet { error, .. } = err {
            err = error;
        }
        // serde-saphyr's own enum, not ours: the fallback arm covers its other variants.
        let (code, key, message) = match err {
            serde_saphyr::Error::SerdeUnknownField {
                field, expected, ..
            } => (
                FileErrorCode::UnknownKey,
                Some(field.clone()),
                format!("unknown key (expected one of: {})", expected.join(", ")),
            ),
            serde_saphyr::Error::SerdeMissingField { field, .. } => (
                FileErrorCode::MissingKey,
                Some((*field).to_owned()),
                "required key is missing".to_owned(),
            ),
            serde_saphyr::Error::SerdeInvalidType {
                unexpected,
                expected,
                ..
            }
            | serde_saphyr::Error::SerdeInvalidValue {
                unexpected,
                expected,
                ..
            } => (
                FileErrorCode::InvalidValue,
                None,
                format!("invalid value {unexpected}, expected {expected}"),
            ),
            serde_saphyr::Error::SerdeUnknownVariant {
                variant, expected, ..
            } => (
                FileErrorCode::InvalidValue,
                None,
                format!(
                    "unknown value `{variant}` (expected one of: {})",
                    expected.join(", ")
                ),
            ),
            serde_saphyr::Error::InvalidScalar { ty, .. } => (
                FileErrorCode::InvalidValue,
                None,
                format!("invalid value, expected {ty}"),
            ),
            serde_saphyr::Error::InvalidBooleanStrict { .. } => (
                FileErrorCode::InvalidValue,
                None,
                "invalid value, expected true or false".to_owned(),
            ),
            serde_saphyr::Error::Message { msg, .. } => {
                (FileErrorCode::InvalidValue, None, msg.clone())
            }
            other => (
                FileErrorCode::Syntax,
                None,
                other
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            ),
        };
        FileError {
            file: file.to_owned(),
            line,
            column,
            key,
            code,
            message,
        }
    }
}

/// The mapping key written just before a 1-based line and column (`ceiling` in
/// `  - {id: a, ceiling: abc}` at the column of `abc`), if the text there is `key: value`.
fn key_before(yaml: &str, line: u64, column: u64) -> Option<String> {
    let text = yaml
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let upto: String = text
        .chars()
        .take(usize::try_from(column).ok()?.saturating_sub(1))
        .collect();
    let before = upto.trim_end().strip_suffix(':')?;
    let key = before
        .rsplit(|c: char| c == '{' || c == ',' || c.is_whitespace())
        .next()?
        .trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty()).then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_before_a_value() {
        assert_eq!(
            key_before("a: 1\n  - {id: x, ceiling: abc}\n", 2, 22).as_deref(),
            Some("ceiling")
        );
        assert_eq!(key_before("count: abc\n", 1, 8).as_deref(), Some("count"));
        assert_eq!(key_before("- abc\n", 1, 3), None);
    }
}
