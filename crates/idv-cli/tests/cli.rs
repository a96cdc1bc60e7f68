//! End-to-end tests of the `idv` binary against an in-process sandbox on loopback.
//!
//! One sandbox serves every test of this file (each `idv` invocation is its own process); every
//! test uses its own session so that tests can run in parallel.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use idv_sandbox::{
    Fault, PRODUCT_PAGE_SESSION_ID, Route, Sandbox, SandboxBuilder, generate_app_keys,
};
use predicates::prelude::*;

const COMPLETED: &str = include_str!("../../../fixtures/sessions/product-page-5-completed.json");
const CREATED: &str = include_str!("../../../fixtures/sessions/product-page-1-created.json");

/// The passport page image: replaced by a media id unique to the media-delete session.
const PASSPORT_PAGE: &str = "9935a420-364e-4d45-a25d-81b971c7307a";
const DELETABLE_MEDIA: &str = "9935a420-0000-4000-8000-000000000001";
/// The utility bill page image: replaced by a media id the sandbox answers 204 for.
const UTILITY_BILL_PAGE: &str = "c591e997-20b4-40aa-a719-5b46f91c76a2";
const EMPTY_MEDIA: &str = "c591e997-0000-4000-8000-000000000204";

struct Env {
    base_url: String,
    sdk_id: String,
    key_file: PathBuf,
    public_key: PathBuf,
    wrong_key_file: PathBuf,
    _dir: tempfile::TempDir,
}

/// A completed session under another id, with some media ids replaced.
fn completed_as(session_id: &str, replace: &[(&str, &str)]) -> String {
    let mut text = COMPLETED.replace(PRODUCT_PAGE_SESSION_ID, session_id);
    for (from, to) in replace {
        text = text.replace(from, to);
    }
    text
}

/// The exact bytes served for `s-get`.
fn get_session_bytes() -> String {
    completed_as("s-get", &[])
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let keys = generate_app_keys().unwrap();
        let wrong = generate_app_keys().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("key.pem");
        let public_key = dir.path().join("public.pem");
        let wrong_key_file = dir.path().join("wrong-key.pem");
        std::fs::write(&key_file, &keys.private_key_pem).unwrap();
        std::fs::write(&public_key, &keys.public_key_pem).unwrap();
        std::fs::write(&wrong_key_file, &wrong.private_key_pem).unwrap();

        let stages: Vec<String> = vec![
            get_session_bytes(),
            completed_as("s-pull", &[(UTILITY_BILL_PAGE, EMPTY_MEDIA)]),
            completed_as("s-media", &[(PASSPORT_PAGE, DELETABLE_MEDIA)]),
            completed_as("s-delete", &[]),
            completed_as("s-wrong-key", &[]),
            CREATED.replace(PRODUCT_PAGE_SESSION_ID, "s-never"),
        ];
        let sdk_id = keys.sdk_id.clone();
        let (base_url, _) = spawn_sandbox(move |b| {
            b.app_keys(&keys)
                .session_stages(stages)
                .no_content(EMPTY_MEDIA)
        });
        Env {
            base_url,
            sdk_id,
            key_file,
            public_key,
            wrong_key_file,
            _dir: dir,
        }
    })
}

/// Starts a product-page sandbox configured by `configure` on its own runtime thread, serving
/// for the life of the test process. Returns the base URL and the CA PEM (with TLS).
fn spawn_sandbox(
    configure: impl FnOnce(SandboxBuilder) -> SandboxBuilder + Send + 'static,
) -> (String, Option<String>) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let handle = configure(Sandbox::product_page_demo())
                .start()
                .await
                .unwrap();
            tx.send((
                handle.base_url().to_owned(),
                handle.ca_pem().map(str::to_owned),
            ))
            .unwrap();
            // Serve for the life of the test process.
            std::future::pending::<()>().await;
            drop(handle);
        });
    });
    rx.recv_timeout(Duration::from_secs(30)).unwrap()
}

/// `idv` with no settings from the environment of the test run.
fn bare_idv() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idv"));
    for var in [
        "YOTI_CLIENT_SDK_ID",
        "YOTI_KEY_FILE_PATH",
        "YOTI_IDV_API_URL",
        "YOTI_DOC_SCAN_API_URL",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// `idv` configured for the test sandbox through environment variables.
fn idv() -> Command {
    let env = env();
    let mut cmd = bare_idv();
    cmd.env("YOTI_CLIENT_SDK_ID", &env.sdk_id)
        .env("YOTI_KEY_FILE_PATH", &env.key_file)
        .env("YOTI_IDV_API_URL", &env.base_url);
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_command_has_help_with_an_example() {
    for args in [
        &["--help"][..],
        &["session", "--help"],
        &["media", "--help"],
        &["sandbox", "--help"],
        &["session", "get", "--help"],
        &["session", "wait", "--help"],
        &["session", "delete", "--help"],
        &["media", "get", "--help"],
        &["media", "pull", "--help"],
        &["media", "delete", "--help"],
        &["sandbox", "serve", "--help"],
        &["sign", "--help"],
        &["verify", "--help"],
        &["demo", "--help"],
    ] {
        let help = stdout_of(bare_idv().args(args));
        assert!(help.contains("Example"), "{args:?} has no example:\n{help}");
        assert!(help.contains("idv "), "{args:?}:\n{help}");
    }
}

#[test]
fn missing_settings_exit_2_naming_flag_and_variable() {
    bare_idv()
        .args(["session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--sdk-id")
                .and(predicate::str::contains("YOTI_CLIENT_SDK_ID")),
        );
    bare_idv()
        .args(["session", "get", "s-get", "--sdk-id", "app"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--key-file")
                .and(predicate::str::contains("YOTI_KEY_FILE_PATH")),
        );
    bare_idv()
        .args(["sign", "--method", "GET", "--path", "/sessions"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YOTI_KEY_FILE_PATH"));
    // A usage error is 2 as well.
    bare_idv().args(["session", "get"]).assert().code(2);
    bare_idv()
        .args(["--timeout", "soon", "demo"])
        .assert()
        .code(2);
}

#[test]
fn session_get_prints_the_report() {
    let report = stdout_of(idv().args(["session", "get", "s-get"]));
    assert!(
        report.starts_with("Session s-get\nState:   COMPLETED\n"),
        "{report}"
    );
    assert!(
        report.contains("ID document PASSPORT GBR  source IBV  1 page"),
        "{report}"
    );
    assert!(
        report.contains("page-1/frame-3  c8aa83c5-0292-4b4b-9f37-46b6bdca1856  IMAGE"),
        "{report}"
    );
    assert!(
        report.contains("DOCUMENT_SCHEME_VALIDITY_CHECK  DONE  APPROVE  scheme UK_DBS"),
        "{report}"
    );
    assert!(
        report.contains("Overall: APPROVE — all 9 checks are DONE and recommend APPROVE"),
        "{report}"
    );
    assert!(!report.contains('\x1b'), "no colour when piped");
}

#[test]
fn session_get_json_is_the_exact_bytes() {
    let output = idv()
        .args(["session", "get", "s-get", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        get_session_bytes()
    );
}

#[test]
fn settings_from_flags_and_the_fallback_variable() {
    let env = env();
    // Flags only.
    let report = stdout_of(
        bare_idv()
            .args([
                "session",
                "get",
                "s-get",
                "--sdk-id",
                &env.sdk_id,
                "--base-url",
                &env.base_url,
            ])
            .arg("--key-file")
            .arg(&env.key_file),
    );
    assert!(report.contains("State:   COMPLETED"));
    // YOTI_DOC_SCAN_API_URL when YOTI_IDV_API_URL is absent.
    let report = stdout_of(
        bare_idv()
            .env("YOTI_CLIENT_SDK_ID", &env.sdk_id)
            .env("YOTI_KEY_FILE_PATH", &env.key_file)
            .env("YOTI_DOC_SCAN_API_URL", &env.base_url)
            .args(["session", "get", "s-get"]),
    );
    assert!(report.contains("State:   COMPLETED"));
}

#[test]
fn session_wait_follows_the_stages_to_completion() {
    let output = stdout_of(idv().args([
        "session",
        "wait",
        PRODUCT_PAGE_SESSION_ID,
        "--timeout",
        "60s",
        "--interval",
        "100ms",
    ]));
    assert!(output.contains("State:   COMPLETED"), "{output}");
    assert!(output.contains("Checks (9)"), "{output}");
}

#[test]
fn session_wait_times_out_with_the_last_state() {
    idv()
        .args([
            "session",
            "wait",
            "s-never",
            // Room for the first answer on a loaded machine (it gives the last state).
            "--timeout",
            "5s",
            "--interval",
            "200ms",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "did not complete within 5s (last state ONGOING)",
        ));
}

#[test]
fn unknown_session_exits_3() {
    idv()
        .args(["session", "get", "no-such-session"])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("session no-such-session not found")
                .and(predicate::str::contains("404")),
        );
}

#[test]
fn session_delete_then_get_is_not_found() {
    idv()
        .args(["session", "delete", "s-delete"])
        .assert()
        .success()
        .stdout(predicate::str::contains("deleted session s-delete"));
    idv().args(["session", "get", "s-delete"]).assert().code(3);
}

#[test]
fn wrong_key_is_a_401_with_its_code() {
    let env = env();
    bare_idv()
        .env("YOTI_CLIENT_SDK_ID", &env.sdk_id)
        .env("YOTI_KEY_FILE_PATH", &env.wrong_key_file)
        .env("YOTI_IDV_API_URL", &env.base_url)
        .args(["session", "get", "s-wrong-key"])
        .assert()
        .code(1)
        .stderr(predicate::str::is_match(r"error: 401 [A-Z_]+").unwrap());
}

#[test]
fn connection_refused_names_the_address() {
    idv()
        .args([
            "session",
            "get",
            "s-get",
            "--base-url",
            "http://127.0.0.1:1/idverify/v1",
            "--timeout",
            "10s",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "connection refused to 127.0.0.1:1",
        ));
}

#[test]
fn media_get_writes_the_file_named_by_id_and_type() {
    let dir = tempfile::tempdir().unwrap();
    let media_id = "c8aa83c5-0292-4b4b-9f37-46b6bdca1856";
    let out = stdout_of(
        idv()
            .current_dir(dir.path())
            .args(["media", "get", "s-get", media_id]),
    );
    let files = files_under(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let name = &files[0];
    assert!(
        name.starts_with(media_id) && (name.ends_with(".jpg") || name.ends_with(".png")),
        "{name}"
    );
    assert!(out.contains(name.as_str()), "{out}");
    let bytes = std::fs::read(dir.path().join(name)).unwrap();
    if name.ends_with(".png") {
        assert!(bytes.starts_with(b"\x89PNG"));
    } else {
        assert!(bytes.starts_with(&[0xFF, 0xD8]));
    }

    // -o PATH and -o - give the same bytes.
    let target = dir.path().join("page.img");
    stdout_of(
        idv()
            .args(["media", "get", "s-get", media_id, "-o"])
            .arg(&target),
    );
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
    let piped = idv()
        .args(["media", "get", "s-get", media_id, "-o", "-"])
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(piped.stdout, bytes);
}

#[test]
fn media_pull_writes_the_tree_and_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("media");
    let stdout = stdout_of(
        idv()
            .args(["media", "pull", "s-pull", "--concurrency", "3", "--out"])
            .arg(&out),
    );
    let files = files_under(&out);
    // 12 media in the completed session, one of which has no content; plus index.json.
    assert_eq!(files.len(), 11 + 1, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| !f.contains(".incoming") && !f.contains(".part")),
        "{files:?}"
    );
    for expected in [
        "id_documents/PASSPORT-GBR/page-1/frame-2.",
        "id_documents/DRIVING_LICENCE-GBR/page-2/media.",
        "applicant_profiles/9ab4729c/media.json",
        "index.json",
    ] {
        assert!(
            files.iter().any(|f| f.starts_with(expected)),
            "{expected} missing from {files:?}"
        );
    }
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("supplementary_documents/")),
        "{files:?}"
    );

    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["session_id"], "s-pull");
    let entries = index["files"].as_array().unwrap();
    assert_eq!(entries.len(), 11);
    for entry in entries {
        let file = entry["file"].as_str().unwrap();
        let size = std::fs::metadata(out.join(file)).unwrap().len();
        assert_eq!(entry["bytes"].as_u64(), Some(size), "{entry}");
        assert!(
            entry["media_id"].as_str().is_some_and(|id| id.len() == 36),
            "{entry}"
        );
        assert!(
            entry["context"]["location"]
                .as_str()
                .is_some_and(|l| file.starts_with(l)),
            "{entry}"
        );
    }
    let frame = entries
        .iter()
        .find(|e| {
            e["file"]
                .as_str()
                .unwrap()
                .starts_with("id_documents/PASSPORT-GBR/page-1/frame-2.")
        })
        .unwrap();
    assert_eq!(frame["media_id"], "37cbd9b9-b62b-478f-aaf1-233dc0d6eda4");
    assert_eq!(
        frame["context"]["resource_id"],
        "3332241d-2ae7-437a-ae48-4b50ddb41638"
    );
    assert_eq!(
        frame["context"]["description"],
        "ID document PASSPORT GBR, page-1/frame-2"
    );
    let skipped = index["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["media_id"], EMPTY_MEDIA);
    assert_eq!(skipped[0]["reason"], "no content (204)");
    assert!(
        stdout.contains(&format!("skipped {EMPTY_MEDIA}")),
        "{stdout}"
    );
    assert!(stdout.contains("11 files"), "{stdout}");
}

#[test]
fn media_delete_then_get_fails_with_the_api_code() {
    idv()
        .args(["media", "delete", "s-media", DELETABLE_MEDIA])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "deleted media {DELETABLE_MEDIA}"
        )));
    let dir = tempfile::tempdir().unwrap();
    idv()
        .current_dir(dir.path())
        .args(["media", "get", "s-media", DELETABLE_MEDIA])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("404 MEDIA_NOT_FOUND"));
    assert!(files_under(dir.path()).is_empty(), "nothing written");
    // Media of an unknown session: the session is not found.
    idv()
        .args([
            "media",
            "get",
            "no-such-session",
            DELETABLE_MEDIA,
            "-o",
            "-",
        ])
        .assert()
        .code(3);
}

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
fn demo_runs_end_to_end() {
    // As on a fresh machine: from an arbitrary directory, writing `./idv-demo/`; then again
    // over the directory the first run left.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("idv-demo");
    for run in 1..=2 {
        let stdout = stdout_of(bare_idv().current_dir(dir.path()).arg("demo"));
        check_demo_output(&stdout, &out);
        assert!(out.is_dir(), "run {run}: no ./idv-demo/");
    }
}

fn check_demo_output(stdout: &str, out: &Path) {
    assert!(stdout.contains("local IDV sandbox"), "{stdout}");
    assert!(stdout.contains("not against Yoti"), "{stdout}");
    assert!(
        stdout.contains("ONGOING") && stdout.contains("COMPLETED"),
        "{stdout}"
    );
    assert!(stdout.contains("Overall: APPROVE"), "{stdout}");
    assert!(
        stdout.contains("Done: 9 checks (9 APPROVE), verdict APPROVE; 12 files"),
        "{stdout}"
    );
    let files = files_under(out);
    assert_eq!(files.len(), 13, "{files:?}");
    assert!(files.contains(&"index.json".to_owned()));
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("id_documents/PASSPORT-GBR/page-1/frame-3.")),
        "{files:?}"
    );
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(path)
}

#[test]
fn sign_and_verify_reproduce_the_signing_vectors() {
    let vectors: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("signing/vectors.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vectors = vectors["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 6);
    for (i, v) in vectors.iter().enumerate() {
        let method = v["method"].as_str().unwrap();
        let path = v["path_and_query"].as_str().unwrap();
        let body = v["body"].as_str().unwrap();
        let digest = v["digest"].as_str().unwrap();
        let body_file = dir.path().join(format!("body-{i}"));
        std::fs::write(&body_file, body).unwrap();
        let with_body = |cmd: &mut Command| {
            if !body.is_empty() {
                cmd.arg("--body-file").arg(&body_file);
            }
        };

        // --json: one object with the message and the digest, both as in the vector.
        let mut cmd = bare_idv();
        cmd.args([
            "sign",
            "--method",
            method,
            "--path",
            path,
            "--json",
            "--key-file",
        ])
        .arg(fixture("signing/TEST-ONLY-key.pkcs8.pem"));
        with_body(&mut cmd);
        let json: serde_json::Value = serde_json::from_str(&stdout_of(&mut cmd)).unwrap();
        assert_eq!(json["message"], v["message"], "{}", v["name"]);
        assert_eq!(json["digest"], digest, "{}", v["name"]);

        // Text output, with the PKCS#1 key from the environment variable.
        let mut cmd = bare_idv();
        cmd.env(
            "YOTI_KEY_FILE_PATH",
            fixture("signing/TEST-ONLY-key.pkcs1.pem"),
        )
        .args(["sign", "--method", method, "--path", path]);
        with_body(&mut cmd);
        let text = stdout_of(&mut cmd);
        assert_eq!(
            text,
            format!(
                "message: {}\ndigest:  {digest}\n",
                v["message"].as_str().unwrap()
            ),
            "{}",
            v["name"]
        );

        // verify: the vector verifies (exit 0)...
        let mut cmd = bare_idv();
        cmd.args([
            "verify",
            "--method",
            method,
            "--path",
            path,
            "--digest",
            digest,
            "--public-key",
        ])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"));
        with_body(&mut cmd);
        let text = stdout_of(&mut cmd);
        assert!(
            text.contains("verified: sdkId 11111111-2222-4333-8444-555555555555"),
            "{text}"
        );

        // ...and a different method does not (exit 1, saying why).
        let other = if method == "GET" { "DELETE" } else { "GET" };
        let mut cmd = bare_idv();
        cmd.args([
            "verify",
            "--method",
            other,
            "--path",
            path,
            "--digest",
            digest,
            "--public-key",
        ])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"));
        with_body(&mut cmd);
        cmd.assert()
            .code(1)
            .stderr(predicate::str::contains("does not verify"));
    }
}

#[test]
fn verify_explains_a_path_with_the_base_prefix() {
    let vectors: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("signing/vectors.json")).unwrap()).unwrap();
    let v = &vectors["vectors"][0];
    let path = format!("/idverify/v1{}", v["path_and_query"].as_str().unwrap());
    bare_idv()
        .args([
            "verify",
            "--method",
            v["method"].as_str().unwrap(),
            "--path",
            &path,
        ])
        .args(["--digest", v["digest"].as_str().unwrap(), "--public-key"])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("includes the API base path"));
    bare_idv()
        .args([
            "verify",
            "--method",
            "GET",
            "--path",
            "/sessions/x?sdkId=a&nonce=b&timestamp=1",
        ])
        .args(["--digest", "not base64!", "--public-key"])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not standard base64"));
}

#[test]
fn tls_needs_the_ca_certificate() {
    let env = env();
    let public_pem = std::fs::read_to_string(&env.public_key).unwrap();
    let sdk_id = env.sdk_id.clone();
    let (base_url, ca) = spawn_sandbox(move |b| b.app_pem(sdk_id, public_pem).tls());
    assert!(base_url.starts_with("https://127.0.0.1:"), "{base_url}");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.unwrap()).unwrap();

    // Without the CA the server is not trusted: a transport failure, exit 1.
    idv()
        .args([
            "session",
            "get",
            PRODUCT_PAGE_SESSION_ID,
            "--base-url",
            &base_url,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("TLS"));
    // With --ca-cert it is.
    let report = stdout_of(
        idv()
            .args([
                "session",
                "get",
                PRODUCT_PAGE_SESSION_ID,
                "--base-url",
                &base_url,
                "--ca-cert",
            ])
            .arg(&ca_file),
    );
    assert!(
        report.contains("Session 1c3cae90-1769-43a9-8554-d85f2e7cdb0f"),
        "{report}"
    );
}

#[test]
fn failed_downloads_leave_no_partial_files() {
    let keys = generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let sdk_id = keys.sdk_id.clone();
    // Every media body is cut in half: no download can complete.
    let (base_url, _) = spawn_sandbox(move |b| {
        b.app_keys(&keys).fault(
            Route::GetMedia,
            std::iter::repeat_n(Fault::TruncateBody, 200),
        )
    });
    // Reach the completed stage first.
    let mut wait = bare_idv();
    wait.env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "session",
            "wait",
            PRODUCT_PAGE_SESSION_ID,
            "--interval",
            "50ms",
        ])
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url]);
    stdout_of(&mut wait);

    let out = dir.path().join("media");
    bare_idv()
        .env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "media",
            "pull",
            PRODUCT_PAGE_SESSION_ID,
            "--timeout",
            "20s",
            "--out",
        ])
        .arg(&out)
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("12 of 12 media failed"));
    // Only the index (listing nothing) is left: no partial or temporary file.
    assert_eq!(files_under(&out), vec!["index.json".to_owned()]);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["files"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_keys_and_ids_are_usage_errors() {
    let env = env();
    let dir = tempfile::tempdir().unwrap();
    // A key file that does not exist.
    idv()
        .env("YOTI_KEY_FILE_PATH", dir.path().join("missing.pem"))
        .args(["session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.pem"));
    // A public key where the private key is expected: the message says so.
    idv()
        .arg("--key-file")
        .arg(&env.public_key)
        .args(["session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("public key"));
    // A session id that could reach another path is refused before any request.
    idv()
        .args(["session", "get", "../sessions/s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("session id"));
    // A media path that does not start with `/` is refused by sign.
    bare_idv()
        .args([
            "sign",
            "--method",
            "GET",
            "--path",
            "sessions/x",
            "--key-file",
        ])
        .arg(fixture("signing/TEST-ONLY-key.pkcs8.pem"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("must start with `/`"));
}

#[cfg(unix)]
#[test]
fn interrupted_pull_leaves_no_partial_files() {
    let keys = generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let sdk_id = keys.sdk_id.clone();
    // Every media body stops half-way and stalls: downloads stay in flight.
    let (base_url, _) = spawn_sandbox(move |b| {
        b.app_keys(&keys)
            .fault(Route::GetMedia, std::iter::repeat_n(Fault::StallBody, 200))
    });
    let mut wait = bare_idv();
    wait.env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "session",
            "wait",
            PRODUCT_PAGE_SESSION_ID,
            "--interval",
            "50ms",
        ])
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url]);
    stdout_of(&mut wait);

    let out = dir.path().join("media");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_idv"))
        .env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "media",
            "pull",
            PRODUCT_PAGE_SESSION_ID,
            "--timeout",
            "5m",
            "--out",
        ])
        .arg(&out)
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until partial downloads exist on disk.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !(out.exists() && files_under(&out).iter().any(|f| f.contains(".part-"))) {
        assert!(std::time::Instant::now() < deadline, "no download started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert_eq!(
        files_under(&out),
        Vec::<String>::new(),
        "partial files were left"
    );
}

/// Runs `idv` with a pseudo-terminal as stdin/stdout/stderr (util-linux `script`), returning the
/// exit code and what the terminal showed; `None` where `script` is unavailable.
#[cfg(target_os = "linux")]
fn on_terminal(args: &[&str], no_color: bool) -> Option<(i32, String)> {
    let env = env();
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_idv"));
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env("YOTI_CLIENT_SDK_ID", &env.sdk_id)
        .env("YOTI_KEY_FILE_PATH", &env.key_file)
        .env("YOTI_IDV_API_URL", &env.base_url)
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    let output = cmd.output().ok()?;
    Some((
        output.status.code()?,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
}

#[cfg(target_os = "linux")]
#[test]
fn terminal_output_is_coloured_unless_no_color_and_never_binary() {
    let Some((code, shown)) = on_terminal(&["session", "get", "s-get"], false) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("\x1b[32mAPPROVE\x1b[0m"), "{shown}");

    let (code, shown) = on_terminal(&["session", "get", "s-get"], true).unwrap();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("Overall: APPROVE") && !shown.contains('\x1b'),
        "{shown}"
    );

    let media_id = "c8aa83c5-0292-4b4b-9f37-46b6bdca1856";
    let (code, shown) = on_terminal(&["media", "get", "s-get", media_id, "-o", "-"], true).unwrap();
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains("refusing to write binary media to a terminal"),
        "{shown}"
    );
}

#[test]
fn plain_http_to_a_remote_host_is_a_configuration_error() {
    // Refused before anything is sent: no network is touched.
    idv()
        .args([
            "session",
            "get",
            "s-get",
            "--base-url",
            "http://example.invalid/idverify/v1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("http://"));
}
