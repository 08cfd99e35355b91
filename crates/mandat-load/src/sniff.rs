//! Choosing the media type: magic bytes first, the file name's extension second.

use crate::MediaType;

/// How far into the file a PDF header may start; PDF readers accept leading junk within the first KiB.
const PDF_HEADER_WINDOW: usize = 1024;

/// Guesses the media type of `bytes`.
///
/// Magic bytes decide first: `%PDF-` in the first KiB is a PDF, an HTML tag at the start (after a byte-order
/// mark and whitespace, the WHATWG sniffing patterns) is HTML. Then the extension of `file_name` decides
/// (`.pdf`, `.html`/`.htm`/`.xhtml`, `.txt`/`.text`/`.md`). Content without either that looks like text (no
/// NUL bytes, few control bytes) is `Text`; anything else is `None`, as are known binary formats such as
/// images and archives.
pub fn sniff(bytes: &[u8], file_name: Option<&str>) -> Option<MediaType> {
    if unsupported_format(bytes).is_some() {
        return None;
    }
    if find(&bytes[..bytes.len().min(PDF_HEADER_WINDOW)], b"%PDF-").is_some() {
        return Some(MediaType::Pdf);
    }
    if looks_like_html(bytes) {
        return Some(MediaType::Html);
    }
    if let Some(media) = file_name.and_then(from_extension) {
        return Some(media);
    }
    if crate::text::binary_reason(bytes).is_none() {
        Some(MediaType::Text)
    } else {
        None
    }
}

fn from_extension(name: &str) -> Option<MediaType> {
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(MediaType::Pdf),
        "html" | "htm" | "xhtml" | "shtml" => Some(MediaType::Html),
        "txt" | "text" | "md" => Some(MediaType::Text),
        _ => None,
    }
}

/// Recognises formats that are certainly not text, HTML or PDF, so the error can name them.
pub(crate) fn unsupported_format(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (
            b"PK\x03\x04",
            "ZIP archive (or an office document such as DOCX/ODT)",
        ),
        (b"\x1f\x8b", "gzip archive"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "legacy Microsoft Office document",
        ),
        (b"\x7fELF", "ELF executable"),
        (b"{\\rtf", "RTF document"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, name)| name)
}

/// The WHATWG MIME sniffing patterns for HTML: a tag name followed by a space or `>`, or a comment.
fn looks_like_html(bytes: &[u8]) -> bool {
    const TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
        b"<meta",
    ];
    let rest = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = rest
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'));
    let Some(start) = start else { return false };
    let rest = &rest[start..];
    TAGS.iter().any(|tag| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            && (tag == b"<!--" || matches!(rest[tag.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r'))
    })
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], name: Option<&str>, expect: Option<MediaType>) {
        assert_eq!(
            sniff(bytes, name),
            expect,
            "{:?} {name:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    #[test]
    fn magic_bytes_win_over_the_extension() {
        check(b"%PDF-1.7\n...", Some("a.txt"), Some(MediaType::Pdf));
        check(b"junk\n%PDF-1.4\n", None, Some(MediaType::Pdf));
        check(b"<!DOCTYPE html><p>x", Some("a.pdf"), Some(MediaType::Html));
        check(
            b"\xef\xbb\xbf\n  <HTML lang=de>",
            None,
            Some(MediaType::Html),
        );
        check(b"<!-- c --><p>x</p>", None, Some(MediaType::Html));
    }

    #[test]
    fn extension_decides_without_magic() {
        check(b"Text", Some("x/Mandat.PDF"), Some(MediaType::Pdf));
        check(b"Text", Some("seite.htm"), Some(MediaType::Html));
        check(
            b"<section>x</section>",
            Some("seite.html"),
            Some(MediaType::Html),
        );
        check(b"Text", Some("notiz.txt"), Some(MediaType::Text));
    }

    #[test]
    fn text_without_hints_is_text_and_binary_is_none() {
        check(
            "Einsätze der Bundeswehr".as_bytes(),
            None,
            Some(MediaType::Text),
        );
        check(
            b"<abbr>not a sniffed tag</abbr>",
            Some("noext"),
            Some(MediaType::Text),
        );
        check(b"a\0b\0c\0", None, None);
        check(b"\x89PNG\r\n\x1a\n\0\0", Some("a.txt"), None);
        assert_eq!(
            unsupported_format(b"PK\x03\x04rest"),
            Some("ZIP archive (or an office document such as DOCX/ODT)")
        );
        assert_eq!(unsupported_format(b"plain"), None);
    }
}
