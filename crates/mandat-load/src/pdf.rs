//! PDF: the text layer through `pdf-extract`, page by page, guarded against its panics and unbounded work.
//!
//! `pdf-extract` panics on many malformed inputs (it unwraps freely); every call into it runs under
//! `catch_unwind` and a panic becomes [`PdfError::ReaderFailed`] (or a skipped page). The first such call
//! wraps the process's panic hook so that these caught panics print nothing; other panics are untouched. Two of its failure modes cannot be caught
//! because they overflow the stack: a page whose `/Parent` chain loops, and form XObjects that invoke
//! themselves (`Do`). Both are checked before extraction, together with the total amount of content the
//! nested forms would make it interpret, so a small file cannot expand into unbounded work.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId, Stream};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::sniff::find;
use crate::{Diagnostic, DiagnosticCode, Document, LoadError, MediaType};

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// No `%PDF-` header where a PDF must have one.
    #[error("no %PDF- header in the first 1024 bytes")]
    NoHeader,
    /// The file ends early: it lacks the `%%EOF` marker and its structure does not parse.
    #[error("truncated: no %%EOF end marker, and the structure does not parse ({detail})")]
    Truncated {
        /// What the parser reported.
        detail: String,
    },
    /// The structure does not parse.
    #[error("malformed: {detail}")]
    Malformed {
        /// What the parser reported.
        detail: String,
    },
    /// Encrypted with a user password (an empty user password is handled transparently).
    #[error(
        "encrypted with a password; only unencrypted PDFs or ones with an empty user password can be read"
    )]
    Encrypted,
    /// The page tree holds no page.
    #[error("the document has no pages")]
    NoPages,
    /// The pages carry no text layer (typically scanned images).
    #[error("no text layer (a scanned document needs OCR first)")]
    NoTextLayer,
    /// Reading it would take unbounded time or stack (loops, nesting, expansion); see the module docs.
    #[error("refused as unsafe to read: {reason}")]
    TooComplex {
        /// Which structure was refused.
        reason: String,
    },
    /// The text-layer reader failed on every page.
    #[error("the text layer could not be read: {detail}")]
    ReaderFailed {
        /// What the reader reported (its panic message, if it panicked).
        detail: String,
    },
}

/// Nested form XObjects deeper than this are refused; real documents nest two or three levels.
const MAX_FORM_DEPTH: usize = 32;
/// Bytes of content stream the reader may interpret in total, nested forms counted every time they are
/// invoked; guards against a form invoked many times by other forms (exponential expansion).
const MAX_CONTENT_WORK: u64 = 512 * 1024 * 1024;
/// The extracted text may not grow beyond this (a bound on memory for pathological content streams).
const MAX_TEXT_BYTES: usize = 128 * 1024 * 1024;
/// If extracting all pages at once fails, pages are retried one by one to keep the readable ones; each retry
/// walks the page tree again, so this is only done for documents up to this many pages.
const MAX_PAGES_RETRIED: usize = 2000;
/// Longest `/Parent` chain followed; the page tree of a real document is a few levels deep.
const MAX_PARENT_CHAIN: usize = 256;

pub(crate) fn load_pdf(bytes: &[u8]) -> Result<Document, LoadError> {
    let header_window = &bytes[..bytes.len().min(1024)];
    if find(header_window, b"%PDF-").is_none() {
        return Err(PdfError::NoHeader.into());
    }
    let has_eof = find(&bytes[bytes.len().saturating_sub(1024)..], b"%%EOF").is_some();
    let mut doc = match guarded(|| lopdf::Document::load_mem(bytes)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(error)) => return Err(parse_error(error.to_string(), has_eof).into()),
        Err(detail) => return Err(parse_error(detail, has_eof).into()),
    };
    let mut diagnostics = Vec::new();
    if !has_eof {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::PdfNoEofMarker,
            "no %%EOF end marker: the file may be truncated, some text may be missing",
        ));
    }
    if doc.is_encrypted() {
        match guarded(|| doc.decrypt("")) {
            Ok(Ok(())) => {}
            Ok(Err(_)) | Err(_) => return Err(PdfError::Encrypted.into()),
        }
    }
    let pages = guarded(|| doc.get_pages()).map_err(|detail| PdfError::Malformed { detail })?;
    if pages.is_empty() {
        return Err(PdfError::NoPages.into());
    }
    guarded(|| check_structure(&doc, pages.values().copied()))
        .map_err(|detail| PdfError::Malformed { detail })??;

    let mut output = PageText::default();
    let whole = guarded(|| pdf_extract::output_doc(&doc, &mut output));
    let pages_text = match whole {
        Ok(Ok(())) => output.finish(),
        Ok(Err(_)) | Err(_) if output.overflow => {
            return Err(PdfError::TooComplex {
                reason: format!("the text layer exceeds {MAX_TEXT_BYTES} bytes"),
            }
            .into());
        }
        Ok(Err(error)) => retry_pages(&doc, &pages, error.to_string(), &mut diagnostics)?,
        Err(detail) => retry_pages(&doc, &pages, detail, &mut diagnostics)?,
    };
    let mut text = String::new();
    for page in pages_text {
        // Blank lines at the edges of a page come from the layout heuristic (the first glyph is compared
        // with the page's top), not from the document.
        let page = page
            .trim_start_matches(['\n', '\r'])
            .trim_end_matches([' ', '\n', '\r', '\t']);
        if page.is_empty() {
            continue;
        }
        if !text.is_empty() {
            // A blank line between pages: a page end also ends a paragraph.
            text.push('\n');
        }
        text.push_str(page);
        text.push('\n');
    }
    let text = crate::text::normalize_line_ends(text.into());
    let title = guarded(|| info_title(&doc)).ok().flatten();
    Ok(Document {
        text,
        media_type: MediaType::Pdf,
        encoding: "PDF",
        lang: None,
        title,
        diagnostics,
    })
}

fn parse_error(detail: String, has_eof: bool) -> PdfError {
    if has_eof {
        PdfError::Malformed { detail }
    } else {
        PdfError::Truncated { detail }
    }
}

/// Extracts page by page after a whole-document failure, keeping the pages that read.
fn retry_pages(
    doc: &lopdf::Document,
    pages: &std::collections::BTreeMap<u32, ObjectId>,
    first_error: String,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<String>, PdfError> {
    if pages.len() > MAX_PAGES_RETRIED {
        return Err(PdfError::ReaderFailed {
            detail: first_error,
        });
    }
    let mut texts = Vec::new();
    let mut last_error = first_error;
    for &number in pages.keys() {
        let mut output = PageText::default();
        let result = guarded(|| pdf_extract::output_doc_page(doc, &mut output, number));
        match result {
            Ok(Ok(())) => texts.extend(output.finish()),
            Ok(Err(error)) => {
                last_error = error.to_string();
                diagnostics.push(page_skipped(number, &last_error));
            }
            Err(detail) => {
                diagnostics.push(page_skipped(number, &detail));
                last_error = detail;
            }
        }
    }
    if texts.is_empty() {
        return Err(PdfError::ReaderFailed { detail: last_error });
    }
    Ok(texts)
}

fn page_skipped(number: u32, detail: &str) -> Diagnostic {
    Diagnostic::new(
        DiagnosticCode::PdfPageSkipped,
        format!("page {number} could not be read and is missing from the text: {detail}"),
    )
}

thread_local! {
    /// Set while this thread runs reader code whose panics are caught and reported as errors.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Wraps the process's panic hook (once) so that panics caught by [`guarded`] are not printed: the caller
/// gets them as one precise error instead. Every other panic still goes to the previous hook.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    let outer = GUARDED.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_owned());
        format!("reader panicked: {message}")
    })
}

/// The checks that keep `pdf-extract` from recursing without bound; see the module docs.
fn check_structure(
    doc: &lopdf::Document,
    pages: impl Iterator<Item = ObjectId>,
) -> Result<(), PdfError> {
    // Without any XObject there is nothing to invoke, and the content need not be parsed twice.
    let has_xobjects = doc.objects.values().any(|object| match object {
        Object::Stream(stream) => is_xobject(&stream.dict),
        _ => false,
    });
    let mut forms = FormCheck {
        doc,
        memo: HashMap::new(),
        in_progress: HashSet::new(),
        work: 0,
    };
    for page_id in pages {
        let page = doc
            .get_dictionary(page_id)
            .map_err(|e| PdfError::Malformed {
                detail: format!("page object {page_id:?}: {e}"),
            })?;
        let resources = inherited_resources(doc, page)?;
        if has_xobjects {
            let content = doc.get_page_content(page_id).unwrap_or_default();
            forms.add_work(content.len() as u64)?;
            forms.invocations(&content, resources, 0)?;
        }
    }
    Ok(())
}

/// The page's `/Resources`, looked up the `/Parent` chain as `pdf-extract` does, refusing a looping chain.
fn inherited_resources<'a>(
    doc: &'a lopdf::Document,
    page: &'a Dictionary,
) -> Result<Option<&'a Dictionary>, PdfError> {
    let mut seen = HashSet::new();
    let mut node = page;
    let mut resources = None;
    for _ in 0..MAX_PARENT_CHAIN {
        if resources.is_none()
            && let Ok(found) = node
                .get(b"Resources")
                .and_then(|o| deref(doc, o))
                .and_then(Object::as_dict)
        {
            resources = Some(found);
        }
        let Ok(parent) = node.get(b"Parent").and_then(Object::as_reference) else {
            return Ok(resources);
        };
        if !seen.insert(parent) {
            return Err(PdfError::TooComplex {
                reason: "the page tree's /Parent chain loops".to_owned(),
            });
        }
        match doc.get_dictionary(parent) {
            Ok(next) => node = next,
            Err(_) => return Ok(resources),
        }
    }
    Err(PdfError::TooComplex {
        reason: format!("a /Parent chain longer than {MAX_PARENT_CHAIN}"),
    })
}

fn is_xobject(dict: &Dictionary) -> bool {
    let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).ok();
    name(b"Type") == Some(b"XObject".as_slice())
        || matches!(name(b"Subtype"), Some(b"Form" | b"Image" | b"PS"))
}

fn deref<'a>(doc: &'a lopdf::Document, object: &'a Object) -> lopdf::Result<&'a Object> {
    doc.dereference(object).map(|(_, object)| object)
}

struct FormCheck<'a> {
    doc: &'a lopdf::Document,
    /// Work per (form, resources it resolved names in): a form without its own resources inherits them.
    memo: HashMap<(ObjectId, usize), u64>,
    in_progress: HashSet<ObjectId>,
    work: u64,
}

impl<'a> FormCheck<'a> {
    fn add_work(&mut self, bytes: u64) -> Result<(), PdfError> {
        self.work = self.work.saturating_add(bytes);
        if self.work > MAX_CONTENT_WORK {
            return Err(PdfError::TooComplex {
                reason: format!(
                    "nested forms expand to more than {MAX_CONTENT_WORK} bytes of page content"
                ),
            });
        }
        Ok(())
    }

    /// The bytes of form content that the `Do` operators in `content` make the reader interpret.
    fn invocations(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        depth: usize,
    ) -> Result<u64, PdfError> {
        let Some(resources) = resources else {
            return Ok(0);
        };
        let Ok(xobjects) = resources
            .get(b"XObject")
            .and_then(|o| deref(self.doc, o))
            .and_then(Object::as_dict)
        else {
            return Ok(0);
        };
        // Content that does not decode is not interpreted by the reader either.
        let Ok(content) = Content::decode(content) else {
            return Ok(0);
        };
        let mut total = 0u64;
        for operation in content.operations.iter().filter(|op| op.operator == "Do") {
            let Some(Ok(name)) = operation.operands.first().map(Object::as_name) else {
                continue;
            };
            let Ok(id) = xobjects.get(name).and_then(Object::as_reference) else {
                continue;
            };
            let Ok(stream) = self.doc.get_object(id).and_then(Object::as_stream) else {
                continue;
            };
            if self.in_progress.contains(&id) {
                return Err(PdfError::TooComplex {
                    reason: format!("form XObject {} {} invokes itself", id.0, id.1),
                });
            }
            if depth >= MAX_FORM_DEPTH {
                return Err(PdfError::TooComplex {
                    reason: format!("form XObjects nested deeper than {MAX_FORM_DEPTH}"),
                });
            }
            let own = stream
                .dict
                .get(b"Resources")
                .and_then(|o| deref(self.doc, o))
                .and_then(Object::as_dict)
                .ok();
            let child_resources = own.or(Some(resources));
            let key = (
                id,
                child_resources.map_or(0, |r| std::ptr::from_ref(r) as usize),
            );
            let cost = match self.memo.get(&key) {
                Some(&cost) => cost,
                None => {
                    self.in_progress.insert(id);
                    let data = stream_content(stream);
                    let cost = (data.len() as u64).saturating_add(self.invocations(
                        &data,
                        child_resources,
                        depth + 1,
                    )?);
                    self.in_progress.remove(&id);
                    self.memo.insert(key, cost);
                    cost
                }
            };
            self.add_work(cost)?;
            total = total.saturating_add(cost);
        }
        Ok(total)
    }
}

/// A stream's content as `pdf-extract` reads it: decompressed when possible, raw otherwise.
fn stream_content(stream: &Stream) -> Vec<u8> {
    stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone())
}

/// The `/Title` of the document information dictionary, decoded as a PDF text string.
fn info_title(doc: &lopdf::Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = deref(doc, info).ok()?.as_dict().ok()?;
    let raw = deref(doc, info.get(b"Title").ok()?).ok()?.as_str().ok()?;
    let title = decode_text_string(raw);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// PDF text strings are UTF-16BE with a byte-order mark, UTF-8 with one (PDF 2.0), or PDFDocEncoding,
/// which matches Latin-1 for letters (it differs only in a few punctuation marks).
fn decode_text_string(raw: &[u8]) -> String {
    if let Some(utf16) = raw.strip_prefix(b"\xfe\xff") {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(utf8) = raw.strip_prefix(b"\xef\xbb\xbf") {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        raw.iter().map(|&b| char::from(b)).collect()
    }
}

/// Collects text per page; the layout logic is `pdf-extract`'s `PlainTextOutput`, with page boundaries kept
/// and the output bounded.
struct PageText {
    pages: Vec<String>,
    last_end: f64,
    last_y: f64,
    first_char: bool,
    flip_ctm: Transform,
    written: usize,
    overflow: bool,
}

impl Default for PageText {
    fn default() -> Self {
        PageText {
            pages: Vec::new(),
            last_end: 100_000.0,
            last_y: 0.0,
            first_char: false,
            flip_ctm: Transform::identity(),
            written: 0,
            overflow: false,
        }
    }
}

impl PageText {
    fn finish(self) -> Vec<String> {
        self.pages
    }

    fn write(&mut self, s: &str) -> Result<(), OutputError> {
        self.written += s.len();
        if self.written > MAX_TEXT_BYTES {
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        if self.pages.is_empty() {
            self.pages.push(String::new());
        }
        let page = self
            .pages
            .last_mut()
            .ok_or(OutputError::FormatError(std::fmt::Error))?;
        page.write_str(s)?;
        Ok(())
    }
}

impl OutputDev for PageText {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(String::new());
        self.flip_ctm = Transform::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        self.last_end = 100_000.0;
        self.last_y = 0.0;
        self.first_char = false;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let position = trm.post_transform(&self.flip_ctm);
        // The side of a square with the area of the transformed font-size rectangle.
        let sx = font_size * trm.m11 + font_size * trm.m21;
        let sy = font_size * trm.m12 + font_size * trm.m22;
        let transformed_font_size = (sx * sy).sqrt();
        let (x, y) = (position.m31, position.m32);
        if self.first_char {
            if (y - self.last_y).abs() > transformed_font_size * 1.5 {
                self.write("\n")?;
            }
            // Moved to the left and down: a new line.
            if x < self.last_end && (y - self.last_y).abs() > transformed_font_size * 0.5 {
                self.write("\n")?;
            }
            if x > self.last_end + transformed_font_size * 0.1 {
                self.write(" ")?;
            }
        }
        self.write(char)?;
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * transformed_font_size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
