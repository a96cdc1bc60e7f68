//! Property: whatever order and spelling a client puts the auth parameters in (and whatever
//! extra parameters it adds), a request signed over the bytes it sends is accepted, and the
//! same request with any parameter moved is rejected.

mod common;

use common::*;
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, Sandbox};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn prop_any_parameter_order_verifies(
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        go_spelling in any::<bool>(),
        extra in "[a-z]{1,8}=[A-Za-z0-9%]{0,12}".prop_filter("not an auth parameter", |e| !e.starts_with("nonce=")),
        nonce in "[0-9A-Fa-f-]{8,36}",
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let sandbox = Sandbox::product_page_demo().test_app().start().await.unwrap();
            let k = keys();
            let sdk = if go_spelling { "sdkID" } else { "sdkId" };
            let params = [
                format!("{sdk}={}", k.sdk_id),
                format!("nonce={nonce}"),
                "timestamp=1700000000000".to_owned(),
                extra.clone(),
            ];
            let query: Vec<&str> = order.iter().map(|&i| params[i].as_str()).collect();
            let relative = format!("/sessions/{PRODUCT_PAGE_SESSION_ID}?{}", query.join("&"));
            let digest = digest_for(&k.private_key_pem, "GET", &relative, b"").await;
            let header = [("X-Yoti-Auth-Digest", digest.as_str())];

            // Moving the first parameter to the end changes the bytes: rejected.
            let mut moved = query.clone();
            moved.rotate_left(1);
            let moved = format!("/sessions/{PRODUCT_PAGE_SESSION_ID}?{}", moved.join("&"));
            let reply = send_raw(&sandbox, "GET", &format!("/idverify/v1{moved}"), &header, b"")
                .await
                .unwrap();
            prop_assert_eq!(reply.status.as_u16(), 401);

            let reply = send_raw(&sandbox, "GET", &format!("/idverify/v1{relative}"), &header, b"")
                .await
                .unwrap();
            prop_assert_eq!(reply.status.as_u16(), 200);
            let log = sandbox.request_log();
            prop_assert!(log[1].signature_verified);
            prop_assert_eq!(log[1].nonce.as_deref(), Some(nonce.as_str()));
            sandbox.shutdown().await;
            Ok(())
        })?;
    }
}
