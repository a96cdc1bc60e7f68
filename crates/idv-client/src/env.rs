//! The environment variables the client (and the `idv` command) read: named once, here.

/// The SDK id of the application.
pub const SDK_ID: &str = "YOTI_CLIENT_SDK_ID";
/// The path of the application's PEM private key.
pub const KEY_FILE_PATH: &str = "YOTI_KEY_FILE_PATH";
/// The application's PEM private key itself (when no file path is set).
pub const KEY_PEM: &str = "YOTI_KEY_PEM";
/// The API base URL (optional; production by default).
pub const BASE_URL: &str = "YOTI_IDV_API_URL";
/// The base URL variable the other official SDKs read; used when [`BASE_URL`] is unset.
pub const BASE_URL_FALLBACK: &str = "YOTI_DOC_SCAN_API_URL";
/// The OAuth token endpoint for bearer-token authentication (optional; Yoti's by default).
pub const AUTH_URL: &str = "YOTI_AUTH_URL";
