//! Name resolution for [`HyperTransport`](super::HyperTransport): the system resolver by default,
//! or one the user supplies ([`DnsResolver`]).

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_trait::async_trait;
use hyper_util::client::legacy::connect::dns::{GaiResolver, Name};

use crate::BoxError;

/// Resolves host names for [`HyperTransport`](super::HyperTransport), instead of the system
/// resolver (`getaddrinfo` on a blocking thread). Set one with
/// [`HyperTransportBuilder::dns_resolver`](super::HyperTransportBuilder::dns_resolver), for
/// instance to pin a name to known addresses.
///
/// Available on crate feature `hyper` only.
///
/// The transport checks what it gets: a plain `http://` request (allowed only for `localhost`)
/// is refused with [`InsecureScheme`](crate::TransportErrorKind::InsecureScheme) unless every
/// address is loopback, before any connection is attempted.
///
/// ```
/// use std::net::{IpAddr, Ipv4Addr};
/// use async_trait::async_trait;
/// use idv_transport::{BoxError, DnsResolver};
///
/// /// Every name is 127.0.0.1.
/// #[derive(Debug)]
/// struct AllLoopback;
///
/// #[async_trait]
/// impl DnsResolver for AllLoopback {
///     async fn resolve(&self, _host: &str) -> Result<Vec<IpAddr>, BoxError> {
///         Ok(vec![IpAddr::V4(Ipv4Addr::LOCALHOST)])
///     }
/// }
/// ```
#[async_trait]
pub trait DnsResolver: Send + Sync + fmt::Debug {
    /// The addresses of `host`: a name (IP literals are never passed), without port or
    /// brackets. An empty list or an error fails the request with a
    /// [`Connect`](crate::TransportErrorKind::Connect) error.
    async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, BoxError>;
}

/// The resolver the connectors use: hyper-util's `Service<Name>` shape over either resolver.
#[derive(Clone)]
pub(crate) enum Resolver {
    System(GaiResolver),
    Custom(Arc<dyn DnsResolver>),
}

impl Resolver {
    pub(crate) fn new(custom: Option<Arc<dyn DnsResolver>>) -> Self {
        match custom {
            Some(resolver) => Self::Custom(resolver),
            None => Self::System(GaiResolver::new()),
        }
    }
}

pub(crate) type Addrs = std::vec::IntoIter<SocketAddr>;
pub(crate) type Resolving = Pin<Box<dyn Future<Output = Result<Addrs, BoxError>> + Send>>;

impl tower_service::Service<Name> for Resolver {
    type Response = Addrs;
    type Error = BoxError;
    type Future = Resolving;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match self {
            Self::System(gai) => gai.poll_ready(cx).map_err(Into::into),
            Self::Custom(_) => Poll::Ready(Ok(())),
        }
    }

    fn call(&mut self, name: Name) -> Resolving {
        match self {
            Self::System(gai) => {
                let resolving = gai.call(name);
                Box::pin(async move {
                    let addrs: Vec<SocketAddr> = resolving.await?.collect();
                    Ok(addrs.into_iter())
                })
            }
            Self::Custom(resolver) => {
                let resolver = resolver.clone();
                Box::pin(async move {
                    let ips = resolver.resolve(name.as_str()).await?;
                    // hyper-util sets the port of every address it is given.
                    let addrs: Vec<SocketAddr> =
                        ips.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect();
                    Ok(addrs.into_iter())
                })
            }
        }
    }
}
