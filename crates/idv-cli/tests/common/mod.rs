//! What the end-to-end tests of the `idv` binary share: one sandbox per test binary serving a
//! session per test, commands configured for it, more sandboxes on demand, a server that answers
//! whatever it is asked with a canned response, and file helpers.
//!
//! Each test file is its own binary, so not every helper is used by every file.
#![allow(dead_code)]

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, Sandbox, SandboxBuilder, generate_app_keys};

pub const COMPLETED: &str =
    include_str!("../../../idv-sandbox/fixtures/sessions/product-page-5-completed.json");
pub const CREATED: &str =
    include_str!("../../../idv-sandbox/fixtures/sessions/product-page-1-created.json");

/// The passport page image: replaced by a media id unique to the media-delete session.
pub const PASSPORT_PAGE: &str = "9935a420-364e-4d45-a25d-81b971c7307a";
pub const DELETABLE_MEDIA: &str = "9935a420-0000-4000-8000-000000000001";
/// The utility bill page image: replaced by a media id the sandbox answers 204 for.
pub const UTILITY_BILL_PAGE: &str = "c591e997-20b4-40aa-a719-5b46f91c76a2";
pub const EMPTY_MEDIA: &str = "c591e997-0000-4000-8000-000000000204";
/// A media id no client accepts (it could change the request path), served in `s-bad-media`.
pub const MALFORMED_MEDIA: &str = "../../sessions/x y";

/// Text that sets the window title (OSC 0, ended by BEL) and clears the screen (CSI 2J).
pub const HOSTILE: &str = "s\u{1b}]0;pwned\u{7}\u{1b}[2J";

pub struct Env {
    pub base_url: String,
    pub sdk_id: String,
    pub key_file: PathBuf,
    pub public_key: PathBuf,
    pub wrong_key_file: PathBuf,
    _dir: tempfile::TempDir,
}

/// A completed session under another id, with some media ids replaced.
pub fn completed_as(session_id: &str, replace: &[(&str, &str)]) -> String {
    let mut text = COMPLETED.replace(PRODUCT_PAGE_SESSION_ID, session_id);
    for (from, to) in replace {
        text = text.replace(from, to);
    }
    text
}

/// The exact bytes served for `s-get`.
pub fn get_session_bytes() -> String {
    completed_as("s-get", &[])
}

/// `s-hostile`: a completed session whose document type, reason, recovery suggestion,
/// breakdown, check type and state of a check carry terminal escapes.
pub fn hostile_session() -> String {
    serde_json::json!({
        "session_id": "s-hostile", "state": "COMPLETED",
        "resources": {"id_documents": [{
            "id": "d1", "document_type": format!("PASSPORT{HOSTILE}"),
            "issuing_country": "GBR\r\nOverall: APPROVE",
            "pages": [{"media": {"id": "m-hostile-1", "type": "IMAGE"}}]}]},
        "checks": [{
            "id": "c1", "type": "LIVENESS\u{1b}[8m", "state": "DONE",
            "resources_used": ["d1"],
            "report": {"recommendation": {"value": "APPROVE", "reason": HOSTILE,
                                          "recovery_suggestion": "\u{9b}2J\u{202e}"},
                       "breakdown": [{"sub_check": "x\u{1b}[1A", "result": "PASS",
                                      "details": [{"name": "n", "value": HOSTILE}]}]}}]
    })
    .to_string()
}

/// `s-case`: face captures whose short ids differ only in case, and one named like a device.
pub fn case_session() -> String {
    serde_json::json!({
        "session_id": "s-case", "state": "COMPLETED",
        "resources": {"face_capture": [
            {"id": "abcdefgh-0000-4000-8000-000000000001",
             "image": {"media": {"id": "caseaaaa-0000-4000-8000-000000000001", "type": "IMAGE"}}},
            {"id": "ABCDEFGH-0000-4000-8000-000000000002",
             "image": {"media": {"id": "caseaaaa-0000-4000-8000-000000000002", "type": "IMAGE"}}},
            {"id": "AbCdEfGh-0000-4000-8000-000000000003",
             "image": {"media": {"id": "CASEAAAA-0000-4000-8000-000000000001", "type": "IMAGE"}}},
            {"id": "CON",
             "image": {"media": {"id": "caseaaaa-0000-4000-8000-000000000004", "type": "IMAGE"}}}]}
    })
    .to_string()
}

pub fn env() -> &'static Env {
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
            completed_as("s-bad-media", &[(PASSPORT_PAGE, MALFORMED_MEDIA)]),
            CREATED.replace(PRODUCT_PAGE_SESSION_ID, "s-never"),
            hostile_session(),
            case_session(),
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
pub fn spawn_sandbox(
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

/// A server on loopback that answers every request with `status` and the JSON `body`, whatever
/// the request and its signature, as a hostile or broken API could. Serves for the life of the
/// test process; returns its base URL.
pub fn spawn_canned_server(status: u16, body: String) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            // Read the request head; the requests `idv` sends here have no body.
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let response = format!(
                "HTTP/1.1 {status} Canned\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://{addr}/idverify/v1")
}

/// `idv` with no settings from the environment of the test run.
pub fn bare_idv() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idv"));
    for var in [
        "YOTI_CLIENT_SDK_ID",
        "YOTI_KEY_FILE_PATH",
        "YOTI_KEY_PEM",
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
pub fn idv() -> Command {
    let env = env();
    let mut cmd = bare_idv();
    cmd.env("YOTI_CLIENT_SDK_ID", &env.sdk_id)
        .env("YOTI_KEY_FILE_PATH", &env.key_file)
        .env("YOTI_IDV_API_URL", &env.base_url);
    cmd
}

pub fn stdout_of(cmd: &mut Command) -> String {
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

/// Every file under `dir`, relative and `/`-separated, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(relative(dir, &path));
            }
        }
    }
    out.sort();
    out
}

/// Every directory under `dir` (not `dir` itself), relative and `/`-separated, sorted.
pub fn dirs_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.push(relative(dir, &path));
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(path)
}

/// Runs `idv` with a pseudo-terminal as stdin/stdout/stderr (util-linux `script`), returning the
/// exit code and what the terminal showed; `None` where `script` is unavailable.
#[cfg(target_os = "linux")]
pub fn on_terminal(args: &[&str], no_color: bool) -> Option<(i32, String)> {
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

/// A sandbox configured by `configure` (on `Sandbox::builder()`, so it serves only created
/// sessions) on its own runtime thread, serving for the life of the test process; the handle
/// is shared, so a test can read what the sandbox received (`specification(id)`, the log).
pub fn spawn_sandbox_handle(
    configure: impl FnOnce(SandboxBuilder) -> SandboxBuilder + Send + 'static,
) -> std::sync::Arc<idv_sandbox::SandboxHandle> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let handle = configure(Sandbox::builder()).start().await.unwrap();
            tx.send(std::sync::Arc::new(handle)).unwrap();
            // Serve for the life of the test process.
            std::future::pending::<()>().await;
        });
    });
    rx.recv_timeout(Duration::from_secs(30)).unwrap()
}

/// `idv` with credentials for `keys` and the base URL `base_url`, through environment
/// variables.
pub fn idv_for(keys: &idv_sandbox::AppKeys, key_file: &Path, base_url: &str) -> Command {
    let mut cmd = bare_idv();
    cmd.env("YOTI_CLIENT_SDK_ID", &keys.sdk_id)
        .env("YOTI_KEY_FILE_PATH", key_file)
        .env("YOTI_IDV_API_URL", base_url);
    cmd
}
