//! `cargo xtask msrv`: what can be checked of the declared minimum Rust version without an older
//! toolchain (none can be installed on this project's machines).
//!
//! * Every published crate declares the workspace's `rust-version`.
//! * No package that a published crate builds with (normal and build dependencies, every
//!   feature on, as resolved in `Cargo.lock`) declares a newer `rust-version`.
//!
//! The crates' own code is checked by clippy's `incompatible_msrv` lint, on in the workspace's
//! lints and run by the clippy step: it flags any use of a standard-library API stabilised after
//! the `rust-version`. Neither check sees language features; the README says so.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::process::Command;

use serde_json::Value;

/// Runs both checks against `cargo metadata --all-features`.
///
/// # Errors
/// Each crate whose declared version is missing or above the minimum, with how it is reached.
pub(crate) fn run() -> Result<(), String> {
    let output = Command::new("cargo")
        .args(["metadata", "--format-version", "1", "--all-features"])
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
    let (minimum, reached) = check(&metadata)?;
    println!(
        "xtask: msrv {minimum}: every published crate declares it, and none of the {reached} \
         packages they build with needs a newer Rust"
    );
    Ok(())
}

/// The checks on one `cargo metadata` document: the minimum and how many dependencies were
/// looked at.
fn check(metadata: &Value) -> Result<(String, usize), String> {
    let packages = metadata
        .get("packages")
        .and_then(Value::as_array)
        .ok_or("`cargo metadata`: no `packages`")?;
    let members: BTreeSet<&str> = metadata
        .get("workspace_members")
        .and_then(Value::as_array)
        .ok_or("`cargo metadata`: no `workspace_members`")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let by_id: HashMap<&str, &Value> = packages
        .iter()
        .filter_map(|p| Some((p.get("id")?.as_str()?, p)))
        .collect();
    let field = |p: &Value, key: &str| p.get(key).and_then(Value::as_str).map(str::to_owned);

    let published: Vec<&str> = members
        .iter()
        .copied()
        .filter(|id| {
            by_id.get(id).is_some_and(|p| {
                !p.get("publish")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty)
            })
        })
        .collect();
    let mut problems = Vec::new();
    let mut minimum: Option<String> = None;
    for id in &published {
        let package = by_id[id];
        let name = field(package, "name").unwrap_or_default();
        match field(package, "rust_version") {
            None => problems.push(format!("{name} declares no `rust-version`")),
            Some(version) => match &minimum {
                None => minimum = Some(version),
                Some(m) if *m != version => problems.push(format!(
                    "{name} declares rust-version {version}, the others {m}"
                )),
                Some(_) => {}
            },
        }
    }
    let minimum = minimum.ok_or("no published crate declares a `rust-version`")?;
    let min = parse_version(&minimum).ok_or(format!("unreadable rust-version `{minimum}`"))?;

    // Normal and build edges of the resolved graph, from the published crates.
    let resolve = metadata
        .pointer("/resolve/nodes")
        .and_then(Value::as_array)
        .ok_or("`cargo metadata`: no `resolve.nodes`")?;
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for node in resolve {
        let Some(id) = node.get("id").and_then(Value::as_str) else {
            continue;
        };
        let deps = node
            .get("deps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let targets = deps
            .filter(|d| {
                d.get("dep_kinds")
                    .and_then(Value::as_array)
                    .is_some_and(|kinds| {
                        kinds.iter().any(|k| {
                            k.get("kind")
                                .and_then(Value::as_str)
                                .is_none_or(|kind| kind == "build")
                        })
                    })
            })
            .filter_map(|d| d.get("pkg").and_then(Value::as_str))
            .collect();
        edges.insert(id, targets);
    }
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut queue: VecDeque<&str> = published.iter().copied().collect();
    let mut seen: BTreeSet<&str> = published.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        for &next in edges.get(id).map_or(&[][..], Vec::as_slice) {
            if seen.insert(next) {
                parent.insert(next, id);
                queue.push_back(next);
            }
        }
    }
    for &id in &seen {
        let Some(package) = by_id.get(id) else {
            continue;
        };
        let Some(version) = field(package, "rust_version") else {
            continue;
        };
        if parse_version(&version).is_some_and(|v| v > min) {
            let mut chain = vec![id];
            while let Some(&up) = parent.get(chain[chain.len() - 1]) {
                chain.push(up);
            }
            let names: Vec<String> = chain
                .iter()
                .rev()
                .map(|id| {
                    by_id
                        .get(id)
                        .and_then(|p| field(p, "name"))
                        .unwrap_or_else(|| (*id).to_owned())
                })
                .collect();
            problems.push(format!(
                "{} needs Rust {version}, above {minimum} (through {})",
                names.last().map_or("?", String::as_str),
                names.join(" → ")
            ));
        }
    }
    if problems.is_empty() {
        Ok((minimum, seen.len() - published.len()))
    } else {
        Err(format!(
            "the declared minimum Rust version does not hold:\n  - {}\n(raise `rust-version` in \
             the root Cargo.toml, or keep the dependency at an older version with `cargo update \
             -p NAME --precise VERSION`)",
            problems.join("\n  - ")
        ))
    }
}

/// `1.89` or `1.89.0` as `(1, 89, 0)`.
fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.trim().split('.').map(str::parse::<u64>);
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{check, parse_version};

    #[test]
    fn versions_compare_with_or_without_a_patch() {
        assert_eq!(parse_version("1.89"), Some((1, 89, 0)));
        assert_eq!(parse_version("1.89.0"), Some((1, 89, 0)));
        assert!(parse_version("1.90").unwrap() > parse_version("1.89.0").unwrap());
        assert_eq!(parse_version("1.x"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
    }

    /// A workspace of one published crate `a` (rust-version 1.89) that uses `b` (normal),
    /// `c` (build) and `d` (dev), with the given rust-versions for b, c, d.
    fn workspace(b: &str, c: &str, d: &str) -> serde_json::Value {
        let package = |id: &str, rv: Option<&str>, publish: serde_json::Value| json!({"id": id, "name": id, "rust_version": rv, "publish": publish});
        let dep = |pkg: &str, kind: serde_json::Value| json!({"pkg": pkg, "dep_kinds": [{"kind": kind, "target": null}]});
        json!({
            "workspace_members": ["a", "xtask"],
            "packages": [
                package("a", Some("1.89"), json!(null)),
                package("xtask", Some("1.95"), json!([])),
                package("b", Some(b), json!(null)),
                package("c", Some(c), json!(null)),
                package("d", Some(d), json!(null)),
            ],
            "resolve": {"nodes": [
                {"id": "a", "deps": [dep("b", json!(null)), dep("c", json!("build")),
                                     dep("d", json!("dev"))]},
                {"id": "xtask", "deps": []},
                {"id": "b", "deps": []}, {"id": "c", "deps": []}, {"id": "d", "deps": []},
            ]},
        })
    }

    #[test]
    fn normal_and_build_dependencies_count_dev_and_tooling_do_not() {
        assert_eq!(
            check(&workspace("1.89.0", "1.60", "1.99")).unwrap(),
            ("1.89".to_owned(), 2)
        );
        let err = check(&workspace("1.90", "1.60", "1.60")).unwrap_err();
        assert!(
            err.contains("b needs Rust 1.90, above 1.89 (through a → b)"),
            "{err}"
        );
        let err = check(&workspace("1.60", "1.91.1", "1.60")).unwrap_err();
        assert!(err.contains("c needs Rust 1.91.1"), "{err}");
    }
}
