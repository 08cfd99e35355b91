//! HTML: the main text of a page, one line per block, without the page furniture.

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use encoding_rs::Encoding;
use scraper::{Html, Node};

use crate::sniff::find;
use crate::{Document, LoadError, MediaType, text};

/// How far the `<meta charset>` prescan looks. The HTML standard says 1024 bytes; real pages put long
/// comments and scripts first, and a larger window costs nothing noticeable.
const PRESCAN_BYTES: usize = 4096;

/// Pages nested deeper than this (by the estimate of [`nesting_estimate`]) are refused. The HTML tree builder
/// checks element scopes by walking the stack of open elements, so its time grows with input size times depth;
/// real pages nest well under 100 elements, and this bound keeps a 50 MiB page of nested tags to seconds.
pub(crate) const MAX_HTML_DEPTH: usize = 256;

pub(crate) fn load_html(bytes: &[u8]) -> Result<Document, LoadError> {
    let mut diagnostics = Vec::new();
    let declared = declared_charset(bytes);
    let (source, encoding) = text::decode(bytes, declared, MediaType::Html, &mut diagnostics)?;
    if nesting_estimate(source.as_bytes()) > MAX_HTML_DEPTH {
        return Err(LoadError::HtmlTooDeep {
            limit: MAX_HTML_DEPTH,
        });
    }
    let html = Html::parse_document(&source);
    let root = content_root(&html);
    let text = render(root);
    Ok(Document {
        text,
        media_type: MediaType::Html,
        encoding: encoding.name(),
        lang: None,
        title: title(&html),
        diagnostics,
    })
}

/// Elements that never have content.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr", b"param", b"keygen",
];

/// Elements the parser closes when a sibling starts, so their start tags without end tags do not nest.
const AUTO_CLOSED: &[&[u8]] = &[
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"option",
    b"optgroup",
    b"tr",
    b"td",
    b"th",
    b"thead",
    b"tbody",
    b"tfoot",
    b"rb",
    b"rt",
    b"rp",
    b"rtc",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

/// Elements whose content is raw text: `<` inside them opens no tag.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
];

/// A linear estimate of the deepest element nesting: start tags minus end tags, not counting void and
/// sibling-closed elements. It tracks the parser's open-element stack closely for real pages and never
/// under-estimates it by more than the few table and list levels per counted element.
fn nesting_estimate(html: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut i = 0;
    while let Some(offset) = html[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        if html[i..].starts_with(b"!--") {
            i = find(&html[i..], b"-->").map_or(html.len(), |end| i + end + 3);
            continue;
        }
        let closing = html.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_len = html[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !html[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        i = name_start + name_len;
        let name = name.as_slice();
        if VOID.contains(&name) || AUTO_CLOSED.contains(&name) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        depth += 1;
        max = max.max(depth);
        if RAW_TEXT.contains(&name) {
            // Skip to the matching end tag, whatever its letter case.
            let mut end_tag = b"</".to_vec();
            end_tag.extend_from_slice(name);
            match html[i..]
                .windows(end_tag.len())
                .position(|w| w.eq_ignore_ascii_case(&end_tag))
            {
                Some(end) => i += end,
                None => break,
            }
        }
    }
    max
}

/// The encoding a `<meta charset=...>` or `<meta http-equiv=Content-Type content="...; charset=...">` names.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = bytes[..bytes.len().min(PRESCAN_BYTES)].to_ascii_lowercase();
    let mut rest = &window[..];
    while let Some(at) = find(rest, b"<meta") {
        rest = &rest[at + 5..];
        let tag_end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        if let Some(at) = find(tag, b"charset") {
            let value = &tag[at + 7..];
            let value = trim_start(value);
            let Some(value) = value.strip_prefix(b"=") else {
                continue;
            };
            let value = trim_start(value);
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let end = value
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'/' | b'>' | b'\t' | b'\n'))
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value[..end]) {
                return Some(encoding);
            }
        }
    }
    None
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// `<main>` if present, else the first `<article>`, else `<body>`, else the whole document.
fn content_root(html: &Html) -> NodeRef<'_, Node> {
    let find_element = |name: &str| {
        html.tree
            .root()
            .descendants()
            .find(|node| node.value().as_element().is_some_and(|e| e.name() == name))
    };
    find_element("main")
        .or_else(|| find_element("article"))
        .or_else(|| find_element("body"))
        .unwrap_or_else(|| html.tree.root())
}

/// The `<title>`, or the first `<h1>` when the title is missing or blank, whitespace collapsed.
fn title(html: &Html) -> Option<String> {
    ["title", "h1"].into_iter().find_map(|name| {
        let node = html
            .tree
            .root()
            .descendants()
            .find(|node| node.value().as_element().is_some_and(|e| e.name() == name))?;
        let mut builder = Builder::default();
        for descendant in node.descendants() {
            if let Node::Text(text) = descendant.value() {
                builder.text(text);
            }
        }
        let title = builder.out.trim().to_owned();
        (!title.is_empty()).then_some(title)
    })
}

/// What an element contributes to the text.
enum Role {
    /// Left out with everything inside it.
    Skip,
    /// Starts and ends a line.
    Block,
    /// A line break (`<br>`).
    Break,
    /// A table cell: cells of one row are separated by a tab.
    Cell,
    /// Preformatted: whitespace kept.
    Pre,
    /// Flows with the surrounding text.
    Inline,
}

fn role(element: &scraper::node::Element, in_content: bool) -> Role {
    if element.attr("hidden").is_some()
        || element.attr("aria-hidden") == Some("true")
        || element.attr("style").is_some_and(hides)
        || element
            .attr("role")
            .is_some_and(|role| matches!(role, "navigation" | "banner" | "contentinfo" | "search"))
    {
        return Role::Skip;
    }
    match element.name() {
        "head" | "nav" | "aside" | "script" | "style" | "noscript" | "template" | "form"
        | "button" | "select" | "option" | "datalist" | "textarea" | "input" | "iframe" | "svg"
        | "math" | "canvas" | "object" | "embed" | "audio" | "video" | "dialog" | "menu" => {
            Role::Skip
        }
        // A header or footer of the page is furniture; inside an article or section it is content
        // (the article's heading, its date line).
        "header" | "footer" if !in_content => Role::Skip,
        "br" | "hr" => Role::Break,
        "td" | "th" => Role::Cell,
        "pre" | "listing" | "xmp" | "plaintext" => Role::Pre,
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "tr" | "table" | "ul"
        | "ol" | "dl" | "dt" | "dd" | "blockquote" | "section" | "article" | "main" | "header"
        | "footer" | "figure" | "figcaption" | "address" | "caption" | "details" | "summary"
        | "fieldset" | "center" | "hgroup" | "body" | "html" | "thead" | "tbody" | "tfoot" => {
            Role::Block
        }
        _ => Role::Inline,
    }
}

fn hides(style: &str) -> bool {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

fn is_content_section(name: &str) -> bool {
    matches!(name, "main" | "article" | "section")
}

/// Renders the subtree under `root` as lines. The walk is iterative (`traverse`), so deeply nested markup
/// cannot overflow the stack.
fn render(root: NodeRef<'_, Node>) -> String {
    let mut builder = Builder::default();
    let mut skipping: Option<ego_tree::NodeId> = None;
    let mut pre_depth = 0usize;
    let mut content_depth = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => {
                        if pre_depth > 0 {
                            builder.pre_text(text);
                        } else {
                            builder.text(text);
                        }
                    }
                    Node::Element(element) => match role(element, content_depth > 0) {
                        Role::Skip => skipping = Some(node.id()),
                        Role::Block => {
                            if is_content_section(element.name()) {
                                content_depth += 1;
                            }
                            builder.line_break();
                        }
                        Role::Break => builder.hard_break(),
                        Role::Cell => builder.cell_break(),
                        Role::Pre => {
                            pre_depth += 1;
                            builder.line_break();
                        }
                        Role::Inline => {}
                    },
                    Node::Document
                    | Node::Fragment
                    | Node::Doctype(_)
                    | Node::Comment(_)
                    | Node::ProcessingInstruction(_) => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Node::Element(element) = node.value() {
                    match role(element, content_depth > 0) {
                        Role::Block => {
                            if is_content_section(element.name()) {
                                content_depth = content_depth.saturating_sub(1);
                            }
                            builder.line_break();
                        }
                        Role::Pre => {
                            pre_depth = pre_depth.saturating_sub(1);
                            builder.line_break();
                        }
                        Role::Skip | Role::Break | Role::Cell | Role::Inline => {}
                    }
                }
            }
        }
    }
    let mut out = builder.out;
    // Lines end with `\n`, and so does the text; blank trailing lines carry nothing.
    let end = out.trim_end().len();
    out.truncate(end);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Collapses HTML whitespace the way a browser lays out normal flow text, line by line.
#[derive(Default)]
struct Builder {
    out: String,
    /// Whitespace was seen since the last visible character.
    pending_space: bool,
    /// Nothing visible since the last line or cell break, so a pending space is dropped.
    at_break: bool,
}

impl Builder {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            // HTML collapses ASCII whitespace only; a no-break space is content.
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.at_break && !self.out.is_empty() {
                    self.out.push(' ');
                }
                self.out.push(c);
                self.pending_space = false;
                self.at_break = false;
            }
        }
    }

    fn pre_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.pending_space && !self.at_break && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.pending_space = false;
        self.at_break = text.ends_with('\n');
    }

    /// Ends the current line unless it is empty, so nested blocks give no blank lines.
    fn line_break(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.pending_space = false;
        self.at_break = true;
    }

    /// A `<br>`: always a new line, even after an empty one (two `<br>` make a blank line).
    fn hard_break(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.pending_space = false;
        self.at_break = true;
    }

    fn cell_break(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\t');
        }
        self.pending_space = false;
        self.at_break = true;
    }
}

#[cfg(test)]
mod tests {
    use crate::{Diagnostic, DiagnosticCode, Limits, MediaType, load};

    fn check(html: &str, text: &str, title: Option<&str>) {
        let doc = load(html.as_bytes(), MediaType::Html, &Limits::default()).unwrap();
        assert_eq!(doc.text, text, "{html}");
        assert_eq!(doc.title.as_deref(), title, "{html}");
    }

    #[test]
    fn furniture_is_left_out_and_blocks_become_lines() {
        check(
            r#"<!DOCTYPE html><html><head><title> KFOR –
               Mandat </title><style>p{color:red}</style><script>var x = "<p>no</p>";</script></head>
             <body><header><a href="/">Startseite</a></header><nav><ul><li>Menü</li></ul></nav>
             <h1>Bundestag   verlängert</h1>
             <p>Bis zu <b>400</b> Soldatinnen
                und Soldaten.</p><aside>Lesen Sie auch</aside>
             <form><input value="Suche"><button>Los</button></form>
             <ul><li>erstens</li><li>zweitens</li></ul>
             <footer>Impressum</footer><noscript>JS aus</noscript><template><p>t</p></template>
             </body></html>"#,
            "Bundestag verlängert\nBis zu 400 Soldatinnen und Soldaten.\nerstens\nzweitens\n",
            Some("KFOR – Mandat"),
        );
    }

    #[test]
    fn main_or_article_is_preferred() {
        check(
            "<body><p>Cookie-Hinweis</p><main><h2>Einsatz</h2><p>Text</p></main><p>Teilen</p></body>",
            "Einsatz\nText\n",
            None,
        );
        check(
            "<body><div>Navigation</div><article><header><h1>Titel</h1><p>12. Mai 2024</p></header>\
             <p>Absatz</p></article></body>",
            "Titel\n12. Mai 2024\nAbsatz\n",
            Some("Titel"),
        );
    }

    #[test]
    fn entities_breaks_tables_and_hidden_elements() {
        check(
            "<p>A&amp;B &sect;&nbsp;4 &#8222;ja&#8220;<br>neue Zeile<br/><br>nach Leerzeile</p>\
             <table><tr><th>Jahr</th><th>Obergrenze</th></tr><tr><td>2024</td><td> 400 </td></tr></table>\
             <p hidden>versteckt</p><div style=\"display: none\">auch</div><div aria-hidden=\"true\">x</div>",
            "A&B §\u{a0}4 „ja“\nneue Zeile\n\nnach Leerzeile\nJahr\tObergrenze\n2024\t400\n",
            None,
        );
    }

    #[test]
    fn pre_keeps_whitespace() {
        check(
            "<p>vor</p><pre>  a   b\n  c</pre><p>nach</p>",
            "vor\n  a   b\n  c\nnach\n",
            None,
        );
    }

    #[test]
    fn declared_charset_is_respected() {
        let bytes = b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>Eins\xe4tze</p></body></html>";
        let doc = load(bytes, MediaType::Html, &Limits::default()).unwrap();
        assert_eq!(doc.text, "Einsätze\n");
        assert_eq!(doc.encoding, "windows-1252");
        assert!(doc.diagnostics.is_empty());

        let bytes = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
            </head><body><p>\x84Soldatinnen\x93 \xa7 2</p></body></html>";
        let doc = load(bytes, MediaType::Html, &Limits::default()).unwrap();
        assert_eq!(doc.text, "„Soldatinnen“ § 2\n");
    }

    #[test]
    fn wrong_declared_charset_is_overridden_with_a_diagnostic() {
        let bytes = "<meta charset=\"iso-8859-1\"><p>Einsätze der Soldatinnen</p>".as_bytes();
        let doc = load(bytes, MediaType::Html, &Limits::default()).unwrap();
        assert_eq!(doc.text, "Einsätze der Soldatinnen\n");
        assert_eq!(doc.encoding, "UTF-8");
        let codes: Vec<_> = doc
            .diagnostics
            .iter()
            .map(|d: &Diagnostic| d.code)
            .collect();
        assert_eq!(codes, [DiagnosticCode::DeclaredCharsetWrong]);

        let bytes = b"<meta charset=\"utf-8\"><p>Die Eins\xe4tze der Soldatinnen und Soldaten \xfcber Jahre</p>";
        let doc = load(bytes, MediaType::Html, &Limits::default()).unwrap();
        assert_eq!(
            doc.text,
            "Die Einsätze der Soldatinnen und Soldaten über Jahre\n"
        );
        assert_eq!(
            doc.diagnostics[0].code,
            DiagnosticCode::DeclaredCharsetWrong
        );
    }

    #[test]
    fn furniture_only_page_has_no_text() {
        let err = load(
            b"<html><body><nav>Men\xfc</nav><script>x()</script></body></html>",
            MediaType::Html,
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "no text found in the html document");
    }

    #[test]
    fn nesting_is_bounded() {
        // At the limit the page loads (the walk is iterative, so no stack overflow either) ...
        let depth = super::MAX_HTML_DEPTH - 2;
        let html = format!(
            "<html><body>{}tief{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let doc = load(html.as_bytes(), MediaType::Html, &Limits::default()).unwrap();
        assert_eq!(doc.text, "tief\n");
        // ... beyond it, one precise error instead of a parse whose time grows with the depth.
        let html = format!("{}tief", "<div><span>".repeat(super::MAX_HTML_DEPTH));
        let err = load(html.as_bytes(), MediaType::Html, &Limits::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the html nests elements deeper than 256 levels"
        );
    }

    #[test]
    fn nesting_estimate_ignores_void_sibling_closed_and_raw_text() {
        use super::nesting_estimate as est;
        assert_eq!(est(b"<div><p>a<p>b<br><img src=x></div>"), 1);
        assert_eq!(est(b"<ul><li>a<li>b</ul><ul><li><ul><li>c</ul></ul>"), 2);
        assert_eq!(est(b"<script>if (a<b && c<d) {}</script><div></div>"), 1);
        assert_eq!(est(b"<!-- <div><div> --><DIV><Span></span></div>"), 2);
        assert_eq!(est(b"a < b and 3<4"), 0);
    }
}
