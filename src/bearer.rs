//! The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1): the scheme name in
//! any case, whitespace, then the token; whitespace around the whole value is ignored. Hosts
//! take the header's value out of their request types and call [`bearer_token`], so the npm
//! and Python packages accept and refuse exactly the same headers, with the same hints.

use crate::Error;

/// The message of the error for a missing or empty `Authorization` header.
pub(crate) const NO_AUTHORIZATION: &str =
    "no Authorization header: expected \"Authorization: Bearer <token>\"";
/// The message of the error for an `Authorization` header that is not `Bearer <token>`.
pub(crate) const MALFORMED_AUTHORIZATION: &str =
    "malformed Authorization header: expected \"Bearer <token>\"";

/// The token in `authorization` (the header's value; `None` or `""` when the request has
/// none). Errors: [`Error::JwsInvalid`] with a hint ([`Error::hint`]) that says what to send.
pub fn bearer_token(authorization: Option<&str>) -> Result<&str, Error> {
    let value = authorization.unwrap_or("").trim();
    if value.is_empty() {
        return Err(Error::JwsInvalid(NO_AUTHORIZATION));
    }
    let malformed = Error::JwsInvalid(MALFORMED_AUTHORIZATION);
    let Some(split) = value.find(char::is_whitespace) else {
        return Err(malformed);
    };
    let (scheme, token) = (&value[..split], value[split..].trim_start());
    if !scheme.eq_ignore_ascii_case("bearer") || token.contains(char::is_whitespace) {
        return Err(malformed);
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
        for bad in [
            "Basic dXNlcjpwdw==",
            "Bearer",
            "Bearer a b",
            "Bearerabc",
            "Token abc",
            "abc",
        ] {
            let e = bearer_token(Some(bad)).unwrap_err();
            assert_eq!(e, Error::JwsInvalid(MALFORMED_AUTHORIZATION), "{bad}");
            assert!(e.hint().unwrap().contains("Bearer"), "{bad}");
        }
    }
}
