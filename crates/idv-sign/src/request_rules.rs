//! What a request to sign may contain: an upper-case method, a base-relative path an HTTP client
//! sends unchanged, and no query parameter the signer adds itself.

use crate::sign_error::SignError;

/// The query parameter names this crate appends; callers may not pass them.
const RESERVED_PARAMS: [&str; 4] = ["sdkId", "sdkID", "nonce", "timestamp"];

/// The method must be an upper-case token (`GET`, `POST`, …).
pub(crate) fn validate_method(method: &str) -> Result<(), SignError> {
    if method.is_empty() {
        return Err(SignError::InvalidMethod {
            reason: "it is empty".into(),
        });
    }
    if method.len() > 32 || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(SignError::InvalidMethod {
            reason: "it must be upper-case ASCII letters (GET, POST, PUT, PATCH, DELETE, …)".into(),
        });
    }
    Ok(())
}

/// The path must start with exactly one `/` and hold only characters sent unchanged.
pub(crate) fn validate_path(path: &str) -> Result<(), SignError> {
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'/') {
        return Err(SignError::InvalidPath {
            reason: "it must start with `/` (relative to the API base, e.g. `/sessions/{id}`)"
                .into(),
        });
    }
    if bytes.get(1) == Some(&b'/') {
        return Err(SignError::InvalidPath {
            reason: "it must start with exactly one `/`".into(),
        });
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    return Err(SignError::InvalidPath {
                        reason: format!("`%` at byte {i} is not followed by two hex digits"),
                    });
                }
                i += 3;
                continue;
            }
            b'?' => {
                return Err(SignError::InvalidPath {
                    reason: "it contains `?`: pass query parameters with `.query(key, value)`"
                        .into(),
                });
            }
            b'#' => {
                return Err(SignError::InvalidPath {
                    reason: "it contains `#`".into(),
                });
            }
            _ if is_path_char(b) => {}
            _ if b.is_ascii_whitespace() => {
                return Err(SignError::InvalidPath {
                    reason: format!("it contains whitespace at byte {i}"),
                });
            }
            _ if b.is_ascii_control() => {
                return Err(SignError::InvalidPath {
                    reason: format!("it contains a control character at byte {i}"),
                });
            }
            _ => {
                return Err(SignError::InvalidPath {
                    reason: format!(
                        "byte {i} is not allowed in a URL path (percent-encode it first)"
                    ),
                });
            }
        }
        i += 1;
    }
    Ok(())
}

/// A caller's parameter name must be non-empty and not one the signer appends.
pub(crate) fn validate_query_key(key: &str) -> Result<(), SignError> {
    if key.is_empty() {
        return Err(SignError::InvalidQuery {
            reason: "a parameter name is empty".into(),
        });
    }
    if RESERVED_PARAMS.contains(&key) {
        return Err(SignError::InvalidQuery {
            reason: format!("`{key}` is added by the signer and cannot be passed"),
        });
    }
    Ok(())
}

/// RFC 3986 `pchar` minus `%` (handled separately), plus `/`.
fn is_path_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'/'
        )
}
