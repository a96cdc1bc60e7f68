//! The limits a parse enforces, so that a hostile document cannot make it use memory out of
//! proportion to the document's size.
//!
//! A small JSON value can become a much larger Rust value: `{}` as a check is 3 bytes on the wire
//! and a [`Check`](crate::Check) of about 470 bytes in memory, so 6 MB of `{"checks":[{},{},…]}`
//! would need about 1 GB. [`from_slice`](crate::from_slice) and
//! [`parse_session`](crate::parse_session) therefore charge every allocation the typed value
//! needs (list buffers as they grow, strings, boxed parts, unknown fields and their maps) against
//! a budget of [`memory_budget`]`(document size)` bytes, and stop with a
//! [`ParseErrorKind::Limit`](crate::ParseErrorKind::Limit) error naming the JSON path once the
//! budget would be exceeded. Nesting is limited to [`MAX_DEPTH`] levels.
//!
//! Why these numbers: the typed value of a real session needs 1.3–2.2 bytes per document byte
//! (the product page's sessions, in `idv-sandbox`), 4–8 for the synthetic fixtures made of
//! `null`s and unknown fields; only documents made mostly of empty objects, empty strings or tiny
//! unknown objects come near [`MEMORY_PER_DOCUMENT_BYTE`]. [`MEMORY_BASE`] lets small documents
//! of any shape through (an empty session is a 1.3 KB value). Measured peaks, untracked scratch
//! included, are in the crate README (`cargo run -p idv-model --release --example peak_memory`).
//!
//! The budget covers this crate's model types and anything built from them. Other types parsed
//! with [`from_slice`](crate::from_slice) (a `serde_json::Value`, a caller's own struct) get only
//! the charges of the model types inside them.
//!
//! ```
//! use idv_model::{ParseErrorKind, limits};
//!
//! // Two hundred thousand empty checks: 600 KB of JSON that would need about 100 MB.
//! let mut doc = br#"{"checks":["#.to_vec();
//! for i in 0..200_000 {
//!     doc.extend_from_slice(if i == 0 { b"{}" } else { b",{}" });
//! }
//! doc.extend_from_slice(b"]}");
//! let err = idv_model::parse_session(&doc).unwrap_err();
//! assert_eq!(err.kind(), ParseErrorKind::Limit);
//! assert_eq!(err.path(), "checks");
//! assert!(err.message().contains(&limits::memory_budget(doc.len()).to_string()));
//! ```

/// Bytes of typed value allowed per byte of document.
pub const MEMORY_PER_DOCUMENT_BYTE: usize = 12;

/// Bytes of typed value allowed on top, whatever the document's size.
pub const MEMORY_BASE: usize = 64 * 1024;

/// The deepest nesting of arrays and objects a document may have (serde_json's recursion limit).
pub const MAX_DEPTH: usize = 128;

/// The memory budget for parsing a document of `document_len` bytes:
/// [`MEMORY_PER_DOCUMENT_BYTE`] × `document_len` + [`MEMORY_BASE`], saturating.
///
/// ```
/// assert_eq!(idv_model::limits::memory_budget(1_000), 12 * 1_000 + 64 * 1024);
/// assert_eq!(idv_model::limits::memory_budget(usize::MAX), usize::MAX);
/// ```
#[must_use]
pub fn memory_budget(document_len: usize) -> usize {
    document_len
        .saturating_mul(MEMORY_PER_DOCUMENT_BYTE)
        .saturating_add(MEMORY_BASE)
}
