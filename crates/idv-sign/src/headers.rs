//! The names and fixed values of the headers every signed request carries: defined here once.

/// The header carrying the signature.
pub const HEADER_AUTH_DIGEST: &str = "X-Yoti-Auth-Digest";
/// The header naming the SDK.
pub const HEADER_SDK: &str = "X-Yoti-SDK";
/// The header carrying the SDK version.
pub const HEADER_SDK_VERSION: &str = "X-Yoti-SDK-Version";
/// The value of [`HEADER_SDK`].
pub const SDK_NAME: &str = "Rust";
/// The value of [`HEADER_SDK_VERSION`]: `Rust-<crate version>`.
pub const SDK_VERSION: &str = concat!("Rust-", env!("CARGO_PKG_VERSION"));
