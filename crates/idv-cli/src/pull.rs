//! Downloading every media item of a session (`idv media pull` and the demo).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use futures_util::StreamExt as _;
use idv_client::IdvClient;
use idv_model::{MediaRef, Session};
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};

use crate::api::{self, Subject};
use crate::error::{CliError, CliResult};
use crate::files::{
    FileNamer, Index, IndexFile, IndexSkipped, MediaContext, extension_for, index_path, with_ext,
};
use crate::report::describe_resource;
use crate::term;

/// What a pull did.
#[derive(Debug)]
pub struct PullOutcome {
    /// The directory written into.
    pub dir: PathBuf,
    /// The files written (sorted by path).
    pub files: Vec<IndexFile>,
    /// The media with no content.
    pub skipped: Vec<IndexSkipped>,
    /// The media that failed, with why.
    pub failed: Vec<(String, CliError)>,
    /// Total bytes written.
    pub bytes: u64,
    /// The `index.json` written.
    pub index: PathBuf,
}

/// Where a media reference sits, for `index.json`.
pub fn media_context(session: &Session, media: &MediaRef<'_>) -> MediaContext {
    let location = media.location.path_hint();
    let resource_id = media.location.resource().and_then(|r| r.id.clone());
    let check_id = media.location.check().and_then(|c| c.id.clone());
    // Media locations identify a resource by kind and position (ids may be absent).
    let resource = media.location.resource().and_then(|key| {
        session
            .all_resources()
            .into_iter()
            .filter(|r| r.kind() == key.kind)
            .nth(key.index)
    });
    let owner = if let Some(resource) = resource {
        Some(describe_resource(&resource))
    } else {
        media.location.check().map(|c| {
            format!(
                "check {}",
                c.check_type
                    .as_ref()
                    .map_or("(unknown type)", |t| t.as_str())
            )
        })
    };
    let place = if media.location.resource().is_some() || media.location.check().is_some() {
        location
            .splitn(3, '/')
            .nth(2)
            .unwrap_or(&location)
            .to_owned()
    } else {
        location.clone()
    };
    let description = match owner {
        Some(owner) => format!("{owner}, {place}"),
        None => place,
    };
    MediaContext {
        location,
        description,
        resource_id,
        check_id,
    }
}

struct Job {
    media_id: String,
    media_type: Option<String>,
    stem: PathBuf,
    context: MediaContext,
}

enum JobResult {
    File(IndexFile),
    Skipped(IndexSkipped),
    Failed(String, CliError),
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub fn progress_bar(len: u64) -> ProgressBar {
    if !term::stderr_is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} downloading [{bar:30}] {pos}/{len} media, {msg} ({elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

async fn download_one(
    client: &IdvClient,
    session_id: &str,
    dir: &Path,
    job: Job,
    base_url: &str,
) -> JobResult {
    let stem_path = dir.join(&job.stem);
    let Some(parent) = stem_path.parent().map(Path::to_path_buf) else {
        return JobResult::Failed(job.media_id, CliError::Failure("bad file name".into()));
    };
    if let Err(e) = tokio::fs::create_dir_all(&parent).await {
        let message = format!("cannot create {}: {e}", parent.display());
        return JobResult::Failed(job.media_id, CliError::Failure(message));
    }
    // The client streams into a hidden temporary file and renames it to `incoming` only when
    // complete; `incoming` is then renamed to its final name, with the extension of the
    // content type. An interrupted or failed download leaves no partial file.
    let file_name = stem_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let incoming = parent.join(format!(".{file_name}.incoming"));
    let result = client
        .download_media(session_id, &job.media_id, &incoming)
        .await;
    match result {
        Ok(None) => JobResult::Skipped(IndexSkipped {
            media_id: job.media_id,
            context: job.context,
            reason: "no content (204)".to_owned(),
        }),
        Ok(Some(info)) => {
            let ext = extension_for(info.content_type.as_deref(), job.media_type.as_deref());
            let final_rel = with_ext(&job.stem, ext);
            let final_path = dir.join(&final_rel);
            if let Err(e) = tokio::fs::rename(&incoming, &final_path).await {
                let _ = tokio::fs::remove_file(&incoming).await;
                let message = format!("cannot rename to {}: {e}", final_path.display());
                return JobResult::Failed(job.media_id, CliError::Failure(message));
            }
            JobResult::File(IndexFile {
                file: index_path(&final_rel),
                media_id: job.media_id,
                media_type: job.media_type,
                content_type: info.content_type,
                bytes: info.bytes,
                context: job.context,
            })
        }
        Err(e) => {
            let error = api::map_error(e, Subject::Media(session_id), base_url);
            JobResult::Failed(job.media_id, error)
        }
    }
}

/// Download every media item of `session` into `dir` with at most `concurrency` downloads at
/// once, then write `dir/index.json`. Failures of single items are collected, not fatal.
pub async fn pull(
    client: &IdvClient,
    session: &Session,
    session_id: &str,
    dir: &Path,
    concurrency: usize,
    base_url: &str,
) -> CliResult<PullOutcome> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| CliError::Config(format!("cannot create {}: {e}", dir.display())))?;
    let mut namer = FileNamer::default();
    let mut seen = HashSet::new();
    let jobs: Vec<Job> = session
        .media_refs()
        .iter()
        .filter(|m| seen.insert(m.media_id.to_owned()))
        .map(|m| Job {
            media_id: m.media_id.to_owned(),
            media_type: m.media_type.map(|t| t.as_str().to_owned()),
            stem: namer.stem(&m.location.path_hint(), m.media_id),
            context: media_context(session, m),
        })
        .collect();

    let bar = progress_bar(jobs.len() as u64);
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    let mut bytes = 0u64;
    let mut results = futures_util::stream::iter(jobs)
        .map(|job| download_one(client, session_id, dir, job, base_url))
        .buffer_unordered(concurrency.max(1));
    while let Some(result) = results.next().await {
        match result {
            JobResult::File(file) => {
                bytes += file.bytes;
                files.push(file);
            }
            JobResult::Skipped(s) => skipped.push(s),
            JobResult::Failed(id, e) => failed.push((id, e)),
        }
        bar.inc(1);
        bar.set_message(HumanBytes(bytes).to_string());
    }
    bar.finish_and_clear();
    files.sort_by(|a, b| a.file.cmp(&b.file));
    skipped.sort_by(|a, b| a.context.location.cmp(&b.context.location));
    let index = Index {
        session_id: session_id.to_owned(),
        files: files.clone(),
        skipped: skipped.clone(),
    };
    let index_file = index.write_to(dir).map_err(|e| {
        CliError::Failure(format!(
            "cannot write {}: {e}",
            dir.join("index.json").display()
        ))
    })?;
    Ok(PullOutcome {
        dir: dir.to_path_buf(),
        files,
        skipped,
        failed,
        bytes,
        index: index_file,
    })
}

/// Print what a pull wrote: every file with its media id, the skipped media, and the index.
pub fn print_outcome(outcome: &PullOutcome, color: bool) {
    use crate::term::{Style, outln, paint};
    let width = outcome
        .files
        .iter()
        .map(|f| f.file.len())
        .max()
        .unwrap_or(0);
    for f in &outcome.files {
        outln(&format!(
            "  {:<width$}  {}  {}",
            f.file,
            paint(&f.media_id, Style::Cyan, color),
            paint(&HumanBytes(f.bytes).to_string(), Style::Dim, color)
        ));
    }
    for s in &outcome.skipped {
        outln(&format!(
            "  {} {} ({}): {}",
            paint("skipped", Style::Yellow, color),
            s.media_id,
            s.context.description,
            s.reason
        ));
    }
    for (id, e) in &outcome.failed {
        outln(&format!(
            "  {} {id}: {e}",
            paint("failed", Style::Red, color)
        ));
    }
    outln(&format!(
        "{} file{} ({}) written to {}, {} skipped{}; index: {}",
        outcome.files.len(),
        if outcome.files.len() == 1 { "" } else { "s" },
        HumanBytes(outcome.bytes),
        outcome.dir.display(),
        outcome.skipped.len(),
        if outcome.failed.is_empty() {
            String::new()
        } else {
            format!(", {} failed", outcome.failed.len())
        },
        outcome.index.display()
    ));
}

/// The error for a pull with failures (the first failure decides the exit code), if any.
pub fn failure(outcome: &PullOutcome) -> Option<CliError> {
    let (id, first) = outcome.failed.first()?;
    let total = outcome.files.len() + outcome.skipped.len() + outcome.failed.len();
    let message = format!(
        "{} of {total} media failed; first, {id}: {first}",
        outcome.failed.len()
    );
    Some(match first {
        CliError::NotFound(_) => CliError::NotFound(message),
        CliError::Config(_) => CliError::Config(message),
        CliError::Failure(_) => CliError::Failure(message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_describe_where_media_sit_even_without_ids() {
        let json = br#"{"resources": {"id_documents": [
                {"document_type": "PASSPORT", "issuing_country": "GBR",
                 "pages": [{"media": {"id": "m1", "type": "IMAGE"}}]}]},
            "checks": [{"id": "c1", "type": "LIVENESS",
                        "generated_media": [{"id": "m2", "type": "JSON"}]}]}"#;
        let session = idv_model::parse_session(json).unwrap();
        let refs = session.media_refs();
        let page = media_context(&session, &refs[0]);
        assert_eq!(page.location, "id_documents/PASSPORT-GBR/page-1/media");
        assert_eq!(page.description, "ID document PASSPORT GBR, page-1/media");
        assert_eq!((page.resource_id, page.check_id), (None, None));
        let generated = media_context(&session, &refs[1]);
        assert_eq!(generated.description, "check LIVENESS, generated_media-1");
        assert_eq!(generated.check_id.as_deref(), Some("c1"));
    }
}
