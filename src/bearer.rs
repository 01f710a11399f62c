//! The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1): the scheme name in
//! any case, whitespace, then the token; whitespace around the whole value is ignored. Hosts
//! take the header's value out of their request types and call [`bearer_token`], so the npm
//! and Python packages accept and refuse exactly the same headers, with the same hints.

use crate::Error;

/// The message of the error for a missing or empty `Authorization` header.
pub(crate) const NO_AUTHORIZATION: &str =
    "no Authorization header: expected \"Authorization: Bearer <token>\"";
/// The message of the error for an `Authorization` header of another scheme (`Basic …`).
pub(crate) const OTHER_SCHEME: &str =
    "the Authorization header is not of the Bearer scheme: expected \"Bearer <token>\"";
/// The message of the error for a `Bearer` header that is not `Bearer <token>`.
pub(crate) const MALFORMED_AUTHORIZATION: &str =
    "malformed Authorization header: expected \"Bearer <token>\"";

/// The token in `authorization` (the header's value; `None` or `""` when the request has
/// none). Errors: [`Error::JwsInvalid`] with a hint ([`Error::hint`]) that says what to send;
/// [`Error::http_status`] tells a missing header or another scheme (401, no error code) from a
/// malformed Bearer header (400 `invalid_request`), as RFC 6750 §3.1 asks.
pub fn bearer_token(authorization: Option<&str>) -> Result<&str, Error> {
    let value = authorization.unwrap_or("").trim();
    if value.is_empty() {
        return Err(Error::JwsInvalid(NO_AUTHORIZATION));
    }
    let split = value.find(char::is_whitespace).unwrap_or(value.len());
    let (scheme, token) = (&value[..split], value[split..].trim_start());
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Error::JwsInvalid(OTHER_SCHEME));
    }
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(Error::JwsInvalid(MALFORMED_AUTHORIZATION));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_scheme_in_any_case_and_surrounding_whitespace() {
        assert_eq!(bearer_token(Some("Bearer abc.def.ghi")), Ok("abc.def.ghi"));
        assert_eq!(bearer_token(Some("bearer abc")), Ok("abc"));
        assert_eq!(bearer_token(Some("BEARER \t abc  ")), Ok("abc"));
        assert_eq!(bearer_token(Some("  Bearer abc")), Ok("abc"));
    }

    #[test]
    fn refuses_missing_empty_and_malformed_headers_with_hints() {
        for missing in [None, Some(""), Some("   ")] {
            let e = bearer_token(missing).unwrap_err();
            assert_eq!(e, Error::JwsInvalid(NO_AUTHORIZATION));
            assert!(e.hint().unwrap().contains("/api/auth/token"));
        }
        for bad in ["Bearer", "Bearer a b", "bearer \t"] {
            let e = bearer_token(Some(bad)).unwrap_err();
            assert_eq!(e, Error::JwsInvalid(MALFORMED_AUTHORIZATION), "{bad}");
            assert!(e.hint().unwrap().contains("Bearer"), "{bad}");
            assert_eq!(
                (e.http_status(), e.bearer_error()),
                (400, Some("invalid_request"))
            );
        }
        for other in ["Basic dXNlcjpwdw==", "Bearerabc", "Token abc", "abc"] {
            let e = bearer_token(Some(other)).unwrap_err();
            assert_eq!(e, Error::JwsInvalid(OTHER_SCHEME), "{other}");
            assert!(e.hint().unwrap().contains("Bearer"), "{other}");
            assert_eq!((e.http_status(), e.bearer_error()), (401, None));
        }
        let missing = bearer_token(None).unwrap_err();
        assert_eq!((missing.http_status(), missing.bearer_error()), (401, None));
    }
}
