//! `cargo xtask doc`: the published crates' documentation, built as docs.rs builds it.
//!
//! docs.rs builds each crate with a nightly toolchain, the features and flags of its
//! `[package.metadata.docs.rs]` (here every feature, and `--cfg docsrs`), and under `docsrs`
//! each crate root turns on `feature(doc_cfg)`, which labels every feature-gated item with the
//! feature it needs. This step:
//!
//! 1. checks that every published crate asks docs.rs for all features and `--cfg docsrs`, and
//!    that its root has `#![cfg_attr(docsrs, feature(doc_cfg))]`;
//! 2. builds the docs with the active (stable) toolchain, every feature on and warnings denied
//!    (broken links, missing docs). Stable refuses `#![feature]`, so this build cannot pass
//!    `--cfg docsrs`: it is the closest stable equivalent, and the gated items' docs say in a
//!    sentence which feature they need, for readers of these docs;
//! 3. when a nightly toolchain is installed (`cargo +nightly`), builds them exactly as docs.rs
//!    does, `--cfg docsrs -D warnings`, into `target/docsrs` (so the stable docs and builds stay
//!    as they are), and says so; without one it says it skipped that build.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

/// The crate-root attribute that turns on the labels under docs.rs.
const DOC_CFG_ATTRIBUTE: &str = "#![cfg_attr(docsrs, feature(doc_cfg))]";

/// Checks the docs.rs settings, then builds the docs as well as this machine's toolchains allow.
///
/// # Errors
/// Which crate lacks its docs.rs settings, or which build failed.
pub(crate) fn run() -> Result<(), String> {
    check_settings()?;

    let started = Instant::now();
    let stable = ["doc", "--workspace", "--all-features", "--no-deps"];
    run_cargo(&stable, "-D warnings")?;
    println!(
        "xtask: docs built with the active toolchain, all features, -D warnings ({:.1}s)",
        started.elapsed().as_secs_f64()
    );

    if !has_nightly() {
        println!(
            "xtask: no nightly toolchain here, so not the docs.rs build itself (`--cfg docsrs`, \
             which needs nightly): the build above is its closest stable equivalent"
        );
        return Ok(());
    }
    let started = Instant::now();
    let target_dir = crate::target_dir().join("docsrs");
    let target_dir = target_dir.to_string_lossy();
    let docs_rs = [
        "+nightly",
        "doc",
        "--workspace",
        "--exclude",
        "xtask",
        "--all-features",
        "--no-deps",
        "--target-dir",
        &target_dir,
    ];
    run_cargo(&docs_rs, "--cfg docsrs -D warnings")?;
    println!(
        "xtask: docs built as docs.rs builds them (nightly, --cfg docsrs, all features, \
         -D warnings) in {target_dir}/doc ({:.1}s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Every published crate's `[package.metadata.docs.rs]` and crate root.
fn check_settings() -> Result<(), String> {
    let output = Command::new("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("could not start `cargo metadata`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo metadata` exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("`cargo metadata` printed invalid JSON: {e}"))?;
    let packages = metadata
        .get("packages")
        .and_then(Value::as_array)
        .ok_or("`cargo metadata`: no `packages`")?;
    let mut problems = Vec::new();
    let mut checked = 0;
    for package in packages {
        let unpublished = package
            .get("publish")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty);
        if unpublished {
            continue;
        }
        checked += 1;
        let name = package.get("name").and_then(Value::as_str).unwrap_or("?");
        problems.extend(settings_problems(name, package));
    }
    if !problems.is_empty() {
        return Err(format!(
            "the docs.rs settings are incomplete:\n  - {}",
            problems.join("\n  - ")
        ));
    }
    println!(
        "xtask: {checked} crates ask docs.rs for all features and --cfg docsrs, and label \
         feature-gated items under it"
    );
    Ok(())
}

/// What is missing from one package's docs.rs settings (`package` is its `cargo metadata`
/// entry).
fn settings_problems(name: &str, package: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let docs_rs = package.pointer("/metadata/docs/rs");
    if docs_rs
        .and_then(|d| d.get("all-features"))
        .and_then(Value::as_bool)
        != Some(true)
    {
        problems.push(format!(
            "{name}: `[package.metadata.docs.rs]` needs `all-features = true`"
        ));
    }
    let args: Vec<&str> = docs_rs
        .and_then(|d| d.get("rustdoc-args"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !args.windows(2).any(|w| w == ["--cfg", "docsrs"]) {
        problems.push(format!(
            "{name}: `[package.metadata.docs.rs]` needs `rustdoc-args = [\"--cfg\", \"docsrs\"]`"
        ));
    }
    let lib = package
        .get("targets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|t| {
            t.get("kind")
                .and_then(Value::as_array)
                .is_some_and(|k| k.iter().any(|k| k == "lib"))
        })
        .and_then(|t| t.get("src_path"))
        .and_then(Value::as_str)
        .map(PathBuf::from);
    match lib {
        Some(path) => {
            let root = std::fs::read_to_string(&path).unwrap_or_default();
            if !root.lines().any(|l| l.trim() == DOC_CFG_ATTRIBUTE) {
                problems.push(format!(
                    "{name}: {} needs `{DOC_CFG_ATTRIBUTE}`",
                    path.display()
                ));
            }
        }
        None => problems.push(format!("{name}: no library target")),
    }
    problems
}

fn has_nightly() -> bool {
    Command::new("cargo")
        .args(["+nightly", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run_cargo(args: &[&str], rustdocflags: &str) -> Result<(), String> {
    let status = Command::new("cargo")
        .args(args)
        .env("RUSTDOCFLAGS", rustdocflags)
        .status()
        .map_err(|e| format!("could not start `cargo`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`RUSTDOCFLAGS='{rustdocflags}' cargo {}` exited with {status}",
            args.join(" ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{DOC_CFG_ATTRIBUTE, settings_problems};

    fn package(metadata: &serde_json::Value, root: &std::path::Path) -> serde_json::Value {
        json!({
            "name": "c",
            "metadata": metadata,
            "targets": [{"kind": ["lib"], "src_path": root}],
        })
    }

    #[test]
    fn docs_rs_settings_and_the_crate_root_attribute_are_required() {
        let dir = std::env::temp_dir().join(format!("xtask-doc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let with = dir.join("with.rs");
        let without = dir.join("without.rs");
        std::fs::write(&with, format!("//! A crate.\n\n{DOC_CFG_ATTRIBUTE}\n")).unwrap();
        std::fs::write(&without, "//! A crate.\n").unwrap();
        let complete = json!({"docs": {"rs": {
            "all-features": true, "rustdoc-args": ["--cfg", "docsrs"]
        }}});

        assert!(settings_problems("c", &package(&complete, &with)).is_empty());
        let missing = settings_problems("c", &package(&json!(null), &without));
        assert_eq!(missing.len(), 3, "{missing:?}");
        assert!(missing[0].contains("all-features = true"), "{missing:?}");
        assert!(missing[1].contains("rustdoc-args"), "{missing:?}");
        assert!(missing[2].contains(DOC_CFG_ATTRIBUTE), "{missing:?}");
        let partial = json!({"docs": {"rs": {"all-features": true, "rustdoc-args": ["--cfg"]}}});
        assert_eq!(settings_problems("c", &package(&partial, &with)).len(), 1);

        std::fs::remove_dir_all(&dir).unwrap();
    }
}
