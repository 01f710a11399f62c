//! The JWS protected header: `alg`, `kid`, `typ`, `crit`, `b64`, with duplicate members refused.

use crate::json::{self, Member, Val};
use crate::{base64url, Error};
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// The header members verification looks at. The full header JSON is kept by the caller.
#[derive(Debug)]
pub(crate) struct Header<'a> {
    /// `alg`, a non-empty string.
    pub alg: Cow<'a, str>,
    /// `kid` (a `kid` that is not a string selects no key).
    pub kid: Member<Cow<'a, str>>,
    /// `typ`, when it is a string.
    pub typ: Option<Cow<'a, str>>,
}

/// Decodes and parses the protected header segment. Checks follow jose's order: JSON object,
/// `crit`, `b64`, then `alg`.
pub(crate) fn decode(segment: &str, max_depth: usize) -> Result<Vec<u8>, Error> {
    let bytes = base64url::decode(segment.as_bytes())
        .ok_or(Error::JwsInvalid("JWS Protected Header is invalid"))?;
    if !json::depth_within(&bytes, max_depth) {
        return Err(Error::JwsInvalid(
            "JWS Protected Header is nested too deeply",
        ));
    }
    Ok(bytes)
}

/// Parses decoded header JSON.
pub(crate) fn parse(json: &[u8]) -> Result<Header<'_>, Error> {
    let mut alg = None;
    let mut kid = None;
    let mut typ = None;
    let mut crit = None;
    let mut b64 = None;
    let names = json::read_object(
        json,
        |k| matches!(k, "alg" | "kid" | "typ" | "crit" | "b64"),
        |k, v| match k {
            "alg" => alg = Some(v),
            "kid" => kid = Some(v),
            "typ" => typ = Some(v),
            "crit" => crit = Some(v),
            _ => b64 = Some(v),
        },
    )
    .ok_or(Error::JwsInvalid("JWS Protected Header is invalid"))?;
    if names.has_duplicates() {
        return Err(Error::JwsInvalid(
            "JWS Protected Header has duplicate member names",
        ));
    }

    let mut b64_critical = false;
    if let Some(crit) = crit {
        let Val::Arr {
            strings: members,
            only_strings: true,
        } = crit
        else {
            return Err(crit_shape());
        };
        if members.is_empty() || members.iter().any(|m| m.is_empty()) {
            return Err(crit_shape());
        }
        for m in &members {
            if m != "b64" {
                return Err(Error::NotSupported(alloc::format!(
                    "Extension Header Parameter \"{}\" is not recognized",
                    crate::error::Escaped(m)
                )));
            }
            if !names.contains(m) {
                return Err(Error::JwsInvalid(
                    "Extension Header Parameter \"b64\" is missing",
                ));
            }
        }
        b64_critical = true;
    }
    if b64_critical {
        match b64 {
            Some(Val::Bool(true)) => {}
            Some(Val::Bool(false)) => {
                return Err(Error::JwtInvalid("JWTs MUST NOT use unencoded payload"))
            }
            _ => {
                return Err(Error::JwsInvalid(
                    "The \"b64\" (base64url-encode payload) Header Parameter must be a boolean",
                ))
            }
        }
    }

    let alg = match alg {
        Some(Val::Str(a)) if !a.is_empty() => a,
        _ => {
            return Err(Error::JwsInvalid(
                "JWS \"alg\" (Algorithm) Header Parameter missing or invalid",
            ))
        }
    };
    Ok(Header {
        alg,
        kid: match kid {
            None => Member::Absent,
            Some(Val::Str(s)) => Member::Str(s),
            Some(_) => Member::NotString,
        },
        typ: match typ {
            Some(Val::Str(s)) => Some(s),
            _ => None,
        },
    })
}

fn crit_shape() -> Error {
    Error::JwsInvalid(
        "\"crit\" (Critical) Header Parameter MUST be an array of non-empty strings when present",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(json: &str) -> Result<Header<'_>, Error> {
        parse(json.as_bytes())
    }

    #[test]
    fn reads_alg_kid_typ() {
        let h = p(r#"{"alg":"ES256","kid":"k1","typ":"JWT","x":{"y":[1,2]}}"#).unwrap();
        assert_eq!(h.alg, "ES256");
        assert_eq!(h.kid, Member::Str(Cow::Borrowed("k1")));
        assert_eq!(h.typ.as_deref(), Some("JWT"));
        let h = p(r#"{"alg":"ES256","kid":5}"#).unwrap();
        assert_eq!(h.kid, Member::NotString);
        assert_eq!(p(r#"{"alg":"ES256"}"#).unwrap().kid, Member::Absent);
    }

    #[test]
    fn rejects_missing_or_empty_alg() {
        for bad in [r#"{}"#, r#"{"alg":""}"#, r#"{"alg":1}"#, r#"{"alg":null}"#] {
            assert!(matches!(p(bad), Err(Error::JwsInvalid(_))), "{bad}");
        }
    }

    #[test]
    fn rejects_duplicate_members() {
        let err = p(r#"{"alg":"ES256","alg":"none"}"#).unwrap_err();
        assert_eq!(
            err,
            Error::JwsInvalid("JWS Protected Header has duplicate member names")
        );
        assert!(p(r#"{"alg":"ES256","x":1,"x":2}"#).is_err());
    }

    #[test]
    fn unknown_crit_is_not_supported_and_malformed_crit_is_invalid() {
        assert!(matches!(
            p(r#"{"alg":"ES256","crit":["exp"],"exp":1}"#),
            Err(Error::NotSupported(_))
        ));
        for bad in [
            r#"{"alg":"ES256","crit":[]}"#,
            r#"{"alg":"ES256","crit":[""]}"#,
            r#"{"alg":"ES256","crit":"b64"}"#,
            r#"{"alg":"ES256","crit":[1]}"#,
            r#"{"alg":"ES256","crit":["b64"]}"#,
            r#"{"alg":"ES256","crit":["b64"],"b64":"no"}"#,
        ] {
            assert!(matches!(p(bad), Err(Error::JwsInvalid(_))), "{bad}");
        }
        assert!(matches!(
            p(r#"{"alg":"ES256","crit":["b64"],"b64":false}"#),
            Err(Error::JwtInvalid(_))
        ));
        assert!(p(r#"{"alg":"ES256","crit":["b64"],"b64":true}"#).is_ok());
        // b64 outside crit is ignored, as RFC 7797 and jose do.
        assert!(p(r#"{"alg":"ES256","b64":false}"#).is_ok());
    }

    #[test]
    fn non_object_headers_are_invalid() {
        for bad in [
            "[]",
            "\"alg\"",
            "null",
            "{\"alg\":\"ES256\"} {}",
            "{\"alg\":\"ES256\"",
        ] {
            assert!(matches!(p(bad), Err(Error::JwsInvalid(_))), "{bad}");
        }
    }
}
