//! The machinery behind the two request bodies this crate builds and reads: the create-session
//! specification ([`crate::spec`]) and the sandbox response config ([`crate::response_config`]).
//!
//! Both are trees of lossless `model!` structs with a builder each, validated in one walk that
//! names every problem by its JSON path. What they share lives here, once:
//!
//! * `macros`: `request_model!` (a struct, its builder and its walk), `request_build!`,
//!   `walk_open_enum!` and `watchlist_sources_constructors!`;
//! * [`walk`]: the walk that reports unknown keys, unknown enum values and violations, and the
//!   rules both bodies have (required, not empty, not negative, country codes, …), generic
//!   over each body's own kinds of violation.
//!
//! The errors both bodies return are the public [`crate::violations`] list.

#[macro_use]
mod macros;

pub(crate) mod walk;
