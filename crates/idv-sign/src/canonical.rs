//! The canonical message `METHOD&PATH?QUERY[&BASE64(BODY)]` and the query's percent-encoding.

use base64::Engine as _;

/// Appends `value` percent-encoded: RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`)
/// literal, every other UTF-8 byte as upper-case `%XX`.
pub fn percent_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// The canonical message `METHOD&PATH_AND_QUERY[&BASE64(BODY)]`, built exactly from the given
/// strings (no validation, no re-encoding): for debugging tools and verifiers. The body part is
/// present iff `body` is non-empty.
///
/// ```
/// assert_eq!(
///     idv_sign::canonical_message("POST", "/sessions?sdkId=x&nonce=n&timestamp=1", b"{}"),
///     "POST&/sessions?sdkId=x&nonce=n&timestamp=1&e30="
/// );
/// ```
pub fn canonical_message(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let body_len = if body.is_empty() {
        0
    } else {
        1 + body.len().div_ceil(3) * 4
    };
    let mut message = String::with_capacity(method.len() + 1 + path_and_query.len() + body_len);
    message.push_str(method);
    message.push('&');
    message.push_str(path_and_query);
    if !body.is_empty() {
        message.push('&');
        b64.encode_string(body, &mut message);
    }
    message
}
