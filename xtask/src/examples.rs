//! `cargo xtask examples`: every example builds, and the self-contained ones run.
//!
//! `cargo build --workspace --examples --all-features` builds them all; then each example of
//! [`SELF_CONTAINED`] runs from its built binary, with its arguments, and must exit 0 within
//! [`TIME_LIMIT`]. Those start what they need themselves (an in-process `idv-sandbox` on
//! loopback) or take a committed test file. The others are left to build only: servers that run
//! until stopped (`axum_receiver`, which a test serves instead), measurements that take long in
//! a debug build (`stream_256mib`, `peak_memory`, `memory_under_load`), and tools that need a
//! key or a directory of the caller's.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Examples that run as they are, with their arguments (paths from the workspace root).
const SELF_CONTAINED: [(&str, &[&str]); 4] = [
    // idv-client: retrieve a session and its media, against the sandbox.
    ("retrieve_session", &[]),
    // idv-client: create, complete and read a session, against the sandbox.
    ("create_and_complete", &[]),
    // idv-client: plug in another transport (reqwest), against the sandbox.
    ("reqwest_transport", &[]),
    // idv-sign: sign a request by hand, with the committed test key, and verify it.
    (
        "sign_by_hand",
        &[
            "fixtures/signing/TEST-ONLY-key.pkcs8.pem",
            "11111111-2222-4333-8444-555555555555",
        ],
    ),
];

/// How long one example may run (each takes well under a second).
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Builds every example of the workspace, then runs the self-contained ones.
///
/// # Errors
/// Which build or example failed, with the example's output.
pub(crate) fn run() -> Result<(), String> {
    let started = Instant::now();
    let args = ["build", "--workspace", "--examples", "--all-features"];
    let status = Command::new("cargo")
        .args(args)
        .status()
        .map_err(|e| format!("could not start `cargo build`: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo {}` exited with {status}", args.join(" ")));
    }
    println!(
        "xtask: every example builds ({:.1}s)",
        started.elapsed().as_secs_f64()
    );

    let examples_dir = crate::target_dir().join("debug").join("examples");
    for (name, args) in SELF_CONTAINED {
        let started = Instant::now();
        run_example(&examples_dir.join(name), args)
            .map_err(|e| format!("example `{name}`: {e}"))?;
        println!(
            "xtask: example `{name}` ran ({:.1}s)",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Runs one built example to completion, or kills it at [`TIME_LIMIT`].
fn run_example(binary: &Path, args: &[&str]) -> Result<(), String> {
    let mut child = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
    // Drain both pipes while waiting, so a chatty example never blocks on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + TIME_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("waiting: {e}"))? {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = |pipe: std::thread::JoinHandle<Vec<u8>>| {
        String::from_utf8_lossy(&pipe.join().unwrap_or_default()).into_owned()
    };
    let (stdout, stderr) = (output(stdout), output(stderr));
    match status {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(format!(
            "exited with {status}\n--- stdout\n{stdout}--- stderr\n{stderr}"
        )),
        None => Err(format!(
            "still running after {}s, killed\n--- stdout\n{stdout}--- stderr\n{stderr}",
            TIME_LIMIT.as_secs()
        )),
    }
}

/// Reads a child's pipe to its end on a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::path::Path;

    use super::run_example;

    #[test]
    fn an_example_passes_by_its_exit_status_and_fails_with_its_output() {
        assert_eq!(run_example(Path::new("true"), &[]), Ok(()));
        let err =
            run_example(Path::new("sh"), &["-c", "echo said; echo why >&2; exit 3"]).unwrap_err();
        assert!(err.starts_with("exited with exit status: 3"), "{err}");
        assert!(err.contains("--- stdout\nsaid\n--- stderr\nwhy\n"), "{err}");
        let err = run_example(Path::new("/nonexistent/example"), &[]).unwrap_err();
        assert!(
            err.starts_with("could not start /nonexistent/example"),
            "{err}"
        );
    }
}
