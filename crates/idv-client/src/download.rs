//! Writing media to disk atomically: a temporary file (exclusive, random name, `0600`) in the
//! final directory, renamed to a name that may depend on the response once complete.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::io::AsyncWriteExt;

use crate::error::{ErrorKind, IdvError};
use crate::stream::ResponseStream;

/// The result of a completed download.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadInfo {
    /// The number of bytes written.
    pub bytes: u64,
    /// The media type without parameters, lower-cased, when the response had one.
    pub content_type: Option<String>,
    /// The path of the complete file.
    pub path: PathBuf,
}

/// What is known of a media response when its file is named: its head.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MediaHead {
    /// The media type without parameters, lower-cased, when the response had one.
    pub content_type: Option<String>,
    /// The announced length, when known.
    pub content_length: Option<u64>,
}

impl MediaHead {
    /// The file extension for the content type (`jpg`, `png`, `pdf`, `json`…), from the
    /// one table `idv-model` keeps; `bin` when the type is missing or unknown.
    pub fn extension(&self) -> &'static str {
        self.content_type
            .as_deref()
            .and_then(idv_model::content_type::extension_for)
            .unwrap_or("bin")
    }
}

type Namer = Arc<dyn Fn(&MediaHead) -> PathBuf + Send + Sync>;

/// Where [`IdvClient::download_media_to`](crate::IdvClient::download_media_to) writes.
///
/// ```
/// use idv_client::{DownloadTarget, MediaHead};
///
/// // `dir/front.jpg` for a JPEG, `dir/front.pdf` for a PDF, `dir/front.bin` when unknown.
/// let target = DownloadTarget::in_dir("dir", "front");
/// // Any naming rule:
/// let target = DownloadTarget::named_by(|head: &MediaHead| {
///     format!("out/{}.{}", head.content_length.unwrap_or(0), head.extension()).into()
/// });
/// ```
#[derive(Clone)]
pub struct DownloadTarget {
    kind: TargetKind,
}

#[derive(Clone)]
enum TargetKind {
    File(PathBuf),
    InDir { dir: PathBuf, stem: String },
    Named(Namer),
}

impl fmt::Debug for DownloadTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TargetKind::File(p) => f.debug_tuple("File").field(p).finish(),
            TargetKind::InDir { dir, stem } => f
                .debug_struct("InDir")
                .field("dir", dir)
                .field("stem", stem)
                .finish(),
            TargetKind::Named(_) => f.write_str("NamedBy(..)"),
        }
    }
}

impl DownloadTarget {
    /// Exactly this path (its directory must exist).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            kind: TargetKind::File(path.into()),
        }
    }

    /// `dir/stem.EXT`, with `EXT` from the response's content type ([`MediaHead::extension`]).
    /// `stem` must be a plain file name (no separator, not `.` or `..`).
    pub fn in_dir(dir: impl Into<PathBuf>, stem: impl Into<String>) -> Self {
        Self {
            kind: TargetKind::InDir {
                dir: dir.into(),
                stem: stem.into(),
            },
        }
    }

    /// The path `namer` gives for the response's head (called once per attempt, before any
    /// byte is written).
    pub fn named_by(namer: impl Fn(&MediaHead) -> PathBuf + Send + Sync + 'static) -> Self {
        Self {
            kind: TargetKind::Named(Arc::new(namer)),
        }
    }

    /// Checks what can be checked before anything is sent.
    pub(crate) fn check(&self) -> Result<(), IdvError> {
        match &self.kind {
            TargetKind::File(p) => split_target(p).map(drop),
            TargetKind::InDir { stem, .. } => {
                let plain = !stem.is_empty()
                    && stem != "."
                    && stem != ".."
                    && !stem.contains(['/', '\\', '\0']);
                if plain {
                    Ok(())
                } else {
                    Err(IdvError::invalid_argument(
                        "the download stem must be a plain file name",
                    ))
                }
            }
            TargetKind::Named(_) => Ok(()),
        }
    }

    fn resolve(&self, head: &MediaHead) -> PathBuf {
        match &self.kind {
            TargetKind::File(p) => p.clone(),
            TargetKind::InDir { dir, stem } => dir.join(format!("{stem}.{}", head.extension())),
            TargetKind::Named(namer) => namer(head),
        }
    }
}

impl From<&Path> for DownloadTarget {
    fn from(path: &Path) -> Self {
        Self::file(path)
    }
}

impl From<PathBuf> for DownloadTarget {
    fn from(path: PathBuf) -> Self {
        Self::file(path)
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> IdvError {
    IdvError::new(ErrorKind::Io, format!("{what} {}", path.display())).with_source(e)
}

/// Splits `target` into its directory and file name, refusing paths without a file name.
fn split_target(target: &Path) -> Result<(PathBuf, &std::ffi::OsStr), IdvError> {
    let ends_with_separator = target
        .as_os_str()
        .to_string_lossy()
        .ends_with(std::path::is_separator);
    let file_name = target
        .file_name()
        .filter(|_| !ends_with_separator)
        .ok_or_else(|| IdvError::invalid_argument("the download path has no file name"))?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, file_name))
}

/// Streams `media` into the file `target` names for it, atomically.
pub(crate) async fn write_atomically(
    mut media: ResponseStream,
    target: &DownloadTarget,
) -> Result<DownloadInfo, IdvError> {
    let head = MediaHead {
        content_type: media.content_type().map(str::to_owned),
        content_length: media.content_length(),
    };
    let path = target.resolve(&head);
    let (dir, file_name) = split_target(&path)?;
    // Created exclusively with a random name and mode 0600 (tempfile's defaults), in the final
    // directory so that the rename is atomic. Created inline rather than on the blocking pool:
    // if this future is dropped, nothing is left half-made, and the `TempPath` below removes
    // the file on every early return and on drop.
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(file_name);
    prefix.push(".");
    let temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(|e| io_error("could not create a temporary file in", &dir, e))?;
    let (file, temp_path) = temp.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut written: u64 = 0;
    while let Some(chunk) = media.next_chunk().await? {
        file.write_all(&chunk)
            .await
            .map_err(|e| io_error("could not write", &temp_path, e))?;
        written = written.saturating_add(chunk.len() as u64);
    }
    file.flush()
        .await
        .map_err(|e| io_error("could not write", &temp_path, e))?;
    file.sync_all()
        .await
        .map_err(|e| io_error("could not sync", &temp_path, e))?;
    drop(file);
    temp_path
        .persist(&path)
        .map_err(|e| io_error("could not rename the download to", &path, e.error))?;
    // Make the rename durable too (best effort: not every platform can sync a directory).
    #[cfg(unix)]
    if let Ok(d) = tokio::fs::File::open(&dir).await {
        let _ = d.sync_all().await;
    }
    Ok(DownloadInfo {
        bytes: written,
        content_type: head.content_type,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_needs_a_file_name() {
        for bad in ["/tmp/", "..", "/"] {
            assert!(DownloadTarget::file(bad).check().is_err(), "{bad}");
        }
        let (dir, name) = split_target(Path::new("out.jpg")).unwrap();
        assert_eq!(dir, PathBuf::from("."));
        assert_eq!(name, "out.jpg");
        let (dir, name) = split_target(Path::new("/a/b/c.pdf")).unwrap();
        assert_eq!(dir, PathBuf::from("/a/b"));
        assert_eq!(name, "c.pdf");
    }

    #[test]
    fn names_follow_the_content_type() {
        let head = |ct: Option<&str>| MediaHead {
            content_type: ct.map(str::to_owned),
            content_length: None,
        };
        let t = DownloadTarget::in_dir("d", "front");
        assert_eq!(
            t.resolve(&head(Some("image/jpeg"))),
            Path::new("d/front.jpg")
        );
        assert_eq!(
            t.resolve(&head(Some("application/pdf"))),
            Path::new("d/front.pdf")
        );
        assert_eq!(
            t.resolve(&head(Some("image/tiff"))),
            Path::new("d/front.tiff")
        );
        assert_eq!(t.resolve(&head(None)), Path::new("d/front.bin"));
        for bad in ["", ".", "..", "a/b", "a\\b"] {
            assert!(DownloadTarget::in_dir("d", bad).check().is_err(), "{bad:?}");
        }
    }
}
