//! A minimal, valid one-page PDF showing a few lines of text (Helvetica, no compression).

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
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
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
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
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
