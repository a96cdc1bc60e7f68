//! The accept loop: at most `max_connections` connections at once, each with a header-read
//! timeout, all ended at shutdown.
//!
//! A connection beyond the cap is not accepted: it waits in the listening socket's backlog
//! (the kernel has completed its TCP handshake, so the client's connect succeeds and its
//! request waits unread) until a served connection ends. Waiting, rather than accepting and
//! closing, serves bursts late instead of failing them. Served connections cannot hold their
//! place forever: the header-read timeout applies to every request's headers and to the wait
//! for the next request on a kept-alive connection, and a TLS handshake gets as long.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::server::{Shared, handle};

/// Serves one accepted connection until it ends or the sandbox shuts down.
async fn serve_connection<IO>(
    io: IO,
    peer: SocketAddr,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let header_read_timeout = shared.limits.header_read_timeout;
    let rx = shutdown.clone();
    let service = service_fn(move |req| handle(Arc::clone(&shared), req, peer, rx.clone()));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::select! {
        _ = connection => {}
        _ = shutdown.changed() => {}
    }
}

/// Accepts connections until shutdown, then ends every connection task.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(shared.limits.max_connections));
    let mut tasks: JoinSet<()> = JoinSet::new();
    // A slot taken for the next connection, held until one is accepted.
    let mut slot: Option<OwnedSemaphorePermit> = None;
    loop {
        tokio::select! {
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
            // The semaphore is never closed, so this only fails if it were.
            acquired = Arc::clone(&slots).acquire_owned(), if slot.is_none() => match acquired {
                Ok(permit) => slot = Some(permit),
                Err(_) => break,
            },
            accepted = listener.accept(), if slot.is_some() => match accepted {
                Ok((stream, peer)) => {
                    shared.connections.fetch_add(1, Ordering::Relaxed);
                    let _ = stream.set_nodelay(true);
                    let permit = slot.take();
                    let shared = Arc::clone(&shared);
                    let rx = shutdown.clone();
                    let acceptor = tls.clone();
                    tasks.spawn(async move {
                        // The slot is released when the connection ends.
                        let _permit = permit;
                        match acceptor {
                            Some(acceptor) => {
                                let handshake = shared.limits.header_read_timeout;
                                if let Ok(Ok(stream)) =
                                    tokio::time::timeout(handshake, acceptor.accept(stream)).await
                                {
                                    serve_connection(stream, peer, shared, rx).await;
                                }
                            }
                            None => serve_connection(stream, peer, shared, rx).await,
                        }
                    });
                }
                // Out of file descriptors or a connection reset during accept: keep going.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    tasks.shutdown().await;
}
