//! A notification receiver with axum: checks each notification's `Authorization` header with
//! idv-model's `NotificationVerifier`, answers `200` to a verified notification and `401`, `413`
//! or `400` otherwise, and prints what it received.
//!
//! ```text
//! NOTIFICATION_AUTH_TOKEN=username:password cargo run -p idv-model --features http \
//!     --example axum_receiver [-- 127.0.0.1:3000]
//! ```
//!
//! Create sessions with `notifications: {endpoint: "https://<public address>/notifications",
//! auth_type: "BASIC", auth_token: <the same token>, topics: [...]}`. (Yoti posts over HTTPS: in
//! production put this behind a TLS-terminating proxy.) `app` builds the router alone so that a
//! test can serve it.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::{self, Sender};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use idv_model::Secret;
use idv_model::notification::{MAX_NOTIFICATION_BODY, Notification, NotificationVerifier};

/// The receiver's state: the verifier and where verified notifications go.
#[derive(Clone, Debug)]
pub struct Receiver {
    verifier: Arc<NotificationVerifier>,
    received: Sender<Notification>,
}

/// The router: `POST /notifications`, bodies capped at idv-model's `MAX_NOTIFICATION_BODY`
/// (axum answers `413` past it before the handler runs).
pub fn app(verifier: NotificationVerifier, received: Sender<Notification>) -> Router {
    let state = Receiver {
        verifier: Arc::new(verifier),
        received,
    };
    Router::new()
        .route("/notifications", post(receive_notification))
        .layer(DefaultBodyLimit::max(MAX_NOTIFICATION_BODY))
        .with_state(state)
}

/// The handler: verify, hand the notification on, answer at once (the work of fetching the
/// session happens elsewhere, so Yoti's delivery is not held up).
pub async fn receive_notification(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match receiver.verifier.receive_headers(&headers, &body) {
        Ok(notification) => {
            // A closed channel means the program is shutting down; the delivery still succeeded.
            let _ = receiver.received.send(notification);
            StatusCode::OK
        }
        Err(error) => {
            // Safe to log: the error never contains the token, the header or the body.
            eprintln!("refused a notification: {error}");
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("NOTIFICATION_AUTH_TOKEN")
        .map_err(|_| "set NOTIFICATION_AUTH_TOKEN to the notifications' auth_token")?;
    let verifier = NotificationVerifier::basic(&Secret::new(token))?;
    let address: SocketAddr = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("127.0.0.1:3000")
        .parse()?;

    let (sender, notifications) = mpsc::channel::<Notification>();
    std::thread::spawn(move || {
        for notification in notifications {
            let id = notification
                .task_id
                .as_deref()
                .or(notification.resource_id.as_deref())
                .or(notification.check_id.as_deref())
                .unwrap_or("-");
            println!("{} {} {id}", notification.session_id, notification.topic);
        }
    });

    let listener = tokio::net::TcpListener::bind(address).await?;
    println!(
        "receiving notifications on http://{}/notifications",
        listener.local_addr()?
    );
    axum::serve(listener, app(verifier, sender)).await?;
    Ok(())
}
