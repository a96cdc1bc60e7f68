//! Writing media to disk atomically: a temporary file in the target directory, renamed when
//! complete.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::AsyncWriteExt;

use crate::error::{ErrorKind, IdvError};
use crate::media::MediaStream;

/// The result of a completed [`download_media`](crate::IdvClient::download_media).
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

/// Removes the temporary file unless disarmed: on error, on a panic and when the download
/// future is dropped mid-way.
struct TempGuard {
    path: PathBuf,
    armed: bool,
    /// Set when the guard is dropped armed, so that a create still running on the blocking pool
    /// (the future was dropped while awaiting it) removes the file it made.
    abandoned: Arc<AtomicBool>,
}

impl TempGuard {
    fn new(path: PathBuf) -> Self {
        Self {
            path,
            armed: true,
            abandoned: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Creates the temporary file. If the download is dropped while this is pending, the
    /// blocking create still completes; the guard's drop and the create then agree (through
    /// `abandoned`) that one of them removes the file.
    async fn create(&self) -> std::io::Result<tokio::fs::File> {
        let path = self.path.clone();
        let abandoned = self.abandoned.clone();
        let file = tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            if abandoned.load(Ordering::SeqCst) {
                let _ = std::fs::remove_file(&path);
            }
            Ok::<_, std::io::Error>(file)
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok(tokio::fs::File::from_std(file))
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if self.armed {
            self.abandoned.store(true, Ordering::SeqCst);
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> IdvError {
    IdvError::new(ErrorKind::Io, format!("{what} {}", path.display())).with_source(e)
}

/// The temporary name for `target`: `.{file name}.part-{random}` in the same directory.
fn temp_path(dir: &Path, file_name: &std::ffi::OsStr) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(file_name);
    name.push(format!(".part-{:016x}", fastrand::u64(..)));
    dir.join(name)
}

/// Splits `target` into its directory and file name, refusing paths without a file name.
pub(crate) fn check_target(target: &Path) -> Result<(PathBuf, std::ffi::OsString), IdvError> {
    let file_name = target
        .file_name()
        .filter(|_| {
            !target
                .as_os_str()
                .to_string_lossy()
                .ends_with(std::path::MAIN_SEPARATOR)
        })
        .ok_or_else(|| IdvError::invalid_argument("the download path has no file name"))?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, file_name.to_owned()))
}

/// Streams `media` into `target` atomically.
pub(crate) async fn write_atomically(
    mut media: MediaStream,
    target: &Path,
) -> Result<DownloadInfo, IdvError> {
    let (dir, file_name) = check_target(target)?;
    let tmp = temp_path(&dir, &file_name);
    // The guard is armed before the file exists: a drop at any await point leaves nothing.
    let mut guard = TempGuard::new(tmp.clone());
    let mut file = match guard.create().await {
        Ok(file) => file,
        Err(e) => {
            // Nothing was created (or the name was taken): nothing of ours to remove.
            guard.armed = false;
            return Err(io_error("could not create a temporary file in", &dir, e));
        }
    };
    let mut written: u64 = 0;
    while let Some(chunk) = media.next_chunk().await? {
        file.write_all(&chunk)
            .await
            .map_err(|e| io_error("could not write", &tmp, e))?;
        written += chunk.len() as u64;
    }
    file.flush()
        .await
        .map_err(|e| io_error("could not write", &tmp, e))?;
    file.sync_all()
        .await
        .map_err(|e| io_error("could not sync", &tmp, e))?;
    drop(file);
    tokio::fs::rename(&tmp, target)
        .await
        .map_err(|e| io_error("could not rename the download to", target, e))?;
    guard.armed = false;
    // Make the rename durable too (best effort: not every platform can sync a directory).
    #[cfg(unix)]
    if let Ok(d) = tokio::fs::File::open(&dir).await {
        let _ = d.sync_all().await;
    }
    Ok(DownloadInfo {
        bytes: written,
        content_type: media.content_type().map(str::to_owned),
        path: target.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_needs_a_file_name() {
        assert!(check_target(Path::new("/tmp/")).is_err());
        assert!(check_target(Path::new("..")).is_err());
        assert!(check_target(Path::new("/")).is_err());
        let (dir, name) = check_target(Path::new("out.jpg")).unwrap();
        assert_eq!(dir, PathBuf::from("."));
        assert_eq!(name, "out.jpg");
        let (dir, name) = check_target(Path::new("/a/b/c.pdf")).unwrap();
        assert_eq!(dir, PathBuf::from("/a/b"));
        assert_eq!(name, "c.pdf");
    }

    #[test]
    fn temp_names_are_hidden_and_distinct() {
        let a = temp_path(Path::new("/d"), std::ffi::OsStr::new("x.png"));
        let b = temp_path(Path::new("/d"), std::ffi::OsStr::new("x.png"));
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".x.png.part-"), "{name}");
        assert_eq!(a.parent(), Some(Path::new("/d")));
    }
}
