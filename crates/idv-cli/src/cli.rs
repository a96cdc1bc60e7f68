//! The command tree (clap derive).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use idv_client::{MediaId, SessionId};

/// The production base URL, used when neither `--base-url` nor an environment variable is set.
pub const DEFAULT_BASE_URL: &str = idv_client::PRODUCTION_BASE_URL;

const TOP_EXAMPLES: &str = "\
Examples:
  idv demo                                   # no credentials: runs against the embedded sandbox
  idv session get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv media pull 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --out ./media
  idv sign --method GET --path '/sessions/ID?sdkId=X&nonce=N&timestamp=T'
  idv request GET /sessions/1c3cae90-1769-43a9-8554-d85f2e7cdb0f/configuration

Settings (flags win over environment variables):
  --sdk-id    YOTI_CLIENT_SDK_ID
  --key-file  YOTI_KEY_FILE_PATH, else the PEM itself in YOTI_KEY_PEM
  --base-url  YOTI_IDV_API_URL, else YOTI_DOC_SCAN_API_URL, else https://api.yoti.com/idverify/v1
  --auth      YOTI_AUTH: signed (default) or bearer
  --auth-url  YOTI_AUTH_URL, else https://auth.api.yoti.com/v1/oauth/token

Exit codes: 0 success, 1 API or transport failure, 2 usage or configuration, 3 session not found.";

/// `idv`: the command-line tool for Yoti's Identity Verification (IDV) API.
#[derive(Debug, Parser)]
#[command(
    name = "idv",
    version,
    about = "Inspect IDV sessions, download their media, sign and verify requests, run the local sandbox",
    after_help = TOP_EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Connection settings; every one can come from a flag or an environment variable.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Settings")]
pub struct GlobalArgs {
    /// The application's SDK id, issued by Yoti.
    #[arg(
        long,
        global = true,
        env = idv_client::env::SDK_ID,
        hide_env_values = true,
        value_name = "ID"
    )]
    pub sdk_id: Option<String>,

    /// Path to the application's RSA private key (PEM, PKCS#1 or PKCS#8).
    #[arg(
        long,
        global = true,
        env = idv_client::env::KEY_FILE_PATH,
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub key_file: Option<PathBuf>,

    /// The API base URL [env: YOTI_IDV_API_URL, else YOTI_DOC_SCAN_API_URL]
    /// [default: https://api.yoti.com/idverify/v1].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// An extra CA certificate (PEM) to trust, for private or local test servers.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Time limit: for `session wait` the whole wait (default 5m), otherwise each request
    /// (for example `30s`, `2m`, `1m30s`).
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// How requests authenticate: `signed` (each request signed with the key, the default) or
    /// `bearer` (one signed assertion buys an access token used until it expires).
    #[arg(long, global = true, env = crate::auth::ENV_AUTH, value_enum, value_name = "MODE")]
    pub auth: Option<crate::auth::AuthMode>,

    /// The OAuth token endpoint for `--auth bearer`
    /// [default: https://auth.api.yoti.com/v1/oauth/token].
    #[arg(long, global = true, env = idv_client::env::AUTH_URL, value_name = "URL")]
    pub auth_url: Option<String>,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e} (examples: 30s, 2m, 1m30s, 500ms)"))
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, retrieve, wait for, inspect or delete a session.
    #[command(subcommand, after_help = SESSION_EXAMPLES)]
    Session(SessionCommand),

    /// List the documents the API supports, by country.
    #[command(after_help = crate::documents::EXAMPLES)]
    Documents(crate::documents::DocumentsArgs),

    /// Download or delete a session's media.
    #[command(subcommand, after_help = MEDIA_EXAMPLES)]
    Media(MediaCommand),

    /// The local emulator of the IDV API: serve it, play a session's user, script outcomes.
    #[command(subcommand, after_help = SANDBOX_GROUP_EXAMPLES)]
    Sandbox(SandboxCommand),

    /// Print the exact message that is signed for a request, and its digest.
    #[command(after_help = SIGN_EXAMPLES)]
    Sign(SignArgs),

    /// Check whether a digest verifies for a request: the tool for "why does the API answer 401".
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(VerifyArgs),

    /// Run the whole flow against an embedded sandbox: no credentials, no network.
    #[command(after_help = DEMO_EXAMPLES)]
    Demo(DemoArgs),

    /// Send a signed request to any endpoint and print the response body.
    #[command(after_help = crate::request_cmd::EXAMPLES)]
    Request(crate::request_cmd::RequestCommandArgs),

    /// Add a face-capture image to a session (for a FACE_CAPTURE requirement).
    #[command(subcommand, after_help = crate::face_capture::GROUP_EXAMPLES)]
    FaceCapture(crate::face_capture::FaceCaptureCommand),

    /// In-branch verification (IBV): the instructions, their PDF, the contact, the email.
    #[command(subcommand, after_help = crate::ibv::GROUP_EXAMPLES)]
    Ibv(crate::ibv::IbvCommand),

    /// The device events tracked for a session.
    #[command(subcommand, after_help = crate::devices::GROUP_EXAMPLES)]
    Devices(crate::devices::DevicesCommand),
}

const SESSION_EXAMPLES: &str = "\
Examples:
  idv session create --preset document-liveness
  idv session get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv session wait 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --timeout 10m
  idv session config 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv session delete 1c3cae90-1769-43a9-8554-d85f2e7cdb0f";

const SESSION_GET_EXAMPLES: &str = "\
Examples:
  idv session get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv session get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --json > session.json
  YOTI_CLIENT_SDK_ID=... YOTI_KEY_FILE_PATH=key.pem idv session get SESSION_ID";

const SESSION_WAIT_EXAMPLES: &str = "\
Examples:
  idv session wait 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv session wait 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --timeout 10m --json
  idv session wait 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --interval 500ms

In production, prefer the session-completion notification to polling.";

const SESSION_DELETE_EXAMPLES: &str = "\
Example:
  idv session delete 1c3cae90-1769-43a9-8554-d85f2e7cdb0f";

/// `idv session …`
#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Print a session as a readable report (or exactly as received with --json).
    #[command(after_help = SESSION_GET_EXAMPLES)]
    Get {
        /// The session id.
        session_id: SessionId,
        /// Print the session exactly as received from the API.
        #[arg(long)]
        json: bool,
    },
    /// Wait until the session is completed (or expired), then print it.
    #[command(after_help = SESSION_WAIT_EXAMPLES)]
    Wait {
        /// The session id.
        session_id: SessionId,
        /// Print the final session exactly as received from the API.
        #[arg(long)]
        json: bool,
        /// The first interval between polls; it doubles after each poll, up to 30s.
        #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
        interval: Duration,
    },
    /// Delete a session and everything in it.
    #[command(after_help = SESSION_DELETE_EXAMPLES)]
    Delete {
        /// The session id.
        session_id: SessionId,
    },
    /// Create a session from a specification or a preset; print its id and web-flow URL.
    #[command(after_help = crate::session_create::EXAMPLES)]
    Create(Box<crate::session_create::CreateArgs>),
    /// Print what a session asks of its user: requested checks and required resources.
    #[command(after_help = crate::session_config::EXAMPLES)]
    Config(crate::session_config::ConfigArgs),
}

const MEDIA_EXAMPLES: &str = "\
Examples:
  idv media get SESSION_ID MEDIA_ID -o page.jpg
  idv media pull SESSION_ID --out ./media
  idv media delete SESSION_ID MEDIA_ID";

const MEDIA_GET_EXAMPLES: &str = "\
Examples:
  idv media get SESSION_ID MEDIA_ID                 # writes MEDIA_ID.jpg (extension from the content type)
  idv media get SESSION_ID MEDIA_ID -o page.jpg
  idv media get SESSION_ID MEDIA_ID -o - | file -   # to stdout (refused when stdout is a terminal)";

const MEDIA_PULL_EXAMPLES: &str = "\
Examples:
  idv media pull SESSION_ID --out ./media
  idv media pull SESSION_ID --out ./media --concurrency 8
  idv media pull SESSION_ID --out ./media --max-bytes 500MiB

Files are named by where the media sits, e.g. id_documents/PASSPORT-GBR/page-1/frame-2.jpg,
and index.json maps each file to its media id and context. Media with no content (204) are
reported as skipped, and so are the media left out by --max-bytes (default 2GiB). Failed
or interrupted downloads leave no partial files.";

const MEDIA_DELETE_EXAMPLES: &str = "\
Example:
  idv media delete SESSION_ID MEDIA_ID";

/// `idv media …`
#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Download one media item.
    #[command(after_help = MEDIA_GET_EXAMPLES)]
    Get {
        /// The session id.
        session_id: SessionId,
        /// The media id.
        media_id: MediaId,
        /// Where to write the bytes (`-` for stdout) [default: MEDIA_ID plus an extension].
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Download every media item of a session into a directory.
    #[command(after_help = MEDIA_PULL_EXAMPLES)]
    Pull {
        /// The session id.
        session_id: SessionId,
        /// The directory to write into (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// How many downloads run at once.
        #[arg(long, default_value_t = 4, value_name = "N",
              value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: u16,
        /// Stop downloading once this many bytes are written (`2GiB`, `500MB`, `750k`…);
        /// the media left out are listed as skipped.
        #[arg(long, value_name = "SIZE", default_value = "2GiB",
              value_parser = idv_cli::byte_size::parse_byte_size)]
        max_bytes: u64,
    },
    /// Delete one media item.
    #[command(after_help = MEDIA_DELETE_EXAMPLES)]
    Delete {
        /// The session id.
        session_id: SessionId,
        /// The media id.
        media_id: MediaId,
    },
}

/// `idv sandbox …`
#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Serve the local emulator of the IDV API until interrupted; prints the base URL first.
    #[command(after_help = SANDBOX_EXAMPLES)]
    Serve(crate::sandbox::ServeArgs),
    /// Play the end user of a session created on the local sandbox: documents, liveness, finish.
    #[command(subcommand, after_help = crate::sandbox_user::EXAMPLES)]
    User(crate::sandbox_user::UserCommand),
    /// Script the outcome of sandbox sessions (response config), per session or per app.
    #[command(subcommand, after_help = crate::sandbox_config::EXAMPLES)]
    Config(crate::sandbox_config::ConfigCommand),
}

const SANDBOX_GROUP_EXAMPLES: &str = "\
Examples:
  idv sandbox serve --product-page --app my-app=public.pem
  idv sandbox user add-document SESSION_ID --type PASSPORT --country GBR --token TOKEN
  idv sandbox config session SESSION_ID --file reject.json";

const SANDBOX_EXAMPLES: &str = "\
Examples:
  idv sandbox serve --product-page --app my-app=public.pem
  idv sandbox serve --addr 127.0.0.1:8080 --app my-app=public.pem \\
      --session created.json --session completed.json
  idv sandbox serve --tls --ca-out ca.pem --product-page --app my-app=public.pem

The first line of stdout is the base URL (for example http://127.0.0.1:40123/idverify/v1);
files with the same session_id become stages, served one per retrieval. Point a client at it:
  idv --base-url URL --sdk-id my-app --key-file key.pem session get SESSION_ID";

const SIGN_EXAMPLES: &str = "\
Examples:
  idv sign --key-file key.pem --method GET \\
      --path '/sessions/ID?sdkId=APP&nonce=1e6c0b02-5c1a-4f00-8a5e-3f0e1d2c3b4a&timestamp=1700000000000'
  idv sign --method POST --path '/sessions?sdkId=APP&nonce=N&timestamp=T' --body-file body.json --json

The path is relative to the API base (no /idverify/v1) and is signed exactly as given:
no parameters are added. The message is METHOD&PATH?QUERY[&BASE64(BODY)].";

const VERIFY_EXAMPLES: &str = "\
Example:
  idv verify --method GET --path '/sessions/ID?sdkId=APP&nonce=N&timestamp=T' \\
      --public-key public.pem --digest 'BASE64DIGEST=='

Exit code 0 when the digest verifies, 1 when it does not (the reason is printed).";

const DEMO_EXAMPLES: &str = "\
Examples:
  idv demo
  idv demo --out /tmp/idv-demo
  cargo run --release -p idv-cli -- demo

Everything runs locally: a fresh key is generated, the sandbox starts on a free loopback port
with the five stages of the session from Yoti's \"Retrieve Results\" page, and the SDK waits for
it to complete, prints the report and downloads its media. Nothing is sent to Yoti.";

/// The request `idv sign` and `idv verify` work on.
#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The HTTP method, e.g. GET.
    #[arg(long, value_name = "M")]
    pub method: String,
    /// The path relative to the API base, query included, exactly as sent (or received).
    #[arg(long, value_name = "PATH_WITH_QUERY")]
    pub path: String,
    /// A file holding the request body (signed as its base64).
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
}

/// `idv sign`
#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// The request to sign.
    #[command(flatten)]
    pub request: RequestArgs,
    /// Print one JSON object `{"message": ..., "digest": ...}`.
    #[arg(long)]
    pub json: bool,
}

/// `idv verify`
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The request as received.
    #[command(flatten)]
    pub request: RequestArgs,
    /// The public key (PEM: SPKI, PKCS#1 or a certificate).
    #[arg(long, value_name = "PEM")]
    pub public_key: PathBuf,
    /// The value of the X-Yoti-Auth-Digest header.
    #[arg(long, value_name = "D")]
    pub digest: String,
}

/// `idv demo`
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Where to download the media.
    #[arg(long, value_name = "DIR", default_value = "idv-demo")]
    pub out: PathBuf,
    /// Wait for a person to complete the web flow in their own browser at the printed URL,
    /// instead of completing the user's side automatically.
    #[arg(long, conflicts_with = "product_page")]
    pub browser: bool,
    /// How long `--browser` waits for the flow to be completed.
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    pub wait: Duration,
    /// Instead: the staged in-branch session of Yoti's "Retrieve Results" page, polled until
    /// it completes.
    #[arg(long)]
    pub product_page: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_an_example() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let name = format!("{path} {}", cmd.get_name());
            let subs: Vec<_> = cmd
                .get_subcommands()
                .filter(|c| c.get_name() != "help")
                .collect();
            let help = cmd
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            if !help.contains("idv ") {
                missing.push(name.clone());
            }
            for sub in subs {
                walk(sub, &name, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(
            missing.is_empty(),
            "commands without an example: {missing:?}"
        );
    }

    #[test]
    fn timeout_accepts_humantime() {
        let cli = Cli::try_parse_from(["idv", "--timeout", "1m30s", "demo"]).unwrap();
        assert_eq!(cli.global.timeout, Some(Duration::from_secs(90)));
        assert!(Cli::try_parse_from(["idv", "--timeout", "soon", "demo"]).is_err());
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["idv", "session", "get", "abc", "--sdk-id", "app"]).unwrap();
        assert_eq!(cli.global.sdk_id.as_deref(), Some("app"));
    }

    #[test]
    fn settings_help_names_the_client_variables_and_urls() {
        for name in [
            idv_client::env::SDK_ID,
            idv_client::env::KEY_FILE_PATH,
            idv_client::env::KEY_PEM,
            idv_client::env::BASE_URL,
            idv_client::env::BASE_URL_FALLBACK,
            idv_client::env::AUTH_URL,
            crate::auth::ENV_AUTH,
            idv_client::PRODUCTION_BASE_URL,
            idv_client::DEFAULT_AUTH_URL,
        ] {
            assert!(TOP_EXAMPLES.contains(name), "{name} missing from the help");
        }
    }

    #[test]
    fn ids_and_auth_are_checked_when_parsed() {
        // A malformed id is a usage error (exit 2) before anything is sent.
        for args in [
            &["idv", "session", "get", "../x"][..],
            &["idv", "media", "get", "s", "m/1"],
            &["idv", "media", "pull", "a b", "--out", "x"],
            &["idv", "session", "delete", ""],
        ] {
            let e = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}");
        }
        let cli =
            Cli::try_parse_from(["idv", "--auth", "bearer", "session", "get", "s-1"]).unwrap();
        assert_eq!(cli.global.auth, Some(crate::auth::AuthMode::Bearer));
        assert!(Cli::try_parse_from(["idv", "--auth", "token", "session", "get", "s-1"]).is_err());
    }
}
