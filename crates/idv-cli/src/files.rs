//! Naming downloaded media files and writing `index.json`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The file extension (without the dot) for a content type; parameters and case are ignored.
/// Unknown types fall back to the media `type` of the session (`IMAGE`, `JSON`, `PDF`), then `bin`.
pub fn extension_for(content_type: Option<&str>, media_type: Option<&str>) -> &'static str {
    let essence = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|ct| ct.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let by_content_type = match essence.as_str() {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Some("jpg"),
        "image/png" => Some("png"),
        "image/gif" => Some("gif"),
        "image/webp" => Some("webp"),
        "image/tiff" => Some("tiff"),
        "image/bmp" => Some("bmp"),
        "image/heic" => Some("heic"),
        "application/json" | "text/json" => Some("json"),
        "application/pdf" => Some("pdf"),
        "text/plain" => Some("txt"),
        "application/xml" | "text/xml" => Some("xml"),
        "video/mp4" => Some("mp4"),
        "application/zip" => Some("zip"),
        "application/octet-stream" => Some("bin"),
        other if other.ends_with("+json") => Some("json"),
        _ => None,
    };
    by_content_type.unwrap_or_else(
        || match media_type.map(str::to_ascii_uppercase).as_deref() {
            Some("JSON") => "json",
            Some("PDF") => "pdf",
            Some("IMAGE") => "img",
            _ => "bin",
        },
    )
}

/// Turn a slash-separated hint from the session (untrusted server data) into a relative path that
/// cannot escape the output directory: empty, `.` and `..` components are dropped and every
/// character outside `[A-Za-z0-9._-]` becomes `_`.
pub fn safe_relative_path(hint: &str) -> PathBuf {
    let mut path = PathBuf::new();
    for part in hint.split(['/', '\\']) {
        let cleaned: String = part
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let cleaned = cleaned.trim_start_matches('.');
        if cleaned.is_empty() {
            continue;
        }
        path.push(cleaned);
    }
    if path.as_os_str().is_empty() {
        path.push("media");
    }
    path
}

/// Hands out unique relative file stems (no extension: it comes from the content type once the
/// download has started). A stem that is already taken gets the media id appended.
#[derive(Debug, Default)]
pub struct FileNamer {
    used: HashSet<PathBuf>,
}

impl FileNamer {
    /// A unique relative stem for a media item.
    pub fn stem(&mut self, hint: &str, media_id: &str) -> PathBuf {
        let base = safe_relative_path(hint);
        let mut candidate = base.clone();
        if self.used.contains(&candidate) {
            let name = base
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let id = safe_relative_path(media_id)
                .to_string_lossy()
                .replace('/', "_");
            candidate = base.with_file_name(format!("{name}-{id}"));
            let mut n = 2;
            while self.used.contains(&candidate) {
                candidate = base.with_file_name(format!("{name}-{id}-{n}"));
                n += 1;
            }
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

/// `stem` with `.ext` appended to its file name (the stem may itself contain dots).
pub fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    let mut name = stem
        .file_name()
        .map(|s| s.to_os_string())
        .unwrap_or_default();
    name.push(".");
    name.push(ext);
    stem.with_file_name(name)
}

/// The path as written in `index.json`: always `/`-separated.
pub fn index_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a media item sits in its session, as written in `index.json`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MediaContext {
    /// The location as a path (`id_documents/PASSPORT-GBR/page-1/frame-2`).
    pub location: String,
    /// In words: `ID document PASSPORT GBR, page-1/frame-2`.
    pub description: String,
    /// The resource the media belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// The check the media belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_id: Option<String>,
}

/// One downloaded file in `index.json`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IndexFile {
    /// The file, relative to the output directory, `/`-separated.
    pub file: String,
    /// The media id.
    pub media_id: String,
    /// The media `type` in the session (`IMAGE`, `JSON`, …), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The `Content-Type` the API answered with (without parameters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Size in bytes.
    pub bytes: u64,
    /// Where the media sits in the session.
    pub context: MediaContext,
}

/// One media item that was not written, in `index.json`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IndexSkipped {
    /// The media id.
    pub media_id: String,
    /// Where the media sits in the session.
    pub context: MediaContext,
    /// Why it was skipped (for example `no content (204)`).
    pub reason: String,
}

/// The whole `index.json`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Index {
    /// The session the media belong to.
    pub session_id: String,
    /// The files written.
    pub files: Vec<IndexFile>,
    /// The media that were not written.
    pub skipped: Vec<IndexSkipped>,
}

impl Index {
    /// Write `index.json` into `dir` (temporary file then rename, so it is never half written).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let path = dir.join("index.json");
        let tmp = dir.join(".index.json.tmp");
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_come_from_the_content_type() {
        assert_eq!(extension_for(Some("image/jpeg"), Some("IMAGE")), "jpg");
        assert_eq!(extension_for(Some("IMAGE/PNG; charset=x"), None), "png");
        assert_eq!(
            extension_for(Some("application/json; charset=utf-8"), None),
            "json"
        );
        assert_eq!(extension_for(Some("application/pdf"), None), "pdf");
        assert_eq!(extension_for(Some("application/vnd.x+json"), None), "json");
        assert_eq!(
            extension_for(Some("application/x-unknown"), Some("JSON")),
            "json"
        );
        assert_eq!(extension_for(None, Some("IMAGE")), "img");
        assert_eq!(extension_for(None, None), "bin");
    }

    #[test]
    fn hints_cannot_escape_the_directory() {
        assert_eq!(
            safe_relative_path("../../etc/passwd"),
            PathBuf::from("etc/passwd")
        );
        assert_eq!(safe_relative_path("/abs/./x y"), PathBuf::from("abs/x_y"));
        assert_eq!(safe_relative_path("..hidden"), PathBuf::from("hidden"));
        assert_eq!(safe_relative_path(""), PathBuf::from("media"));
        assert_eq!(
            safe_relative_path("id_documents/PASSPORT-GBR/page-1/frame-2"),
            PathBuf::from("id_documents/PASSPORT-GBR/page-1/frame-2")
        );
    }

    #[test]
    fn clashing_names_get_the_media_id() {
        let mut namer = FileNamer::default();
        let a = namer.stem("id_documents/PASSPORT-GBR/page-1/image", "m1");
        let b = namer.stem("id_documents/PASSPORT-GBR/page-1/image", "m2");
        let c = namer.stem("id_documents/PASSPORT-GBR/page-1/image", "m2");
        assert_eq!(
            index_path(&with_ext(&a, "jpg")),
            "id_documents/PASSPORT-GBR/page-1/image.jpg"
        );
        assert_eq!(
            index_path(&with_ext(&b, "jpg")),
            "id_documents/PASSPORT-GBR/page-1/image-m2.jpg"
        );
        assert_eq!(
            index_path(&c),
            "id_documents/PASSPORT-GBR/page-1/image-m2-2"
        );
    }

    fn ctx(location: &str) -> MediaContext {
        MediaContext {
            location: location.into(),
            description: "ID document PASSPORT GBR, page-1/media".into(),
            resource_id: Some("r".into()),
            check_id: None,
        }
    }

    #[test]
    fn index_is_written_as_json() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index {
            session_id: "s".into(),
            files: vec![IndexFile {
                file: "a/b.jpg".into(),
                media_id: "m".into(),
                media_type: Some("IMAGE".into()),
                content_type: Some("image/jpeg".into()),
                bytes: 3,
                context: ctx("a/b"),
            }],
            skipped: vec![IndexSkipped {
                media_id: "n".into(),
                context: ctx("a/c"),
                reason: "no content (204)".into(),
            }],
        };
        let path = index.write_to(dir.path()).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(v["files"][0]["file"], "a/b.jpg");
        assert_eq!(v["files"][0]["bytes"], 3);
        assert_eq!(v["skipped"][0]["reason"], "no content (204)");
        assert_eq!(v["files"][0]["context"]["resource_id"], "r");
        assert!(v["files"][0]["context"].get("check_id").is_none());
        assert!(!dir.path().join(".index.json.tmp").exists());
    }
}
