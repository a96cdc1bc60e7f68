//! Report and pull-planning time on large sessions: they must scale linearly.
//!
//! Inputs, generated here: sessions of N and 2N face captures (each with an image and a check
//! that uses it), and a ~32 MiB session of ID documents (pages, frames, tasks) with checks that
//! use them and carry breakdowns. Parsing happens once, outside the measurement.
//!
//! Goals (issue 11 item 4): doubling the resources costs at most ~2.2x the time, and a 32 MiB
//! session reports in under 2 s. The closing lines print the 2N/N ratios twice: from criterion's
//! samples (every N sample runs before every 2N sample, so a change of load in between shows),
//! and as the median of N/2N pairs run back to back, which drifting load skews less; then the
//! 32 MiB figures.
//!
//! Time is this thread's CPU time (from `/proc/thread-self/schedstat` on Linux, wall time
//! elsewhere), so that other work on a shared machine skews the figures less.

#![allow(missing_docs, clippy::print_stdout)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use idv_cli::pull_plan::plan_pull;
use idv_cli::report::render_report;
use idv_model::Session;

const N: usize = 40_000;
/// N/2N pairs timed back to back for the median ratio.
const PAIRS: usize = 9;
const LARGE_BYTES: usize = 32 << 20;

/// A UUID-shaped id, unique in its first 8 characters (the model labels resources by them).
fn id(kind: u32, n: usize) -> String {
    format!("{n:08x}-{kind:04x}-4000-8000-{n:012x}")
}

/// `faces` face captures, each with an image, and one check using each.
fn faces_session(faces: usize) -> Vec<u8> {
    let mut json =
        String::from(r#"{"session_id":"bench","state":"COMPLETED","resources":{"face_capture":["#);
    for n in 0..faces {
        let sep = if n == 0 { "" } else { "," };
        let _ = write!(
            json,
            r#"{sep}{{"id":"{}","source":{{"type":"END_USER"}},"image":{{"media":{{"id":"{}","type":"IMAGE"}}}}}}"#,
            id(1, n),
            id(2, n)
        );
    }
    json.push_str(r#"]},"checks":["#);
    for n in 0..faces {
        let sep = if n == 0 { "" } else { "," };
        let _ = write!(
            json,
            r#"{sep}{{"id":"{}","type":"FACE_COMPARISON","state":"DONE","resources_used":["{}"],"report":{{"recommendation":{{"value":"APPROVE"}},"breakdown":[]}}}}"#,
            id(3, n),
            id(1, n)
        );
    }
    json.push_str("]}");
    json.into_bytes()
}

/// ID documents with two pages of three frames and a task, and two checks per document with
/// breakdowns, until the document reaches `bytes`.
fn large_session(bytes: usize) -> Vec<u8> {
    let media = |n: usize| format!(r#"{{"id":"{}","type":"IMAGE"}}"#, id(7, n));
    let mut docs = String::new();
    let mut checks = String::new();
    let mut n = 0;
    while docs.len() + checks.len() < bytes {
        let sep = if n == 0 { "" } else { "," };
        let pages: Vec<String> = (0..2)
            .map(|p| {
                let frames: Vec<String> = (0..3)
                    .map(|f| format!(r#"{{"media":{}}}"#, media(n * 100 + p * 10 + f + 1)))
                    .collect();
                format!(
                    r#"{{"capture_method":"CAMERA","media":{},"frames":[{}]}}"#,
                    media(n * 100 + p * 10),
                    frames.join(",")
                )
            })
            .collect();
        let _ = write!(
            docs,
            r#"{sep}{{"id":"{}","source":{{"type":"END_USER"}},"document_type":"PASSPORT","issuing_country":"GBR","pages":[{}],"document_fields":{{"media":{}}},"tasks":[{{"id":"{}","type":"ID_DOCUMENT_TEXT_DATA_EXTRACTION","state":"DONE","generated_media":[{{"id":"{}","type":"JSON"}}]}}]}}"#,
            id(1, n),
            pages.join(","),
            media(n * 100 + 90),
            id(2, n),
            id(4, n)
        );
        for (c, ty) in ["ID_DOCUMENT_AUTHENTICITY", "ID_DOCUMENT_TEXT_DATA_CHECK"]
            .iter()
            .enumerate()
        {
            let _ = write!(
                checks,
                r#"{}{{"id":"{}","type":"{ty}","state":"DONE","resources_used":["{}"],"report":{{"recommendation":{{"value":"APPROVE"}},"breakdown":[{{"sub_check":"document_in_date","result":"PASS","process":"AUTOMATED","details":[{{"name":"expiry","value":"2031-01-01"}}]}},{{"sub_check":"security_features","result":"PASS"}}]}}}}"#,
                if n == 0 && c == 0 { "" } else { "," },
                id(5, n * 2 + c),
                id(1, n)
            );
        }
        n += 1;
    }
    format!(
        r#"{{"session_id":"bench","state":"COMPLETED","resources":{{"id_documents":[{docs}]}},"checks":[{checks}]}}"#
    )
    .into_bytes()
}

/// This thread's CPU time so far (scheduler accounting, ns resolution), where Linux gives it.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `work` `iters` times; its CPU time (or wall time where CPU time is not available).
fn measure(iters: u64, mut work: impl FnMut()) -> Duration {
    let (cpu, wall) = (thread_cpu(), Instant::now());
    for _ in 0..iters {
        work();
    }
    match (cpu, thread_cpu()) {
        (Some(start), Some(end)) => end.saturating_sub(start),
        _ => wall.elapsed(),
    }
}

/// The median over [`PAIRS`] runs of `two`'s time over `one`'s, each pair run back to back.
fn median_ratio(one: impl Fn(), two: impl Fn()) -> f64 {
    let mut ratios: Vec<f64> = (0..PAIRS)
        .map(|_| {
            let a = measure(1, &one).as_secs_f64();
            let b = measure(1, &two).as_secs_f64();
            b / a.max(f64::MIN_POSITIVE)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[PAIRS / 2]
}

fn parse(bytes: &[u8]) -> Session {
    idv_model::parse_session(bytes).expect("the generated session parses")
}

fn bench(c: &mut Criterion) {
    let case = |name: String, bytes: Vec<u8>| (name, bytes.len(), parse(&bytes));
    let cases: Vec<(String, usize, Session)> = vec![
        case(format!("faces/{N}"), faces_session(N)),
        case(format!("faces/{}", 2 * N), faces_session(2 * N)),
        case("32MiB".to_owned(), large_session(LARGE_BYTES)),
    ];
    // Mean time per iteration over every sample, per benchmark.
    let means: RefCell<HashMap<String, (Duration, u64)>> = RefCell::default();
    let record = |name: &str, iters: u64, elapsed: Duration| {
        let mut means = means.borrow_mut();
        let entry = means.entry(name.to_owned()).or_default();
        entry.0 += elapsed;
        entry.1 += iters;
    };

    let mut g = c.benchmark_group("large_sessions");
    g.sample_size(10);
    for (name, _, session) in &cases {
        let report_name = format!("report/{name}");
        g.bench_function(&report_name, |b| {
            b.iter_custom(|iters| {
                let elapsed = measure(iters, || {
                    black_box(render_report(black_box(session), false));
                });
                record(&report_name, iters, elapsed);
                elapsed
            });
        });
        let plan_name = format!("pull_plan/{name}");
        g.bench_function(&plan_name, |b| {
            b.iter_custom(|iters| {
                let elapsed = measure(iters, || {
                    black_box(plan_pull(black_box(session)));
                });
                record(&plan_name, iters, elapsed);
                elapsed
            });
        });
    }
    g.finish();

    let means = means.into_inner();
    let mean = |name: &str| {
        means
            .get(name)
            .map_or(0.0, |(d, n)| d.as_secs_f64() / (*n).max(1) as f64)
    };
    let (one, two) = (&cases[0].2, &cases[1].2);
    let paired = [
        (
            "report",
            median_ratio(
                || drop(black_box(render_report(one, false))),
                || drop(black_box(render_report(two, false))),
            ),
        ),
        (
            "pull_plan",
            median_ratio(
                || drop(black_box(plan_pull(one))),
                || drop(black_box(plan_pull(two))),
            ),
        ),
    ];
    println!();
    for (what, median) in paired {
        let (one, two) = (
            mean(&format!("{what}/faces/{N}")),
            mean(&format!("{what}/faces/{}", 2 * N)),
        );
        if one > 0.0 {
            println!(
                "{what}: {N} face captures {:.1} ms, {} {:.1} ms: doubling costs {:.2}x, \
                 median of {PAIRS} back-to-back pairs {median:.2}x (goal <= 2.2x)",
                one * 1e3,
                2 * N,
                two * 1e3,
                two / one
            );
        }
    }
    let large_bytes = cases[2].1;
    println!(
        "{:.1} MiB session: report {:.0} ms (goal < 2000 ms), pull plan {:.0} ms",
        large_bytes as f64 / f64::from(1 << 20),
        mean("report/32MiB") * 1e3,
        mean("pull_plan/32MiB") * 1e3
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
