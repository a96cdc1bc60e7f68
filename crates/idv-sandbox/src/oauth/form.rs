//! The token request's `application/x-www-form-urlencoded` body, read strictly: each
//! parameter at most once (RFC 6749 §3.2), `%XX` escapes and `+` decoded, UTF-8.

use std::collections::HashMap;

/// The decoded parameters, by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Form {
    params: HashMap<String, String>,
}

impl Form {
    /// Parses a body; the error says what is wrong (never quoting the body).
    pub(crate) fn parse(body: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_owned())?;
        let mut params = HashMap::new();
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name).ok_or("a parameter name is not properly escaped")?;
            let value = decode(value).ok_or_else(|| {
                format!("the value of {} is not properly escaped", describe(&name))
            })?;
            if params.contains_key(&name) {
                return Err(format!("{} is repeated", describe(&name)));
            }
            params.insert(name, value);
        }
        Ok(Self { params })
    }

    /// The value of `name`, if present.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// A parameter fit for a message: a known one by name, others not quoted.
fn describe(name: &str) -> String {
    const KNOWN: [&str; 4] = [
        "grant_type",
        "client_assertion_type",
        "client_assertion",
        "scope",
    ];
    if KNOWN.contains(&name) {
        format!("the parameter {name}")
    } else {
        "a parameter".to_owned()
    }
}

/// `%XX` escapes and `+` decoded; `None` when an escape is malformed or the result is not
/// UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_decoded_once_each() {
        let form = Form::parse(
            b"grant_type=client_credentials&scope=a+b%3Ac&client_assertion=x.y.z&empty=&&flag",
        )
        .expect("valid");
        assert_eq!(form.get("grant_type"), Some("client_credentials"));
        assert_eq!(form.get("scope"), Some("a b:c"));
        assert_eq!(form.get("client_assertion"), Some("x.y.z"));
        assert_eq!(form.get("empty"), Some(""));
        assert_eq!(form.get("flag"), Some(""));
        assert_eq!(form.get("missing"), None);
    }

    #[test]
    fn malformed_bodies_are_refused_without_quoting_them() {
        assert_eq!(
            Form::parse(b"scope=a&scope=b").unwrap_err(),
            "the parameter scope is repeated"
        );
        assert_eq!(
            Form::parse(b"secret-name=1&secret-name=2").unwrap_err(),
            "a parameter is repeated"
        );
        assert!(Form::parse(b"scope=%zz").is_err());
        assert!(Form::parse(b"scope=%4").is_err());
        assert!(Form::parse(b"scope=%+1").is_err());
        assert!(Form::parse(b"scope=%ff").is_err(), "not UTF-8 once decoded");
        assert!(Form::parse(b"\xff").is_err());
    }
}
