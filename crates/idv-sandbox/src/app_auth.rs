//! Signed requests whose app is named by the path: `PUT /apps/{sdkId}/response-config`.
//!
//! Yoti's Node and Go sandbox clients send that call without an `sdkId` query parameter (the
//! app is in the path); the Java one adds it. Without it, the app is the path's, and the
//! signature is checked with that app's key over the target exactly as received. With it, the
//! request is authenticated as usual and the route refuses a path naming another app.

use idv_sign::{AuthParams, PublicKey, VerifyError};

use crate::fault::Route;
use crate::server::Target;

/// Whether a path segment can stand for an SDK id in a query string as it is: unreserved
/// characters and `%XX` escapes only (so it cannot smuggle in another parameter).
fn query_safe(segment: &str) -> bool {
    segment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%'))
}

/// The auth parameters of a request target (base path stripped); for the app route without
/// `sdkId`, the app is taken from the path.
pub(crate) fn auth_params(
    relative: &str,
    route: Option<&(Route, Target<'_>)>,
) -> Result<AuthParams, VerifyError> {
    match AuthParams::from_path_and_query(relative) {
        Err(VerifyError::MissingParameter("sdkId")) => match route {
            Some((Route::PutAppResponseConfig, Target::App(app))) if query_safe(app) => {
                // `relative` has a query (the error would be `NoQuery` otherwise).
                AuthParams::from_path_and_query(&format!("{relative}&sdkId={app}"))
            }
            _ => Err(VerifyError::MissingParameter("sdkId")),
        },
        other => other,
    }
}

/// Verifies the digest over the target as received. A target without `sdkId` (the app route,
/// see [`auth_params`]) is verified at the message level, with the same tolerance as
/// [`idv_sign::verify_request`] for an empty body signed with a trailing `&`.
pub(crate) fn verify(
    key: &PublicKey,
    method: &str,
    relative: &str,
    body: &[u8],
    digest: &str,
) -> Result<(), VerifyError> {
    match idv_sign::verify_request(key, method, relative, body, digest) {
        Err(VerifyError::MissingParameter("sdkId")) => {
            let mut message = idv_sign::canonical_message(method, relative, body);
            match idv_sign::verify_message(key, message.as_bytes(), digest) {
                Err(VerifyError::SignatureMismatch) if body.is_empty() => {
                    message.push('&');
                    idv_sign::verify_message(key, message.as_bytes(), digest)
                }
                other => other,
            }
        }
        other => other.map(drop),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_comes_from_the_path_only_on_the_app_route_without_sdk_id() {
        let app_route = (Route::PutAppResponseConfig, Target::App("app-1"));
        let target = "/apps/app-1/response-config?nonce=n&timestamp=1";
        let params = auth_params(target, Some(&app_route)).expect("from the path");
        assert_eq!((params.sdk_id(), params.nonce()), ("app-1", "n"));

        let with_query = "/apps/app-1/response-config?sdkId=other&nonce=n&timestamp=1";
        let params = auth_params(with_query, Some(&app_route)).expect("from the query");
        assert_eq!(params.sdk_id(), "other");

        let session_route = (Route::PutSessionResponseConfig, Target::Session("s"));
        assert_eq!(
            auth_params(
                "/sessions/s/response-config?nonce=n&timestamp=1",
                Some(&session_route)
            ),
            Err(VerifyError::MissingParameter("sdkId"))
        );
        let sneaky = (Route::PutAppResponseConfig, Target::App("a&nonce=x"));
        assert_eq!(
            auth_params("/apps/a&nonce=x/response-config?timestamp=1", Some(&sneaky)),
            Err(VerifyError::MissingParameter("sdkId"))
        );
        assert_eq!(
            auth_params("/apps/app-1/response-config", Some(&app_route)),
            Err(VerifyError::NoQuery)
        );
    }
}
