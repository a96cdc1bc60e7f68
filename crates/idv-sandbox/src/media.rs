//! Media content: files from a directory, or content synthesised from the media's `type`.

use std::path::{Path, PathBuf};

use bytes::Bytes;

/// A media item referenced by a session, with a human description of where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediaInfo {
    pub(crate) id: String,
    /// The media `type` as sent (`IMAGE`, `JSON`, `PDF`, `BINARY`, or anything else).
    pub(crate) media_type: String,
    /// Where the media sits, e.g. `PASSPORT GBR`, `PAGE 1 FRAME 2`.
    pub(crate) description: Vec<String>,
}

/// Content ready to send.
#[derive(Debug, Clone)]
pub(crate) struct MediaContent {
    pub(crate) content_type: &'static str,
    pub(crate) bytes: Bytes,
}

/// Synthesises content matching the media's type.
pub(crate) fn synthesise(info: &MediaInfo) -> MediaContent {
    let mut lines = vec!["IDV SANDBOX".to_owned()];
    lines.extend(info.description.iter().cloned());
    lines.push(format!("{} {}", info.media_type, info.id));
    match info.media_type.to_ascii_uppercase().as_str() {
        "IMAGE" => MediaContent {
            content_type: "image/png",
            // The dimensions are bounded, so encoding does not fail; were it to, an empty
            // body is served rather than a panic.
            bytes: Bytes::from(crate::image::render_png(&lines).unwrap_or_default()),
        },
        "PDF" => MediaContent {
            content_type: "application/pdf",
            bytes: Bytes::from(crate::pdf::render_pdf(&lines)),
        },
        "JSON" => {
            let doc = serde_json::json!({
                "sandbox": true,
                "media_id": info.id,
                "media_type": info.media_type,
                "description": info.description.join(" / "),
            });
            MediaContent {
                content_type: "application/json",
                bytes: Bytes::from(serde_json::to_vec_pretty(&doc).unwrap_or_default()),
            }
        }
        _ => {
            let mut bytes = b"IDV-SANDBOX-BINARY\0".to_vec();
            bytes.extend_from_slice(info.id.as_bytes());
            bytes.push(0);
            bytes.extend((0u8..=255).map(|b| b.wrapping_mul(31)));
            MediaContent {
                content_type: "application/octet-stream",
                bytes: Bytes::from(bytes),
            }
        }
    }
}

/// The `Content-Type` for a file name's extension, from idv-model's one table (the one the
/// CLI names downloads by, so a file keeps its type through a serve → download round trip);
/// `application/octet-stream` for an unknown or missing extension.
pub(crate) fn content_type_for(path: &Path) -> &'static str {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(idv_model::content_type::content_type_for)
        .unwrap_or("application/octet-stream")
}

/// Finds the file for `media_id` in `dir`: `dir/<media_id>` or `dir/<media_id>.<ext>`.
pub(crate) async fn find_in_dir(dir: &Path, media_id: &str) -> Option<PathBuf> {
    if media_id.is_empty() || media_id.contains(['/', '\\']) || media_id.starts_with('.') {
        return None;
    }
    let exact = dir.join(media_id);
    if tokio::fs::metadata(&exact).await.is_ok_and(|m| m.is_file()) {
        return Some(exact);
    }
    let mut entries = tokio::fs::read_dir(dir).await.ok()?;
    let mut found: Option<PathBuf> = None;
    while let Ok(Some(entry)) = entries.next_entry().await {
        let path = entry.path();
        if path.file_stem().and_then(|s| s.to_str()) == Some(media_id)
            && entry.file_type().await.is_ok_and(|t| t.is_file())
        {
            // Deterministic choice when several extensions exist: the smallest name.
            if found.as_ref().is_none_or(|f| path < *f) {
                found = Some(path);
            }
        }
    }
    found
}

/// Reads a media file from the directory.
pub(crate) async fn read_from_dir(dir: &Path, media_id: &str) -> Option<MediaContent> {
    let path = find_in_dir(dir, media_id).await?;
    let bytes = tokio::fs::read(&path).await.ok()?;
    Some(MediaContent {
        content_type: content_type_for(&path),
        bytes: Bytes::from(bytes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(media_type: &str) -> MediaInfo {
        MediaInfo {
            id: "m-1".to_owned(),
            media_type: media_type.to_owned(),
            description: vec!["PASSPORT GBR".to_owned(), "PAGE 1".to_owned()],
        }
    }

    #[test]
    fn synthesised_content_matches_the_type() {
        let png = synthesise(&info("IMAGE"));
        assert_eq!(png.content_type, "image/png");
        assert!(png.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));

        let pdf = synthesise(&info("PDF"));
        assert_eq!(pdf.content_type, "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));

        let json = synthesise(&info("JSON"));
        assert_eq!(json.content_type, "application/json");
        let value: serde_json::Value = serde_json::from_slice(&json.bytes).expect("JSON");
        assert_eq!(value["media_id"], "m-1");
        assert_eq!(value["description"], "PASSPORT GBR / PAGE 1");

        for other in ["BINARY", "FACEMAP_3D", ""] {
            let bin = synthesise(&info(other));
            assert_eq!(bin.content_type, "application/octet-stream");
            assert!(bin.bytes.starts_with(b"IDV-SANDBOX-BINARY\0m-1\0"));
        }
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type_for(Path::new("a.PNG")), "image/png");
        assert_eq!(content_type_for(Path::new("a.jpeg")), "image/jpeg");
        assert_eq!(content_type_for(Path::new("a.json")), "application/json");
        assert_eq!(content_type_for(Path::new("a.pdf")), "application/pdf");
        // Types the sandbox once served as octet-stream (and the CLI then saved as `.bin`).
        assert_eq!(content_type_for(Path::new("a.tiff")), "image/tiff");
        assert_eq!(content_type_for(Path::new("a.TIF")), "image/tiff");
        assert_eq!(content_type_for(Path::new("a.heic")), "image/heic");
        assert_eq!(content_type_for(Path::new("a.bmp")), "image/bmp");
        assert_eq!(
            content_type_for(Path::new("a.exe")),
            "application/octet-stream"
        );
        assert_eq!(content_type_for(Path::new("a")), "application/octet-stream");
        assert_eq!(
            content_type_for(Path::new("a.bin")),
            "application/octet-stream"
        );
    }

    #[tokio::test]
    async fn files_are_found_with_or_without_extension() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("abc"), b"raw").expect("write");
        std::fs::write(dir.path().join("def.json"), b"{}").expect("write");
        let abc = read_from_dir(dir.path(), "abc").await.expect("abc");
        assert_eq!(
            (abc.content_type, &abc.bytes[..]),
            ("application/octet-stream", &b"raw"[..])
        );
        let def = read_from_dir(dir.path(), "def").await.expect("def");
        assert_eq!(def.content_type, "application/json");
        assert!(read_from_dir(dir.path(), "nope").await.is_none());
        assert!(read_from_dir(dir.path(), "../abc").await.is_none());
    }
}
