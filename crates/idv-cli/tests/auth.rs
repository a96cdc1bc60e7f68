//! `--auth signed|bearer` and `--auth-url` (or `YOTI_AUTH` and `YOTI_AUTH_URL`): bearer mode end
//! to end against a loopback server that plays Yoti's token endpoint and the API (one token
//! request, then `Authorization: Bearer` and no signature), and configuration errors (exit 2).

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use predicates::prelude::*;

/// What the fake server received: method, target and headers (lower-case names) of each
/// request, and its body.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

const TOKEN: &str = "tok-3b1f0c9e";

/// A loopback server with Yoti's token endpoint at `/oauth/token` and, under `/idverify/v1`,
/// `GET /sessions/s-get` for requests bearing the token it issued. One request per connection.
fn spawn_bearer_server() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let received = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (method, target) = (
                parts.next().unwrap_or("").to_owned(),
                parts.next().unwrap_or("").to_owned(),
            );
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
                }
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let request = Received {
                method,
                target,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            let (status, body) = if request.method == "POST" && request.target == "/oauth/token" {
                (
                    200,
                    format!(
                        r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#
                    ),
                )
            } else if request.target.starts_with("/idverify/v1/sessions/s-get")
                && request.header("authorization") == Some(&format!("Bearer {TOKEN}"))
            {
                (200, get_session_bytes())
            } else {
                (
                    401,
                    r#"{"code":"UNAUTHORIZED","message":"no valid token"}"#.to_owned(),
                )
            };
            received.lock().unwrap().push(request);
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    (format!("http://{addr}"), log)
}

/// `idv` with the test credentials and no authentication settings from the test's environment.
fn idv_without_auth_settings() -> assert_cmd::Command {
    let mut cmd = idv();
    cmd.env_remove("YOTI_AUTH").env_remove("YOTI_AUTH_URL");
    cmd
}

#[test]
fn bearer_mode_fetches_one_token_and_sends_no_signature() {
    let (server, log) = spawn_bearer_server();
    let token_url = format!("{server}/oauth/token");
    let base_url = format!("{server}/idverify/v1");
    let report = stdout_of(idv_without_auth_settings().args([
        "--auth",
        "bearer",
        "--auth-url",
        &token_url,
        "--base-url",
        &base_url,
        "session",
        "get",
        "s-get",
    ]));
    assert!(report.contains("State:   COMPLETED"), "{report}");

    let received = log.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "{received:?}");
    let (token, call) = (&received[0], &received[1]);
    assert_eq!(
        (token.method.as_str(), token.target.as_str()),
        ("POST", "/oauth/token")
    );
    assert_eq!(
        token.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        token.body.contains("grant_type=client_credentials"),
        "{token:?}"
    );
    assert!(token.body.contains("client_assertion="), "{token:?}");
    // The API call carries the token, and nothing of a signed request.
    assert_eq!(call.target, "/idverify/v1/sessions/s-get");
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(call.header("x-yoti-auth-digest"), None);
}

#[test]
fn bearer_mode_from_the_environment_works_for_any_request() {
    let (server, log) = spawn_bearer_server();
    let output = idv_without_auth_settings()
        .env("YOTI_AUTH", "bearer")
        .env("YOTI_AUTH_URL", format!("{server}/oauth/token"))
        .env("YOTI_IDV_API_URL", format!("{server}/idverify/v1"))
        .args([
            "request",
            "GET",
            "/sessions/s-get",
            "--query",
            "sdkId=allowed-here",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout, get_session_bytes().as_bytes());
    let received = log.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "{received:?}");
    // Bearer requests are not signed: the query is exactly the one given.
    assert_eq!(
        received[1].target,
        "/idverify/v1/sessions/s-get?sdkId=allowed-here"
    );
    // A refused token is an API error (the server knows only its own).
    let (other, _) = spawn_bearer_server();
    idv_without_auth_settings()
        .args([
            "--auth",
            "bearer",
            "--auth-url",
            &format!("{server}/oauth/token"),
        ])
        .args(["--base-url", &format!("{other}/idverify/v1/x")])
        .args(["session", "get", "s-get"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("401"));
}

#[test]
fn signed_is_the_default_and_ignores_the_token_url() {
    let (server, log) = spawn_bearer_server();
    // Against the sandbox, signed, with a token URL set for another tool: not used.
    let report = stdout_of(
        idv_without_auth_settings()
            .env("YOTI_AUTH_URL", format!("{server}/oauth/token"))
            .args(["session", "get", "s-get"]),
    );
    assert!(report.contains("State:   COMPLETED"), "{report}");
    let report = stdout_of(
        idv_without_auth_settings().args(["--auth", "signed", "session", "get", "s-get"]),
    );
    assert!(report.contains("State:   COMPLETED"), "{report}");
    assert!(log.lock().unwrap().is_empty());
}

#[test]
fn bad_authentication_settings_are_configuration_errors() {
    // Plain http to a host other than loopback: refused when the client is built (exit 2),
    // before anything is sent.
    idv_without_auth_settings()
        .args([
            "--auth",
            "bearer",
            "--auth-url",
            "http://auth.example.invalid/oauth/token",
        ])
        .args(["session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("token URL").and(predicate::str::contains("loopback")));
    idv_without_auth_settings()
        .env("YOTI_AUTH", "bearer")
        .env("YOTI_AUTH_URL", "http://10.1.2.3/oauth/token")
        .args(["devices", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("token URL"));
    idv_without_auth_settings()
        .args(["--auth", "bearer", "--auth-url", "ftp://auth.example/token"])
        .args(["session", "get", "s-get"])
        .assert()
        .code(2);
    // Not a mode.
    idv_without_auth_settings()
        .args(["--auth", "password", "session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("signed").and(predicate::str::contains("bearer")));
    idv_without_auth_settings()
        .env("YOTI_AUTH", "tokens")
        .args(["session", "get", "s-get"])
        .assert()
        .code(2);
}

/// The local sandbox's own token endpoint (`POST {base}/oauth/token`), end to end: each `idv`
/// process asks for one token (the sandbox verifies the signed assertion), then every API
/// request it makes carries it and no signature, a whole `media pull` included.
#[test]
fn bearer_mode_against_the_sandbox_token_endpoint() {
    use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, Route, Sandbox};

    let keys = idv_sandbox::generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let sandbox = {
        let keys = keys.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let builder = Sandbox::product_page_demo().app_keys(&keys);
                let handle = Arc::new(builder.start().await.unwrap());
                tx.send(handle).unwrap();
                // Serve for the life of the test process.
                std::future::pending::<()>().await;
            });
        });
        rx.recv_timeout(Duration::from_secs(30)).unwrap()
    };
    let bearer = || {
        let mut cmd = bare_idv();
        cmd.env("YOTI_CLIENT_SDK_ID", &keys.sdk_id)
            .env("YOTI_KEY_FILE_PATH", &key_file)
            .env("YOTI_IDV_API_URL", sandbox.base_url())
            .env("YOTI_AUTH", "bearer")
            .env(
                "YOTI_AUTH_URL",
                format!("{}/oauth/token", sandbox.base_url()),
            );
        cmd
    };

    let report = stdout_of(bearer().args([
        "session",
        "wait",
        PRODUCT_PAGE_SESSION_ID,
        "--interval",
        "50ms",
    ]));
    assert!(report.contains("State:   COMPLETED"), "{report}");
    let out = dir.path().join("media");
    let pulled = stdout_of(
        bearer()
            .args(["media", "pull", PRODUCT_PAGE_SESSION_ID, "--out"])
            .arg(&out),
    );
    assert!(pulled.contains("12 files"), "{pulled}");
    let raw = bearer()
        .args([
            "request",
            "GET",
            &format!("/sessions/{PRODUCT_PAGE_SESSION_ID}"),
        ])
        .output()
        .unwrap();
    assert!(raw.status.success(), "{raw:?}");

    let log = sandbox.request_log();
    let tokens = log.iter().filter(|e| e.route == Some(Route::Token)).count();
    assert_eq!(tokens, 3, "one token per process: {log:?}");
    let api: Vec<_> = log
        .iter()
        .filter(|e| e.route.is_some() && e.route != Some(Route::Token))
        .collect();
    // At least the session polls, 12 media and the raw request.
    assert!(api.len() >= 14, "{api:?}");
    for entry in &api {
        assert!(
            entry.bearer_verified && !entry.signature_verified && entry.nonce.is_none(),
            "{entry:?}"
        );
    }

    // With every token revoked, the next process fetches a new one.
    sandbox.revoke_tokens();
    stdout_of(bearer().args(["session", "get", PRODUCT_PAGE_SESSION_ID]));
    let tokens = sandbox
        .request_log()
        .iter()
        .filter(|e| e.route == Some(Route::Token))
        .count();
    assert_eq!(tokens, 4);
}
