//! `cargo xtask layering`: the layer rules of ARCHITECTURE.md, checked against `cargo metadata`
//! (as rust-analyzer's tidy tests police its workspace).
//!
//! Two rules:
//! 1. A workspace crate's normal dependencies (not dev, not build; optional ones too, since a
//!    feature can turn them on) name only the workspace crates ARCHITECTURE.md's table lets it
//!    use: the crates below it in `idv-model < idv-sign < idv-transport < idv-client <
//!    idv-sandbox < idv-cli`, less the documented exceptions. Nothing may depend on `xtask`.
//! 2. `idv-model` and `idv-sign` reach no async runtime and no HTTP stack through normal
//!    dependencies, with the default features and with all features. The closure is read from
//!    the workspace's resolved graph, where features are unified across the workspace: a
//!    feature any crate turns on counts, which is what a workspace build compiles.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::process::Command;

use serde_json::Value;

/// The layers, lowest first (ARCHITECTURE.md's diagram).
const LAYERS: [&str; 6] = [
    "idv-model",
    "idv-sign",
    "idv-transport",
    "idv-client",
    "idv-sandbox",
    "idv-cli",
];

/// ARCHITECTURE.md's table, "may depend on" column, restricted to workspace crates. It is the
/// layer order with the table's exceptions: idv-sign uses no idv crate; idv-transport uses
/// neither idv-model nor idv-sign; idv-sandbox uses only idv-model and idv-sign (and idv-client
/// only as a dev-dependency of the client's tests, which rule 1 does not look at).
const MAY_DEPEND_ON: [(&str, &[&str]); 6] = [
    ("idv-model", &[]),
    ("idv-sign", &[]),
    ("idv-transport", &[]),
    ("idv-client", &["idv-model", "idv-sign", "idv-transport"]),
    ("idv-sandbox", &["idv-model", "idv-sign"]),
    (
        "idv-cli",
        &[
            "idv-model",
            "idv-sign",
            "idv-transport",
            "idv-client",
            "idv-sandbox",
        ],
    ),
];

/// Workspace crates outside the layers: tooling that may use any crate and that no crate uses.
const TOOLING: [&str; 1] = ["xtask"];

/// The crates that must stay free of async runtimes and HTTP stacks.
const NO_RUNTIME_NO_STACK: [&str; 2] = ["idv-model", "idv-sign"];

/// Async runtimes, HTTP clients and servers, and TLS stacks. (`http`, the types crate, is not
/// one: it is allowed behind a feature.)
const RUNTIMES_AND_STACKS: [&str; 31] = [
    // async runtimes and their reactors
    "tokio",
    "async-std",
    "smol",
    "async-executor",
    "async-global-executor",
    "async-io",
    "mio",
    "glommio",
    "monoio",
    "tokio-uring",
    "actix-rt",
    // HTTP stacks
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "hyper-tls",
    "h2",
    "h3",
    "reqwest",
    "ureq",
    "isahc",
    "surf",
    "curl",
    "attohttpc",
    "actix-web",
    "axum",
    "warp",
    // TLS stacks
    "rustls",
    "tokio-rustls",
    "native-tls",
    "openssl",
    "tokio-native-tls",
];

/// Runs the check on this workspace: `cargo metadata` with the default features, then with all
/// features.
///
/// # Errors
/// Every violation found, one per line, or why `cargo metadata` could not be read.
pub(crate) fn run() -> Result<(), String> {
    let mut violations = Vec::new();
    for (label, extra) in [
        ("default features", None),
        ("all features", Some("--all-features")),
    ] {
        let metadata = cargo_metadata(extra)?;
        violations.extend(check(&metadata, label)?);
    }
    // Rule 1 reads declared dependencies, the same in both runs: report each once.
    let mut seen = BTreeSet::new();
    violations.retain(|v| seen.insert(v.clone()));
    if violations.is_empty() {
        println!(
            "xtask: layering ok: layers {}; {} free of async runtimes and HTTP stacks (default \
             and all features)",
            LAYERS.join(" < "),
            NO_RUNTIME_NO_STACK.join(" and ")
        );
        return Ok(());
    }
    Err(format!(
        "the layering of ARCHITECTURE.md is broken:\n  - {}\n(see ARCHITECTURE.md, \"Enforcement\"; \
         the rules are in xtask/src/layering.rs)",
        violations.join("\n  - ")
    ))
}

fn cargo_metadata(extra: Option<&str>) -> Result<Value, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(["metadata", "--format-version", "1"]);
    command.args(extra);
    let output = command
        .output()
        .map_err(|e| format!("could not start `cargo metadata`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo metadata` exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("`cargo metadata` printed invalid JSON: {e}"))
}

/// The violations in one `cargo metadata --format-version 1` document (which needs its
/// `resolve` section, i.e. not `--no-deps`). `label` names the feature set in messages.
///
/// # Errors
/// A message naming the missing or mistyped field if the document is not cargo's format.
pub(crate) fn check(metadata: &Value, label: &str) -> Result<Vec<String>, String> {
    let graph = Graph::parse(metadata)?;
    let mut violations = graph.layer_violations();
    violations.extend(graph.runtime_violations(label));
    Ok(violations)
}

/// What the checks need from `cargo metadata`.
struct Graph<'a> {
    /// Workspace crate name → its declared normal dependencies that are workspace crates.
    workspace: BTreeMap<&'a str, BTreeSet<&'a str>>,
    /// Package id → name, for every package.
    names: HashMap<&'a str, &'a str>,
    /// Package id → the ids it reaches through a normal edge in the resolved graph.
    normal_edges: HashMap<&'a str, Vec<&'a str>>,
    /// Workspace crate name → its package id.
    ids: HashMap<&'a str, &'a str>,
}

impl<'a> Graph<'a> {
    fn parse(metadata: &'a Value) -> Result<Self, String> {
        let members: BTreeSet<&str> = array(metadata, "workspace_members")?
            .iter()
            .map(|v| str_of(v, "workspace_members[]"))
            .collect::<Result<_, _>>()?;
        let mut names = HashMap::new();
        let mut ids = HashMap::new();
        let mut declared = Vec::new();
        for package in array(metadata, "packages")? {
            let id = field_str(package, "id")?;
            let name = field_str(package, "name")?;
            names.insert(id, name);
            if members.contains(id) {
                ids.insert(name, id);
                declared.push((name, array(package, "dependencies")?));
            }
        }
        let mut workspace = BTreeMap::new();
        for (name, dependencies) in declared {
            let mut local = BTreeSet::new();
            for dependency in dependencies {
                let dep_name = field_str(dependency, "name")?;
                let normal = dependency.get("kind").is_none_or(Value::is_null);
                if normal && ids.contains_key(dep_name) {
                    local.insert(dep_name);
                }
            }
            workspace.insert(name, local);
        }

        let resolve = metadata
            .get("resolve")
            .filter(|r| !r.is_null())
            .ok_or("`resolve` is missing (was `cargo metadata` run with `--no-deps`?)")?;
        let mut normal_edges = HashMap::new();
        for node in array(resolve, "nodes")? {
            let id = field_str(node, "id")?;
            let mut targets = Vec::new();
            for dep in array(node, "deps")? {
                // One edge per dependency; a normal kind (null) among its kinds makes it normal.
                let normal = array(dep, "dep_kinds")?
                    .iter()
                    .any(|k| k.get("kind").is_none_or(Value::is_null));
                if normal {
                    targets.push(field_str(dep, "pkg")?);
                }
            }
            normal_edges.insert(id, targets);
        }
        Ok(Self {
            workspace,
            names,
            normal_edges,
            ids,
        })
    }

    /// Rule 1: each crate's workspace dependencies are among those its row of the table allows.
    fn layer_violations(&self) -> Vec<String> {
        let mut violations = Vec::new();
        for (&krate, deps) in &self.workspace {
            let allowed: Option<&[&str]> = MAY_DEPEND_ON
                .iter()
                .find(|(name, _)| *name == krate)
                .map(|(_, allowed)| *allowed);
            let is_tooling = TOOLING.contains(&krate);
            let Some(allowed) = allowed.or(is_tooling.then_some(&[][..])) else {
                violations.push(format!(
                    "`{krate}` is a workspace crate with no place in the layers: add it to \
                     ARCHITECTURE.md's table and to MAY_DEPEND_ON in xtask/src/layering.rs"
                ));
                continue;
            };
            for &dep in deps {
                if TOOLING.contains(&dep) {
                    violations.push(format!(
                        "`{krate}` depends on `{dep}`, which is tooling and never a dependency"
                    ));
                } else if !is_tooling && !allowed.contains(&dep) {
                    violations.push(format!(
                        "`{krate}` has a normal dependency on `{dep}`, {}",
                        why_not(krate, dep, allowed)
                    ));
                }
            }
        }
        violations
    }

    /// Rule 2: no runtime or HTTP stack in the normal closure of the crates that must stay pure.
    fn runtime_violations(&self, label: &str) -> Vec<String> {
        let mut violations = Vec::new();
        for krate in NO_RUNTIME_NO_STACK {
            let Some(&start) = self.ids.get(krate) else {
                violations.push(format!("`{krate}` is not a workspace member any more"));
                continue;
            };
            // Breadth-first, remembering how each package was reached, to print the path.
            let mut parent: HashMap<&str, &str> = HashMap::new();
            let mut queue = VecDeque::from([start]);
            let mut found = BTreeMap::new();
            while let Some(id) = queue.pop_front() {
                for &next in self.normal_edges.get(id).map_or(&[][..], Vec::as_slice) {
                    if next == start || parent.contains_key(next) {
                        continue;
                    }
                    parent.insert(next, id);
                    let name = self.name(next);
                    if RUNTIMES_AND_STACKS.contains(&name) {
                        found
                            .entry(name)
                            .or_insert_with(|| self.path(&parent, start, next));
                    } else {
                        queue.push_back(next);
                    }
                }
            }
            for (name, path) in found {
                violations.push(format!(
                    "`{krate}` ({label}) reaches `{name}`, an async runtime or HTTP stack, \
                     through normal dependencies: {path}"
                ));
            }
        }
        violations
    }

    fn name(&self, id: &'a str) -> &'a str {
        self.names.get(id).copied().unwrap_or(id)
    }

    /// `a → b → … → end`, following `parent` back from `end` to `start`.
    fn path(&self, parent: &HashMap<&str, &str>, start: &str, end: &'a str) -> String {
        let mut chain = vec![self.name(end)];
        let mut at = end;
        while at != start {
            let Some(&up) = parent.get(at) else { break };
            chain.push(self.name(up));
            at = up;
        }
        chain.reverse();
        chain.join(" → ")
    }
}

/// Why `krate` may not use `dep`, in the table's terms.
fn why_not(krate: &str, dep: &str, allowed: &[&str]) -> String {
    let position = |name| LAYERS.iter().position(|l| *l == name);
    let rule = if allowed.is_empty() {
        format!("but ARCHITECTURE.md lets `{krate}` depend on no workspace crate")
    } else {
        format!(
            "but ARCHITECTURE.md lets `{krate}` depend only on {}",
            allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match (position(krate), position(dep)) {
        (Some(k), Some(d)) if d >= k => format!(
            "a crate beside or above it in the layers ({}); {rule}",
            LAYERS.join(" < ")
        ),
        _ => rule,
    }
}

fn array<'v>(value: &'v Value, key: &str) -> Result<&'v Vec<Value>, String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("`cargo metadata`: `{key}` is missing or not an array"))
}

fn field_str<'v>(value: &'v Value, key: &str) -> Result<&'v str, String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`cargo metadata`: `{key}` is missing or not a string"))
}

fn str_of<'v>(value: &'v Value, what: &str) -> Result<&'v str, String> {
    value
        .as_str()
        .ok_or_else(|| format!("`cargo metadata`: `{what}` is not a string"))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::check;

    /// A package for a synthetic metadata document: `deps` are (name, kind) with kind `None`
    /// for normal, `Some("dev")` or `Some("build")`.
    fn package(name: &str, deps: &[(&str, Option<&str>)]) -> Value {
        json!({
            "id": id(name),
            "name": name,
            "dependencies": deps.iter().map(|(n, kind)| json!({
                "name": n, "kind": kind, "optional": false
            })).collect::<Vec<_>>(),
        })
    }

    fn id(name: &str) -> String {
        format!("path+file:///ws/{name}#0.1.0")
    }

    fn node(name: &str, deps: &[(&str, Option<&str>)]) -> Value {
        json!({
            "id": id(name),
            "deps": deps.iter().map(|(n, kind)| json!({
                "name": n.replace('-', "_"),
                "pkg": id(n),
                "dep_kinds": [{ "kind": kind, "target": null }],
            })).collect::<Vec<_>>(),
        })
    }

    /// A clean workspace shaped like this one: the crates, their workspace edges, and a few
    /// registry crates (tokio only under the client and as a dev-dependency of idv-sign).
    fn clean() -> (Vec<Value>, Vec<Value>) {
        let normal = None;
        let dev = Some("dev");
        let packages = vec![
            package("idv-model", &[("serde", normal)]),
            package("idv-sign", &[("rsa", normal), ("tokio", dev)]),
            package("idv-transport", &[("http", normal), ("hyper", normal)]),
            package(
                "idv-client",
                &[
                    ("idv-model", normal),
                    ("idv-sign", normal),
                    ("idv-transport", normal),
                    ("tokio", normal),
                    ("idv-sandbox", dev),
                ],
            ),
            package(
                "idv-sandbox",
                &[
                    ("idv-model", normal),
                    ("idv-sign", normal),
                    ("hyper", normal),
                ],
            ),
            package(
                "idv-cli",
                &[("idv-client", normal), ("idv-sandbox", normal)],
            ),
            package("xtask", &[("idv-sign", normal), ("serde_json", normal)]),
            package("serde", &[]),
            package("rsa", &[]),
            package("http", &[]),
            package("hyper", &[("tokio", normal)]),
            package("tokio", &[]),
            package("serde_json", &[]),
        ];
        let nodes = vec![
            node("idv-model", &[("serde", normal)]),
            node("idv-sign", &[("rsa", normal), ("tokio", dev)]),
            node("idv-transport", &[("http", normal), ("hyper", normal)]),
            node(
                "idv-client",
                &[
                    ("idv-model", normal),
                    ("idv-sign", normal),
                    ("idv-transport", normal),
                    ("tokio", normal),
                    ("idv-sandbox", dev),
                ],
            ),
            node(
                "idv-sandbox",
                &[
                    ("idv-model", normal),
                    ("idv-sign", normal),
                    ("hyper", normal),
                ],
            ),
            node(
                "idv-cli",
                &[("idv-client", normal), ("idv-sandbox", normal)],
            ),
            node("xtask", &[("idv-sign", normal), ("serde_json", normal)]),
            node("serde", &[]),
            node("rsa", &[]),
            node("http", &[]),
            node("hyper", &[("tokio", normal)]),
            node("tokio", &[]),
            node("serde_json", &[]),
        ];
        (packages, nodes)
    }

    fn document(packages: Vec<Value>, nodes: Vec<Value>) -> Value {
        let members: Vec<String> = [
            "idv-model",
            "idv-sign",
            "idv-transport",
            "idv-client",
            "idv-sandbox",
            "idv-cli",
            "xtask",
        ]
        .iter()
        .map(|n| id(n))
        .collect();
        json!({
            "packages": packages,
            "workspace_members": members,
            "resolve": { "nodes": nodes, "root": null },
        })
    }

    /// Adds a dependency to `from`, declared and resolved, of the given kind.
    fn add_dep(doc: &mut (Vec<Value>, Vec<Value>), from: &str, to: &str, kind: Option<&str>) {
        let (packages, nodes) = doc;
        if !packages.iter().any(|p| p["name"] == to) {
            packages.push(package(to, &[]));
            nodes.push(node(to, &[]));
        }
        let package = packages.iter_mut().find(|p| p["name"] == from).unwrap();
        package["dependencies"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "name": to, "kind": kind, "optional": true }));
        let node_ = nodes.iter_mut().find(|n| n["id"] == id(from)).unwrap();
        node_["deps"].as_array_mut().unwrap().push(json!({
            "name": to.replace('-', "_"),
            "pkg": id(to),
            "dep_kinds": [{ "kind": kind, "target": null }],
        }));
    }

    fn violations(doc: (Vec<Value>, Vec<Value>)) -> Vec<String> {
        check(&document(doc.0, doc.1), "default features").unwrap()
    }

    #[test]
    fn a_clean_graph_passes() {
        assert_eq!(violations(clean()), Vec::<String>::new());
    }

    #[test]
    fn an_upward_or_sideways_dependency_fails() {
        let mut doc = clean();
        add_dep(&mut doc, "idv-sign", "idv-client", None);
        let found = violations(doc);
        assert!(
            found[0].contains("`idv-sign` has a normal dependency on `idv-client`")
                && found[0].contains("beside or above"),
            "{found:#?}"
        );
        // The client brings the transport's stack with it: rule 2 says so too.
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[1].contains("idv-sign → idv-client → idv-transport → hyper"));
        assert!(found[2].contains("idv-sign → idv-client → tokio"));

        let mut doc = clean();
        add_dep(&mut doc, "idv-client", "idv-sandbox", None);
        let found = violations(doc);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("`idv-client` has a normal dependency on `idv-sandbox`"));
    }

    #[test]
    fn the_documented_exceptions_below_hold() {
        for (from, to) in [
            ("idv-transport", "idv-sign"),
            ("idv-transport", "idv-model"),
            ("idv-sandbox", "idv-transport"),
            ("idv-sign", "idv-model"),
        ] {
            let mut doc = clean();
            add_dep(&mut doc, from, to, None);
            let found = violations(doc);
            assert_eq!(found.len(), 1, "{from} → {to}: {found:#?}");
            assert!(
                found[0].contains(&format!("`{from}` has a normal dependency on `{to}`"))
                    && found[0].contains("ARCHITECTURE.md lets"),
                "{found:#?}"
            );
        }
    }

    #[test]
    fn dev_and_build_dependencies_are_not_layering() {
        let mut doc = clean();
        add_dep(&mut doc, "idv-model", "idv-sandbox", Some("dev"));
        add_dep(&mut doc, "idv-sign", "idv-client", Some("build"));
        add_dep(&mut doc, "idv-model", "tokio", Some("dev"));
        assert_eq!(violations(doc), Vec::<String>::new());
    }

    #[test]
    fn nothing_may_depend_on_xtask_and_new_crates_need_a_layer() {
        let mut doc = clean();
        add_dep(&mut doc, "idv-cli", "xtask", None);
        let found = violations(doc);
        assert!(
            found
                .iter()
                .any(|v| v.contains("`idv-cli` depends on `xtask`")),
            "{found:#?}"
        );

        let mut doc = clean();
        doc.0.push(package("idv-extra", &[]));
        doc.1.push(node("idv-extra", &[]));
        let mut document = document(doc.0, doc.1);
        document["workspace_members"]
            .as_array_mut()
            .unwrap()
            .push(Value::String(id("idv-extra")));
        let found = check(&document, "default features").unwrap();
        assert!(
            found
                .iter()
                .any(|v| v.contains("`idv-extra` is a workspace crate with no place"))
        );
    }

    #[test]
    fn a_runtime_in_the_closure_of_sign_or_model_fails_with_its_path() {
        let mut doc = clean();
        add_dep(&mut doc, "rsa", "middle", None);
        add_dep(&mut doc, "middle", "hyper", None);
        let found = violations(doc);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("`idv-sign` (default features) reaches `hyper`")
                && found[0].contains("idv-sign → rsa → middle → hyper"),
            "{found:#?}"
        );

        let mut doc = clean();
        add_dep(&mut doc, "idv-model", "tokio", None);
        let found = violations(doc);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("`idv-model` (default features) reaches `tokio`"));
    }

    #[test]
    fn an_edge_that_is_both_dev_and_normal_counts_as_normal() {
        let (mut packages, mut nodes) = clean();
        packages.push(package("h2", &[]));
        let sign = nodes
            .iter_mut()
            .find(|n| n["id"] == id("idv-sign"))
            .unwrap();
        sign["deps"].as_array_mut().unwrap().push(json!({
            "name": "h2", "pkg": id("h2"),
            "dep_kinds": [{ "kind": "dev", "target": null }, { "kind": null, "target": "cfg(unix)" }],
        }));
        nodes.push(node("h2", &[]));
        let found = check(&document(packages, nodes), "all features").unwrap();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("(all features) reaches `h2`"));
    }

    #[test]
    fn a_document_in_another_shape_is_an_error_not_a_panic() {
        for bad in [
            json!({}),
            json!({ "packages": [], "workspace_members": [] }),
            json!({ "packages": [{ "id": 1 }], "workspace_members": [] }),
            json!({ "packages": [], "workspace_members": [], "resolve": null }),
        ] {
            let err = check(&bad, "default features").unwrap_err();
            assert!(
                err.contains("cargo metadata") || err.contains("resolve"),
                "{err}"
            );
        }
    }
}
