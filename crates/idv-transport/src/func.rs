//! A closure as a [`Transport`].

use std::fmt;
use std::future::Future;

use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};

use crate::{SendOptions, Transport, TransportError};

/// A [`Transport`] backed by a closure; build one with [`transport_fn`].
#[derive(Clone)]
pub struct FnTransport<F> {
    f: F,
}

/// Use a closure `Fn(Request<Bytes>) -> impl Future<Output = Result<Response<Bytes>, TransportError>>`
/// as a [`Transport`]: handy for testing code that uses a transport without a server.
///
/// The response body is checked against [`SendOptions::max_body_bytes`] like a real transport
/// would (a larger body gives a [`BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge) error);
/// streaming callers get the body as a single chunk.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use bytes::Bytes;
/// use http::{Request, Response, StatusCode};
/// use idv_transport::{transport_fn, SendOptions, Transport};
///
/// let transport = transport_fn(|request: Request<Bytes>| async move {
///     assert_eq!(request.uri().path(), "/sessions/abc");
///     Ok(Response::builder()
///         .status(StatusCode::OK)
///         .body(Bytes::from_static(br#"{"state":"ONGOING"}"#))
///         .unwrap())
/// });
///
/// let request = Request::get("https://api.example.com/sessions/abc").body(Bytes::new()).unwrap();
/// let response = transport.send(request, &SendOptions::default()).await.unwrap();
/// assert_eq!(response.status(), StatusCode::OK);
/// assert_eq!(response.body().as_ref(), br#"{"state":"ONGOING"}"#);
/// # }
/// ```
pub fn transport_fn<F, Fut>(f: F) -> FnTransport<F>
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Response<Bytes>, TransportError>> + Send,
{
    FnTransport { f }
}

impl<F> fmt::Debug for FnTransport<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnTransport").finish_non_exhaustive()
    }
}

#[async_trait]
impl<F, Fut> Transport for FnTransport<F>
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Response<Bytes>, TransportError>> + Send,
{
    async fn send(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let response = (self.f)(request).await?;
        if response.body().len() as u64 > options.max_body_bytes {
            return Err(TransportError::body_too_large(options.max_body_bytes));
        }
        Ok(response)
    }
}
