//! A connector wrapper that bounds the whole connect (TCP + TLS) with the connect timeout and
//! tags each connection with an id, so each response says whether its connection was new or
//! reused ([`ConnectionInfo`]).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io::IoSlice;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::plain_http::TcpConnector;
use crate::BoxError;

/// Which connection served a response; inserted by [`HyperTransport`](super::HyperTransport)
/// into every response's extensions.
///
/// Available on crate feature `hyper` only.
///
/// ```no_run
/// # async fn demo(transport: idv_transport::HyperTransport, request: http::Request<bytes::Bytes>) {
/// use idv_transport::{ConnectionInfo, SendOptions, Transport};
///
/// let response = transport.send(request, &SendOptions::default()).await.unwrap();
/// let info = response.extensions().get::<ConnectionInfo>().unwrap();
/// println!("connection #{} (reused: {})", info.id, info.reused);
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionInfo {
    /// An id unique among the connections of one [`HyperTransport`](super::HyperTransport) (and
    /// its clones).
    pub id: u64,
    /// `true` when the connection had already served an earlier response (keep-alive pooling,
    /// or HTTP/2 multiplexing).
    pub reused: bool,
}

/// The tag attached to every connection (through `Connected::extra`), copied by hyper-util into
/// the extensions of every response received on that connection.
#[derive(Clone, Debug)]
pub(crate) struct ConnTag {
    id: u64,
    used: Arc<AtomicBool>,
}

impl ConnTag {
    /// What a response on this connection reports: the first call says "new", later ones
    /// "reused".
    pub(crate) fn info(&self) -> ConnectionInfo {
        ConnectionInfo {
            id: self.id,
            reused: self.used.swap(true, Ordering::Relaxed),
        }
    }
}

/// The connect (TCP and TLS handshake) did not finish in time.
#[derive(Debug)]
pub(crate) struct ConnectTimeout(pub(crate) Duration);

impl fmt::Display for ConnectTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connect timed out after {:?}", self.0)
    }
}

impl StdError for ConnectTimeout {}

type Inner = HttpsConnector<TcpConnector>;
type InnerIo = MaybeHttpsStream<TokioIo<TcpStream>>;

#[derive(Clone)]
pub(crate) struct TrackingConnector {
    inner: Inner,
    next_id: Arc<AtomicU64>,
    connect_timeout: Option<Duration>,
}

impl TrackingConnector {
    pub(crate) fn new(inner: Inner, connect_timeout: Option<Duration>) -> Self {
        Self {
            inner,
            next_id: Arc::new(AtomicU64::new(1)),
            connect_timeout,
        }
    }
}

impl tower_service::Service<Uri> for TrackingConnector {
    type Response = TrackedIo;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<TrackedIo, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        tower_service::Service::<Uri>::poll_ready(&mut self.inner, cx)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = tower_service::Service::<Uri>::call(&mut self.inner, uri);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let connect_timeout = self.connect_timeout;
        Box::pin(async move {
            let io = match connect_timeout {
                Some(limit) => match tokio::time::timeout(limit, connecting).await {
                    Ok(result) => result?,
                    Err(_) => return Err(Box::new(ConnectTimeout(limit)) as BoxError),
                },
                None => connecting.await?,
            };
            Ok(TrackedIo {
                io,
                tag: ConnTag {
                    id,
                    used: Arc::new(AtomicBool::new(false)),
                },
            })
        })
    }
}

pub(crate) struct TrackedIo {
    io: InnerIo,
    tag: ConnTag,
}

impl Connection for TrackedIo {
    fn connected(&self) -> Connected {
        self.io.connected().extra(self.tag.clone())
    }
}

impl Read for TrackedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for TrackedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}
