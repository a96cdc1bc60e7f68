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

#![allow(missing_docs, clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use idv_client::IdvClient;
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

fn bench(c: &mut Criterion) {
    let keys = generate_app_keys().expect("keys");
    let base_url = start_sandbox(&keys);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let client = IdvClient::builder()
        .sdk_id(&keys.sdk_id)
        .key_pem(keys.private_key_pem.as_bytes())
        .base_url(&base_url)
        .build()
        .expect("client");
    rt.block_on(client.get_session(SESSION_ID))
        .expect("warm-up call");

    let key = idv_sign::PrivateKey::from_pem(keys.private_key_pem.as_bytes()).expect("key");
    let signer = idv_sign::AwsLcSigner::new(&key).expect("aws-lc signer");
    let message = format!(
        "GET&/sessions/{SESSION_ID}?sdkId={}&nonce=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d&timestamp=1700000000000",
        keys.sdk_id
    );

    // (CPU ns, calls) accumulated over every sample, warm-up included.
    let totals: [(AtomicU64, AtomicU64); 3] = Default::default();
    let record = |slot: usize, iters: u64, cpu: Duration| {
        totals[slot]
            .0
            .fetch_add(cpu.as_nanos() as u64, Ordering::Relaxed);
        totals[slot].1.fetch_add(iters, Ordering::Relaxed);
    };

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
            record(0, iters, cpu);
            cpu
        });
    });

    g.bench_function("cpu/get_session sequential", |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu();
            rt.block_on(async {
                for _ in 0..iters {
                    std::hint::black_box(client.get_session(SESSION_ID).await.expect("get"));
                }
            });
            let cpu = thread_cpu() - start;
            record(1, iters, cpu);
            cpu
        });
    });

    let concurrent = |iters: u64| {
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
    };

    g.bench_function("cpu/get_session 32 in flight", |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu();
            concurrent(iters);
            let cpu = thread_cpu() - start;
            record(2, iters, cpu);
            cpu
        });
    });

    g.throughput(Throughput::Elements(1));
    g.bench_function("wall/get_session sequential", |b| {
        b.iter(|| rt.block_on(client.get_session(SESSION_ID)).expect("get"));
    });
    g.bench_function("wall/get_session 32 in flight", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            concurrent(iters);
            start.elapsed()
        });
    });
    g.finish();

    let mean = |slot: usize| {
        let (ns, n) = &totals[slot];
        ns.load(Ordering::Relaxed) as f64 / n.load(Ordering::Relaxed).max(1) as f64
    };
    let (sign, seq, par) = (mean(0), mean(1), mean(2));
    if sign > 0.0 {
        println!(
            "\nclient CPU per get_session (mean of all samples): sequential {:.1} µs = {:.2}x one signature; \
             32 in flight {:.1} µs = {:.2}x; one RSA-2048 signature (aws-lc) {:.1} µs",
            seq / 1e3,
            seq / sign,
            par / 1e3,
            par / sign,
            sign / 1e3
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
