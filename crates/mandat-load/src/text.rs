//! Plain text: decoding to UTF-8 and line-end normalisation, nothing else.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

use crate::{Diagnostic, DiagnosticCode, Document, LoadError, MediaType};

/// Above this share of C0 control bytes (other than tab, line feed, form feed, carriage return and escape)
/// the input is binary. Real text has next to none; a 5 % threshold leaves room for stray bytes in old files.
const MAX_CONTROL_PER_MILLE: usize = 50;

pub(crate) fn load_text(bytes: &[u8]) -> Result<Document, LoadError> {
    let mut diagnostics = Vec::new();
    let (text, encoding) = decode(bytes, None, MediaType::Text, &mut diagnostics)?;
    Ok(Document {
        text,
        media_type: MediaType::Text,
        encoding: encoding.name(),
        lang: None,
        title: None,
        diagnostics,
    })
}

/// Decodes `bytes` to a string with `\n` line ends.
///
/// Order: a byte-order mark; else the `declared` encoding (HTML), checked against the bytes; else UTF-8 when
/// the bytes are valid UTF-8; else the `chardetng` guess. The binary check runs first unless a UTF-16
/// byte-order mark explains the NUL bytes.
pub(crate) fn decode(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
    media_type: MediaType,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(String, &'static Encoding), LoadError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if body.is_empty() {
            return Err(LoadError::Empty);
        }
        if encoding == UTF_8 {
            check_binary(body, media_type)?;
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        note_replacements(had_errors, encoding, diagnostics);
        return Ok((normalize_line_ends(text), encoding));
    }
    check_binary(bytes, media_type)?;
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    let encoding = match declared.map(html_declared) {
        Some(declared) if declared == UTF_8 && !utf8_ok => {
            let guess = guess(bytes);
            diagnostics.push(Diagnostic::new(
                DiagnosticCode::DeclaredCharsetWrong,
                format!(
                    "declared charset UTF-8 does not match the bytes (invalid UTF-8); decoded as {}",
                    guess.name()
                ),
            ));
            guess
        }
        Some(declared) if declared != UTF_8 && utf8_ok && !bytes.is_ascii() => {
            // A page saved as UTF-8 that still carries an old legacy declaration: valid multi-byte UTF-8 is
            // almost never an accident in a single-byte encoding, so the bytes win.
            diagnostics.push(Diagnostic::new(
                DiagnosticCode::DeclaredCharsetWrong,
                format!(
                    "declared charset {} does not match the bytes, which are valid UTF-8; decoded as UTF-8",
                    declared.name()
                ),
            ));
            UTF_8
        }
        Some(declared) => declared,
        None if utf8_ok => UTF_8,
        None => {
            let guess = guess(bytes);
            diagnostics.push(Diagnostic::new(
                DiagnosticCode::EncodingDetected,
                format!("not valid UTF-8; encoding detected as {}", guess.name()),
            ));
            guess
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    note_replacements(had_errors, encoding, diagnostics);
    Ok((normalize_line_ends(text), encoding))
}

/// The HTML standard's overrides for declared encodings: a UTF-16 declaration in an ASCII-compatible byte
/// stream means UTF-8, and x-user-defined means windows-1252.
fn html_declared(declared: &'static Encoding) -> &'static Encoding {
    if declared == UTF_16LE || declared == UTF_16BE {
        UTF_8
    } else if declared == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        declared
    }
}

/// How many bytes the detector reads from the start, and again from the first byte that is not UTF-8.
/// The detector's cost is linear and high per byte; two windows of this size decide any real document.
const DETECT_WINDOW: usize = 64 * 1024;

/// Guesses the legacy encoding of bytes that are not valid UTF-8.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let head = &bytes[..bytes.len().min(DETECT_WINDOW)];
    // The bytes are known not to be UTF-8; make sure the detector sees where they stop being UTF-8 even if
    // that is far into the document.
    let first_invalid = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    if first_invalid > head.len() {
        detector.feed(head, false);
        let start = first_invalid.saturating_sub(1024).max(head.len());
        let end = bytes.len().min(first_invalid + DETECT_WINDOW);
        detector.feed(&bytes[start..end], true);
    } else {
        detector.feed(head, true);
    }
    detector.guess(None, Utf8Detection::Deny)
}

fn note_replacements(
    had_errors: bool,
    encoding: &'static Encoding,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if had_errors {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::InvalidBytesReplaced,
            format!(
                "some bytes are invalid in {} and were replaced by U+FFFD",
                encoding.name()
            ),
        ));
    }
}

fn check_binary(bytes: &[u8], media_type: MediaType) -> Result<(), LoadError> {
    match binary_reason(bytes) {
        Some(reason) => Err(LoadError::Binary { media_type, reason }),
        None => Ok(()),
    }
}

/// Why `bytes` are binary rather than text, or `None` when they look like text.
pub(crate) fn binary_reason(bytes: &[u8]) -> Option<String> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Some(format!(
            "NUL byte at offset {at} (UTF-16 without a byte-order mark is not supported)"
        ));
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b'\x1b'))
        .count();
    // Multiply rather than divide so that short inputs are judged exactly.
    if controls * 1000 > bytes.len() * MAX_CONTROL_PER_MILLE {
        return Some(format!(
            "{controls} of {} bytes are control characters",
            bytes.len()
        ));
    }
    None
}

/// CRLF and lone CR become LF; everything else is kept.
pub(crate) fn normalize_line_ends(text: Cow<'_, str>) -> String {
    if !text.contains('\r') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find('\r') {
        out.push_str(&rest[..at]);
        out.push('\n');
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, load};

    fn check(bytes: &[u8], text: &str, encoding: &str, codes: &[DiagnosticCode]) {
        let doc = load(bytes, MediaType::Text, &Limits::default()).unwrap();
        assert_eq!(doc.text, text);
        assert_eq!(doc.encoding, encoding);
        let got: Vec<_> = doc.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(got, codes);
    }

    fn check_err(bytes: &[u8], message: &str) {
        let err = load(bytes, MediaType::Text, &Limits::default()).unwrap_err();
        assert_eq!(err.to_string(), message);
    }

    #[test]
    fn utf8_passes_through_and_bom_is_stripped() {
        check("Einsätze § 4\n".as_bytes(), "Einsätze § 4\n", "UTF-8", &[]);
        check(
            "\u{feff}Soldatinnen".as_bytes(),
            "Soldatinnen",
            "UTF-8",
            &[],
        );
        // Tabs, form feeds and trailing blanks are the document's own and stay.
        check(b"a\t b \x0c\n\n c ", "a\t b \x0c\n\n c ", "UTF-8", &[]);
    }

    #[test]
    fn line_ends_become_lf() {
        check(b"a\r\nb\rc\n\r\nd\r", "a\nb\nc\n\nd\n", "UTF-8", &[]);
    }

    #[test]
    fn windows_1252_german_is_detected() {
        // "Die Einsätze der Soldatinnen und Soldaten nach § 2 Parlamentsbeteiligungsgesetz – „bis zu 400“."
        let bytes = b"Die Eins\xe4tze der Soldatinnen und Soldaten nach \xa7 2 Parlamentsbeteiligungsgesetz \
\x96 \x84bis zu 400\x93 \xfcber drei Jahre.\r\n";
        check(
            bytes,
            "Die Einsätze der Soldatinnen und Soldaten nach § 2 Parlamentsbeteiligungsgesetz – „bis zu 400“ über drei Jahre.\n",
            "windows-1252",
            &[DiagnosticCode::EncodingDetected],
        );
    }

    #[test]
    fn latin1_umlauts_are_detected() {
        check(
            b"Gr\xfc\xdfe aus K\xf6ln, M\xe4rz",
            "Grüße aus Köln, März",
            "windows-1252",
            &[DiagnosticCode::EncodingDetected],
        );
    }

    #[test]
    fn late_legacy_bytes_are_still_detected() {
        // Only ASCII in the first detection window; the first non-UTF-8 byte comes far later.
        let mut bytes = b"Soldaten ".repeat(10_000);
        bytes.extend_from_slice(b"und Soldatinnen, Eins\xe4tze \xfcber \xa7 2.");
        let doc = load(&bytes, MediaType::Text, &Limits::default()).unwrap();
        assert_eq!(doc.encoding, "windows-1252");
        assert!(doc.text.ends_with("Einsätze über § 2."));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Einsätze".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        check(&bytes, "Einsätze", "UTF-16LE", &[]);
    }

    #[test]
    fn bad_input_gives_one_precise_error() {
        check_err(
            b"\xef\xbb\xbf",
            "the document is empty (0 bytes of content)",
        );
        check_err(
            b"ab\0cd",
            "binary data, not text: NUL byte at offset 2 (UTF-16 without a byte-order mark is not supported)",
        );
        check_err(
            b"\x01\x02\x03abcdefg",
            "binary data, not text: 3 of 10 bytes are control characters",
        );
        check_err(b" \n\t\r\n", "no text found in the text document");
    }
}
