//! Load: 1,000 concurrent signed requests from many tasks, all answered correctly.

mod common;

use std::collections::HashSet;

use common::*;
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, Sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_signed_requests_are_all_answered() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start");
    let media = sandbox.media_ids(PRODUCT_PAGE_SESSION_ID);
    let signer = std::sync::Arc::new(signer());
    let sandbox = std::sync::Arc::new(sandbox);
    // Every task signs its own request (in parallel), then all send together.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(1000));
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let path = if i % 2 == 0 {
                format!("/sessions/{PRODUCT_PAGE_SESSION_ID}")
            } else {
                format!(
                    "/sessions/{PRODUCT_PAGE_SESSION_ID}/media/{}/content",
                    media[i % media.len()]
                )
            };
            let sandbox = std::sync::Arc::clone(&sandbox);
            let barrier = std::sync::Arc::clone(&barrier);
            let signer = std::sync::Arc::clone(&signer);
            tokio::spawn(async move {
                let request = sign(&signer, "GET", &path, b"").await;
                barrier.wait().await;
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
    assert_eq!(ok, 1000);
    let log = sandbox.request_log();
    assert_eq!(log.len(), 1000);
    assert!(
        log.iter()
            .all(|e| e.signature_verified && e.status == Some(200))
    );
    let nonces: HashSet<_> = log.iter().filter_map(|e| e.nonce.clone()).collect();
    assert_eq!(nonces.len(), 1000);
    assert_eq!(sandbox.connections_accepted(), 1000);
}
