//! The signed requests of `fixtures/signing/vectors.json` (TEST-ONLY key, fixed nonce and
//! timestamp) verify when sent exactly as recorded.

mod common;

use common::*;
use idv_sandbox::Sandbox;

#[tokio::test]
async fn every_signing_vector_verifies() {
    let vectors: serde_json::Value =
        serde_json::from_slice(include_bytes!("../../../fixtures/signing/vectors.json"))
            .expect("json");
    let public_key = include_str!("../../../fixtures/signing/TEST-ONLY-key.public.pem");
    let sdk_id = vectors["sdk_id"].as_str().expect("sdk_id");
    let list = vectors["vectors"].as_array().expect("vectors");
    assert!(list.len() >= 6);
    let session = serde_json::json!({
        "session_id": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
        "resources": {"id_documents": [{"pages": [
            {"media": {"id": "ffffffff-0000-4111-8222-333333333333", "type": "IMAGE"}}
        ]}]}
    });
    for v in list {
        let name = v["name"].as_str().expect("name");
        // All vectors share one nonce: a fresh sandbox for each, or the replay check bites.
        let sandbox = Sandbox::builder()
            .app_pem(sdk_id, public_key)
            .session_value(&session)
            .start()
            .await
            .expect("start");
        let target = format!(
            "/idverify/v1{}",
            v["path_and_query"].as_str().expect("target")
        );
        let digest = v["digest"].as_str().expect("digest");
        let body = v["body"].as_str().expect("body").as_bytes();
        let mut headers = vec![("X-Yoti-Auth-Digest", digest)];
        if !body.is_empty() {
            headers.push(("Content-Type", "application/json"));
        }
        let method = v["method"].as_str().expect("method");
        let reply = send_raw(&sandbox, method, &target, &headers, body)
            .await
            .expect("reply");
        let log = sandbox.request_log();
        assert!(
            log[0].signature_verified,
            "{name}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let expected = match name {
            "get_session" | "get_media" | "get_query_percent_encoded" => 200,
            "post_session_json_body" => 201,
            "delete_session" | "delete_media" => 204,
            _ => 404, // verified, but not an endpoint the sandbox serves
        };
        assert_eq!(reply.status, expected, "{name}");

        // The same bytes with the digest of another vector do not verify.
        let other = list
            .iter()
            .find(|o| o["name"] != v["name"])
            .expect("another vector");
        let headers = [(
            "X-Yoti-Auth-Digest",
            other["digest"].as_str().expect("digest"),
        )];
        let fresh = Sandbox::builder()
            .app_pem(sdk_id, public_key)
            .start()
            .await
            .expect("start");
        let reply = send_raw(&fresh, method, &target, &headers, body)
            .await
            .expect("reply");
        assert_eq!(
            (reply.status.as_u16(), reply.code().as_str()),
            (401, "INVALID_SIGNATURE"),
            "{name}"
        );
        fresh.shutdown().await;
        sandbox.shutdown().await;
    }
}
