//! `index.json`: what `idv media pull` wrote, and where each media item sits in its session.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::private_files::write_private_file;

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
    /// Write `dir/index.json` (0600 on Unix) through a random, exclusively created temporary
    /// file renamed into place: never half written, and no planted link is followed.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        write_private_file(dir, "index.json", &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(location: &str) -> MediaContext {
        MediaContext {
            location: location.into(),
            description: "ID document PASSPORT GBR, page-1/media".into(),
            resource_id: Some("r".into()),
            check_id: None,
        }
    }

    fn index() -> Index {
        Index {
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
        }
    }

    #[test]
    fn index_is_written_as_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = index().write_to(dir.path()).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(v["files"][0]["file"], "a/b.jpg");
        assert_eq!(v["files"][0]["bytes"], 3);
        assert_eq!(v["skipped"][0]["reason"], "no content (204)");
        assert_eq!(v["files"][0]["context"]["resource_id"], "r");
        assert!(v["files"][0]["context"].get("check_id").is_none());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["index.json"], "a temporary file was left");
    }

    /// A symlink planted under the old fixed temporary name made `idv media pull` overwrite its
    /// target.
    #[cfg(unix)]
    #[test]
    fn a_link_under_the_old_temporary_name_is_not_followed() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"untouched").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let planted = out.join(".index.json.tmp");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let path = index().write_to(&out).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
        assert!(
            std::fs::symlink_metadata(&planted)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}
