//! `cargo xtask package`: every published crate packages as crates.io would take it.
//!
//! 1. `cargo package --workspace --exclude xtask` builds each crate from its `.crate` file alone
//!    (cargo puts the workspace's unpublished crates in a temporary registry), so a crate that
//!    reads a file outside itself, or leaves one out of its `include` list, fails here.
//! 2. Each package's file list (`cargo package --list`) holds no test key, key or certificate,
//!    no test or bench folder, and nothing large: no file over [`MAX_FILE_BYTES`], no `.crate`
//!    over [`MAX_CRATE_BYTES`].
//!
//! The verification builds use the workspace's `[profile.dev]` ([`WORKSPACE_PROFILE`]; cargo
//! gives a package under verification no profile of its own), so they reuse the dependencies
//! that the clippy and test steps built instead of building the whole graph again; the
//! workspace's own crates, which cargo builds again for each package that uses them, are built
//! without optimisation. In CI, after the test step, that is about a minute instead of five.
//!
//! Cargo warns once for every test, bench and example target that a crate's `include` list
//! leaves out (on purpose: they read the workspace's fixtures); those lines are counted, not
//! echoed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

/// The largest file a package may carry (the biggest today is the sandbox's list of supported
/// documents, about 60 KiB).
const MAX_FILE_BYTES: u64 = 256 * 1024;

/// The largest compressed `.crate` (crates.io takes up to 10 MiB; ours are under 200 KiB).
const MAX_CRATE_BYTES: u64 = 512 * 1024;

/// Test keys and certificates, by name.
const FORBIDDEN_NAMES: [&str; 1] = ["TEST-ONLY"];

/// Keys and certificates, by extension.
const FORBIDDEN_EXTENSIONS: [&str; 6] = [".pem", ".der", ".key", ".p8", ".p12", ".pfx"];

/// The test and bench folders, which read the workspace's fixtures.
const FORBIDDEN_FOLDERS: [&str; 2] = ["tests/", "benches/"];

/// The root `Cargo.toml`'s `[profile.dev]` and `[profile.dev.package."*"]`, as `--config`
/// values (a test checks that they match the manifest).
const WORKSPACE_PROFILE: [&str; 3] = [
    "profile.dev.debug=\"line-tables-only\"",
    "profile.dev.package.\"*\".opt-level=2",
    "profile.dev.package.\"*\".debug=false",
];

/// One published crate of the workspace.
struct Crate {
    name: String,
    version: String,
    dir: PathBuf,
}

/// Packages and verifies every published crate, then checks what each package holds.
///
/// # Errors
/// Why packaging failed, or each package file that should not be there.
pub(crate) fn run() -> Result<(), String> {
    let started = Instant::now();
    let (crates, target_dir) = published_crates()?;
    let left_out = cargo_package(&crates)?;
    println!(
        "xtask: {} crates packaged and built from their packages in {:.1}s ({left_out} test, \
         bench and example targets left out by `include`, as intended)",
        crates.len(),
        started.elapsed().as_secs_f64()
    );

    let mut problems = Vec::new();
    println!(
        "  {:<16} {:>5} {:>10} {:>10}",
        "crate", "files", "unpacked", ".crate"
    );
    for krate in &crates {
        let files = package_list(&krate.name)?;
        let mut unpacked = 0;
        for file in &files {
            if let Some(why) = forbidden(file) {
                problems.push(format!(
                    "{}: `{file}` should not be published ({why})",
                    krate.name
                ));
            }
            // Cargo writes Cargo.toml, Cargo.lock and .cargo_vcs_info.json itself; the rest
            // are the crate's own files.
            let size = std::fs::metadata(krate.dir.join(file)).map_or(0, |m| m.len());
            if size > MAX_FILE_BYTES {
                problems.push(format!(
                    "{}: `{file}` is {} KiB (at most {} KiB)",
                    krate.name,
                    size / 1024,
                    MAX_FILE_BYTES / 1024
                ));
            }
            unpacked += size;
        }
        let crate_file = target_dir
            .join("package")
            .join(format!("{}-{}.crate", krate.name, krate.version));
        let compressed = std::fs::metadata(&crate_file)
            .map_err(|e| format!("reading {}: {e}", crate_file.display()))?
            .len();
        if compressed > MAX_CRATE_BYTES {
            problems.push(format!(
                "{}: the .crate is {} KiB (at most {} KiB)",
                krate.name,
                compressed / 1024,
                MAX_CRATE_BYTES / 1024
            ));
        }
        println!(
            "  {:<16} {:>5} {:>6.1} KiB {:>6.1} KiB",
            krate.name,
            files.len(),
            kib(unpacked),
            kib(compressed)
        );
    }
    if !problems.is_empty() {
        return Err(format!(
            "the packages carry what they should not (fix the crate's `include` list):\n  - {}",
            problems.join("\n  - ")
        ));
    }
    println!(
        "xtask: packages hold no test key, no file over {} KiB, no .crate over {} KiB ({:.1}s \
         in all)",
        MAX_FILE_BYTES / 1024,
        MAX_CRATE_BYTES / 1024,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Why `file` (a path inside a package) must not be published, if it must not.
fn forbidden(file: &str) -> Option<String> {
    let name = FORBIDDEN_NAMES.iter().find(|n| file.contains(*n));
    let extension = FORBIDDEN_EXTENSIONS.iter().find(|e| file.ends_with(*e));
    let folder = FORBIDDEN_FOLDERS.iter().find(|f| file.starts_with(*f));
    match (name, extension, folder) {
        (Some(n), _, _) => Some(format!("a test file: its name has `{n}`")),
        (_, Some(e), _) => Some(format!("a key or certificate: `{e}`")),
        (_, _, Some(f)) => Some(format!("`{f}` reads the workspace's fixtures")),
        _ => None,
    }
}

#[allow(clippy::cast_precision_loss)] // sizes of a few MiB at most
fn kib(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

/// The workspace members that can be published (not `publish = false`), and the target dir.
fn published_crates() -> Result<(Vec<Crate>, PathBuf), String> {
    let output = Command::new(cargo())
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
    let target_dir = metadata
        .get("target_directory")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .ok_or("`cargo metadata`: no `target_directory`")?;
    let mut crates = Vec::new();
    for package in metadata
        .get("packages")
        .and_then(Value::as_array)
        .ok_or("`cargo metadata`: no `packages`")?
    {
        // `publish = false` reads as an empty list of registries.
        let unpublished = package
            .get("publish")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty);
        if unpublished {
            continue;
        }
        let text = |key: &str| {
            package
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("`cargo metadata`: a package without `{key}`"))
        };
        let manifest = PathBuf::from(text("manifest_path")?);
        crates.push(Crate {
            name: text("name")?,
            version: text("version")?,
            dir: manifest.parent().map(Path::to_path_buf).unwrap_or_default(),
        });
    }
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((crates, target_dir))
}

/// Runs `cargo package` with verification, echoing its output less the "ignoring test …"
/// warnings, which it counts.
fn cargo_package(crates: &[Crate]) -> Result<usize, String> {
    // `--allow-dirty`: check the tree as it is, committed or not (CI's clone is clean anyway).
    let mut args: Vec<String> = [
        "package",
        "--workspace",
        "--exclude",
        "xtask",
        "--allow-dirty",
    ]
    .map(String::from)
    .into();
    let unoptimised = crates
        .iter()
        .map(|c| format!("profile.dev.package.{}.opt-level=0", c.name));
    for config in WORKSPACE_PROFILE
        .map(String::from)
        .into_iter()
        .chain(unoptimised)
    {
        args.push("--config".into());
        args.push(config);
    }
    let mut child = Command::new(cargo())
        .args(&args)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `cargo package`: {e}"))?;
    let stderr = child.stderr.take().ok_or("no stderr pipe")?;
    let mut left_out = 0;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if line.starts_with("warning: ignoring ") && line.ends_with("in the published package") {
            left_out += 1;
        } else {
            eprintln!("{line}");
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for `cargo package`: {e}"))?;
    if status.success() {
        Ok(left_out)
    } else {
        Err(format!("`cargo {}` exited with {status}", args.join(" ")))
    }
}

/// The files of one crate's package, as paths relative to the crate.
fn package_list(name: &str) -> Result<Vec<String>, String> {
    let output = Command::new(cargo())
        .args(["package", "--list", "--allow-dirty", "-p", name])
        .output()
        .map_err(|e| format!("could not start `cargo package --list`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo package --list -p {name}` exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

#[cfg(test)]
mod tests {
    use super::{WORKSPACE_PROFILE, forbidden};

    /// The lines of one `[section]` of a TOML file, up to the next section.
    fn section<'a>(toml: &'a str, header: &str) -> Vec<&'a str> {
        toml.lines()
            .skip_while(|l| l.trim() != header)
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .map(str::trim)
            .collect()
    }

    #[test]
    fn the_verification_profile_is_the_workspace_profile() {
        let manifest = std::fs::read_to_string(crate::workspace_root().join("Cargo.toml")).unwrap();
        // Each `key = value` of the two sections, written as a `--config` value.
        let mut from_manifest: Vec<String> = Vec::new();
        for (header, prefix) in [
            ("[profile.dev]", "profile.dev"),
            ("[profile.dev.package.\"*\"]", "profile.dev.package.\"*\""),
        ] {
            for line in section(&manifest, header) {
                if let Some((key, value)) = line.split_once('=') {
                    from_manifest.push(format!("{prefix}.{}={}", key.trim(), value.trim()));
                }
            }
        }
        from_manifest.sort();
        let mut ours = WORKSPACE_PROFILE.map(String::from).to_vec();
        ours.sort();
        assert_eq!(ours, from_manifest);
    }

    #[test]
    fn test_keys_certificates_and_test_folders_are_refused() {
        assert!(forbidden("src/lib.rs").is_none());
        assert!(forbidden("src/keys.rs").is_none());
        assert!(forbidden("src/report/tests.rs").is_none());
        assert!(forbidden("fixtures/sessions/product-page-1-created.json").is_none());
        assert!(forbidden("tests/data/TEST-ONLY-key.pkcs8.pem").is_some());
        assert!(forbidden("examples/TEST-ONLY-note.txt").is_some());
        assert!(forbidden("src/app.pem").is_some());
        assert!(forbidden("certs/ca.der").is_some());
        assert!(forbidden("tests/bin.rs").is_some());
        assert!(forbidden("benches/parse.rs").is_some());
    }
}
