//! The [`Transport`] trait and its blanket implementations.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};

use crate::{BodyStream, SendOptions, TransportError};

/// Sends one HTTP request and returns its response: the seam between the IDV client and an HTTP
/// stack.
///
/// Implementations must not follow redirects (a redirect would replay a signed request
/// somewhere else): a 3xx response is returned as-is. Non-2xx statuses are responses, not errors.
/// Plain `http://` must only reach loopback ([`is_loopback_host`](crate::is_loopback_host) for
/// the URI, [`is_loopback_ip`](crate::is_loopback_ip) for every resolved address).
///
/// Timeouts have one owner each: the transport bounds connecting (its own configuration) and
/// waiting without progress for the response ([`SendOptions::read_timeout`]); the caller bounds
/// an attempt or a whole call by dropping the returned future. A transport adds no deadline of
/// its own for the whole exchange.
///
/// Only [`send`](Self::send) is required; [`send_streaming`](Self::send_streaming) has a provided
/// implementation that buffers through `send`, so buffer-only transports work with streaming
/// callers.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Transport: Send + Sync + Debug {
    /// Send `request` and read the whole response body into memory.
    ///
    /// Fails with [`BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge) when the body is
    /// larger than [`SendOptions::max_body_bytes`] (checked against `Content-Length` up front and
    /// while reading), and with [`Timeout`](crate::TransportErrorKind::Timeout) when the response
    /// makes no progress for [`SendOptions::read_timeout`].
    async fn send(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError>;

    /// Send `request` and return the response as soon as its head arrives; the body is read
    /// chunk by chunk from the returned [`BodyStream`].
    ///
    /// [`SendOptions::read_timeout`] bounds the wait for the head and each wait for a chunk, and
    /// [`SendOptions::max_body_bytes`] the total body size.
    ///
    /// The provided implementation calls [`send`](Self::send) and wraps the buffered body.
    async fn send_streaming(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<BodyStream>, TransportError> {
        let response = self.send(request, options).await?;
        Ok(response.map(BodyStream::from_bytes))
    }
}

macro_rules! forward_transport {
    ($($ty:ty),*) => {$(
        #[async_trait]
        impl<T: Transport + ?Sized> Transport for $ty {
            async fn send(
                &self,
                request: Request<Bytes>,
                options: &SendOptions,
            ) -> Result<Response<Bytes>, TransportError> {
                (**self).send(request, options).await
            }

            async fn send_streaming(
                &self,
                request: Request<Bytes>,
                options: &SendOptions,
            ) -> Result<Response<BodyStream>, TransportError> {
                (**self).send_streaming(request, options).await
            }
        }
    )*};
}

forward_transport!(Arc<T>, Box<T>, &T);
