//! Load: 1,000 concurrent signed requests from many tasks, all answered correctly.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::*;
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, Sandbox};
use tokio::sync::Semaphore;

const REQUESTS: usize = 1000;

/// How many connections may be open at once. Every request uses its own connection, and both
/// ends live in this process (two descriptors each), so 1,000 at once needs over 2,000 open
/// files: more than the common default soft limit of 1,024 (`ulimit -n`), where `connect`
/// would fail with "Too many open files". Below that limit, fewer connections are open at
/// once (the requests are still all issued concurrently, from 1,000 tasks).
fn connection_budget() -> usize {
    // Linux: "Max open files   SOFT   HARD   files". Elsewhere, assume the common 1,024.
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|n| n.parse::<usize>().ok())
        })
        .unwrap_or(1024);
    // Two descriptors per connection, a margin for the runtime and the harness, and as much
    // again for connections whose permit is released a moment before their sockets close.
    (soft.saturating_sub(128) / 4).clamp(16, REQUESTS)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_signed_requests_are_all_answered() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start");
    let media = sandbox.media_ids(PRODUCT_PAGE_SESSION_ID);
    let signer = Arc::new(signer());
    let sandbox = Arc::new(sandbox);
    let budget = connection_budget();
    if budget < REQUESTS {
        eprintln!("open-file limit: at most {budget} connections open at once");
    }
    let connections = Arc::new(Semaphore::new(budget));
    // Every task signs its own request (in parallel), then all send together.
    let barrier = Arc::new(tokio::sync::Barrier::new(REQUESTS));
    let tasks: Vec<_> = (0..REQUESTS)
        .map(|i| {
            let path = if i % 2 == 0 {
                format!("/sessions/{PRODUCT_PAGE_SESSION_ID}")
            } else {
                format!(
                    "/sessions/{PRODUCT_PAGE_SESSION_ID}/media/{}/content",
                    media[i % media.len()]
                )
            };
            let sandbox = Arc::clone(&sandbox);
            let barrier = Arc::clone(&barrier);
            let signer = Arc::clone(&signer);
            let connections = Arc::clone(&connections);
            tokio::spawn(async move {
                let request = sign(&signer, "GET", &path, b"").await;
                barrier.wait().await;
                let _permit = connections.acquire().await.expect("semaphore");
                let reply = send_signed(&sandbox, &request, b"").await;
                (i, reply)
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        let (i, reply) = task.await.expect("task");
        assert_eq!(reply.status, 200, "request {i}");
        if i % 2 == 0 {
            assert_eq!(reply.json()["session_id"], PRODUCT_PAGE_SESSION_ID);
        } else {
            assert!(!reply.body.is_empty());
        }
        ok += 1;
    }
    assert_eq!(ok, REQUESTS);
    let log = sandbox.request_log();
    assert_eq!(log.len(), REQUESTS);
    assert!(
        log.iter()
            .all(|e| e.signature_verified && e.status == Some(200))
    );
    let nonces: HashSet<_> = log.iter().filter_map(|e| e.nonce.clone()).collect();
    assert_eq!(nonces.len(), REQUESTS);
    assert_eq!(sandbox.connections_accepted(), REQUESTS as u64);
}
