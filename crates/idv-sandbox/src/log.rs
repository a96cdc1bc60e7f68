//! The request log read by tests.

use crate::fault::{FaultKind, Route};

/// One request as the sandbox saw it. Digests, bodies and other query parameters are never
/// recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestLogEntry {
    /// The request method (`GET`, `DELETE`, …).
    pub method: String,
    /// The request path exactly as received (base path included), without the query.
    pub path: String,
    /// The API operation the path matched, if any.
    pub route: Option<Route>,
    /// The status sent, or `None` when the connection was closed without a response
    /// ([`crate::Fault::CloseConnection`]).
    pub status: Option<u16>,
    /// Whether the request's signature verified (and its nonce was fresh and timestamp in
    /// range): only such requests can reach a session or consume a fault.
    pub signature_verified: bool,
    /// The `sdkId` (or `sdkID`) parameter, when present.
    pub sdk_id: Option<String>,
    /// The `nonce` parameter, when present.
    pub nonce: Option<String>,
    /// The fault applied to this request, if any.
    pub fault: Option<FaultKind>,
}
