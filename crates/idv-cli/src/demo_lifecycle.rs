//! `idv demo`: the whole lifecycle on this machine: the sandbox, a notification receiver, a
//! session created from a realistic specification, the user's side (simulated, or a person in a
//! browser with `--browser`), each notification verified as it arrives, the report and the media.

use std::time::{Duration, Instant};

use idv_cli::report::{Verdict, render_report};
use idv_cli::terminal_safe::terminal_safe;
use idv_client::IdvClient;
use idv_model::notification::{NotificationTopic, NotificationVerifier};
use idv_model::spec::{
    AuthType, ManualCheck, NotificationConfig, RequestedCheck, RequestedTask, RequiredDocument,
    SessionSpec, Topic,
};
use idv_model::{LivenessType, Secret};
use idv_sandbox::{IdDocumentUpload, LivenessUpload, Sandbox, UserSide, generate_app_keys};
use indicatif::HumanBytes;

use crate::cli::DemoArgs;
use crate::error::{CliError, CliResult};
use crate::notification_receiver::Receiver;
use crate::pull;
use crate::sandbox::map_error;
use crate::term::{self, Style, outln, paint};

/// The topics the demo subscribes to, in the order they happen.
const TOPICS: [Topic; 5] = [
    Topic::ResourceUpdate,
    Topic::TaskCompletion,
    Topic::CheckCompletion,
    Topic::ClientSessionTokenDeleted,
    Topic::SessionCompletion,
];

fn failure(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Failure(format!("{what}: {e}"))
}

/// Runs the lifecycle demo.
pub async fn run(args: &DemoArgs) -> CliResult<()> {
    let started = Instant::now();
    let color = term::stdout_color();
    let bold = |t: &str| paint(t, Style::Bold, color);
    let cyan = |t: &str| paint(t, Style::Cyan, color);

    outln(&format!(
        "{} runs the whole lifecycle against the {} on this machine, not against Yoti:\nno credentials, nothing leaves loopback.\n",
        bold("idv demo"),
        bold("local IDV sandbox")
    ));

    // 1. A throwaway application key and the sandbox.
    let keys = generate_app_keys().map_err(map_error)?;
    let sandbox = Sandbox::builder()
        .app_keys(&keys)
        .start()
        .await
        .map_err(map_error)?;
    outln(&format!(
        "1. Started the sandbox at {} for app {} (a throwaway RSA-2048 key; it verifies every signature).",
        cyan(sandbox.base_url()),
        cyan(&keys.sdk_id)
    ));
    let result = drive(
        &sandbox,
        &keys.sdk_id,
        &keys.private_key_pem,
        args,
        started,
        color,
    )
    .await;
    sandbox.shutdown().await;
    result
}

async fn drive(
    sandbox: &idv_sandbox::SandboxHandle,
    sdk_id: &str,
    private_key_pem: &str,
    args: &DemoArgs,
    started: Instant,
    color: bool,
) -> CliResult<()> {
    let bold = |t: &str| paint(t, Style::Bold, color);
    let dim = |t: &str| paint(t, Style::Dim, color);
    let cyan = |t: &str| paint(t, Style::Cyan, color);
    let base_url = sandbox.base_url().to_owned();

    // 2. The business's notification endpoint, protected with basic auth.
    let auth_token = Secret::new(format!("idv-demo:{}", uuid::Uuid::new_v4().simple()));
    let verifier = NotificationVerifier::basic(&auth_token)
        .map_err(|e| failure("cannot set up the notification check", e))?;
    let mut receiver = Receiver::start(verifier)
        .await
        .map_err(|e| failure("cannot start the notification receiver", e))?;
    outln(&format!(
        "2. Listening for notifications at {} (basic auth, checked in constant time).",
        cyan(receiver.url())
    ));

    // 3. The business creates a session.
    let client = IdvClient::builder()
        .sdk_id(sdk_id)
        .key_pem(private_key_pem.as_bytes().to_vec())
        .base_url(&base_url)
        .user_agent_suffix(concat!("idv-cli-demo/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| failure("cannot build the client", e))?;
    let mut notifications = NotificationConfig::builder()
        .endpoint(receiver.url())
        .auth_type(AuthType::Basic)
        .auth_token(auth_token.expose_secret());
    for topic in TOPICS {
        notifications = notifications.topic(topic);
    }
    let spec = SessionSpec::builder()
        .client_session_token_ttl(900)
        .user_tracking_id("idv-demo-user")
        .requested_check(RequestedCheck::document_authenticity())
        .requested_check(RequestedCheck::liveness(LivenessType::Zoom))
        .requested_check(RequestedCheck::face_match(ManualCheck::Fallback))
        .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
        .required_document(RequiredDocument::id_document())
        .notifications(notifications)
        .build()
        .map_err(|e| failure("the demo's specification is invalid", e))?;
    let created = client
        .create_session(&spec)
        .await
        .map_err(|e| failure("cannot create the session", e))?;
    let session_id = created
        .session_id
        .clone()
        .ok_or_else(|| CliError::Failure("the sandbox created a session without an id".into()))?;
    let web_flow = client
        .web_flow_url(&created)
        .map_err(|e| failure("no web-flow URL", e))?;
    outln(&format!(
        "3. Created session {} (document authenticity, liveness, face match, text extraction).\n   The user's web flow: {}",
        cyan(&session_id),
        cyan(web_flow.expose_secret())
    ));

    // 4. The user's side: simulated, or a person in a browser.
    if args.browser {
        outln(&format!(
            "4. Open the URL above in a browser and complete the flow; waiting up to {} for it.",
            humantime::format_duration(args.wait)
        ));
    } else {
        let token = created
            .client_session_token
            .as_ref()
            .ok_or_else(|| CliError::Failure("the create result has no token".into()))?;
        let user = UserSide::new(&base_url, &session_id, token.expose_secret())
            .map_err(|e| failure("cannot reach the user side", e))?;
        user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
            .await
            .map_err(|e| failure("cannot add the document", e))?;
        user.add_liveness(&LivenessUpload::required_type())
            .await
            .map_err(|e| failure("cannot add the liveness capture", e))?;
        user.finish()
            .await
            .map_err(|e| failure("cannot finish the user's side", e))?;
        outln(&format!(
            "4. Completed the user's side as the web flow would: a {} passport, a liveness capture, finish.",
            bold("GBR")
        ));
    }

    // 5. Each notification as it arrives, until the session is complete.
    outln("5. Notifications received (each one's Authorization header verified):");
    let deadline = tokio::time::Instant::now()
        + if args.browser {
            args.wait
        } else {
            Duration::from_secs(60)
        };
    let mut received = 0usize;
    loop {
        let next = tokio::time::timeout_at(deadline, receiver.next()).await;
        let Ok(Some(notification)) = next else {
            return Err(CliError::Failure(format!(
                "no session_completion notification arrived in time ({received} received, {} refused)",
                receiver.refused()
            )));
        };
        received += 1;
        let detail = notification
            .check_id
            .as_deref()
            .map(|id| format!("check {id}"))
            .or_else(|| {
                notification
                    .task_id
                    .as_deref()
                    .map(|id| format!("task {id}"))
            })
            .or_else(|| {
                notification
                    .resource_id
                    .as_deref()
                    .map(|id| format!("resource {id}"))
            })
            .unwrap_or_default();
        outln(&format!(
            "   {} {:<30} {}",
            dim(&format!("[{:>4.1}s]", started.elapsed().as_secs_f64())),
            paint(
                &terminal_safe(notification.topic.as_str()).to_string(),
                Style::Green,
                color
            ),
            dim(&terminal_safe(&detail).to_string())
        ));
        if notification.topic == NotificationTopic::SessionCompletion {
            break;
        }
    }

    // 6. The result, retrieved when the notification said so.
    let session = client
        .get_session(&session_id)
        .await
        .map_err(|e| failure("cannot retrieve the session", e))?;
    outln(&format!(
        "\n6. The report ({}):\n",
        dim("what `idv session get` prints")
    ));
    term::out(&crate::demo::indent(&render_report(&session, color), "   "));

    // 7. The media.
    outln(&format!(
        "\n7. Downloading every media item into {}:",
        bold(&args.out.display().to_string())
    ));
    let outcome = pull::pull(&client, &session, &session_id, &args.out, 4, &base_url).await?;
    pull::print_outcome(&outcome, color);
    if let Some(e) = pull::failure(&outcome) {
        return Err(e);
    }
    let verdict = Verdict::of(&session);
    outln(&format!(
        "\n{} {} notifications, {} checks, verdict {}; {} files ({}) in {}; {:.1} s in all.",
        bold("Done:"),
        received,
        session.checks.len(),
        verdict.label(),
        outcome.files.len(),
        HumanBytes(outcome.bytes),
        outcome.dir.display(),
        started.elapsed().as_secs_f64()
    ));
    outln(&dim(
        "The product page's staged in-branch session: idv demo --product-page. \
         With real credentials: idv session get SESSION_ID (see idv --help).",
    ));
    Ok(())
}
