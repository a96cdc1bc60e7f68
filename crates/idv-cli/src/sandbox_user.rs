//! `idv sandbox user …`: the end user's side of a session created on the local sandbox
//! (`idv_sandbox::UserSide`), so a session can be created, completed and retrieved from the
//! shell alone.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use idv_cli::terminal_safe::terminal_safe;
use idv_client::SessionId;
use idv_model::{ClientSessionToken, LivenessType, RecommendationValue};
use idv_sandbox::{
    AddedResource, FinishOptions, IdDocumentUpload, LivenessUpload, SupplementaryDocumentUpload,
    Upload, UserSessionStatus, UserSide, UserSideError,
};
use serde_json::Value;

use crate::api;
use crate::cli::GlobalArgs;
use crate::config;
use crate::error::{CliError, CliResult};
use crate::term::outln;

/// The environment variable read for `--token`, so the token stays out of shell history.
pub const ENV_CLIENT_SESSION_TOKEN: &str = "YOTI_CLIENT_SESSION_TOKEN";

/// The largest page, frame or file uploaded (the sandbox takes 16 MiB bodies, base64 included).
const MAX_UPLOAD_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// `--help` examples of `idv sandbox user`.
pub const EXAMPLES: &str = "\
Examples (against `idv sandbox serve`; the token comes from `idv session create --json`):
  export YOTI_IDV_API_URL=http://127.0.0.1:PORT/idverify/v1 YOTI_CLIENT_SESSION_TOKEN=TOKEN
  idv sandbox user status SESSION_ID
  idv sandbox user add-document SESSION_ID --type PASSPORT --country GBR --page passport.jpg
  idv sandbox user add-liveness SESSION_ID --type zoom
  idv sandbox user finish SESSION_ID --recommendation REJECT
  idv session get SESSION_ID

These are the calls a capture front end makes, authenticated by the session's client session
token (--token or YOTI_CLIENT_SESSION_TOKEN; the variable keeps it out of shell history) rather
than the app's key. They exist on the local sandbox only, not on Yoti's API.";

const STATUS_EXAMPLES: &str = "\
Example:
  YOTI_CLIENT_SESSION_TOKEN=TOKEN idv sandbox user status SESSION_ID";

const ADD_DOCUMENT_EXAMPLES: &str = "\
Examples:
  idv sandbox user add-document SESSION_ID --type PASSPORT --country GBR
  idv sandbox user add-document SESSION_ID --type DRIVING_LICENCE --country GBR \\
      --page front.jpg --page back.png --field full_name='Jane Doe'

Without --page the sandbox synthesises the page images. The content type of a file comes from
its extension (.jpg, .jpeg, .png).";

const ADD_SUPPLEMENTARY_EXAMPLES: &str = "\
Examples:
  idv sandbox user add-supplementary SESSION_ID --type UTILITY_BILL --country GBR
  idv sandbox user add-supplementary SESSION_ID --type BANK_STATEMENT --country GBR --file statement.pdf";

const ADD_LIVENESS_EXAMPLES: &str = "\
Examples:
  idv sandbox user add-liveness SESSION_ID                  # the type the session requires
  idv sandbox user add-liveness SESSION_ID --type static --image selfie.jpg
  idv sandbox user add-liveness SESSION_ID --type zoom --frame f1.png --frame f2.png";

const FINISH_EXAMPLES: &str = "\
Examples:
  idv sandbox user finish SESSION_ID                         # every check APPROVE
  idv sandbox user finish SESSION_ID --recommendation REJECT
  idv sandbox user finish SESSION_ID --check LIVENESS=NOT_AVAILABLE

The session then runs its checks and tasks and is COMPLETED: read it with `idv session get`.
A response config set with `idv sandbox config` takes precedence over these outcomes.";

/// The session and the credential of every user-side command.
#[derive(Debug, Clone, Args)]
pub struct UserTarget {
    /// The session id (from `idv session create`).
    pub session_id: SessionId,
    /// The session's client session token (the `sessionToken` of its web-flow URL); `Debug`
    /// never shows it.
    #[arg(
        long,
        env = ENV_CLIENT_SESSION_TOKEN,
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: ClientSessionToken,
}

/// A recommendation the finished session's checks give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecommendationArg {
    /// `APPROVE`.
    Approve,
    /// `REJECT`.
    Reject,
    /// `NOT_AVAILABLE`.
    NotAvailable,
    /// `CONSIDER`.
    Consider,
}

impl RecommendationArg {
    fn model(self) -> RecommendationValue {
        match self {
            RecommendationArg::Approve => RecommendationValue::Approve,
            RecommendationArg::Reject => RecommendationValue::Reject,
            RecommendationArg::NotAvailable => RecommendationValue::NotAvailable,
            RecommendationArg::Consider => RecommendationValue::Consider,
        }
    }
}

/// A liveness capture type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LivenessKind {
    /// `ZOOM`: a facemap and frames.
    Zoom,
    /// `STATIC`: one image.
    Static,
}

/// `idv sandbox user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// The session's state and which requirements are met.
    #[command(after_help = STATUS_EXAMPLES)]
    Status {
        /// The session.
        #[command(flatten)]
        target: UserTarget,
    },
    /// Add an ID document (page images from files, or synthesised).
    #[command(after_help = ADD_DOCUMENT_EXAMPLES)]
    AddDocument {
        /// The session.
        #[command(flatten)]
        target: UserTarget,
        /// The document type: PASSPORT, DRIVING_LICENCE, NATIONAL_ID, …
        #[arg(long = "type", value_name = "TYPE")]
        document_type: String,
        /// The issuing country (ISO 3166-1 alpha-3, e.g. GBR).
        #[arg(long, value_name = "CODE")]
        country: String,
        /// A page image (JPEG or PNG), one per page, in order.
        #[arg(long = "page", value_name = "FILE")]
        pages: Vec<PathBuf>,
        /// A field text extraction reports, as NAME=VALUE (repeatable).
        #[arg(long = "field", value_name = "NAME=VALUE", value_parser = parse_field)]
        fields: Vec<(String, String)>,
    },
    /// Add a supplementary document, such as a proof of address.
    #[command(after_help = ADD_SUPPLEMENTARY_EXAMPLES)]
    AddSupplementary {
        /// The session.
        #[command(flatten)]
        target: UserTarget,
        /// The document type: UTILITY_BILL, BANK_STATEMENT, …
        #[arg(long = "type", value_name = "TYPE")]
        document_type: String,
        /// The issuing country (ISO 3166-1 alpha-3, e.g. GBR).
        #[arg(long, value_name = "CODE")]
        country: String,
        /// A page image (JPEG or PNG), one per page, in order.
        #[arg(long = "page", value_name = "FILE")]
        pages: Vec<PathBuf>,
        /// The document as one file (PDF, JPEG or PNG).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// A field text extraction reports, as NAME=VALUE (repeatable).
        #[arg(long = "field", value_name = "NAME=VALUE", value_parser = parse_field)]
        fields: Vec<(String, String)>,
    },
    /// Add a liveness capture.
    #[command(after_help = ADD_LIVENESS_EXAMPLES)]
    AddLiveness {
        /// The session.
        #[command(flatten)]
        target: UserTarget,
        /// The capture type [default: the type the session requires].
        #[arg(long = "type", value_enum, value_name = "TYPE")]
        liveness_type: Option<LivenessKind>,
        /// A ZOOM frame image (repeatable).
        #[arg(long = "frame", value_name = "FILE")]
        frames: Vec<PathBuf>,
        /// The STATIC image.
        #[arg(long, value_name = "FILE")]
        image: Option<PathBuf>,
    },
    /// Finish the session: its checks and tasks run and it is COMPLETED.
    #[command(after_help = FINISH_EXAMPLES)]
    Finish {
        /// The session.
        #[command(flatten)]
        target: UserTarget,
        /// The recommendation of every check not named with --check [default: APPROVE].
        #[arg(long, value_enum, value_name = "VALUE")]
        recommendation: Option<RecommendationArg>,
        /// The recommendation of the checks of one type, as CHECK_TYPE=VALUE (repeatable).
        #[arg(long = "check", value_name = "CHECK_TYPE=VALUE", value_parser = parse_check)]
        checks: Vec<(String, RecommendationArg)>,
    },
}

fn parse_field(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err("expected NAME=VALUE".to_owned()),
    }
}

fn parse_check(text: &str) -> Result<(String, RecommendationArg), String> {
    let (check, value) = text
        .split_once('=')
        .filter(|(check, _)| !check.is_empty())
        .ok_or_else(|| "expected CHECK_TYPE=VALUE, e.g. LIVENESS=REJECT".to_owned())?;
    let value = RecommendationArg::from_str(value, true).map_err(|_| {
        "the value must be one of APPROVE, REJECT, NOT_AVAILABLE, CONSIDER".to_owned()
    })?;
    Ok((check.to_owned(), value))
}

/// Runs one user-side command.
pub async fn run(global: &GlobalArgs, command: UserCommand) -> CliResult<()> {
    let base_url = config::base_url(global.base_url.as_deref(), |v| std::env::var_os(v))?;
    match command {
        UserCommand::Status { target } => {
            let user = user_side(global, &base_url, &target)?;
            let status = user
                .status()
                .await
                .map_err(|e| map_user_error(e, target.session_id.as_str(), &base_url))?;
            print_status(&status);
        }
        UserCommand::AddDocument {
            target,
            document_type,
            country,
            pages,
            fields,
        } => {
            let mut upload = IdDocumentUpload::new(&document_type, &country);
            for page in &pages {
                upload = upload.page(read_upload(page, false)?);
            }
            for (name, value) in fields {
                upload = upload.document_field(name, Value::String(value));
            }
            let user = user_side(global, &base_url, &target)?;
            let added = user
                .add_id_document(&upload)
                .await
                .map_err(|e| map_user_error(e, target.session_id.as_str(), &base_url))?;
            print_added(&format!("ID document {document_type} {country}"), &added);
        }
        UserCommand::AddSupplementary {
            target,
            document_type,
            country,
            pages,
            file,
            fields,
        } => {
            let mut upload = SupplementaryDocumentUpload::new(&document_type, &country);
            for page in &pages {
                upload = upload.page(read_upload(page, false)?);
            }
            if let Some(file) = &file {
                upload = upload.file(read_upload(file, true)?);
            }
            for (name, value) in fields {
                upload = upload.document_field(name, Value::String(value));
            }
            let user = user_side(global, &base_url, &target)?;
            let added = user
                .add_supplementary_document(&upload)
                .await
                .map_err(|e| map_user_error(e, target.session_id.as_str(), &base_url))?;
            print_added(
                &format!("supplementary document {document_type} {country}"),
                &added,
            );
        }
        UserCommand::AddLiveness {
            target,
            liveness_type,
            frames,
            image,
        } => {
            let mut upload = match liveness_type {
                Some(LivenessKind::Zoom) => LivenessUpload::new(LivenessType::Zoom),
                Some(LivenessKind::Static) => LivenessUpload::new(LivenessType::Static),
                None => LivenessUpload::required_type(),
            };
            for frame in &frames {
                upload = upload.frame(read_upload(frame, false)?);
            }
            if let Some(image) = &image {
                upload = upload.image(read_upload(image, false)?);
            }
            let user = user_side(global, &base_url, &target)?;
            let added = user
                .add_liveness(&upload)
                .await
                .map_err(|e| map_user_error(e, target.session_id.as_str(), &base_url))?;
            print_added("liveness capture", &added);
        }
        UserCommand::Finish {
            target,
            recommendation,
            checks,
        } => {
            let mut options = FinishOptions::default();
            if let Some(value) = recommendation {
                options = options.recommendation(value.model());
            }
            for (check, value) in checks {
                options = options.check(check.as_str(), value.model());
            }
            let user = user_side(global, &base_url, &target)?;
            let status = user
                .finish_with(&options)
                .await
                .map_err(|e| map_user_error(e, target.session_id.as_str(), &base_url))?;
            outln(&format!(
                "finished session {}: {}; read the result with `idv session get {}`",
                terminal_safe(&status.session_id),
                terminal_safe(status.state.as_str()),
                terminal_safe(target.session_id.as_str()),
            ));
        }
    }
    Ok(())
}

/// The user side of the session on the sandbox at `base_url`, trusting `--ca-cert` for https.
fn user_side(global: &GlobalArgs, base_url: &str, target: &UserTarget) -> CliResult<UserSide> {
    let token = target.token.expose_secret();
    if token.is_empty() {
        return Err(CliError::Config(format!(
            "the client session token is empty: pass --token or set {ENV_CLIENT_SESSION_TOKEN}"
        )));
    }
    let https = base_url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    let mut user = UserSide::new(base_url, target.session_id.as_str(), token)
        .map_err(|e| map_user_error(e, target.session_id.as_str(), base_url))?
        .user_agent(concat!("idv-cli/", env!("CARGO_PKG_VERSION")));
    match (&global.ca_cert, https) {
        (Some(path), _) => {
            let pem = std::fs::read_to_string(path).map_err(|e| {
                CliError::Config(format!(
                    "cannot read the CA certificate {}: {e}",
                    path.display()
                ))
            })?;
            user = user
                .with_ca_pem(&pem)
                .map_err(|e| map_user_error(e, target.session_id.as_str(), base_url))?;
        }
        (None, true) => {
            return Err(CliError::Config(format!(
                "the user side runs against the local sandbox only (not {}): pass its URL with \
                 --base-url, and for https its CA with --ca-cert (`idv sandbox serve --tls --ca-out`)",
                terminal_safe(base_url)
            )));
        }
        (None, false) => {}
    }
    if let Some(timeout) = global.timeout {
        user = user.timeout(timeout);
    }
    Ok(user)
}

/// Reads an image (or, for a supplementary document's file, a PDF too), its content type from
/// the extension through `idv_model::content_type`.
fn read_upload(path: &Path, pdf_allowed: bool) -> CliResult<Upload> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let content_type = idv_model::content_type::content_type_for(extension)
        .filter(|t| {
            matches!(*t, "image/jpeg" | "image/png") || (pdf_allowed && *t == "application/pdf")
        })
        .ok_or_else(|| {
            CliError::Config(format!(
                "{}: the extension must be .jpg, .jpeg or .png{}",
                path.display(),
                if pdf_allowed { " (or .pdf)" } else { "" }
            ))
        })?;
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::Config(format!("cannot read {}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_UPLOAD_FILE_BYTES.saturating_add(1)),
        &mut bytes,
    )
    .map_err(|e| CliError::Config(format!("cannot read {}: {e}", path.display())))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_UPLOAD_FILE_BYTES {
        return Err(CliError::Config(format!(
            "{} is larger than {MAX_UPLOAD_FILE_BYTES} bytes",
            path.display()
        )));
    }
    Ok(Upload::new(content_type, bytes))
}

fn print_status(status: &UserSessionStatus) {
    outln(&format!(
        "Session {}: {}, token valid for {} s",
        terminal_safe(&status.session_id),
        terminal_safe(status.state.as_str()),
        status.client_session_token_ttl
    ));
    outln(&format!("Requirements ({}):", status.requirements.len()));
    for requirement in &status.requirements {
        let met = match &requirement.resource_id {
            Some(resource) => format!("met by {}", terminal_safe(resource)),
            None if requirement.needed_to_finish => "needed to finish".to_owned(),
            None => "not met (not needed to finish)".to_owned(),
        };
        outln(&format!(
            "  {}  {}  {met}",
            terminal_safe(&requirement.requirement_type),
            terminal_safe(&requirement.id),
        ));
    }
}

fn print_added(what: &str, added: &AddedResource) {
    outln(&format!(
        "added {}: resource {} (meets requirement {})",
        terminal_safe(what),
        terminal_safe(&added.resource_id),
        terminal_safe(&added.requirement_id)
    ));
    for media in &added.media_ids {
        outln(&format!("  media {}", terminal_safe(media)));
    }
}

/// Exit 2 for what the user typed or configured, 3 for an unknown session, 1 for the rest.
fn map_user_error(e: UserSideError, session_id: &str, base_url: &str) -> CliError {
    match &e {
        UserSideError::InvalidBaseUrl(_)
        | UserSideError::InvalidSessionId
        | UserSideError::NotLoopback
        | UserSideError::Tls(_) => CliError::Config(e.to_string()),
        UserSideError::Api { status: 404, .. } if e.code() == Some("SESSION_NOT_FOUND") => {
            CliError::NotFound(format!("session {session_id} not found ({e})"))
        }
        UserSideError::Connect(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            CliError::Failure(format!(
                "connection refused to {}",
                api::host_port(base_url)
            ))
        }
        _ => CliError::Failure(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_checks_parse() {
        assert_eq!(
            parse_field("full_name=Jane = Doe").unwrap(),
            ("full_name".to_owned(), "Jane = Doe".to_owned())
        );
        assert!(parse_field("=x").is_err() && parse_field("x").is_err());
        assert_eq!(
            parse_check("LIVENESS=not_available").unwrap(),
            ("LIVENESS".to_owned(), RecommendationArg::NotAvailable)
        );
        assert!(parse_check("LIVENESS=MAYBE").is_err() && parse_check("=REJECT").is_err());
    }

    #[test]
    fn the_token_never_shows_in_debug() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "idv", "sandbox", "user", "status", "s-1", "--token", "tok-3f9a",
        ])
        .unwrap();
        let debug = format!("{cli:?}");
        assert!(
            !debug.contains("tok-3f9a") && debug.contains("s-1"),
            "{debug}"
        );
    }

    #[test]
    fn uploads_need_a_known_extension() {
        let dir = tempfile::tempdir().unwrap();
        let gif = dir.path().join("a.gif");
        std::fs::write(&gif, b"GIF89a").unwrap();
        let e = read_upload(&gif, true).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("(or .pdf)"), "{e}");
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, b"%PDF-1.4").unwrap();
        assert!(read_upload(&pdf, false).is_err());
        assert_eq!(
            read_upload(&pdf, true).unwrap().content_type(),
            "application/pdf"
        );
        let png = dir.path().join("page.PNG");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n").unwrap();
        let upload = read_upload(&png, false).unwrap();
        assert_eq!(upload.content_type(), "image/png");
        assert_eq!(&upload.bytes()[..], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn errors_map_to_exit_codes() {
        let api = |status, code: &str| UserSideError::Api {
            status,
            code: code.to_owned(),
            message: "m".to_owned(),
            errors: vec![],
        };
        let base = "http://127.0.0.1:9/idverify/v1";
        assert_eq!(
            map_user_error(api(404, "SESSION_NOT_FOUND"), "s", base).exit_code(),
            3
        );
        assert_eq!(
            map_user_error(api(401, "INVALID_SESSION_TOKEN"), "s", base).exit_code(),
            1
        );
        assert_eq!(
            map_user_error(UserSideError::NotLoopback, "s", base).exit_code(),
            2
        );
        let refused =
            UserSideError::Connect(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(
            map_user_error(refused, "s", base).to_string(),
            "connection refused to 127.0.0.1:9"
        );
    }
}
