//! [`HyperTransport`]: the production transport (hyper 1, hyper-util's pooled client, rustls).
//!
//! One job per file: `builder` assembles the client; `transport` sends a request; `head` waits
//! for the response head; `response_body` reads the body (limit, idle timeout); `upload` hands
//! the request body to hyper and records its progress; `plain_http` keeps plain HTTP on
//! loopback; `resolver` resolves names; `tracking` bounds connects and tags connections;
//! `record` is the request's span; `classify` maps errors to kinds.

mod builder;
mod classify;
mod head;
mod plain_http;
mod record;
mod resolver;
mod response_body;
mod tracking;
mod transport;
mod upload;

pub use builder::HyperTransportBuilder;
pub use resolver::DnsResolver;
pub use tracking::ConnectionInfo;
pub use transport::HyperTransport;
