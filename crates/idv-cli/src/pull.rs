//! Downloading every media item of a session (`idv media pull` and the demo).

use std::path::{Path, PathBuf};

use futures_util::StreamExt as _;
use idv_cli::index_json::{Index, IndexFile, IndexSkipped};
use idv_cli::naming::{extension_for, index_path, with_ext};
use idv_cli::private_files::{create_private_dir_all_async, make_private};
use idv_cli::pull_plan::{PlannedMedia, plan_pull};
use idv_cli::terminal_safe::terminal_safe;
use idv_client::IdvClient;
use idv_model::Session;
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};

use crate::api::{self, Subject};
use crate::error::{CliError, CliResult};
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
    job: PlannedMedia,
    base_url: &str,
) -> JobResult {
    let stem_path = dir.join(&job.stem);
    let Some(parent) = stem_path.parent().map(Path::to_path_buf) else {
        return JobResult::Failed(job.media_id, CliError::Failure("bad file name".into()));
    };
    if let Err(e) = create_private_dir_all_async(&parent).await {
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
            // Identity documents and faces: the user's only (best effort; the directories idv
            // creates are 0700 in any case).
            let _ = make_private(&final_path);
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
            let error = api::map_error(e, Subject::MediaFromServer(session_id), base_url);
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
    create_private_dir_all_async(dir)
        .await
        .map_err(|e| CliError::Config(format!("cannot create {}: {e}", dir.display())))?;
    let jobs = plan_pull(session);

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
    // Names are short; one long name does not pad every line.
    let width = outcome
        .files
        .iter()
        .map(|f| f.file.chars().count())
        .filter(|&n| n <= 64)
        .max()
        .unwrap_or(0);
    for f in &outcome.files {
        outln(&format!(
            "  {:<width$}  {}  {}",
            terminal_safe(&f.file),
            paint(&f.media_id, Style::Cyan, color),
            paint(&HumanBytes(f.bytes).to_string(), Style::Dim, color)
        ));
    }
    for s in &outcome.skipped {
        outln(&format!(
            "  {} {} ({}): {}",
            paint("skipped", Style::Yellow, color),
            terminal_safe(&s.media_id),
            terminal_safe(&s.context.description),
            terminal_safe(&s.reason)
        ));
    }
    for (id, e) in &outcome.failed {
        outln(&format!(
            "  {} {}: {e}",
            paint("failed", Style::Red, color),
            terminal_safe(id)
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
