//! `idv media get | pull | delete`.

use std::path::{Path, PathBuf};

use idv_cli::naming::{extension_for, safe_relative_path, with_ext};
use idv_cli::terminal_safe::terminal_safe;

use crate::api::{self, Subject};
use crate::cli::{GlobalArgs, MediaCommand};
use crate::error::{CliError, CliResult};
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
        } => {
            let (client, settings) = api::client(global)?;
            let base = settings.base_url.as_str();
            let session = client
                .get_session(&session_id)
                .await
                .map_err(|e| api::map_error(e, Subject::Session(&session_id), base))?;
            let outcome = pull::pull(
                &client,
                &session,
                &session_id,
                &out,
                usize::from(concurrency),
                base,
            )
            .await?;
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
            client
                .delete_media(&session_id, &media_id)
                .await
                .map_err(|e| api::map_error(e, Subject::Media(&session_id), &settings.base_url))?;
            outln(&format!("deleted media {media_id} of session {session_id}"));
            Ok(())
        }
    }
}

async fn get(
    global: &GlobalArgs,
    session_id: &str,
    media_id: &str,
    output: Option<&Path>,
) -> CliResult<()> {
    let to_stdout = output.is_some_and(|p| p == Path::new("-"));
    if to_stdout && term::stdout_is_terminal() {
        return Err(CliError::Config(
            "refusing to write binary media to a terminal: redirect stdout or use -o PATH".into(),
        ));
    }
    let (client, settings) = api::client(global)?;
    let base = settings.base_url.as_str();
    let subject = Subject::Media(session_id);
    if to_stdout {
        let media = client
            .get_media(session_id, media_id)
            .await
            .map_err(|e| api::map_error(e, subject, base))?;
        return match media {
            None => {
                errln(&format!(
                    "media {media_id} has no content (204): nothing written"
                ));
                Ok(())
            }
            Some(media) => {
                use std::io::Write as _;
                let mut stdout = std::io::stdout().lock();
                stdout
                    .write_all(media.bytes())
                    .and_then(|()| stdout.flush())
                    .map_err(|e| CliError::Failure(format!("cannot write to stdout: {e}")))
            }
        };
    }
    // To a named file, or to MEDIA_ID plus the extension of the content type in the current
    // directory (downloaded under a hidden name, renamed once the type is known).
    let (target, rename_with_ext) = match output {
        Some(path) => (path.to_path_buf(), None),
        None => {
            let stem = safe_relative_path(media_id);
            (
                PathBuf::from(format!(".{}.incoming", stem.display())),
                Some(stem),
            )
        }
    };
    let info = client
        .download_media(session_id, media_id, &target)
        .await
        .map_err(|e| api::map_error(e, subject, base))?;
    let Some(info) = info else {
        errln(&format!(
            "media {media_id} has no content (204): nothing written"
        ));
        return Ok(());
    };
    let written = match rename_with_ext {
        None => target,
        Some(stem) => {
            let final_path = with_ext(&stem, extension_for(info.content_type.as_deref(), None));
            if let Err(e) = std::fs::rename(&target, &final_path) {
                let _ = std::fs::remove_file(&target);
                return Err(CliError::Failure(format!(
                    "cannot rename the download to {}: {e}",
                    final_path.display()
                )));
            }
            final_path
        }
    };
    outln(&format!(
        "wrote {} ({} bytes, {})",
        written.display(),
        info.bytes,
        terminal_safe(info.content_type.as_deref().unwrap_or("no content type"))
    ));
    Ok(())
}
