//! Document loading for mandat: the bytes of a plain-text, HTML or PDF document in, one UTF-8 text out.
//!
//! The text a [`Document`] carries is the text that extraction spans refer to (`mandat extract --text FILE`
//! prints it). Loading is pure: the caller reads the file, this crate never touches the file system, and bad
//! input gives one [`LoadError`] whose message says precisely what is wrong, never a panic.
//!
//! - **Plain text**: UTF-8 (a byte-order mark is stripped), UTF-16 with a byte-order mark, otherwise the
//!   encoding is detected (`chardetng`) and decoded (`encoding_rs`), so German windows-1252 or Latin-1 files
//!   come out right. Line endings become `\n`; nothing else is changed, so UTF-8 input passes through
//!   byte-identical apart from a byte-order mark and CR/CRLF line ends.
//! - **HTML**: the main text (`<main>` or `<article>` when present, else `<body>`) without navigation, page
//!   header and footer, scripts, styles, forms and hidden elements; headings, paragraphs, list items, table rows
//!   and `<br>` become lines; entities are decoded; a declared `<meta charset>` is respected.
//! - **PDF**: the text layer (`pdf-extract`), page by page in content order, pages separated by a blank line.
//!
//! The language (German or English) is detected on the result; it is `None` when the text is too short or
//! too mixed to decide.
//!
//! ```
//! use mandat_load::{Lang, Limits, MediaType, load_auto};
//!
//! let bytes = "<html><body><nav>Startseite</nav><h1>KFOR</h1>\
//!     <p>Der Bundestag hat der Fortsetzung der Beteiligung bewaffneter deutscher Streitkräfte \
//!     an der internationalen Sicherheitspräsenz im Kosovo zugestimmt.</p></body></html>";
//! let doc = load_auto(bytes.as_bytes(), Some("kfor.html"), &Limits::default())?;
//! assert_eq!(doc.media_type, MediaType::Html);
//! assert!(doc.text.starts_with("KFOR\nDer Bundestag hat"));
//! assert_eq!(doc.title.as_deref(), Some("KFOR"));
//! assert_eq!(doc.lang, Some(Lang::De));
//! # Ok::<(), mandat_load::LoadError>(())
//! ```

mod html;
mod lang;
mod pdf;
mod sniff;
mod text;

use std::fmt;

use sha2::{Digest, Sha256};

pub use crate::pdf::PdfError;
pub use crate::sniff::sniff;

/// The kinds of document this crate loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    /// Plain text in any encoding `encoding_rs` knows.
    Text,
    /// An HTML page.
    Html,
    /// A PDF with a text layer.
    Pdf,
}

impl MediaType {
    /// The IANA media type (`text/plain`, `text/html`, `application/pdf`).
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Text => "text/plain",
            MediaType::Html => "text/html",
            MediaType::Pdf => "application/pdf",
        }
    }

    /// A short lower-case name (`text`, `html`, `pdf`), stable for storage and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Text => "text",
            MediaType::Html => "html",
            MediaType::Pdf => "pdf",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The languages mandat reads (the domain's language type). Anything else, or text too short to
/// tell, is `None` in [`Document::lang`].
pub use mandat_core::Lang;

/// Resource limits for one load.
///
/// The only limit is the input size: every loader is linear in it (PDF page content included, see
/// [`PdfError`]), so bounding the size bounds the time. The default is [`Limits::DEFAULT_MAX_BYTES`] (50 MiB),
/// far above any real mandate document and small enough that a 200 MB file is refused before any decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest input accepted, in bytes.
    pub max_bytes: u64,
}

impl Limits {
    /// 50 MiB.
    pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

    /// Limits with the given maximum input size in bytes.
    pub fn new(max_bytes: u64) -> Self {
        Limits { max_bytes }
    }

    /// Checks a size before the bytes are read, so a caller can refuse a huge file from its metadata alone.
    pub fn check_size(&self, size: u64) -> Result<(), LoadError> {
        if size > self.max_bytes {
            Err(LoadError::TooLarge {
                size,
                limit: self.max_bytes,
            })
        } else {
            Ok(())
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(Limits::DEFAULT_MAX_BYTES)
    }
}

/// A loaded document: the extracted text and what was learnt on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The extracted text; extraction spans are byte offsets into it. Line ends are `\n`.
    pub text: String,
    /// The kind of document it was loaded as.
    pub media_type: MediaType,
    /// The WHATWG name of the character encoding the bytes were decoded from (`UTF-8`, `windows-1252`, ...);
    /// `PDF` for PDFs, whose fonts each carry their own encoding.
    pub encoding: &'static str,
    /// German or English, `None` when undecidable.
    pub lang: Option<Lang>,
    /// The HTML `<title>` (or first `<h1>`), or the PDF's `/Title`; `None` for plain text.
    pub title: Option<String>,
    /// Findings that did not stop the load (a guessed encoding, replaced bytes, a skipped PDF page, ...).
    pub diagnostics: Vec<Diagnostic>,
}

/// A finding about a document that did not stop it from loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of finding it is.
    pub code: DiagnosticCode,
    /// A precise, human-readable message.
    pub message: String,
}

impl Diagnostic {
    fn new(code: DiagnosticCode, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

/// The kinds of [`Diagnostic`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticCode {
    /// The bytes were not UTF-8 and carried no usable declaration; the encoding was guessed.
    EncodingDetected,
    /// An HTML page declared a charset its bytes do not match; the declaration was overridden.
    DeclaredCharsetWrong,
    /// Bytes invalid in the chosen encoding were replaced by U+FFFD.
    InvalidBytesReplaced,
    /// A PDF page could not be read and is missing from the text.
    PdfPageSkipped,
    /// A PDF lacks its `%%EOF` end marker, so it may be truncated although it parsed.
    PdfNoEofMarker,
}

impl DiagnosticCode {
    /// A stable snake-case code for JSON and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::EncodingDetected => "encoding_detected",
            DiagnosticCode::DeclaredCharsetWrong => "declared_charset_wrong",
            DiagnosticCode::InvalidBytesReplaced => "invalid_bytes_replaced",
            DiagnosticCode::PdfPageSkipped => "pdf_page_skipped",
            DiagnosticCode::PdfNoEofMarker => "pdf_no_eof_marker",
        }
    }
}

/// Why a document could not be loaded. Each variant is one precise diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Zero bytes (a byte-order mark alone counts as empty).
    #[error("the document is empty (0 bytes of content)")]
    Empty,
    /// Larger than [`Limits::max_bytes`].
    #[error("the document is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The input size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Text or HTML that is really binary data.
    #[error("binary data, not {media_type}: {reason}")]
    Binary {
        /// What it was to be loaded as.
        media_type: MediaType,
        /// What gave it away (a NUL byte at an offset, the share of control bytes).
        reason: String,
    },
    /// A recognised format that mandat does not read (an image, an archive, an office file).
    #[error("unsupported format: {format} (mandat reads plain text, HTML and PDF)")]
    UnsupportedFormat {
        /// The format recognised from its magic bytes.
        format: &'static str,
    },
    /// The document decoded but holds no text at all (only whitespace, or an HTML page of furniture alone).
    #[error("no text found in the {media_type} document")]
    NoText {
        /// What it was loaded as.
        media_type: MediaType,
    },
    /// HTML nested deeper than the parser can handle in bounded time (real pages nest under 100 levels).
    #[error("the html nests elements deeper than {limit} levels")]
    HtmlTooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// A PDF that is malformed, truncated, encrypted or has no text layer.
    #[error("pdf: {0}")]
    Pdf(#[from] PdfError),
}

/// Loads `bytes` as the given media type.
///
/// The size limit is checked first, before any decoding.
pub fn load(bytes: &[u8], media: MediaType, limits: &Limits) -> Result<Document, LoadError> {
    limits.check_size(bytes.len() as u64)?;
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    let mut doc = match media {
        MediaType::Text => text::load_text(bytes)?,
        MediaType::Html => html::load_html(bytes)?,
        MediaType::Pdf => pdf::load_pdf(bytes)?,
    };
    if doc.text.trim().is_empty() {
        return Err(match media {
            MediaType::Pdf => LoadError::Pdf(PdfError::NoTextLayer),
            MediaType::Text | MediaType::Html => LoadError::NoText { media_type: media },
        });
    }
    doc.lang = lang::detect(&doc.text);
    Ok(doc)
}

/// Loads `bytes`, choosing the media type with [`sniff`] (magic bytes first, then the file name's extension).
pub fn load_auto(
    bytes: &[u8],
    file_name: Option<&str>,
    limits: &Limits,
) -> Result<Document, LoadError> {
    limits.check_size(bytes.len() as u64)?;
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    if let Some(format) = sniff::unsupported_format(bytes) {
        return Err(LoadError::UnsupportedFormat { format });
    }
    // Unknown bytes without a telling extension are tried as text: the binary check there gives the precise
    // reason when they are not.
    let media = sniff(bytes, file_name).unwrap_or(MediaType::Text);
    load(bytes, media, limits)
}

/// The lower-case hex SHA-256 of the raw bytes; the store deduplicates documents by it.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_sha256_hex() {
        // The SHA-256 of "abc" is published in FIPS 180-2, appendix B.1.
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(content_hash(b"abc").len(), 64);
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
    }

    #[test]
    fn size_is_checked_before_decoding() {
        let limits = Limits::new(4);
        // Five bytes of binary garbage: the size error wins over the binary one.
        let err = load(b"\0\0\0\0\0", MediaType::Text, &limits).unwrap_err();
        assert_eq!(err, LoadError::TooLarge { size: 5, limit: 4 });
        assert_eq!(
            err.to_string(),
            "the document is 5 bytes, over the limit of 4 bytes"
        );
        assert!(limits.check_size(4).is_ok());
        assert_eq!(Limits::default().max_bytes, 50 * 1024 * 1024);
    }

    #[test]
    fn empty_is_an_error_for_every_media_type() {
        for media in [MediaType::Text, MediaType::Html, MediaType::Pdf] {
            assert_eq!(load(b"", media, &Limits::default()), Err(LoadError::Empty));
        }
        assert_eq!(
            load_auto(b"", Some("a.pdf"), &Limits::default()),
            Err(LoadError::Empty)
        );
    }
}
