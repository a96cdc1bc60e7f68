//! A session from start to end: the business creates it, a test scripts its outcome, the user
//! completes it, and the business reads the result.
//!
//! ```text
//! cargo run -p idv-client --example create_and_complete
//! ```
//!
//! It runs against a local `idv-sandbox` on loopback, which plays both Yoti and the user (in
//! production the user completes the web flow in a browser, and Yoti notifies you when the
//! session is done). The same client code runs against Yoti's hosted sandbox: build it with
//! your sandbox SDK id and key and `.base_url(idv_client::SANDBOX_BASE_URL)`; there the user's
//! side is the web flow at the printed URL.
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::time::Duration;

use idv_client::{IdvClient, WaitOptions};
use idv_model::response_config::{CheckReports, CheckResponse, ResponseConfig};
use idv_model::spec::{RequestedCheck, RequiredDocument, SessionSpec};
use idv_model::{LivenessType, SessionState};
use idv_sandbox::{IdDocumentUpload, LivenessUpload, Sandbox, UserSide};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let keys = idv_sandbox::generate_app_keys()?;
    let sandbox = Sandbox::builder().app_keys(&keys).start().await?;
    let client = IdvClient::builder()
        .sdk_id(&keys.sdk_id)
        .key_pem(keys.private_key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .build()?;

    // 1. The business creates a session: which checks, which documents.
    let spec = SessionSpec::builder()
        .requested_check(RequestedCheck::document_authenticity())
        .requested_check(RequestedCheck::liveness(LivenessType::Zoom))
        .required_document(RequiredDocument::id_document())
        .build()?;
    let created = client.create_session(&spec).await?;
    let session_id = created
        .session_id
        .clone()
        .ok_or("the create-session result has no session id")?;
    println!("created session {session_id}");
    println!("  the user's web flow: {}", client.web_flow_url(&created)?);

    // 2. A test scripts the outcome: the document is rejected, with a reason.
    let outcome = ResponseConfig::builder()
        .check_reports(
            CheckReports::builder()
                .id_document_authenticity(CheckResponse::reject().reason("FRAUD_SUSPECTED")),
        )
        .build()?;
    client
        .put_session_response_config(&session_id, &outcome)
        .await?;
    println!("  scripted: ID_DOCUMENT_AUTHENTICITY rejects (FRAUD_SUSPECTED)");

    // 3. The user adds a passport and a liveness capture, then finishes.
    let token = created
        .client_session_token
        .as_ref()
        .ok_or("the create-session result has no client session token")?;
    let user = UserSide::new(sandbox.base_url(), &session_id, token.expose_secret())?;
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await?;
    user.add_liveness(&LivenessUpload::required_type()).await?;
    user.finish().await?;
    println!("  the user uploaded a passport and a liveness capture");

    // 4. The business reads the result (in production: when Yoti's notification arrives).
    let options =
        WaitOptions::new(Duration::from_secs(30)).initial_interval(Duration::from_millis(50));
    let session = client.wait_for_completion(&session_id, options).await?;
    if session.state != Some(SessionState::Completed) {
        return Err(format!("the session ended {:?}", session.state).into());
    }
    println!("result: {:?}", session.state);
    for check in &session.checks {
        let check_type = check.check_type.as_ref().map_or("?", |t| t.as_str());
        let recommendation = check
            .report
            .as_ref()
            .and_then(|r| r.recommendation.as_ref());
        let value = recommendation.and_then(|r| r.value.as_ref());
        let reason = recommendation
            .and_then(|r| r.reason.as_deref())
            .map(|r| format!(" ({r})"));
        println!("  - {check_type}: {value:?}{}", reason.unwrap_or_default());
    }
    println!("  summary: {:?}", session.recommendation_summary());

    sandbox.shutdown().await;
    Ok(())
}
