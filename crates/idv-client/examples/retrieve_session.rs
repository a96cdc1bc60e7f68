//! The SDK's main job: retrieve a session's result and save its media, each file named from
//! its content type.
//!
//! ```text
//! cargo run -p idv-client --example retrieve_session [-- OUT_DIR]
//! ```
//!
//! It needs no credentials: it starts a local `idv-sandbox` on loopback serving the completed
//! in-branch session of Yoti's "Retrieve Results" page, and saves the media into `OUT_DIR` (by
//! default a temporary directory, removed at the end). Against Yoti, build the client with
//! `IdvClient::from_env()` (`YOTI_CLIENT_SDK_ID`, and `YOTI_KEY_FILE_PATH` or `YOTI_KEY_PEM`)
//! and pass the id of one of your sessions; nothing else changes.
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::path::PathBuf;

use idv_client::{DownloadTarget, IdvClient};
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Sandbox};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    // The local stand-in for Yoti: a throwaway application key, and the completed session.
    let keys = idv_sandbox::generate_app_keys()?;
    let completed = PRODUCT_PAGE_STAGES[PRODUCT_PAGE_STAGES.len() - 1];
    let sandbox = Sandbox::builder()
        .app_keys(&keys)
        .session_stages([completed])
        .start()
        .await?;
    let client = IdvClient::builder()
        .sdk_id(&keys.sdk_id)
        .key_pem(keys.private_key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .build()?;
    let session_id = PRODUCT_PAGE_SESSION_ID;

    // The result: state, checks and their recommendations.
    let session = client.get_session(session_id).await?;
    let summary = session.recommendation_summary();
    println!("session {session_id}: {:?}", session.state());
    println!(
        "  {} checks: {} approve, {} reject, {} consider, {} not available",
        summary.total_checks,
        summary.approve,
        summary.reject,
        summary.consider,
        summary.not_available
    );
    for check in &session.checks {
        let check_type = check.check_type.as_ref().map_or("?", |t| t.as_str());
        let recommendation = check
            .report
            .as_ref()
            .and_then(|r| r.recommendation.as_ref())
            .and_then(|r| r.value.as_ref());
        println!("  - {check_type}: {recommendation:?}");
    }

    // The media: streamed to a temporary file, renamed once complete (never a partial file),
    // and named `<media id>.<extension of its content type>`.
    let temporary = tempfile::tempdir()?;
    let out_dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| temporary.path().to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&out_dir)?;
    let refs = session.media_refs();
    let mut saved = 0;
    for media in &refs {
        let target = DownloadTarget::in_dir(&out_dir, media.media_id);
        match client
            .download_media_to(session_id, media.media_id, target)
            .await?
        {
            Some(file) => {
                saved += 1;
                println!("  saved {} ({} bytes)", file.path.display(), file.bytes);
            }
            None => println!("  {} has no content (204)", media.media_id),
        }
    }
    println!(
        "{saved} of {} media saved in {}",
        refs.len(),
        out_dir.display()
    );

    sandbox.shutdown().await;
    Ok(())
}
