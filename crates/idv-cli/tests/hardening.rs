//! Limits, interruptions and edge cases: `media pull --max-bytes` (the files written never add
//! up to more, and what was left out is reported), `media get -o -` streaming as it downloads,
//! pulls stopped at any point (Ctrl-C or `kill`) leaving no hidden or partial file, a delete
//! done by an earlier attempt whose answer was lost, and durations too large for any clock.

mod common;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use idv_sandbox::{
    AppKeys, Fault, PRODUCT_PAGE_SESSION_ID, Route, Sandbox, SandboxBuilder, SandboxHandle,
    generate_app_keys,
};
use predicates::prelude::*;

/// The bytes of every file of a complete pull of `s-pull`, by path.
fn reference_pull() -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    stdout_of(
        idv()
            .args(["media", "pull", "s-pull", "--out"])
            .arg(dir.path()),
    );
    files_under(dir.path())
        .into_iter()
        .filter(|f| f != "index.json")
        .map(|f| {
            let bytes = std::fs::read(dir.path().join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn index_of(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap()
}

#[test]
fn max_bytes_caps_what_a_pull_writes_and_reports_the_rest() {
    let reference = reference_pull();
    let total: usize = reference.values().map(Vec::len).sum();
    let cap = total / 2;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("media");
    let stdout = stdout_of(
        idv()
            .args(["media", "pull", "s-pull", "--max-bytes", &cap.to_string()])
            .arg("--out")
            .arg(&out),
    );
    let index = index_of(&out);
    let files = index["files"].as_array().unwrap();
    let skipped = index["skipped"].as_array().unwrap();
    // Every media is accounted for: 11 with content, 1 without.
    assert_eq!(files.len() + skipped.len(), 12, "{index}");
    let written: u64 = files.iter().map(|f| f["bytes"].as_u64().unwrap()).sum();
    assert!(written as usize <= cap, "{written} > {cap}");
    assert!(!files.is_empty() && files.len() < 11, "{index}");
    let over: Vec<_> = skipped
        .iter()
        .filter(|s| {
            s["reason"]
                .as_str()
                .unwrap()
                .starts_with("over --max-bytes")
        })
        .collect();
    assert_eq!(over.len(), 11 - files.len(), "{index}");
    // What is on disk is exactly what the index lists, each file whole.
    let on_disk: Vec<String> = files_under(&out)
        .into_iter()
        .filter(|f| f != "index.json")
        .collect();
    assert_eq!(on_disk.len(), files.len(), "{on_disk:?}");
    for f in &on_disk {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), &reference[f], "{f}");
    }
    assert!(
        stdout.contains(&format!(
            "{} media not downloaded: they would take the files written past --max-bytes",
            over.len()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("skipped"), "{stdout}");

    // A cap of nothing downloads nothing (and asks for nothing but the session).
    let out = dir.path().join("none");
    stdout_of(
        idv()
            .args(["media", "pull", "s-pull", "--max-bytes", "0", "--out"])
            .arg(&out),
    );
    assert_eq!(files_under(&out), ["index.json"]);
    assert_eq!(index_of(&out)["skipped"].as_array().unwrap().len(), 12);

    // Human sizes; and a size that is not one is a usage error.
    let out = dir.path().join("all");
    stdout_of(
        idv()
            .args(["media", "pull", "s-pull", "--max-bytes", "1.5 GiB", "--out"])
            .arg(&out),
    );
    assert_eq!(files_under(&out).len(), 12);
    idv()
        .args(["media", "pull", "s-pull", "--max-bytes", "lots", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2GiB"));
}

/// A sandbox of its own, configured by the caller, serving the product-page session (which
/// `own_sandbox` brings to its completed stage).
struct OwnSandbox {
    _dir: tempfile::TempDir,
    key_file: PathBuf,
    sdk_id: String,
    base_url: String,
    handle: Arc<SandboxHandle>,
}

fn own_sandbox(
    configure: impl FnOnce(&AppKeys, SandboxBuilder) -> SandboxBuilder + Send + 'static,
) -> OwnSandbox {
    let sandbox = own_sandbox_raw(configure);
    stdout_of(sandbox.idv().args([
        "session",
        "wait",
        PRODUCT_PAGE_SESSION_ID,
        "--interval",
        "50ms",
    ]));
    sandbox
}

/// Like [`own_sandbox`], without reaching the completed stage first.
fn own_sandbox_raw(
    configure: impl FnOnce(&AppKeys, SandboxBuilder) -> SandboxBuilder + Send + 'static,
) -> OwnSandbox {
    let keys = generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let sdk_id = keys.sdk_id.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let builder = configure(&keys, Sandbox::product_page_demo().app_keys(&keys));
            let handle = Arc::new(builder.start().await.unwrap());
            tx.send(handle.clone()).unwrap();
            // Serve for the life of the test process.
            std::future::pending::<()>().await;
        });
    });
    let handle = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    OwnSandbox {
        _dir: dir,
        key_file,
        sdk_id,
        base_url: handle.base_url().to_owned(),
        handle,
    }
}

impl OwnSandbox {
    fn connections(&self) -> u64 {
        self.handle.connections_accepted()
    }

    fn idv(&self) -> assert_cmd::Command {
        let mut cmd = bare_idv();
        cmd.env("YOTI_KEY_FILE_PATH", &self.key_file)
            .env("YOTI_CLIENT_SDK_ID", &self.sdk_id)
            .env("YOTI_IDV_API_URL", &self.base_url);
        cmd
    }

    fn spawn(&self, args: &[&str]) -> std::process::Child {
        std::process::Command::new(env!("CARGO_BIN_EXE_idv"))
            .env("YOTI_KEY_FILE_PATH", &self.key_file)
            .env("YOTI_CLIENT_SDK_ID", &self.sdk_id)
            .env("YOTI_IDV_API_URL", &self.base_url)
            .env_remove("YOTI_AUTH")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

/// Waits (at most 30 s: a guard, not a measurement) until `ready` holds.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `media get -o -` writes the bytes as they arrive: with the body stalled half-way, the first
/// half is already on stdout (a buffering download would have written nothing).
#[cfg(unix)]
#[test]
fn media_get_to_stdout_streams_as_it_downloads() {
    let media_id = "37cbd9b9-b62b-478f-aaf1-233dc0d6eda4";
    let sandbox = own_sandbox(|_, b| b);
    let whole = sandbox
        .idv()
        .args(["media", "get", PRODUCT_PAGE_SESSION_ID, media_id, "-o", "-"])
        .output()
        .unwrap()
        .stdout;
    assert!(whole.len() > 1000, "{}", whole.len());

    let sandbox = own_sandbox(|_, b| b.fault(Route::GetMedia, [Fault::StallBody]));
    let mut child = sandbox.spawn(&["media", "get", PRODUCT_PAGE_SESSION_ID, media_id, "-o", "-"]);
    let mut stdout = child.stdout.take().unwrap();
    let half = whole.len() / 2;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut got = vec![0; half];
        let result = stdout.read_exact(&mut got).map(|()| got);
        let _ = tx.send(result);
    });
    let got = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the first half never reached stdout")
        .unwrap();
    assert_eq!(got, whole[..half]);
    // Still running: the rest never comes.
    assert!(child.try_wait().unwrap().is_none());
    child.kill().unwrap();
    let _ = child.wait();
}

/// Files in `out` that are ours and not whole: hidden (temporary) names, or contents that
/// differ from the complete pull's.
fn partial_files(out: &Path, reference: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    if !out.exists() {
        return Vec::new();
    }
    files_under(out)
        .into_iter()
        .filter(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            if name.starts_with('.') {
                return true;
            }
            if f == "index.json" {
                return false;
            }
            reference
                .get(f)
                .is_none_or(|bytes| std::fs::read(out.join(f)).ok().as_ref() != Some(bytes))
        })
        .collect()
}

/// Sends `signal` to `child` and returns its exit code and stderr.
#[cfg(unix)]
fn stop(child: std::process::Child, signal: &str) -> (Option<i32>, String) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A pull stopped (Ctrl-C or `kill`) at any point leaves the complete files it renamed into
/// place, and nothing hidden or partial: before any download, with downloads half-way, and with
/// most files written and two stalled.
#[cfg(unix)]
#[test]
fn a_pull_stopped_at_any_point_leaves_no_hidden_or_partial_file() {
    // The product-page session's media, as a complete pull writes them.
    let complete = {
        let sandbox = own_sandbox(|_, b| b);
        let dir = tempfile::tempdir().unwrap();
        stdout_of(
            sandbox
                .idv()
                .args(["media", "pull", PRODUCT_PAGE_SESSION_ID, "--out"])
                .arg(dir.path()),
        );
        let files: BTreeMap<String, Vec<u8>> = files_under(dir.path())
            .into_iter()
            .filter(|f| f != "index.json")
            .map(|f| {
                let bytes = std::fs::read(dir.path().join(&f)).unwrap();
                (f, bytes)
            })
            .collect();
        assert_eq!(files.len(), 12);
        files
    };
    let in_flight = |out: &Path| {
        out.exists()
            && files_under(out)
                .iter()
                .any(|f| f.rsplit('/').next().unwrap_or(f).starts_with('.'))
    };
    let whole = |out: &Path| {
        if !out.exists() {
            return 0;
        }
        files_under(out)
            .iter()
            .filter(|f| {
                complete
                    .get(*f)
                    .is_some_and(|b| std::fs::read(out.join(f)).ok().as_ref() == Some(b))
            })
            .count()
    };

    for signal in ["INT", "TERM"] {
        let expected_code = if signal == "INT" { 130 } else { 143 };
        let expected_line = if signal == "INT" {
            "interrupted"
        } else {
            "terminated"
        };
        let dir = tempfile::tempdir().unwrap();

        // 1. Stopped while the session is fetched (its answer is slow): nothing is created.
        let sandbox = own_sandbox_raw(|_, b| {
            b.fault(Route::GetSession, [Fault::Delay(Duration::from_secs(600))])
        });
        let out = dir.path().join("early");
        let child = sandbox.spawn(&[
            "media",
            "pull",
            PRODUCT_PAGE_SESSION_ID,
            "--out",
            out.to_str().unwrap(),
        ]);
        // The request is in the sandbox (its connection accepted) before the signal.
        wait_until("the session requested", || sandbox.connections() > 0);
        let (code, stderr) = stop(child, signal);
        assert_eq!(code, Some(expected_code), "{stderr}");
        assert!(!out.exists(), "{signal}");

        // 2. Stopped with downloads half-way (every body stalls after half).
        let sandbox = own_sandbox(|_, b| {
            b.fault(Route::GetMedia, std::iter::repeat_n(Fault::StallBody, 200))
        });
        let out = dir.path().join("halfway");
        let child = sandbox.spawn(&[
            "media",
            "pull",
            PRODUCT_PAGE_SESSION_ID,
            "--out",
            out.to_str().unwrap(),
        ]);
        wait_until("a download in flight", || in_flight(&out));
        let (code, stderr) = stop(child, signal);
        assert_eq!(code, Some(expected_code), "{stderr}");
        assert!(stderr.contains(expected_line), "{stderr}");
        assert_eq!(
            partial_files(&out, &complete),
            Vec::<String>::new(),
            "{signal}"
        );
        assert_eq!(whole(&out), 0);

        // 3. Stopped with ten files written and two downloads stalled.
        let sandbox =
            own_sandbox(|_, b| b.fault(Route::GetMedia, [Fault::StallBody, Fault::StallBody]));
        let out = dir.path().join("most");
        let child = sandbox.spawn(&[
            "media",
            "pull",
            PRODUCT_PAGE_SESSION_ID,
            "--concurrency",
            "4",
            "--out",
            out.to_str().unwrap(),
        ]);
        wait_until("ten files written", || whole(&out) == 10 && in_flight(&out));
        let (code, stderr) = stop(child, signal);
        assert_eq!(code, Some(expected_code), "{stderr}");
        assert_eq!(
            partial_files(&out, &complete),
            Vec::<String>::new(),
            "{signal}"
        );
        assert_eq!(whole(&out), 10);
    }
}

/// A loopback server that answers its `n`th connection's request with `script[n]`: a status
/// and a JSON body, or `None` to close the connection without answering (the request may have
/// had its effect: its outcome is unknown). Returns the base URL and the requests' lines.
fn spawn_scripted_server(
    script: Vec<Option<(u16, &'static str)>>,
) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let received = log.clone();
    std::thread::spawn(move || {
        let mut script = script.into_iter();
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = std::io::BufReader::new(stream);
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
                    break;
                }
            }
            received.lock().unwrap().push(first.trim().to_owned());
            let Some(Some((status, body))) = script.next() else {
                continue; // dropped: closed without a response
            };
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    (format!("http://{addr}/idverify/v1"), log)
}

/// A delete whose answer was lost (the connection closed after the server received it): the
/// retry is told 404, and the command says the earlier attempt did it, with exit 0.
#[test]
fn a_delete_done_by_an_earlier_attempt_is_a_success() {
    let not_found = r#"{"code":"SESSION_NOT_FOUND","message":"no such session"}"#;
    let (base_url, log) = spawn_scripted_server(vec![None, Some((404, not_found))]);
    let out = stdout_of(idv().args(["--base-url", &base_url, "session", "delete", "s-gone"]));
    assert_eq!(
        out,
        "deleted session s-gone (by an earlier attempt whose answer was lost: the retry was \
         told it no longer exists)\n"
    );
    let requests = log.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(
        requests
            .iter()
            .all(|r| r.starts_with("DELETE /idverify/v1/sessions/s-gone?"))
    );

    // Without a lost answer, a 404 is "not found" (exit 3), for media and devices alike.
    let (base_url, _) = spawn_scripted_server(vec![Some((404, not_found))]);
    idv()
        .args(["--base-url", &base_url, "session", "delete", "s-gone"])
        .assert()
        .code(3);
    let (base_url, _) = spawn_scripted_server(vec![None, Some((404, not_found))]);
    let out = stdout_of(idv().args(["--base-url", &base_url, "devices", "delete", "s-gone"]));
    assert!(out.contains("by an earlier attempt"), "{out}");
}

/// Durations beyond any clock are clamped, never a panic (exit 101).
#[test]
fn huge_durations_do_not_panic() {
    let report = stdout_of(idv().args(["--timeout", "400000000000y", "session", "get", "s-get"]));
    assert!(report.contains("State:   COMPLETED"), "{report}");
    let report = stdout_of(idv().args([
        "session",
        "wait",
        "s-get",
        "--timeout",
        "400000000000y",
        "--interval",
        "400000000000y",
    ]));
    assert!(report.contains("State:   COMPLETED"), "{report}");
    let dir = tempfile::tempdir().unwrap();
    stdout_of(
        idv()
            .args([
                "--timeout",
                "400000000000y",
                "media",
                "pull",
                "s-get",
                "--out",
            ])
            .arg(dir.path()),
    );
    // A session that never completes, polled at an interval beyond any clock: the wait ends
    // at its deadline with exit 1, not a panic.
    idv()
        .args([
            "session",
            "wait",
            "s-never",
            "--timeout",
            "1s",
            "--interval",
            "400000000000y",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did not complete within 1s"));
}
