//! `cargo xtask features`: every feature combination a user can pick compiles.
//!
//! `cargo hack check --each-feature` checks each published crate with no features, with its
//! defaults, and with each feature alone (`--all-features` is left to the clippy step, which
//! builds it already), so a feature that forgets to enable what it uses fails here.
//!
//! Only the libraries and binaries are checked, never tests or examples, so dev-dependencies
//! play no part: with the workspace's resolver (3), a dev-dependency's features are unified
//! only into builds of targets that use dev-dependencies. That is what `cargo hack
//! --no-dev-deps` would ensure by removing them from every `Cargo.toml` during the run; it is
//! not used because it rewrites the manifests in place, under anyone else working in the tree.

use std::process::{Command, Stdio};
use std::time::Instant;

/// Checks every feature of every published crate alone, and none, and the defaults.
///
/// # Errors
/// Why cargo-hack could not be installed or run, or which combinations failed.
pub(crate) fn run() -> Result<(), String> {
    ensure_cargo_hack()?;
    let started = Instant::now();
    let args = [
        "hack",
        "check",
        "--workspace",
        "--exclude",
        "xtask",
        "--each-feature",
        "--exclude-all-features",
        // Report every failing combination, not only the first.
        "--keep-going",
    ];
    let status = Command::new(cargo())
        .args(args)
        .status()
        .map_err(|e| format!("could not start `cargo hack`: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo {}` exited with {status}: a feature does not build on its own (enable what \
             it uses in the crate's `[features]`, or gate the code with `#[cfg(feature = …)]`)",
            args.join(" ")
        ));
    }
    println!(
        "xtask: every crate builds with no features, its defaults, and each feature alone \
         ({:.1}s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Installs cargo-hack when it is missing (`.ci/run` does so first, as its own step).
fn ensure_cargo_hack() -> Result<(), String> {
    let present = Command::new(cargo())
        .args(["hack", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    println!("xtask: cargo-hack is not installed; installing it with `cargo install --locked`");
    let status = Command::new(cargo())
        .args(["install", "--locked", "cargo-hack"])
        .status()
        .map_err(|e| format!("could not start `cargo install`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo install --locked cargo-hack` exited with {status}"
        ))
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
