//! Client cost per `get_session` against the sandbox on loopback, with one bare RSA signature
//! (fast backend) measured in the same run as the baseline.
//!
//! Method: the sandbox runs on its own multi-threaded Tokio runtime in other threads; the client
//! runs on a current-thread runtime on the benchmark's own thread, so every piece of client
//! work (signing, request building, hyper's connection task, response parsing) runs on that
//! one thread. Client CPU is that thread's on-CPU time read from `/proc/thread-self/schedstat`
//! (nanoseconds, scheduler accounting), fed to criterion through `iter_custom`: the
//! `cpu/...` benchmarks report CPU time per call, the `wall/...` ones wall time (calls/s as
//! throughput). The signature baseline is measured the same way on the same thread.
//!
//! Both authentication modes are measured in the same run: signed requests (one RSA signature
//! per request) and bearer tokens (one signature per token, fetched from the sandbox's token
//! endpoint and cached).

#![allow(missing_docs, clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use idv_client::{Authentication, IdvClient};
use idv_sandbox::{AppKeys, Sandbox, generate_app_keys};
use idv_sign::Signer;

const SESSION_ID: &str = idv_sandbox::PRODUCT_PAGE_SESSION_ID;
const IN_FLIGHT: u64 = 32;

/// This thread's CPU time so far, from the scheduler's accounting (ns resolution).
fn thread_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns = text
        .split_whitespace()
        .next()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

/// Starts the sandbox on its own runtime in background threads; returns its base URL.
fn start_sandbox(keys: &AppKeys) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    let keys = keys.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("sandbox runtime");
        rt.block_on(async move {
            // Served on every GET: the completed stage of the product page.
            let sandbox = Sandbox::builder()
                .session_stages([idv_sandbox::PRODUCT_PAGE_STAGES[4]])
                .app_keys(&keys)
                .start()
                .await
                .expect("sandbox");
            tx.send(sandbox.base_url().to_owned()).expect("send");
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("sandbox started")
}

/// (CPU ns, calls) accumulated over every sample, warm-up included, per measured series.
#[derive(Default)]
struct Totals([(AtomicU64, AtomicU64); 5]);

impl Totals {
    fn record(&self, slot: usize, iters: u64, cpu: Duration) {
        let ns = u64::try_from(cpu.as_nanos()).unwrap_or(u64::MAX);
        self.0[slot].0.fetch_add(ns, Ordering::Relaxed);
        self.0[slot].1.fetch_add(iters, Ordering::Relaxed);
    }

    fn mean(&self, slot: usize) -> f64 {
        let (ns, n) = &self.0[slot];
        ns.load(Ordering::Relaxed) as f64 / n.load(Ordering::Relaxed).max(1) as f64
    }
}

/// `get_session` `iters` times with up to [`IN_FLIGHT`] calls in flight.
fn concurrent(rt: &tokio::runtime::Runtime, client: &IdvClient, iters: u64) {
    rt.block_on(async {
        let next = Arc::new(AtomicU64::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..IN_FLIGHT.min(iters) {
            let client = client.clone();
            let next = next.clone();
            tasks.spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < iters {
                    std::hint::black_box(client.get_session(SESSION_ID).await.expect("get"));
                }
            });
        }
        while let Some(r) = tasks.join_next().await {
            r.expect("task");
        }
    });
}

/// Client CPU per call (sequential and 32 in flight) and calls/s with 32 in flight, for one
/// authentication mode; CPU means go to `totals[first_slot]` and `[first_slot + 1]`.
fn measure(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    mode: &str,
    rt: &tokio::runtime::Runtime,
    client: &IdvClient,
    totals: &Totals,
    first_slot: usize,
) -> Duration {
    g.bench_function(format!("cpu/{mode}/get_session sequential"), |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu();
            rt.block_on(async {
                for _ in 0..iters {
                    std::hint::black_box(client.get_session(SESSION_ID).await.expect("get"));
                }
            });
            let cpu = thread_cpu() - start;
            totals.record(first_slot, iters, cpu);
            cpu
        });
    });
    g.bench_function(format!("cpu/{mode}/get_session 32 in flight"), |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu();
            concurrent(rt, client, iters);
            let cpu = thread_cpu() - start;
            totals.record(first_slot + 1, iters, cpu);
            cpu
        });
    });
    // Calls per second with 32 in flight, timed directly for the summary line.
    let calls = 2_000;
    let start = Instant::now();
    concurrent(rt, client, calls);
    let per_call = start.elapsed() / u32::try_from(calls).unwrap_or(u32::MAX);
    g.bench_function(format!("wall/{mode}/get_session 32 in flight"), |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            concurrent(rt, client, iters);
            start.elapsed()
        });
    });
    per_call
}

fn bench(c: &mut Criterion) {
    let keys = generate_app_keys().expect("keys");
    let base_url = start_sandbox(&keys);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let builder = || {
        IdvClient::builder()
            .sdk_id(&keys.sdk_id)
            .key_pem(keys.private_key_pem.as_bytes())
            .base_url(&base_url)
    };
    let signed = builder().build().expect("client");
    let bearer = builder()
        .authentication(Authentication::bearer().token_url(format!("{base_url}/oauth/token")))
        .build()
        .expect("bearer client");
    for client in [&signed, &bearer] {
        rt.block_on(client.get_session(SESSION_ID))
            .expect("warm-up call");
    }

    let key = idv_sign::PrivateKey::from_pem(keys.private_key_pem.as_bytes()).expect("key");
    let signer = idv_sign::AwsLcSigner::new(&key).expect("aws-lc signer");
    let message = format!(
        "GET&/sessions/{SESSION_ID}?sdkId={}&nonce=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d&timestamp=1700000000000",
        keys.sdk_id
    );
    let totals = Totals::default();

    let mut g = c.benchmark_group("client");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));

    g.bench_function("cpu/rsa_sign_aws_lc (baseline)", |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu();
            rt.block_on(async {
                for _ in 0..iters {
                    std::hint::black_box(signer.sign(message.as_bytes()).await.expect("sign"));
                }
            });
            let cpu = thread_cpu() - start;
            totals.record(0, iters, cpu);
            cpu
        });
    });
    let signed_wall = measure(&mut g, "signed", &rt, &signed, &totals, 1);
    let bearer_wall = measure(&mut g, "bearer", &rt, &bearer, &totals, 3);
    g.finish();

    let sign = totals.mean(0);
    let (seq, par) = (totals.mean(1), totals.mean(2));
    let (bseq, bpar) = (totals.mean(3), totals.mean(4));
    if sign > 0.0 && seq > 0.0 {
        println!(
            "\nclient CPU per get_session (mean of all samples), one RSA-2048 signature (aws-lc) = {:.1} µs:\n  \
             signed: sequential {:.1} µs = {:.2}x one signature; 32 in flight {:.1} µs = {:.2}x\n  \
             bearer: sequential {:.1} µs = {:.2}x signed; 32 in flight {:.1} µs = {:.2}x signed\n  \
             calls/s with 32 in flight: signed {:.0}, bearer {:.0} = {:.2}x",
            sign / 1e3,
            seq / 1e3,
            seq / sign,
            par / 1e3,
            par / sign,
            bseq / 1e3,
            bseq / seq,
            bpar / 1e3,
            bpar / par,
            1.0 / signed_wall.as_secs_f64(),
            1.0 / bearer_wall.as_secs_f64(),
            signed_wall.as_secs_f64() / bearer_wall.as_secs_f64(),
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
