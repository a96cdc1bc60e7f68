//! `idv session create`: a session from a specification file (read through the typed model)
//! or from a preset, printed as its id and web-flow URL; `--dry-run` prints the exact body
//! instead and sends nothing.

use std::path::PathBuf;

use clap::{ArgGroup, Args, ValueEnum};
use idv_cli::terminal_safe::terminal_safe;
use idv_client::IdvClient;
use idv_model::spec::{
    AuthType, IbvOptions, IbvSupport, LivenessConfig, ManualCheck, NotificationConfig, Objective,
    RequestedCheck, RequestedTask, RequiredDocument, SessionSpec, SpecError, Topic,
};
use idv_model::{LivenessType, Secret};

use crate::api::{self, Subject};
use crate::cli::GlobalArgs;
use crate::config;
use crate::error::{CliError, CliResult};
use crate::json_input;
use crate::term::{errln, outln};

/// `--help` examples of `idv session create`.
pub const EXAMPLES: &str = "\
Examples:
  idv session create --spec spec.json
  idv session create --preset document-liveness
  idv session create --preset document-liveness --dry-run > body.json   # sends nothing
  cat spec.json | idv session create --spec - --json
  idv session create --preset proof-of-address --user-tracking-id user-4711 \\
      --notify-endpoint https://example.com/yoti --notify-auth bearer   # token from YOTI_NOTIFICATION_AUTH_TOKEN

Prints the session id and the URL of the user-facing web flow. That URL carries the session's
client session token (its sessionToken parameter): that is its purpose, so hand it only to the
user who completes the session. --json prints the whole create result, the token included as
client_session_token (for `idv sandbox user ... --token`).

Keys of --spec the model does not know are listed on stderr as `unknown key: <json path>` and
sent as they are; a document that does not parse or breaks a documented rule is refused
(exit 2) with the JSON path of each problem.

Presets:
  document-liveness  ID document authenticity, ZOOM liveness (--liveness static for STATIC),
                     face match (manual check on fallback) and text extraction
  document           ID document authenticity and text extraction
  proof-of-address   an ID document and a proof of address (supplementary document), each with
                     authenticity or text extraction
  ibv                in-branch verification (ibv_options.support MANDATORY): visual review,
                     UK_DBS scheme validity, authenticity and text extraction";

/// The environment variable read for `--notify-token`, so the token stays out of shell history.
pub const ENV_NOTIFICATION_AUTH_TOKEN: &str = "YOTI_NOTIFICATION_AUTH_TOKEN";

/// `client_session_token_ttl` of the presets: ten minutes, as in Yoti's examples.
const PRESET_TOKEN_TTL: i64 = 600;
/// `resources_ttl` of the presets: a week (Yoti asks for at least a day more than the token).
const PRESET_RESOURCES_TTL: i64 = 7 * 24 * 60 * 60;

/// A ready-made specification for a common flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// ID document authenticity, liveness, face match and text extraction.
    DocumentLiveness,
    /// ID document authenticity and text extraction.
    Document,
    /// An ID document and a proof of address, with authenticity and text extraction.
    ProofOfAddress,
    /// In-branch verification: visual review, scheme validity, authenticity, text extraction.
    Ibv,
}

/// The liveness type of a preset with liveness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LivenessArg {
    /// `ZOOM`: a facemap and frames.
    Zoom,
    /// `STATIC`: one image.
    Static,
}

impl LivenessArg {
    fn model(self) -> LivenessType {
        match self {
            LivenessArg::Zoom => LivenessType::Zoom,
            LivenessArg::Static => LivenessType::Static,
        }
    }
}

/// How Yoti authenticates its notifications to the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotifyAuth {
    /// `Authorization: Basic base64(token)`, the token being `user:password`.
    Basic,
    /// `Authorization: Bearer token`.
    Bearer,
}

/// A notification topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopicArg {
    /// `SESSION_COMPLETION`.
    SessionCompletion,
    /// `CHECK_COMPLETION`.
    CheckCompletion,
    /// `TASK_COMPLETION`.
    TaskCompletion,
    /// `RESOURCE_UPDATE`.
    ResourceUpdate,
    /// `CLIENT_SESSION_TOKEN_DELETED`.
    ClientSessionTokenDeleted,
}

impl TopicArg {
    fn model(self) -> Topic {
        match self {
            TopicArg::SessionCompletion => Topic::SessionCompletion,
            TopicArg::CheckCompletion => Topic::CheckCompletion,
            TopicArg::TaskCompletion => Topic::TaskCompletion,
            TopicArg::ResourceUpdate => Topic::ResourceUpdate,
            TopicArg::ClientSessionTokenDeleted => Topic::ClientSessionTokenDeleted,
        }
    }
}

/// `idv session create`
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["spec", "preset"])))]
pub struct CreateArgs {
    /// The session specification (JSON) to send, exactly as the model reads it; `-` reads
    /// standard input.
    #[arg(long, value_name = "FILE|-")]
    pub spec: Option<PathBuf>,

    /// A ready-made specification instead of --spec (see the list below).
    #[arg(long, value_enum, value_name = "PRESET")]
    pub preset: Option<Preset>,

    /// The liveness type of the document-liveness preset [default: zoom].
    #[arg(long, value_enum, requires = "preset", value_name = "TYPE")]
    pub liveness: Option<LivenessArg>,

    /// With a preset: seconds the user-facing flow may use the session [default: 600].
    #[arg(long, requires = "preset", value_name = "SECONDS")]
    pub token_ttl: Option<i64>,

    /// With a preset: seconds the uploaded resources are kept [default: 604800, a week].
    #[arg(long, requires = "preset", value_name = "SECONDS")]
    pub resources_ttl: Option<i64>,

    /// With a preset: your id for the user (not personal data).
    #[arg(long, requires = "preset", value_name = "ID")]
    pub user_tracking_id: Option<String>,

    /// With a preset: where Yoti sends notifications (an https URL).
    #[arg(long, requires = "preset", value_name = "URL")]
    pub notify_endpoint: Option<String>,

    /// How Yoti authenticates itself to the endpoint (needs --notify-token).
    #[arg(long, value_enum, requires = "notify_endpoint", value_name = "SCHEME")]
    pub notify_auth: Option<NotifyAuth>,

    /// The notification token: `user:password` for basic, the token for bearer. Prefer the
    /// environment variable, which keeps it out of shell history. (`Debug` never shows it.)
    #[arg(
        long,
        env = ENV_NOTIFICATION_AUTH_TOKEN,
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub notify_token: Option<Secret>,

    /// A topic to be notified of (repeatable) [default: session-completion].
    #[arg(
        long = "notify-topic",
        value_enum,
        requires = "notify_endpoint",
        value_name = "TOPIC"
    )]
    pub notify_topics: Vec<TopicArg>,

    /// Print the exact body that would be signed and sent, and send nothing (no credentials
    /// needed).
    #[arg(long)]
    pub dry_run: bool,

    /// Print the create result as JSON (session_id, client_session_token, its TTL, the
    /// deadline).
    #[arg(long, conflicts_with = "dry_run")]
    pub json: bool,
}

/// `--dry-run`: the body exactly as the client serialises and signs it, on stdout (no trailing
/// newline: the bytes are the body); where it would go, on stderr. Nothing is sent.
pub fn dry_run(global: &GlobalArgs, args: &CreateArgs) -> CliResult<()> {
    let body = body_of(&specification(args)?)?;
    let base = config::base_url(global.base_url.as_deref(), |v| std::env::var_os(v))?;
    out_bytes(&body);
    errln(&format!(
        "dry run: nothing sent; this is the body of POST {}/sessions ({} bytes)",
        terminal_safe(base.trim_end_matches('/')),
        body.len()
    ));
    Ok(())
}

/// Creates the session (or, with `--dry-run`, prints its body) and prints its id and web-flow
/// URL, or the create result as JSON.
pub async fn run(client: &IdvClient, base_url: &str, args: CreateArgs) -> CliResult<()> {
    let spec = specification(&args)?;
    if args.dry_run {
        out_bytes(&body_of(&spec)?);
        return Ok(());
    }
    let created = client
        .create_session(&spec)
        .await
        .map_err(|e| api::map_error(e, Subject::Other, base_url))?;
    if args.json {
        let json = serde_json::to_string(&created).map_err(|e| {
            CliError::Failure(format!(
                "the create result could not be written as JSON: {e}"
            ))
        })?;
        outln(&json);
        return Ok(());
    }
    let url = client
        .web_flow_url(&created)
        .map_err(|e| CliError::Failure(format!("the server's create result is incomplete: {e}")))?;
    let id = created.session_id.as_deref().unwrap_or_default();
    outln(&format!("Session:  {}", terminal_safe(id)));
    // The URL's purpose is to carry the token to the user: printed in full, on purpose.
    outln(&format!("Web flow: {}", terminal_safe(url.expose_secret())));
    let mut lifetime = Vec::new();
    if let Some(ttl) = created.client_session_token_ttl {
        lifetime.push(format!("token valid for {ttl} s"));
    }
    if let Some(deadline) = &created.session_deadline {
        lifetime.push(format!("deadline {}", terminal_safe(deadline.as_str())));
    }
    if !lifetime.is_empty() {
        outln(&format!("          ({})", lifetime.join(", ")));
    }
    Ok(())
}

/// The specification: `--spec` read through the model (unknown keys listed on stderr) and
/// validated, or the preset built from the flags.
fn specification(args: &CreateArgs) -> CliResult<SessionSpec> {
    if let Some(path) = &args.spec {
        let name = json_input::source_name(path);
        let bytes = json_input::read_document(path)?;
        let spec = SessionSpec::from_slice(&bytes)
            .map_err(|e| CliError::Config(format!("{name}: {e}")))?;
        json_input::report_unknown(&spec.unknown_keys(), &spec.unknown_values());
        spec.validate()
            .map_err(|e| CliError::Config(format!("{name}: {e}")))?;
        return Ok(spec);
    }
    let preset = args.preset.unwrap_or(Preset::DocumentLiveness);
    let notify_token = args
        .notify_token
        .as_ref()
        .map(Secret::expose_secret)
        .filter(|t| !t.is_empty());
    if args.notify_auth.is_some() && notify_token.is_none() {
        return Err(CliError::Config(format!(
            "--notify-auth needs a token: pass --notify-token or set {ENV_NOTIFICATION_AUTH_TOKEN}"
        )));
    }
    let options = PresetOptions {
        liveness: args.liveness.map_or(LivenessType::Zoom, LivenessArg::model),
        token_ttl: args.token_ttl.unwrap_or(PRESET_TOKEN_TTL),
        resources_ttl: args.resources_ttl.unwrap_or(PRESET_RESOURCES_TTL),
        user_tracking_id: args.user_tracking_id.clone(),
        notifications: args.notify_endpoint.as_ref().map(|endpoint| Notify {
            endpoint: endpoint.clone(),
            auth: args.notify_auth.map(|auth| {
                let token = notify_token.unwrap_or_default().to_owned();
                (auth, token)
            }),
            topics: args.notify_topics.iter().map(|t| t.model()).collect(),
        }),
    };
    preset_spec(preset, options).map_err(|e| CliError::Config(format!("--preset: {e}")))
}

/// The body the client sends: `serde_json::to_vec` of the specification, as
/// `IdvClient::create_session` serialises it.
fn body_of(spec: &SessionSpec) -> CliResult<Vec<u8>> {
    serde_json::to_vec(spec).map_err(|e| {
        CliError::Config(format!(
            "the specification could not be written as JSON: {e}"
        ))
    })
}

fn out_bytes(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut stdout, bytes);
    let _ = std::io::Write::flush(&mut stdout);
}

/// The flags a preset is built with.
#[derive(Debug, Clone)]
struct PresetOptions {
    liveness: LivenessType,
    token_ttl: i64,
    resources_ttl: i64,
    user_tracking_id: Option<String>,
    notifications: Option<Notify>,
}

/// The notification flags.
#[derive(Clone)]
struct Notify {
    endpoint: String,
    auth: Option<(NotifyAuth, String)>,
    topics: Vec<Topic>,
}

impl std::fmt::Debug for Notify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a secret: never shown.
        f.debug_struct("Notify")
            .field("endpoint", &self.endpoint)
            .field("auth", &self.auth.as_ref().map(|(auth, _)| auth))
            .field("topics", &self.topics)
            .finish()
    }
}

/// The specification of a preset (validated by the model's builder).
fn preset_spec(preset: Preset, options: PresetOptions) -> Result<SessionSpec, SpecError> {
    let mut spec = SessionSpec::builder()
        .client_session_token_ttl(options.token_ttl)
        .resources_ttl(options.resources_ttl);
    if let Some(id) = options.user_tracking_id {
        spec = spec.user_tracking_id(id);
    }
    if let Some(notify) = options.notifications {
        let mut config = NotificationConfig::builder().endpoint(notify.endpoint);
        if let Some((auth, token)) = notify.auth {
            config = config
                .auth_type(match auth {
                    NotifyAuth::Basic => AuthType::Basic,
                    NotifyAuth::Bearer => AuthType::Bearer,
                })
                .auth_token(token);
        }
        let topics = if notify.topics.is_empty() {
            vec![Topic::SessionCompletion]
        } else {
            notify.topics
        };
        for topic in topics {
            config = config.topic(topic);
        }
        spec = spec.notifications(config);
    }
    let spec = match preset {
        Preset::DocumentLiveness => spec
            .requested_check(RequestedCheck::document_authenticity())
            .requested_check(
                LivenessConfig::builder()
                    .liveness_type(options.liveness)
                    .max_retries(1),
            )
            .requested_check(RequestedCheck::face_match(ManualCheck::Fallback))
            .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
            .required_document(RequiredDocument::id_document()),
        Preset::Document => spec
            .requested_check(RequestedCheck::document_authenticity())
            .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
            .required_document(RequiredDocument::id_document()),
        Preset::ProofOfAddress => spec
            .requested_check(RequestedCheck::document_authenticity())
            .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
            .requested_task(RequestedTask::supplementary_text_extraction(
                ManualCheck::Never,
            ))
            .required_document(RequiredDocument::id_document())
            .required_document(RequiredDocument::supplementary_document(
                Objective::proof_of_address(),
            )),
        Preset::Ibv => spec
            .ibv_options(IbvOptions::builder().support(IbvSupport::Mandatory))
            .requested_check(RequestedCheck::ibv_visual_review())
            .requested_check(RequestedCheck::document_scheme_validity("UK_DBS"))
            .requested_check(RequestedCheck::document_authenticity())
            .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
            .required_document(RequiredDocument::id_document()),
    };
    spec.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn options() -> PresetOptions {
        PresetOptions {
            liveness: LivenessType::Zoom,
            token_ttl: PRESET_TOKEN_TTL,
            resources_ttl: PRESET_RESOURCES_TTL,
            user_tracking_id: None,
            notifications: None,
        }
    }

    fn types(json: &Value, key: &str) -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn document_liveness_asks_for_the_four_checks_and_tasks() {
        let spec = preset_spec(Preset::DocumentLiveness, options()).unwrap();
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(
            types(&json, "requested_checks"),
            [
                "ID_DOCUMENT_AUTHENTICITY",
                "LIVENESS",
                "ID_DOCUMENT_FACE_MATCH"
            ]
        );
        assert_eq!(
            json["requested_checks"][1]["config"],
            json!({"liveness_type": "ZOOM", "max_retries": 1})
        );
        assert_eq!(
            json["requested_checks"][2]["config"],
            json!({"manual_check": "FALLBACK"})
        );
        assert_eq!(
            types(&json, "requested_tasks"),
            ["ID_DOCUMENT_TEXT_DATA_EXTRACTION"]
        );
        assert_eq!(types(&json, "required_documents"), ["ID_DOCUMENT"]);
        assert_eq!(json["client_session_token_ttl"], 600);
        assert_eq!(json["resources_ttl"], 604_800);
        assert!(json.get("notifications").is_none());
    }

    #[test]
    fn static_liveness_is_a_flag() {
        let spec = preset_spec(
            Preset::DocumentLiveness,
            PresetOptions {
                liveness: LivenessType::Static,
                ..options()
            },
        )
        .unwrap();
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(
            json["requested_checks"][1]["config"]["liveness_type"],
            "STATIC"
        );
    }

    #[test]
    fn every_preset_is_a_valid_specification() {
        for preset in Preset::value_variants() {
            let spec = preset_spec(*preset, options()).unwrap();
            assert!(spec.validate().is_ok(), "{preset:?}");
            assert!(spec.unknown_keys().is_empty(), "{preset:?}");
        }
        let poa =
            serde_json::to_value(preset_spec(Preset::ProofOfAddress, options()).unwrap()).unwrap();
        assert_eq!(
            poa["required_documents"][1],
            json!({"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"}})
        );
        let ibv = serde_json::to_value(preset_spec(Preset::Ibv, options()).unwrap()).unwrap();
        assert_eq!(ibv["ibv_options"], json!({"support": "MANDATORY"}));
        assert_eq!(
            types(&ibv, "requested_checks"),
            [
                "IBV_VISUAL_REVIEW_CHECK",
                "DOCUMENT_SCHEME_VALIDITY_CHECK",
                "ID_DOCUMENT_AUTHENTICITY"
            ]
        );
    }

    #[test]
    fn notifications_default_to_session_completion_and_keep_the_token_secret() {
        let spec = preset_spec(
            Preset::Document,
            PresetOptions {
                user_tracking_id: Some("user-4711".into()),
                notifications: Some(Notify {
                    endpoint: "https://example.com/yoti".into(),
                    auth: Some((NotifyAuth::Bearer, "s3cret-token".into())),
                    topics: vec![],
                }),
                ..options()
            },
        )
        .unwrap();
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(
            json["notifications"],
            json!({"endpoint": "https://example.com/yoti", "auth_type": "BEARER",
                   "auth_token": "s3cret-token", "topics": ["SESSION_COMPLETION"]})
        );
        assert_eq!(json["user_tracking_id"], "user-4711");
        assert!(!format!("{spec:?}").contains("s3cret-token"));
    }

    #[test]
    fn the_notification_token_never_shows_in_debug() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "idv",
            "session",
            "create",
            "--preset",
            "document",
            "--notify-endpoint",
            "https://example.com/n",
            "--notify-auth",
            "basic",
            "--notify-token",
            "user:pw-7c1e",
        ])
        .unwrap();
        let debug = format!("{cli:?}");
        assert!(
            !debug.contains("pw-7c1e") && debug.contains("example.com"),
            "{debug}"
        );
    }

    #[test]
    fn bad_preset_flags_are_refused_with_their_path() {
        let e = preset_spec(
            Preset::Document,
            PresetOptions {
                token_ttl: 0,
                notifications: Some(Notify {
                    endpoint: "not a url".into(),
                    auth: None,
                    topics: vec![Topic::CheckCompletion, Topic::CheckCompletion],
                }),
                ..options()
            },
        )
        .unwrap_err();
        assert!(e.has_path("client_session_token_ttl"), "{e}");
        assert!(e.has_path("notifications.endpoint"), "{e}");
    }
}
