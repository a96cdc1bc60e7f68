//! `idv media get | pull | delete`.

use std::path::Path;

use idv_cli::naming::safe_relative_path;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::{DownloadTarget, MediaId, SessionId};

use crate::api::{self, Subject};
use crate::cli::{GlobalArgs, MediaCommand};
use crate::error::{CliError, CliResult};
use crate::output::{self, CopyError};
use crate::pull;
use crate::term::{self, errln, outln};

/// `idv media …`
pub async fn run(global: &GlobalArgs, command: MediaCommand) -> CliResult<()> {
    match command {
        MediaCommand::Get {
            session_id,
            media_id,
            output,
        } => get(global, &session_id, &media_id, output.as_deref()).await,
        MediaCommand::Pull {
            session_id,
            out,
            concurrency,
            max_bytes,
        } => {
            let (client, settings) = api::client(global)?;
            let base = settings.base_url.as_str();
            let session = client
                .get_session(&session_id)
                .await
                .map_err(|e| api::map_error(e, Subject::Session(session_id.as_str()), base))?;
            let limits = pull::Limits {
                concurrency: usize::from(concurrency),
                max_bytes,
            };
            let outcome =
                pull::pull_with(&client, &session, session_id.as_str(), &out, limits, base).await?;
            pull::print_outcome(&outcome, term::stdout_color());
            match pull::failure(&outcome) {
                Some(e) => Err(e),
                None => Ok(()),
            }
        }
        MediaCommand::Delete {
            session_id,
            media_id,
        } => {
            let (client, settings) = api::client(global)?;
            let deleted = client
                .delete_media(&session_id, &media_id)
                .await
                .map_err(|e| {
                    api::map_error(e, Subject::Media(session_id.as_str()), &settings.base_url)
                })?;
            outln(&format!(
                "deleted media {media_id} of session {session_id}{}",
                crate::session::deleted_suffix(deleted)
            ));
            Ok(())
        }
    }
}

async fn get(
    global: &GlobalArgs,
    session_id: &SessionId,
    media_id: &MediaId,
    output: Option<&Path>,
) -> CliResult<()> {
    let to_stdout = output.is_some_and(output::is_stdout);
    if to_stdout && term::stdout_is_terminal() {
        return Err(CliError::Config(
            "refusing to write binary media to a terminal: redirect stdout or use -o PATH".into(),
        ));
    }
    let (client, settings) = api::client(global)?;
    let base = settings.base_url.as_str();
    let map = |e| api::map_error(e, Subject::Media(session_id.as_str()), base);
    let no_content = || {
        errln(&format!(
            "media {media_id} has no content (204): nothing written"
        ));
    };
    if to_stdout {
        // Streamed chunk by chunk: constant memory whatever the size. (A failure part-way
        // leaves what was written so far on stdout, and exits 1.)
        let Some(mut stream) = client
            .get_media_stream(session_id, media_id)
            .await
            .map_err(map)?
        else {
            no_content();
            return Ok(());
        };
        return output::stream_to_stdout(&mut stream)
            .await
            .map(drop)
            .map_err(|e| match e {
                CopyError::Read(e) => map(e),
                CopyError::Write(e) => e,
            });
    }
    // To a named file, or to MEDIA_ID plus the extension of the content type in the current
    // directory: either way written through a temporary file renamed once, when complete.
    let target = match output {
        Some(path) => DownloadTarget::file(path),
        None => {
            let stem = safe_relative_path(media_id.as_str());
            DownloadTarget::in_dir(".", stem.to_string_lossy())
        }
    };
    let Some(info) = client
        .download_media_to(session_id, media_id, target)
        .await
        .map_err(map)?
    else {
        no_content();
        return Ok(());
    };
    let written = info.path.strip_prefix(".").unwrap_or(&info.path);
    outln(&format!(
        "wrote {} ({} bytes, {})",
        written.display(),
        info.bytes,
        terminal_safe(info.content_type.as_deref().unwrap_or("no content type"))
    ));
    Ok(())
}
