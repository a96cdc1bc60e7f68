//! Response bodies on stdout or in a file: exactly as received on a pipe, terminal-safe text on
//! a terminal (binary refused there), streamed in constant memory, files private and written
//! with one rename.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use idv_cli::terminal_safe::escape_lines;
use idv_client::{IdvError, ResponseStream};
use tokio::io::AsyncWriteExt as _;

use crate::error::{CliError, CliResult};
use crate::term;

/// The message for binary content that would go to a terminal.
pub const BINARY_TO_TERMINAL: &str =
    "refusing to write binary content to a terminal: redirect stdout or use -o FILE";

/// Whether a media type (bare, lower-cased) is text that can be shown: JSON, XML, `text/*`.
pub fn is_textual(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/json" | "application/xml" | "application/problem+json"
        )
        || content_type.ends_with("+json")
        || content_type.ends_with("+xml")
}

/// Whether bytes of unknown type look like text: UTF-8 (a sequence cut at the end of the
/// sample allowed) without NUL.
pub fn looks_like_text(sample: &[u8]) -> bool {
    if sample.contains(&0) {
        return false;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Prints a document from the server (a JSON or text body): exactly as received when stdout is
/// not a terminal; on a terminal made [terminal-safe](escape_lines) line by line, and ended by a
/// newline.
pub fn print_document(bytes: &[u8]) {
    if term::stdout_is_terminal() {
        let mut text = escape_lines(&String::from_utf8_lossy(bytes));
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        term::out(&text);
    } else {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
    }
}

/// Why copying a response body failed.
#[derive(Debug)]
pub enum CopyError {
    /// Reading the response failed (an [`IdvError`]: map it with `api::map_error`).
    Read(IdvError),
    /// Writing failed.
    Write(CliError),
}

/// Copies the rest of `stream` to stdout, chunk by chunk, in constant memory. Returns the bytes
/// written. A reader that goes away (`| head`) ends the copy quietly.
pub async fn stream_to_stdout(stream: &mut ResponseStream) -> Result<u64, CopyError> {
    let mut stdout = tokio::io::stdout();
    let mut written: u64 = 0;
    while let Some(chunk) = stream.next_chunk().await.map_err(CopyError::Read)? {
        // Flushed chunk by chunk: the reader gets the bytes as they arrive (std's stdout
        // would otherwise hold back what follows the last line break).
        let written_now = match stdout.write_all(&chunk).await {
            Ok(()) => stdout.flush().await,
            Err(e) => Err(e),
        };
        match written_now {
            Ok(()) => written = written.saturating_add(chunk.len() as u64),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(written),
            Err(e) => {
                return Err(CopyError::Write(CliError::Failure(format!(
                    "cannot write to stdout: {e}"
                ))));
            }
        }
    }
    match stdout.flush().await {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CopyError::Write(
            CliError::Failure(format!("cannot write to stdout: {e}")),
        )),
        _ => Ok(written),
    }
}

/// Streams the rest of `stream` into `path`: through a temporary file created exclusively
/// under a random name (mode 0600 on Unix) in the same directory, synced, and renamed once
/// complete. On any failure, or if this future is dropped, the temporary file is removed.
pub async fn stream_to_file(stream: &mut ResponseStream, path: &Path) -> Result<u64, CopyError> {
    let write_error = |what: &str, e: std::io::Error| {
        CopyError::Write(CliError::Failure(format!(
            "cannot {what} {}: {e}",
            path.display()
        )))
    };
    let (dir, name) = split(path).map_err(CopyError::Write)?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(|e| write_error("create a temporary file for", e))?;
    let (file, temp_path) = temp.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut written: u64 = 0;
    while let Some(chunk) = stream.next_chunk().await.map_err(CopyError::Read)? {
        file.write_all(&chunk)
            .await
            .map_err(|e| write_error("write", e))?;
        written = written.saturating_add(chunk.len() as u64);
    }
    file.flush().await.map_err(|e| write_error("write", e))?;
    file.sync_all().await.map_err(|e| write_error("sync", e))?;
    drop(file);
    temp_path
        .persist(path)
        .map_err(|e| write_error("rename the download to", e.error))?;
    Ok(written)
}

/// The directory and file name of an output path (`.` for a bare name).
fn split(path: &Path) -> CliResult<(PathBuf, &std::ffi::OsStr)> {
    let name = path
        .file_name()
        .ok_or_else(|| CliError::Config(format!("{} names no file", path.display())))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

/// Writes `bytes` to `path` atomically and privately (see
/// [`write_private_file`](idv_cli::private_files::write_private_file)).
pub fn write_file(path: &Path, bytes: &[u8]) -> CliResult<PathBuf> {
    let (dir, name) = split(path)?;
    idv_cli::private_files::write_private_file(&dir, &name.to_string_lossy(), bytes)
        .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", path.display())))
}

/// Whether `-o PATH` means stdout.
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textual_types() {
        for t in [
            "application/json",
            "text/plain",
            "text/html",
            "application/problem+json",
            "application/vnd.yoti+json",
            "application/xml",
            "image/svg+xml",
        ] {
            assert!(is_textual(t), "{t}");
        }
        for t in [
            "image/png",
            "application/pdf",
            "application/octet-stream",
            "",
        ] {
            assert!(!is_textual(t), "{t}");
        }
    }

    #[test]
    fn text_is_recognised_by_its_bytes() {
        assert!(looks_like_text(b"{\"a\": 1}\n"));
        assert!(looks_like_text("Zoë".as_bytes()));
        // A UTF-8 sequence cut by the end of the sample is still text.
        assert!(looks_like_text(&"é".as_bytes()[..1]));
        assert!(!looks_like_text(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(!looks_like_text(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!looks_like_text(b"a\0b"));
    }

    #[test]
    fn written_files_are_whole_and_named_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        write_file(&path, b"%PDF-1.4").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.pdf"]);
        assert!(write_file(Path::new("/"), b"x").is_err());
    }
}
