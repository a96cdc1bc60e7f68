//! Project automation for idv-rs.
//!
//! * `cargo xtask test`: every check CI runs, in order, stopping at the first failure.
//! * `cargo xtask layering`: only the layering check (ARCHITECTURE.md's rules, from `cargo metadata`).
//! * `cargo xtask msrv`: the declared minimum Rust version against the dependencies' own.
//! * `cargo xtask features`: every crate with no features, its defaults, and each feature alone.
//! * `cargo xtask doc`: the docs, built as docs.rs builds them (as far as the toolchain allows).
//! * `cargo xtask examples`: every example builds; the self-contained ones run.
//! * `cargo xtask package`: every published crate packages, builds from its package, and carries
//!   no test key and nothing large.
//! * `cargo xtask fixtures [--check]`: regenerate the generated fixtures (or check they are current).
//! * `cargo xtask props [CASES]`: the property tests only, with many more cases than the default run.
//! * `cargo xtask bench [ARGS]`: every criterion benchmark of the workspace.

// A command-line tool: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod doc;
mod examples;
mod features;
mod fixtures;
mod layering;
mod msrv;
mod package;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The outcome of one step, or why it failed.
type StepResult = Result<Counts, String>;

/// Test counts gathered from the runners' closing lines.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
    skipped: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test              run every check: fmt, layering, msrv, clippy, features, tests, doc tests,
                    doc, examples, package, fixtures, cargo-deny
  layering          check only the crate layering of ARCHITECTURE.md against `cargo metadata`
  msrv              check the declared rust-version against every dependency's own
  features          check each crate with no features, its defaults, each feature alone
  doc               build the docs as docs.rs does (nightly when installed, else stable)
  examples          build every example, run the self-contained ones
  package           package every published crate, build it from its package, check contents
  fixtures          regenerate every generated fixture under fixtures/
  fixtures --check  fail when a committed fixture differs from what regeneration gives
  props [CASES]     run only the property tests, with CASES cases each (default 2048)
  bench [ARGS]      run every criterion benchmark (ARGS are passed to criterion)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!(
            "xtask: cannot enter the workspace root {}: {e}",
            root.display()
        );
        return ExitCode::FAILURE;
    }
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("layering") => timed_steps(vec![Step::new("layering", || {
            layering::run().map(|()| Counts::default())
        })]),
        Some("msrv") => timed_steps(vec![Step::new("msrv", no_counts(msrv::run))]),
        Some("features") => timed_steps(vec![Step::new("features", no_counts(features::run))]),
        Some("doc") => timed_steps(vec![Step::new("doc", no_counts(doc::run))]),
        Some("examples") => timed_steps(vec![Step::new("examples", no_counts(examples::run))]),
        Some("package") => timed_steps(vec![Step::new("package", no_counts(package::run))]),
        Some("fixtures") => {
            let check = args.iter().any(|a| a == "--check");
            timed_steps(vec![Step::new(
                if check {
                    "fixtures --check"
                } else {
                    "fixtures"
                },
                move || fixtures::run(&root, check).map(|()| Counts::default()),
            )])
        }
        Some("props") => {
            let cases = args.get(1).cloned().unwrap_or_else(|| "2048".to_owned());
            timed_steps(vec![Step::new("property tests", move || props(&cases))])
        }
        Some("bench") => {
            let rest: Vec<String> = args[1..].to_vec();
            timed_steps(vec![Step::new("benchmarks", move || bench(&rest))])
        }
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            return if args.is_empty() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::FAILURE,
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The target directory: `CARGO_TARGET_DIR` when set, else `target` under the root.
fn target_dir() -> PathBuf {
    let root = workspace_root();
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |d| root.join(d))
}

/// A step that counts no tests.
fn no_counts(run: fn() -> Result<(), String>) -> impl FnOnce() -> StepResult {
    move || run().map(|()| Counts::default())
}

/// One named step of a run.
struct Step {
    name: &'static str,
    run: Box<dyn FnOnce() -> StepResult>,
}

impl Step {
    fn new(name: &'static str, run: impl FnOnce() -> StepResult + 'static) -> Self {
        Self {
            name,
            run: Box::new(run),
        }
    }
}

fn test() -> Result<(), ()> {
    let nextest = has_nextest();
    let mut steps = vec![
        Step::new("cargo fmt --check", || {
            run("cargo", &["fmt", "--all", "--check"])
        }),
        Step::new("layering (cargo metadata)", || {
            layering::run().map(|()| Counts::default())
        }),
        Step::new("msrv (cargo metadata)", no_counts(msrv::run)),
        Step::new("cargo clippy", || {
            run(
                "cargo",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--all-features",
                    "--",
                    "-D",
                    "warnings",
                ],
            )
        }),
        Step::new("features (cargo hack)", no_counts(features::run)),
    ];
    if nextest {
        steps.push(Step::new("tests (cargo nextest)", || {
            run_counted(
                "cargo",
                &[
                    "nextest",
                    "run",
                    "--workspace",
                    "--all-features",
                    "--no-fail-fast",
                ],
            )
        }));
    } else {
        steps.push(Step::new("tests (cargo test)", || {
            run_counted(
                "cargo",
                &[
                    "test",
                    "--workspace",
                    "--all-features",
                    "--lib",
                    "--bins",
                    "--tests",
                    "--examples",
                ],
            )
        }));
    }
    steps.push(Step::new("doc tests", || {
        run_counted("cargo", &["test", "--workspace", "--all-features", "--doc"])
    }));
    steps.push(Step::new("doc (as docs.rs builds it)", no_counts(doc::run)));
    steps.push(Step::new("examples", no_counts(examples::run)));
    steps.push(Step::new("package", no_counts(package::run)));
    steps.push(Step::new("fixtures --check", || {
        fixtures::run(&workspace_root(), true).map(|()| Counts::default())
    }));
    steps.push(Step::new("cargo deny check bans licenses sources", || {
        ensure_cargo_deny()?;
        run(
            "cargo",
            &[
                "deny",
                "--all-features",
                "check",
                "bans",
                "licenses",
                "sources",
            ],
        )
    }));
    timed_steps(steps)
}

/// Runs the steps in order, stopping at the first failure; prints how long each took and the
/// total test counts as the closing line.
fn timed_steps(steps: Vec<Step>) -> Result<(), ()> {
    let started = Instant::now();
    let mut timings: Vec<(&'static str, Duration, bool)> = Vec::new();
    let mut counts = Counts::default();
    let mut failure = None;
    for step in steps {
        println!("\n==> xtask: {}", step.name);
        let t = Instant::now();
        let outcome = (step.run)();
        let elapsed = t.elapsed();
        match outcome {
            Ok(c) => {
                counts += c;
                timings.push((step.name, elapsed, true));
            }
            Err(message) => {
                timings.push((step.name, elapsed, false));
                failure = Some((step.name, message));
                break;
            }
        }
    }
    println!("\n==> xtask: timings");
    for (name, elapsed, ok) in &timings {
        let mark = if *ok { "ok  " } else { "FAIL" };
        println!("  {mark} {:>8.1}s  {name}", elapsed.as_secs_f64());
    }
    println!("       {:>8.1}s  total", started.elapsed().as_secs_f64());
    if let Some((name, message)) = failure {
        eprintln!("\nxtask: step `{name}` failed: {message}");
        return Err(());
    }
    if counts.passed + counts.failed > 0 {
        println!(
            "xtask: {} passed, {} failed, {} skipped",
            counts.passed, counts.failed, counts.skipped
        );
    }
    Ok(())
}

fn has_nextest() -> bool {
    Command::new("cargo")
        .args(["nextest", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn ensure_cargo_deny() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["deny", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    println!("xtask: cargo-deny is not installed; installing it with `cargo install --locked`");
    run("cargo", &["install", "--locked", "cargo-deny"]).map(|_| ())
}

fn run(program: &str, args: &[&str]) -> StepResult {
    run_env(program, args, &[])
}

fn run_env(program: &str, args: &[&str], env: &[(&str, &str)]) -> StepResult {
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    if status.success() {
        Ok(Counts::default())
    } else {
        Err(format!(
            "`{program} {}` exited with {status}",
            args.join(" ")
        ))
    }
}

/// Runs a test runner, echoing its output while reading the counts from its summary lines.
fn run_counted(program: &str, args: &[&str]) -> StepResult {
    run_counted_env(program, args, &[])
}

fn run_counted_env(program: &str, args: &[&str], env: &[(&str, &str)]) -> StepResult {
    let mut child = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout pipe")?;
    let stderr = child.stderr.take().ok_or("no stderr pipe")?;
    let out = std::thread::spawn(move || echo_and_count(stdout, false));
    let err = std::thread::spawn(move || echo_and_count(stderr, true));
    let status = child
        .wait()
        .map_err(|e| format!("waiting for `{program}`: {e}"))?;
    let mut counts = out.join().unwrap_or_default();
    counts += err.join().unwrap_or_default();
    if status.success() {
        Ok(counts)
    } else {
        Err(format!(
            "`{program} {}` exited with {status} ({} passed, {} failed)",
            args.join(" "),
            counts.passed,
            counts.failed
        ))
    }
}

fn echo_and_count(stream: impl Read, to_stderr: bool) -> Counts {
    let mut counts = Counts::default();
    for line in BufReader::new(stream).lines().map_while(Result::ok) {
        if to_stderr {
            let _ = writeln!(std::io::stderr(), "{line}");
        } else {
            let _ = writeln!(std::io::stdout(), "{line}");
        }
        counts += parse_summary(&line);
    }
    counts
}

/// Reads libtest's `test result: ok. 5 passed; 0 failed; 1 ignored; ...` and nextest's
/// `Summary [ 1.2s] 12 tests run: 12 passed, 1 skipped` closing lines.
fn parse_summary(line: &str) -> Counts {
    let line = line.trim();
    let mut counts = Counts::default();
    let is_libtest = line.starts_with("test result:");
    let is_nextest = line.starts_with("Summary [");
    if !is_libtest && !is_nextest {
        return counts;
    }
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',' || c == ':')
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let Ok(n) = pair[0].parse::<u64>() else {
            continue;
        };
        match pair[1] {
            "passed" => counts.passed += n,
            "failed" => counts.failed += n,
            "skipped" | "ignored" => counts.skipped += n,
            _ => {}
        }
    }
    counts
}

fn props(cases: &str) -> StepResult {
    run_counted_env(
        "cargo",
        &[
            "test",
            "--workspace",
            "--all-features",
            "--tests",
            "--",
            "prop",
        ],
        &[("PROPTEST_CASES", cases)],
    )
}

fn bench(args: &[String]) -> StepResult {
    let mut all = vec!["bench", "--workspace", "--all-features"];
    if !args.is_empty() {
        all.push("--");
        all.extend(args.iter().map(String::as_str));
    }
    run("cargo", &all)
}

#[cfg(test)]
mod tests {
    use super::parse_summary;

    #[test]
    fn reads_libtest_and_nextest_summaries() {
        let c = parse_summary(
            "test result: ok. 5 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out",
        );
        assert_eq!((c.passed, c.failed, c.skipped), (5, 2, 1));
        let c =
            parse_summary("     Summary [   1.234s] 12 tests run: 11 passed, 1 failed, 3 skipped");
        assert_eq!((c.passed, c.failed, c.skipped), (11, 1, 3));
        let c = parse_summary("running 5 tests");
        assert_eq!((c.passed, c.failed, c.skipped), (0, 0, 0));
    }
}
