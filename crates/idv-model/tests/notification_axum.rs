//! The axum receiver example, served on 127.0.0.1:0 and posted to with a plain HTTP client:
//! a verified notification is answered `200` and handed on; a missing or wrong header `401`, a
//! bad body `400`, an oversized one `413`, and none of those is handed on.

#![cfg(feature = "http")]

#[path = "../examples/axum_receiver.rs"]
#[allow(dead_code)]
mod axum_receiver;

use std::sync::mpsc;

use idv_model::Secret;
use idv_model::notification::{
    MAX_NOTIFICATION_BODY, NotificationTopic, NotificationVerifier, authorization_header,
};
use idv_model::spec::AuthType;

#[tokio::test]
async fn the_example_receiver_verifies_over_loopback() {
    let token = Secret::new("username:password");
    let verifier = NotificationVerifier::basic(&token).unwrap();
    let (sender, received) = mpsc::channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notifications", listener.local_addr().unwrap());
    let server =
        tokio::spawn(
            async move { axum::serve(listener, axum_receiver::app(verifier, sender)).await },
        );

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let good = authorization_header(&AuthType::Basic, &token)
        .unwrap()
        .expose_secret()
        .to_owned();
    let body = r#"{"session_id": "s1", "topic": "check_completion", "check_id": "c1"}"#;
    let post = |authorization: Option<&str>, body: Vec<u8>| {
        let mut request = client.post(&url).body(body);
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };

    assert_eq!(post(Some(&good), body.into()).await, 200);
    let notification = received.try_recv().unwrap();
    assert_eq!(notification.session_id, "s1");
    assert_eq!(notification.topic, NotificationTopic::CheckCompletion);
    assert_eq!(notification.check_id.as_deref(), Some("c1"));

    assert_eq!(post(None, body.into()).await, 401);
    assert_eq!(
        post(Some("Basic dXNlcm5hbWU6Z3Vlc3M="), body.into()).await,
        401
    );
    assert_eq!(
        post(Some("Bearer username:password"), body.into()).await,
        401
    );
    assert_eq!(post(Some(&good), b"{\"topic\": 1}".to_vec()).await, 400);
    assert_eq!(
        post(Some(&good), vec![b' '; MAX_NOTIFICATION_BODY + 1]).await,
        413
    );
    assert!(
        received.try_recv().is_err(),
        "only the verified notification is handed on"
    );

    server.abort();
}
