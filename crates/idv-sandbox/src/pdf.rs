//! Minimal, valid PDFs of text (Helvetica, no compression), written by hand: a one-page PDF of
//! a few lines (synthesised media), and a paginated document with a title and headings (the
//! in-branch instructions). No crate: the format needed is a few objects and a cross-reference
//! table.

/// Renders `lines` as a one-page A4 PDF with a correct cross-reference table.
pub(crate) fn render_pdf(lines: &[String]) -> Vec<u8> {
    let mut content = String::from("BT\n/F1 16 Tf\n72 770 Td\n20 TL\n");
    for line in lines {
        content.push('(');
        content.push_str(&escape(line));
        content.push_str(") Tj T*\n");
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        stream(&content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    assemble(&objects, "")
}

/// One line of a [`render_document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DocLine {
    /// A section heading (bold).
    Heading(String),
    /// Body text, wrapped at the page width.
    Text(String),
    /// An empty line.
    Blank,
}

/// A4, in points.
const PAGE_WIDTH: u32 = 595;
const PAGE_HEIGHT: u32 = 842;
const MARGIN: u32 = 56;
/// Characters per line of 11-point Helvetica within the margins (its widest common glyphs
/// are about 0.55 em).
const WRAP_AT: usize = 78;

/// Renders a text document: a bold title, then `lines`, on as many A4 pages as they need
/// (long text wrapped at word boundaries), with the title in the document information.
/// Characters of Latin-1 are written in `WinAnsiEncoding`; others become `?`.
pub(crate) fn render_document(title: &str, lines: &[DocLine]) -> Vec<u8> {
    // (font, size, text) per line, laid out top to bottom.
    let mut laid: Vec<(&str, u32, String)> =
        vec![("F2", 18, title.to_owned()), ("F1", 11, String::new())];
    for line in lines {
        match line {
            DocLine::Heading(text) => laid.push(("F2", 13, text.clone())),
            DocLine::Text(text) => {
                laid.extend(wrap(text, WRAP_AT).into_iter().map(|t| ("F1", 11, t)));
            }
            DocLine::Blank => laid.push(("F1", 11, String::new())),
        }
    }
    let mut pages: Vec<String> = Vec::new();
    let mut content = String::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    for (font, size, text) in &laid {
        let leading = size * 7 / 5;
        if y < MARGIN + leading {
            pages.push(std::mem::take(&mut content));
            y = PAGE_HEIGHT - MARGIN;
        }
        y -= leading;
        if !text.is_empty() {
            content.push_str(&format!(
                "BT /{font} {size} Tf {MARGIN} {y} Td ({}) Tj ET\n",
                escape_latin1(text)
            ));
        }
    }
    pages.push(content);

    // 1 catalog, 2 page tree, 3 and 4 fonts, 5 information, then a page and its contents.
    let first_page = 6;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    let font = |name: &str| {
        format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>")
    };
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        font("Helvetica"),
        font("Helvetica-Bold"),
        format!(
            "<< /Title ({}) /Producer (idv-sandbox) >>",
            escape_latin1(title)
        ),
    ];
    for (i, content) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Contents {} 0 R /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>",
            first_page + 2 * i + 1
        ));
        objects.push(stream(content));
    }
    assemble(&objects, " /Info 5 0 R")
}

/// Splits `text` into lines of at most `width` characters, at spaces where it can (a longer
/// word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A stream object holding `content`.
fn stream(content: &str) -> String {
    format!(
        "<< /Length {} >>\nstream\n{content}endstream",
        content.len()
    )
}

/// Numbers `objects` from 1 (the first is the catalog) and writes the file with its
/// cross-reference table; `trailer_extra` is added to the trailer dictionary.
fn assemble(objects: &[String], trailer_extra: &str) -> Vec<u8> {
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        out.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

/// Escapes a PDF literal string for a `WinAnsiEncoding` font: Latin-1 letters (é, ñ, ß…) as
/// octal escapes, other non-ASCII characters as `?`.
fn escape_latin1(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match u32::from(c) {
            0xA0..=0xFF => out.push_str(&format!("\\{:03o}", u32::from(c))),
            _ => out.push_str(&escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// Escapes a PDF literal string; non-ASCII characters become `?`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_is_well_formed_with_a_correct_xref_table() {
        let lines = vec!["IDV sandbox (PDF)".to_owned(), "media é\\x".to_owned()];
        let pdf = render_pdf(&lines);
        let text = String::from_utf8(pdf.clone()).expect("ASCII");
        assert!(text.starts_with("%PDF-1.4\n"));
        assert!(text.trim_end().ends_with("%%EOF"));
        assert!(text.contains("(IDV sandbox \\(PDF\\)) Tj"));
        assert!(text.contains("(media ?\\\\x) Tj"));

        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref offset");
        assert!(text[startxref..].starts_with("xref\n0 6\n"));
        let entries: Vec<&str> = text[startxref..].lines().skip(3).take(5).collect();
        for (i, entry) in entries.iter().enumerate() {
            assert_eq!(entry.len() + 1, 20, "xref entries are 20 bytes");
            let offset: usize = entry[..10].parse().expect("offset");
            assert!(text[offset..].starts_with(&format!("{} 0 obj\n", i + 1)));
        }
        // The stream length is exact.
        let stream_start = text.find("stream\n").expect("stream") + "stream\n".len();
        let stream_end = text.find("endstream").expect("endstream");
        let declared: usize = text
            .split("/Length ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("length");
        assert_eq!(declared, stream_end - stream_start);
    }
}

#[cfg(test)]
mod document_tests {
    use super::*;

    /// The offsets of the cross-reference table point at `N 0 obj` lines, in order.
    fn assert_xref(text: &str) -> usize {
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref offset");
        let table = &text[startxref..];
        let count: usize = table
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("0 "))
            .and_then(|n| n.parse().ok())
            .expect("count");
        for (i, entry) in table.lines().skip(3).take(count - 1).enumerate() {
            let offset: usize = entry[..10].parse().expect("offset");
            assert!(text[offset..].starts_with(&format!("{} 0 obj\n", i + 1)));
        }
        count - 1
    }

    #[test]
    fn long_documents_wrap_and_paginate() {
        let long = "word ".repeat(60);
        let mut lines = vec![DocLine::Heading("Branch".to_owned()), DocLine::Text(long)];
        lines.extend((0..80).map(|i| DocLine::Text(format!("line {i}"))));
        lines.push(DocLine::Text("Zoë – ok".to_owned()));
        let pdf = render_document("Title (x)", &lines);
        let text = String::from_utf8(pdf).expect("ASCII");
        let objects = assert_xref(&text);
        assert!(text.contains("/Title (Title \\(x\\))"));
        assert!(text.contains("/Count 2 >>"), "two pages");
        assert_eq!(objects, 5 + 2 * 2);
        assert!(text.contains("(Zo\\353 ? ok) Tj"));
        // Wrapped at word boundaries, within the width.
        let wrapped = wrap(&"word ".repeat(60), WRAP_AT);
        assert!(wrapped.len() > 1 && wrapped.iter().all(|l| l.len() <= WRAP_AT));
        assert_eq!(wrap(&"x".repeat(200), 78).len(), 3, "a long word is cut");
        assert_eq!(wrap("", 78), [""]);
        // Stream lengths are exact.
        for part in text.split("<< /Length ").skip(1) {
            let (length, rest) = part.split_once(" >>\nstream\n").expect("stream");
            let length: usize = length.parse().expect("length");
            assert!(rest[length..].starts_with("endstream"));
        }
    }
}
