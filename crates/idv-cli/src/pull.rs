//! Downloading every media item of a session (`idv media pull` and the demo).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use futures_util::StreamExt as _;
use idv_cli::index_json::{Index, IndexFile, IndexSkipped};
use idv_cli::naming::{extension_for, index_path, with_ext};
use idv_cli::private_files::{create_private_dir_all_async, make_private};
use idv_cli::pull_plan::{PlannedMedia, plan_pull};
use idv_cli::terminal_safe::terminal_safe;
use idv_client::{DownloadTarget, IdvClient, MediaHead};
use idv_model::Session;
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};
use tokio::sync::Notify;

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
    /// The media not written: no content (`204`), or over the cap.
    pub skipped: Vec<IndexSkipped>,
    /// How many of `skipped` the cap left out.
    pub capped: usize,
    /// The cap (`--max-bytes`).
    pub max_bytes: u64,
    /// The media that failed, with why.
    pub failed: Vec<(String, CliError)>,
    /// Total bytes written.
    pub bytes: u64,
    /// The `index.json` written.
    pub index: PathBuf,
}

enum JobResult {
    File(IndexFile),
    /// Not written; `true` when the cap left it out.
    Skipped(IndexSkipped, bool),
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

/// How much a pull may do at once, and in all.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Downloads in flight at once.
    pub concurrency: usize,
    /// The most bytes written in all (`--max-bytes`).
    pub max_bytes: u64,
}

/// The total-bytes cap of a pull, shared by its downloads. A download takes its announced
/// length before writing a byte, gives it back if it fails, and is stopped (its temporary file
/// removed) when the length does not fit: the files written never add up to more than the cap.
#[derive(Debug)]
struct ByteBudget {
    cap: u64,
    taken: Mutex<u64>,
}

impl ByteBudget {
    fn new(cap: u64) -> Self {
        Self {
            cap,
            taken: Mutex::new(0),
        }
    }

    fn taken(&self) -> std::sync::MutexGuard<'_, u64> {
        // A panic while holding this lock cannot leave the count half-updated.
        self.taken.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes `bytes`, or says how many are left.
    fn take(&self, bytes: u64) -> Result<(), u64> {
        let mut taken = self.taken();
        let left = self.cap.saturating_sub(*taken);
        if bytes <= left {
            *taken += bytes;
            Ok(())
        } else {
            Err(left)
        }
    }

    fn give_back(&self, bytes: u64) {
        let mut taken = self.taken();
        *taken = taken.saturating_sub(bytes);
    }

    fn left(&self) -> u64 {
        self.cap.saturating_sub(*self.taken())
    }
}

/// What one download holds of the budget (its current attempt's announced length), and whether
/// its length was refused.
#[derive(Debug, Default)]
struct Claim {
    taken: u64,
    refused: Option<(u64, u64)>,
}

fn lock_claim(claim: &Mutex<Claim>) -> std::sync::MutexGuard<'_, Claim> {
    claim.lock().unwrap_or_else(|e| e.into_inner())
}

/// The skip reason of media left out by the cap.
fn over_cap(cap: u64, detail: &str) -> String {
    format!("over --max-bytes {}{detail}", HumanBytes(cap))
}

async fn download_one(
    client: &IdvClient,
    session_id: &str,
    dir: &Path,
    job: PlannedMedia,
    budget: &Arc<ByteBudget>,
    base_url: &str,
) -> JobResult {
    let skipped = |job: PlannedMedia, reason: String, capped: bool| {
        JobResult::Skipped(
            IndexSkipped {
                media_id: job.media_id,
                context: job.context,
                reason,
            },
            capped,
        )
    };
    if budget.left() == 0 {
        return skipped(job, over_cap(budget.cap, ": the cap was reached"), true);
    }
    let stem_path = dir.join(&job.stem);
    let Some(parent) = stem_path.parent().map(Path::to_path_buf) else {
        return JobResult::Failed(job.media_id, CliError::Failure("bad file name".into()));
    };
    if let Err(e) = create_private_dir_all_async(&parent).await {
        let message = format!("cannot create {}: {e}", parent.display());
        return JobResult::Failed(job.media_id, CliError::Failure(message));
    }
    // The client names the file once the response's head is known (the extension of its
    // content type), streams into a hidden temporary file (random name, 0600) in `parent`, and
    // renames it once, when complete. An interrupted or failed download leaves nothing.
    let claim = Arc::new(Mutex::new(Claim::default()));
    let refused = Arc::new(Notify::new());
    let target = {
        let (claim, refused, budget) = (claim.clone(), refused.clone(), budget.clone());
        let (stem, media_type) = (stem_path.clone(), job.media_type.clone());
        DownloadTarget::named_by(move |head: &MediaHead| {
            let mut claim = lock_claim(&claim);
            // Called once per attempt: a restarted download claims its length afresh.
            budget.give_back(std::mem::take(&mut claim.taken));
            if let Some(length) = head.content_length {
                match budget.take(length) {
                    Ok(()) => claim.taken = length,
                    Err(left) => {
                        claim.refused = Some((length, left));
                        refused.notify_one();
                    }
                }
            }
            with_ext(
                &stem,
                extension_for(head.content_type.as_deref(), media_type.as_deref()),
            )
        })
    };
    let result = tokio::select! {
        biased;
        // Dropping the download removes its temporary file.
        () = refused.notified() => None,
        result = client.download_media_to(session_id, &job.media_id, target) => Some(result),
    };
    let taken = std::mem::take(&mut lock_claim(&claim).taken);
    match result {
        None => {
            let (length, left) = lock_claim(&claim).refused.unwrap_or_default();
            let detail = format!(
                ": {} announced, {} left",
                HumanBytes(length),
                HumanBytes(left)
            );
            skipped(job, over_cap(budget.cap, &detail), true)
        }
        Some(Ok(None)) => {
            budget.give_back(taken);
            skipped(job, "no content (204)".to_owned(), false)
        }
        Some(Ok(Some(info))) => {
            // Without an announced length the size is known only now: over the cap, the
            // file goes.
            budget.give_back(taken);
            if let Err(left) = budget.take(info.bytes) {
                let _ = tokio::fs::remove_file(&info.path).await;
                let detail = format!(": {}, {} left", HumanBytes(info.bytes), HumanBytes(left));
                return skipped(job, over_cap(budget.cap, &detail), true);
            }
            // Identity documents and faces: the user's only (the client creates them 0600, and
            // the directories idv creates are 0700 in any case).
            let _ = make_private(&info.path);
            let relative = info.path.strip_prefix(dir).unwrap_or(&info.path);
            JobResult::File(IndexFile {
                file: index_path(relative),
                media_id: job.media_id,
                media_type: job.media_type,
                content_type: info.content_type,
                bytes: info.bytes,
                context: job.context,
            })
        }
        Some(Err(e)) => {
            budget.give_back(taken);
            let error = api::map_error(e, Subject::MediaFromServer(session_id), base_url);
            JobResult::Failed(job.media_id, error)
        }
    }
}

/// Download every media item of `session` into `dir` with at most `concurrency` downloads at
/// once, then write `dir/index.json`; no total-bytes cap (see [`pull_with`]).
pub async fn pull(
    client: &IdvClient,
    session: &Session,
    session_id: &str,
    dir: &Path,
    concurrency: usize,
    base_url: &str,
) -> CliResult<PullOutcome> {
    let limits = Limits {
        concurrency,
        max_bytes: u64::MAX,
    };
    pull_with(client, session, session_id, dir, limits, base_url).await
}

/// Download every media item of `session` into `dir` within `limits`, then write
/// `dir/index.json`. Failures of single items are collected, not fatal; media left out by the
/// cap are listed as skipped.
pub async fn pull_with(
    client: &IdvClient,
    session: &Session,
    session_id: &str,
    dir: &Path,
    limits: Limits,
    base_url: &str,
) -> CliResult<PullOutcome> {
    create_private_dir_all_async(dir)
        .await
        .map_err(|e| CliError::Config(format!("cannot create {}: {e}", dir.display())))?;
    let jobs = plan_pull(session);
    let budget = Arc::new(ByteBudget::new(limits.max_bytes));

    let bar = progress_bar(jobs.len() as u64);
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    let mut capped = 0;
    let mut bytes = 0u64;
    let mut results = futures_util::stream::iter(jobs)
        .map(|job| download_one(client, session_id, dir, job, &budget, base_url))
        .buffer_unordered(limits.concurrency.max(1));
    while let Some(result) = results.next().await {
        match result {
            JobResult::File(file) => {
                bytes = bytes.saturating_add(file.bytes);
                files.push(file);
            }
            JobResult::Skipped(s, by_cap) => {
                capped += usize::from(by_cap);
                skipped.push(s);
            }
            JobResult::Failed(id, e) => failed.push((id, e)),
        }
        bar.inc(1);
        bar.set_message(HumanBytes(bytes).to_string());
    }
    drop(results);
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
        capped,
        max_bytes: limits.max_bytes,
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
    if outcome.capped > 0 {
        outln(&format!(
            "{} {} media not downloaded: they would take the files written past --max-bytes {} \
             (raise it to download them)",
            paint("note:", Style::Yellow, color),
            outcome.capped,
            HumanBytes(outcome.max_bytes)
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
