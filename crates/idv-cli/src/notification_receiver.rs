//! A local receiver for the notifications Yoti (here: the sandbox) sends: a loopback HTTP
//! endpoint that checks each request's `Authorization` header and passes verified notifications
//! on. It is what an integrator's webhook does, in a few lines, with `idv_model::notification`.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use idv_model::notification::{MAX_NOTIFICATION_BODY, Notification, NotificationVerifier};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

/// A running receiver: its URL, and the verified notifications as they arrive.
pub struct Receiver {
    url: String,
    notifications: mpsc::UnboundedReceiver<Notification>,
    refused: Arc<std::sync::atomic::AtomicU64>,
    stop: watch::Sender<bool>,
}

impl Receiver {
    /// Starts a receiver on a free loopback port that accepts only requests `verifier` accepts.
    pub async fn start(verifier: NotificationVerifier) -> std::io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let url = format!("http://{}/idv/notifications", listener.local_addr()?);
        let (tx, notifications) = mpsc::unbounded_channel();
        let (stop, mut stopped) = watch::channel(false);
        let refused = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let verifier = Arc::new(verifier);
        let counter = refused.clone();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    a = listener.accept() => a,
                    _ = stopped.changed() => return,
                };
                let Ok((stream, _)) = accepted else { continue };
                let (verifier, tx, counter) = (verifier.clone(), tx.clone(), counter.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let (verifier, tx, counter) =
                            (verifier.clone(), tx.clone(), counter.clone());
                        async move {
                            Ok::<_, std::convert::Infallible>(
                                receive(&verifier, &tx, &counter, request).await,
                            )
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(Self {
            url,
            notifications,
            refused,
            stop,
        })
    }

    /// The endpoint to give in the session's `notifications.endpoint`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The next verified notification (`None` once the receiver stopped).
    pub async fn next(&mut self) -> Option<Notification> {
        self.notifications.recv().await
    }

    /// How many requests were refused (wrong or missing `Authorization`, bad body).
    pub fn refused(&self) -> u64 {
        self.refused.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn receive(
    verifier: &NotificationVerifier,
    tx: &mpsc::UnboundedSender<Notification>,
    refused: &std::sync::atomic::AtomicU64,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_NOTIFICATION_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return answer(StatusCode::PAYLOAD_TOO_LARGE),
    };
    match verifier.receive_headers(&parts.headers, &body) {
        Ok(notification) => {
            let _ = tx.send(notification);
            answer(StatusCode::OK)
        }
        Err(e) => {
            refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            answer(StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST))
        }
    }
}

fn answer(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}
