//! Plain `http://` only to loopback, checked twice: the request target before anything happens
//! ([`check_target`]), and every resolved address before connecting ([`TcpConnector`]), so a
//! name that passes the first check cannot be pointed elsewhere by DNS.

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use http::uri::Scheme;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::resolver::{Addrs, Resolver, Resolving};
use crate::{BoxError, TransportError, TransportErrorKind, is_loopback_host, is_loopback_ip};

/// Refuse anything but `https://`, or `http://` to a loopback host.
pub(crate) fn check_target(uri: &Uri) -> Result<(), TransportError> {
    let Some(scheme) = uri.scheme_str() else {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "the request URI is not absolute (no scheme)",
        ));
    };
    let Some(host) = uri.host().filter(|h| !h.is_empty()) else {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "the request URI has no host",
        ));
    };
    match scheme {
        "https" => Ok(()),
        "http" if is_loopback_host(host) => Ok(()),
        "http" => Err(TransportError::new(
            TransportErrorKind::InsecureScheme,
            format!(
                "plain http:// is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost); \
                 use https:// for {host}"
            ),
        )),
        _ => Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "unsupported URI scheme (only https, and http for loopback)",
        )),
    }
}

/// A plain-HTTP host resolved (or was written as) an address that is not loopback; nothing was
/// connected. Classified as [`InsecureScheme`](TransportErrorKind::InsecureScheme).
#[derive(Debug)]
pub(crate) struct NotLoopback {
    host: String,
    address: IpAddr,
}

impl fmt::Display for NotLoopback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "plain http:// refused: {} resolved to {}, which is not a loopback address",
            self.host, self.address
        )
    }
}

impl std::error::Error for NotLoopback {}

/// The TCP connector under TLS: `https` targets connect through the configured resolver,
/// `http` targets through the same resolver wrapped in [`LoopbackOnly`].
#[derive(Clone)]
pub(crate) struct TcpConnector {
    tls: HttpConnector<Resolver>,
    plain: HttpConnector<LoopbackOnly>,
}

impl TcpConnector {
    pub(crate) fn new(
        resolver: Resolver,
        nodelay: bool,
        connect_timeout: Option<Duration>,
    ) -> Self {
        let mut tls = HttpConnector::new_with_resolver(resolver.clone());
        let mut plain = HttpConnector::new_with_resolver(LoopbackOnly(resolver));
        configure(&mut tls, nodelay, connect_timeout);
        configure(&mut plain, nodelay, connect_timeout);
        // The https connector is handed `https://` URIs (hyper-rustls adds TLS on top).
        tls.enforce_http(false);
        Self { tls, plain }
    }
}

fn configure<R>(
    connector: &mut HttpConnector<R>,
    nodelay: bool,
    connect_timeout: Option<Duration>,
) {
    connector.set_nodelay(nodelay);
    // Per TCP connect (hyper-util divides it among the addresses it tries); the whole connect,
    // TLS included, is bounded again by `TrackingConnector`.
    connector.set_connect_timeout(connect_timeout);
}

type Connecting = Pin<Box<dyn Future<Output = Result<TokioIo<TcpStream>, BoxError>> + Send>>;

impl tower_service::Service<Uri> for TcpConnector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // `HttpConnector` waits for its resolver's readiness inside each connect.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Connecting {
        if uri.scheme() == Some(&Scheme::HTTPS) {
            let connecting = tower_service::Service::<Uri>::call(&mut self.tls, uri);
            return Box::pin(async move { connecting.await.map_err(Into::into) });
        }
        // An IP literal skips the resolver: check it here.
        let host = uri.host().unwrap_or_default();
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(address) = literal.parse::<IpAddr>()
            && !is_loopback_ip(address)
        {
            let refused = NotLoopback {
                host: host.to_owned(),
                address,
            };
            return Box::pin(async move { Err(Box::new(refused) as BoxError) });
        }
        let connecting = tower_service::Service::<Uri>::call(&mut self.plain, uri);
        Box::pin(async move { connecting.await.map_err(Into::into) })
    }
}

/// A resolver that fails unless every address it returns is loopback.
#[derive(Clone)]
pub(crate) struct LoopbackOnly(Resolver);

impl tower_service::Service<Name> for LoopbackOnly {
    type Response = Addrs;
    type Error = BoxError;
    type Future = Resolving;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let resolving = self.0.call(name);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = resolving.await?.collect();
            if let Some(bad) = addrs.iter().find(|a| !is_loopback_ip(a.ip())) {
                return Err(Box::new(NotLoopback {
                    host,
                    address: bad.ip(),
                }) as BoxError);
            }
            Ok(addrs.into_iter())
        })
    }
}

#[cfg(test)]
mod tests {
    use tower_service::Service as _;

    use super::*;

    #[test]
    fn targets() {
        let check = |u: &str| check_target(&u.parse().unwrap());
        assert!(check("https://api.yoti.com/idverify/v1").is_ok());
        assert!(check("https://localhost./x").is_ok(), "TLS checks the name");
        assert!(check("http://127.0.0.1:8080/x").is_ok());
        assert!(check("http://localhost:8080/x").is_ok());
        for insecure in [
            "http://api.yoti.com/x",
            "http://localhost./x",
            "http://192.0.2.1/x",
        ] {
            assert_eq!(
                check(insecure).unwrap_err().kind(),
                TransportErrorKind::InsecureScheme,
                "{insecure}"
            );
        }
        assert_eq!(
            check("ftp://127.0.0.1/x").unwrap_err().kind(),
            TransportErrorKind::InvalidRequest
        );
        assert_eq!(
            check("/relative").unwrap_err().kind(),
            TransportErrorKind::InvalidRequest
        );
    }

    /// The connector refuses a non-loopback IP literal on plain HTTP by itself (literals skip
    /// the resolver), without connecting.
    #[tokio::test]
    async fn the_connector_refuses_non_loopback_literals() {
        let mut connector = TcpConnector::new(Resolver::new(None), true, None);
        for uri in ["http://192.0.2.1:80/x", "http://[2001:db8::1]/x"] {
            let err = connector
                .call(uri.parse().unwrap())
                .await
                .expect_err("refused");
            let refused = err.downcast_ref::<NotLoopback>().expect("NotLoopback");
            assert!(refused.to_string().contains("not a loopback"), "{refused}");
        }
    }
}
