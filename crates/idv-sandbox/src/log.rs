//! The request log read by tests: a ring buffer of bounded entries.

use std::collections::VecDeque;

use crate::fault::{FaultKind, Route};

/// The longest path kept in a log entry, in bytes; longer paths are cut and end in `…`.
pub const MAX_LOGGED_PATH: usize = 256;
/// The longest method, `sdkId` or nonce kept in a log entry, in bytes; longer ones are cut and
/// end in `…`.
pub const MAX_LOGGED_FIELD: usize = 128;

/// One request as the sandbox saw it. Digests, client session tokens, bearer tokens, client
/// assertions, bodies and other query parameters are never recorded, and every text field is bounded ([`MAX_LOGGED_PATH`], [`MAX_LOGGED_FIELD`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestLogEntry {
    /// The request method (`GET`, `DELETE`, …).
    pub method: String,
    /// The request path exactly as received (base path included), without the query. A path
    /// longer than [`MAX_LOGGED_PATH`] bytes is cut there and ends in `…` (a character a
    /// request target cannot contain, so a cut path is never mistaken for a real one).
    pub path: String,
    /// The API operation the path matched, if any.
    pub route: Option<Route>,
    /// The status sent, or `None` when the connection was closed without a response
    /// ([`crate::Fault::CloseConnection`]).
    pub status: Option<u16>,
    /// Whether the request's signature verified (and its nonce was fresh and timestamp in
    /// range): only such requests (and user-side ones with [`token_verified`](Self::token_verified),
    /// and unsigned `GET /supported-documents`) can reach a session or consume a fault.
    pub signature_verified: bool,
    /// Whether a user-side request's client session token was accepted (the token itself is
    /// never recorded).
    pub token_verified: bool,
    /// Whether the request was authenticated by a bearer token from the token endpoint
    /// instead of a signature (the token is never recorded; `sdk_id` is the app it was
    /// issued to).
    pub bearer_verified: bool,
    /// The `sdkId` (or `sdkID`) parameter, when present; for a request with a bearer token,
    /// the app the token was issued to; for a token request, the app its client assertion
    /// names (cut like the path beyond [`MAX_LOGGED_FIELD`] bytes).
    pub sdk_id: Option<String>,
    /// The `nonce` parameter, when present (cut beyond [`MAX_LOGGED_FIELD`] bytes).
    pub nonce: Option<String>,
    /// The fault applied to this request, if any.
    pub fault: Option<FaultKind>,
}

impl RequestLogEntry {
    /// A new entry for a request, its method and path cut to their bounds.
    pub(crate) fn new(method: &str, path: &str) -> Self {
        Self {
            method: bounded(method, MAX_LOGGED_FIELD),
            path: bounded(path, MAX_LOGGED_PATH),
            route: None,
            status: None,
            signature_verified: false,
            token_verified: false,
            bearer_verified: false,
            sdk_id: None,
            nonce: None,
            fault: None,
        }
    }

    /// Records the auth parameters, cut to their bounds.
    pub(crate) fn set_auth(&mut self, sdk_id: &str, nonce: &str) {
        self.sdk_id = Some(bounded(sdk_id, MAX_LOGGED_FIELD));
        self.nonce = Some(bounded(nonce, MAX_LOGGED_FIELD));
    }

    /// Records the app (a bearer token's, or a client assertion's), cut to its bound.
    pub(crate) fn set_sdk_id(&mut self, sdk_id: &str) {
        self.sdk_id = Some(bounded(sdk_id, MAX_LOGGED_FIELD));
    }
}

/// `text`, or its first `max` bytes (at a character boundary) followed by `…`.
fn bounded(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut cut = String::with_capacity(end + '…'.len_utf8());
    cut.push_str(&text[..end]);
    cut.push('…');
    cut
}

/// The last `capacity` entries, oldest first, and how many were ever recorded.
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<RequestLogEntry>,
    capacity: usize,
    recorded: u64,
}

impl RequestLog {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            // Grows as requests arrive: a large capacity costs nothing until it is used.
            entries: VecDeque::new(),
            capacity,
            recorded: 0,
        }
    }

    /// Appends an entry, dropping the oldest when full.
    pub(crate) fn push(&mut self, entry: RequestLogEntry) {
        self.recorded = self.recorded.saturating_add(1);
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> Vec<RequestLogEntry> {
        self.entries.iter().cloned().collect()
    }

    /// Entries recorded since start or the last [`clear`](Self::clear), dropped ones included.
    pub(crate) fn recorded(&self) -> u64 {
        self.recorded
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.recorded = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_fields_are_cut_at_a_character_boundary() {
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(bounded("abcd", 3), "abc…");
        // 'é' is two bytes: a cut inside it backs off to the boundary before it.
        assert_eq!(bounded("aé", 2), "a…");
        let entry = RequestLogEntry::new("GET", &"/x".repeat(40_000));
        assert_eq!(entry.path.len(), MAX_LOGGED_PATH + '…'.len_utf8());
        assert!(entry.path.ends_with('…'));
    }

    #[test]
    fn the_ring_keeps_the_newest_entries() {
        let mut log = RequestLog::new(2);
        for path in ["/a", "/b", "/c"] {
            log.push(RequestLogEntry::new("GET", path));
        }
        let paths: Vec<String> = log.entries().into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["/b", "/c"]);
        assert_eq!(log.recorded(), 3);
        log.clear();
        assert!(log.entries().is_empty());
        assert_eq!(log.recorded(), 0);

        let mut off = RequestLog::new(0);
        off.push(RequestLogEntry::new("GET", "/a"));
        assert!(off.entries().is_empty());
        assert_eq!(off.recorded(), 1);
    }
}
