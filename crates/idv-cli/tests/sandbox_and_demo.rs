//! `idv sandbox serve` and `idv demo`, end to end.

mod common;

use common::*;
use idv_sandbox::PRODUCT_PAGE_SESSION_ID;

#[test]
fn sandbox_serve_prints_the_base_url_first_and_serves() {
    use std::io::{BufRead, BufReader};
    let env = env();
    let app = format!("{}={}", env.sdk_id, env.public_key.display());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_idv"))
        .args(["sandbox", "serve", "--product-page", "--app", &app])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let base_url = first.trim().to_owned();
    let result = idv()
        .args([
            "session",
            "get",
            PRODUCT_PAGE_SESSION_ID,
            "--base-url",
            &base_url,
        ])
        .output();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        base_url.starts_with("http://127.0.0.1:") && base_url.ends_with("/idverify/v1"),
        "{base_url}"
    );
    let output = result.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("State:   ONGOING"));
}

#[test]
fn demo_runs_the_whole_lifecycle_end_to_end() {
    // As on a fresh machine: from an arbitrary directory, writing `./idv-demo/`; then again
    // over the directory the first run left.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("idv-demo");
    for run in 1..=2 {
        let stdout = stdout_of(bare_idv().current_dir(dir.path()).arg("demo"));
        assert!(stdout.contains("not against Yoti"), "{stdout}");
        // The session was created with a web-flow URL for the user.
        assert!(stdout.contains("/web/index.html?sessionID="), "{stdout}");
        // Each subscribed topic arrived, verified, ending with the session's completion.
        for topic in [
            "resource_update",
            "task_completion",
            "check_completion",
            "client_session_token_deleted",
            "session_completion",
        ] {
            assert!(stdout.contains(topic), "run {run}: no {topic}: {stdout}");
        }
        assert!(stdout.contains("State:   COMPLETED"), "{stdout}");
        assert!(stdout.contains("Overall: APPROVE"), "{stdout}");
        assert!(
            stdout.contains("Done: 9 notifications, 4 checks, verdict APPROVE; 10 files"),
            "{stdout}"
        );
        let files = files_under(&out);
        if run == 1 {
            // Ten media and the index (a second run adds its own session's captures).
            assert_eq!(files.len(), 11, "{files:?}");
        }
        assert!(files.contains(&"index.json".to_owned()));
        assert!(
            files
                .iter()
                .any(|f| f.starts_with("id_documents/PASSPORT-GBR/")
                    && f.ends_with("document_fields.json")),
            "text extraction's fields: {files:?}"
        );
    }
}

#[test]
fn demo_product_page_runs_the_staged_session() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("idv-demo");
    let stdout = stdout_of(
        bare_idv()
            .current_dir(dir.path())
            .args(["demo", "--product-page"]),
    );
    assert!(stdout.contains("local IDV sandbox"), "{stdout}");
    assert!(
        stdout.contains("ONGOING") && stdout.contains("COMPLETED"),
        "{stdout}"
    );
    assert!(stdout.contains("Overall: APPROVE"), "{stdout}");
    assert!(
        stdout.contains("Done: 9 checks (9 APPROVE), verdict APPROVE; 12 files"),
        "{stdout}"
    );
    let files = files_under(&out);
    assert_eq!(files.len(), 13, "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("id_documents/PASSPORT-GBR/page-1/frame-3.")),
        "{files:?}"
    );
}
