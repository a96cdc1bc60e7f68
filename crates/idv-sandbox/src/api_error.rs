//! The API's error body, `{"code": …, "message": …, "errors": [{"property": …, "message": …}]}`
//! (§5.9 of the reference), as the routes of created sessions and the user side answer it.

use bytes::Bytes;
use http::StatusCode;

/// The message of a `400 PAYLOAD_VALIDATION`, as the API words it.
pub(crate) const VALIDATION_MESSAGE: &str = "There were errors validating the payload";

/// A refusal: status, code, message and, for validation errors, the properties at fault.
/// Messages never contain values from the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    /// `(property, message)` pairs; the property is a JSON path (`pages[0].content`).
    pub(crate) errors: Vec<(String, String)>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// `400 PAYLOAD_VALIDATION` listing the properties at fault.
    pub(crate) fn validation(errors: Vec<(String, String)>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "PAYLOAD_VALIDATION",
            message: VALIDATION_MESSAGE.to_owned(),
            errors,
        }
    }

    /// `400 PAYLOAD_VALIDATION` for one property.
    pub(crate) fn invalid(property: impl Into<String>, message: impl Into<String>) -> Self {
        Self::validation(vec![(property.into(), message.into())])
    }

    /// The JSON body (`errors` only when there are some).
    pub(crate) fn body(&self) -> Bytes {
        let mut body = serde_json::json!({"code": self.code, "message": self.message});
        if !self.errors.is_empty() {
            body["errors"] = self
                .errors
                .iter()
                .map(|(property, message)| {
                    serde_json::json!({"property": property, "message": message})
                })
                .collect();
        }
        Bytes::from(serde_json::to_vec(&body).unwrap_or_default())
    }
}

/// A parse error of a request body as a validation error naming its JSON path (the document
/// root is the property `body`).
pub(crate) fn from_parse_error(error: &idv_model::ParseError) -> ApiError {
    let path = error.path();
    let property = if path.is_empty() || path == "." || path == "?" {
        "body"
    } else {
        path
    };
    ApiError::invalid(property, error.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_list_errors_only_when_there_are_some() {
        let plain = ApiError::new(StatusCode::NOT_FOUND, "SESSION_NOT_FOUND", "no session");
        let value: serde_json::Value = serde_json::from_slice(&plain.body()).expect("json");
        assert_eq!(
            value,
            serde_json::json!({"code": "SESSION_NOT_FOUND", "message": "no session"})
        );
        let invalid = ApiError::invalid("sdk_config.primary_colour", "must be a hex colour");
        let value: serde_json::Value = serde_json::from_slice(&invalid.body()).expect("json");
        assert_eq!(value["code"], "PAYLOAD_VALIDATION");
        assert_eq!(
            value["errors"],
            serde_json::json!([{"property": "sdk_config.primary_colour",
                                "message": "must be a hex colour"}])
        );
        let parsed = idv_model::parse_session(b"{").expect_err("syntax");
        assert_eq!(from_parse_error(&parsed).errors[0].0, "body");
    }
}
