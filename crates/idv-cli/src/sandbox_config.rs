//! `idv sandbox config session ID --file F` and `idv sandbox config app --file F`: script the
//! outcome of sandbox sessions with a response config, against any sandbox base URL (the local
//! `idv sandbox serve`, or Yoti's hosted sandbox).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::{BaseUrl, PRODUCTION_BASE_URL, SANDBOX_BASE_URL, SessionId};
use idv_model::response_config::ResponseConfig;

use crate::api::{self, Subject};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::json_input;
use crate::term::outln;

/// `--help` examples of `idv sandbox config`.
pub const EXAMPLES: &str = "\
Examples:
  idv --base-url https://api.yoti.com/sandbox/idverify/v1 sandbox config app --file approve-all.json
  idv sandbox config session SESSION_ID --file reject.json
  idv sandbox config session SESSION_ID --file - < reject.json

A response config (Yoti's sandbox format: check_reports, task_results) scripts what the checks
and tasks of a sandbox session return: per session, or for every session of the app (--sdk-id);
a session's config wins over its app's. Set it before the user finishes the session. Sandbox
only: the local sandbox (`idv sandbox serve`) and Yoti's hosted sandbox accept it, so the same
files script both.";

const SESSION_EXAMPLES: &str = "\
Examples:
  idv sandbox config session SESSION_ID --file reject.json
  cat reject.json | idv sandbox config session SESSION_ID --file -

reject.json, for instance:
  {\"check_reports\": {\"ID_DOCUMENT_AUTHENTICITY\": [{\"result\": {\"report\": {
      \"recommendation\": {\"value\": \"REJECT\", \"reason\": \"NOT_GENUINE\"},
      \"breakdown\": [{\"sub_check\": \"security_features\", \"result\": \"FAIL\"}]}}}]}}";

const APP_EXAMPLES: &str = "\
Examples:
  idv sandbox config app --file approve-all.json
  idv --base-url https://api.yoti.com/sandbox/idverify/v1 --sdk-id SANDBOX_SDK_ID \\
      --key-file sandbox-key.pem sandbox config app --file approve-all.json";

/// `idv sandbox config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Script the outcome of one session (PUT /sessions/{id}/response-config).
    #[command(after_help = SESSION_EXAMPLES)]
    Session {
        /// The session id.
        session_id: SessionId,
        /// The response config (JSON); `-` reads standard input.
        #[arg(long, value_name = "FILE|-")]
        file: PathBuf,
    },
    /// Script the default outcome of every session of the app (PUT /apps/{sdkId}/response-config).
    #[command(after_help = APP_EXAMPLES)]
    App {
        /// The response config (JSON); `-` reads standard input.
        #[arg(long, value_name = "FILE|-")]
        file: PathBuf,
    },
}

/// Reads, checks and sends the response config.
pub async fn run(global: &GlobalArgs, command: ConfigCommand) -> CliResult<()> {
    let (session_id, file) = match &command {
        ConfigCommand::Session { session_id, file } => (Some(session_id), file),
        ConfigCommand::App { file } => (None, file),
    };
    let config = read_config(file)?;
    let (client, settings) = api::client(global)?;
    refuse_production(&settings.base_url)?;
    let base = settings.base_url.as_str();
    match session_id {
        Some(id) => {
            let subject = Subject::Session(id.as_str());
            client
                .put_session_response_config(id.clone(), &config)
                .await
                .map_err(|e| api::map_error(e, subject, base))?;
            outln(&format!(
                "response config set for session {}",
                terminal_safe(id.as_str())
            ));
        }
        None => {
            client
                .put_app_response_config(&config)
                .await
                .map_err(|e| api::map_error(e, Subject::Other, base))?;
            outln(&format!(
                "response config set for every session of app {}",
                terminal_safe(client.sdk_id())
            ));
        }
    }
    Ok(())
}

/// The config, read through the model (unknown keys and values listed on stderr) and
/// validated: a parse error or a broken rule is exit 2 naming the JSON paths.
fn read_config(path: &Path) -> CliResult<ResponseConfig> {
    let name = json_input::source_name(path);
    let bytes = json_input::read_document(path)?;
    let config =
        ResponseConfig::from_slice(&bytes).map_err(|e| CliError::Config(format!("{name}: {e}")))?;
    json_input::report_unknown(&config.unknown_keys(), &config.unknown_values());
    config
        .validate()
        .map_err(|e| CliError::Config(format!("{name}: {e}")))?;
    Ok(config)
}

/// Yoti's production API has no response-config endpoints: point at a sandbox instead of
/// sending a request bound to fail (or, worse, to be read as something else one day).
fn refuse_production(base_url: &str) -> CliResult<()> {
    let is_production = match (
        BaseUrl::parse(base_url),
        BaseUrl::parse(PRODUCTION_BASE_URL),
    ) {
        (Ok(base), Ok(production)) => base.as_str() == production.as_str(),
        _ => false,
    };
    if is_production {
        return Err(CliError::Config(format!(
            "response configs are for sandboxes only, and the base URL is production's: pass \
             --base-url {SANDBOX_BASE_URL} (Yoti's hosted sandbox) or your local sandbox's URL"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_is_refused_and_sandboxes_are_not() {
        let e = refuse_production("https://api.yoti.com/idverify/v1/").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains(SANDBOX_BASE_URL), "{e}");
        assert!(refuse_production(SANDBOX_BASE_URL).is_ok());
        assert!(refuse_production("http://127.0.0.1:4000/idverify/v1").is_ok());
    }

    #[test]
    fn invalid_configs_name_their_paths() {
        let dir = tempfile::tempdir().unwrap();
        let bad_type = dir.path().join("type.json");
        std::fs::write(
            &bad_type,
            br#"{"check_reports": {"async_report_delay": "soon"}}"#,
        )
        .unwrap();
        let e = read_config(&bad_type).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string().contains("check_reports.async_report_delay"),
            "{e}"
        );
        let bad_rule = dir.path().join("rule.json");
        std::fs::write(
            &bad_rule,
            br#"{"check_reports": {"async_report_delay": -1}}"#,
        )
        .unwrap();
        let e = read_config(&bad_rule).unwrap_err();
        assert!(
            e.to_string()
                .contains("check_reports.async_report_delay: must not be negative"),
            "{e}"
        );
    }
}
