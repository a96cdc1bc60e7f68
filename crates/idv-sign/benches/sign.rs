//! Signing throughput: the bare RSA signature and the full per-request work (nonce, timestamp,
//! query, message, signature, base64, headers) for each backend, in one run.
//!
//! `cargo bench -p idv-sign --features aws-lc --bench sign`; the goal is the fast backend's
//! per-request time within 1.1x of its bare signature.
//!
//! On Linux the times are the benchmark thread's CPU time (`/proc/thread-self/schedstat`), not
//! wall time, so that a machine shared with other jobs still gives comparable figures (throughput
//! is then "per second of one core"); elsewhere they are wall time.
//! `overhead/request-without-signature` measures the per-request work with a constant-output
//! signer, so `(signature + overhead) / signature` can be read directly. `client-assertion` is
//! one bearer-token JWT (claims, base64url, one PS384 signature): the signing cost of a token,
//! paid once per token instead of once per request.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use criterion::{Bencher, Criterion, Throughput, criterion_group, criterion_main};
use idv_sign::{
    ClientAssertion, PrivateKey, RequestSigner, RsaSigner, Signer, SystemClock, UnsignedRequest,
};

const KEY: &[u8] = include_bytes!("../../../fixtures/signing/TEST-ONLY-key.pkcs8.pem");
const SDK_ID: &str = "11111111-2222-4333-8444-555555555555";
const PATH: &str = "/sessions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const TOKEN_URL: &str = "https://auth.api.yoti.com/v1/oauth/token";
const MESSAGE: &[u8] = b"GET&/sessions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee?sdkId=11111111-2222-4333-8444-555555555555&nonce=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d&timestamp=1700000000000";

/// Polls a future that the built-in signers complete without waiting.
fn now<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("built-in signers never wait"),
    }
}

/// CPU time this thread has run, in nanoseconds (Linux), if available.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Runs `f` `iters` times and returns the thread CPU time taken (wall time as a fallback).
fn measure<O>(b: &mut Bencher<'_>, mut f: impl FnMut() -> O) {
    b.iter_custom(|iters| {
        let (cpu0, wall0) = (thread_cpu_ns(), Instant::now());
        for _ in 0..iters {
            black_box(f());
        }
        let wall = wall0.elapsed();
        match (cpu0, thread_cpu_ns()) {
            (Some(a), Some(b)) if b >= a => Duration::from_nanos(b - a),
            _ => wall,
        }
    });
}

/// Returns a constant 256-byte "signature": isolates the per-request work around the signature.
#[derive(Debug)]
struct NullSigner;

#[async_trait::async_trait]
impl Signer for NullSigner {
    async fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, idv_sign::SignError> {
        Ok(vec![0x5a; 256])
    }
}

fn sign_request(signer: &RequestSigner) -> usize {
    let signed = now(signer.sign(black_box(&UnsignedRequest::get(PATH)))).expect("signs");
    signed.headers().len()
}

fn backend(c: &mut Criterion, name: &str, signer: Arc<dyn Signer>) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(1));
    let bare = Arc::clone(&signer);
    group.bench_function("signature", |b| {
        measure(b, || now(bare.sign(black_box(MESSAGE))).expect("signs"));
    });
    let requests = RequestSigner::new(SDK_ID, Arc::clone(&signer));
    group.bench_function("request", |b| measure(b, || sign_request(&requests)));
    let assertion = ClientAssertion::new(SDK_ID, TOKEN_URL);
    group.bench_function("client-assertion", |b| {
        measure(b, || {
            now(assertion.sign(signer.as_ref(), &SystemClock))
                .expect("signs")
                .expose()
                .len()
        });
    });
    group.finish();
}

#[allow(
    clippy::print_stderr,
    reason = "a benchmark binary reporting what it skipped"
)]
fn benches(c: &mut Criterion) {
    let key = PrivateKey::from_pem(KEY).expect("test key");
    // The per-request work without any RSA: nonce, timestamp, query, message, base64, headers.
    let overhead = RequestSigner::new(SDK_ID, Arc::new(NullSigner));
    c.bench_function("overhead/request-without-signature", |b| {
        measure(b, || sign_request(&overhead));
    });
    backend(c, "rsa", Arc::new(RsaSigner::new(&key)));
    #[cfg(feature = "aws-lc")]
    backend(
        c,
        "aws-lc",
        Arc::new(idv_sign::AwsLcSigner::new(&key).expect("aws-lc accepts the key")),
    );
    #[cfg(not(feature = "aws-lc"))]
    eprintln!("(aws-lc backend not measured: run with `--features aws-lc`)");
}

criterion_group! {
    name = sign;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(sign);
