//! Media lines: where each media item sits, its id and its type, in aligned columns.

use std::fmt::Write as _;

use idv_model::MediaRef;

use crate::style::{Style, painted};
use crate::terminal_safe::terminal_safe;

/// The widest place that sets the column width. Places are short (`page-1/frame-2`), but one
/// built from a long server label must not pad every other line of its group to its length.
const MAX_PLACE_WIDTH: usize = 32;

/// The part of a media's path hint below its resource or check (`page-1/frame-2`).
pub(super) fn media_place(media: &MediaRef<'_>) -> String {
    let mut hint = media.location.path_hint();
    if media.location.resource().is_some() || media.location.check().is_some() {
        // Drop `kind/label/` (or `checks/label/`).
        let below = hint.match_indices('/').nth(1).map(|(i, _)| i + 1);
        if let Some(start) = below.filter(|&start| start < hint.len()) {
            hint.replace_range(..start, "");
        }
    }
    hint
}

/// One line per media item: `{indent}{place}  {id}  {type}`, places aligned.
pub(super) fn write(out: &mut String, refs: &[&MediaRef<'_>], indent: &str, color: bool) {
    let places: Vec<String> = refs.iter().map(|m| media_place(m)).collect();
    let width = places
        .iter()
        .map(|p| p.chars().count())
        .filter(|&n| n <= MAX_PLACE_WIDTH)
        .max()
        .unwrap_or(0);
    for (m, place) in refs.iter().zip(&places) {
        let kind = m.media_type.map_or("", |t| t.as_str());
        let _ = writeln!(
            out,
            "{indent}{:<width$}  {}  {}",
            terminal_safe(place),
            painted(m.media_id, Style::Cyan, color),
            painted(kind, Style::Dim, color),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_align_but_a_long_one_does_not_pad_the_others() {
        let long_type = "T".repeat(500);
        let json = format!(
            r#"{{"resources": {{"id_documents": [{{"pages": [
                {{"media": {{"id": "m1", "type": "IMAGE"}}}},
                {{"media": {{"id": "m2", "type": "IMAGE"}}, "frames": [{{"media": {{"id": "m3"}}}}]}}],
                "tasks": [{{"type": "{long_type}", "generated_media": [{{"id": "m4"}}]}}]}}]}}}}"#
        );
        let session = idv_model::parse_session(json.as_bytes()).unwrap();
        let refs = session.media_refs();
        let refs: Vec<&MediaRef<'_>> = refs.iter().collect();
        let mut out = String::new();
        write(&mut out, &refs, "  ", false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "  page-1/media    m1  IMAGE");
        assert_eq!(lines[2], "  page-2/frame-1  m3  ");
        assert!(lines[3].starts_with("  tasks/TTTTTTTT"), "{out}");
        assert!(lines[3].ends_with("  m4  "), "{out}");
    }
}
