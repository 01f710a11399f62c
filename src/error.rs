//! Errors, split by the phase that produced them, each mapping to exactly one jose `code`.

use crate::code::Code;
use crate::jwks::Refusal;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why a claim check failed (jose's `JWTClaimValidationFailed.reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The claim is present but its value did not pass the check.
    CheckFailed,
    /// The claim is required (by an option) but absent.
    Missing,
    /// The claim is present but of the wrong type (e.g. a non-numeric `exp`).
    Invalid,
}

impl Reason {
    /// jose's string for this reason: `check_failed`, `missing` or `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::CheckFailed => "check_failed",
            Reason::Missing => "missing",
            Reason::Invalid => "invalid",
        }
    }
}

/// Everything that can go wrong while building a verifier or verifying a token.
///
/// Each variant maps to one jose error code ([`Error::code`]). Signature failures are opaque:
/// they never say why a signature did not verify.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    // ---- token structure (parse phase) ----
    /// `ERR_JWS_INVALID`: the token is not a well-formed compact JWS (segments, base64url,
    /// header JSON, size limits).
    JwsInvalid(&'static str),
    /// `ERR_JWT_INVALID`: the JWS is fine but is not a JWT (payload not a JSON object,
    /// unencoded payload).
    JwtInvalid(&'static str),
    /// `ERR_JOSE_ALG_NOT_ALLOWED`: the header's `alg` is not in the `algorithms` allowlist.
    AlgNotAllowed,
    /// `ERR_JOSE_NOT_SUPPORTED`: an algorithm (including `none`) or a `crit` extension this
    /// library does not implement.
    NotSupported(String),

    // ---- keys ----
    /// `ERR_JWKS_INVALID`: the JWKS is not an object with a `keys` array of objects, or exceeds
    /// a limit.
    JwksInvalid(&'static str),
    /// `ERR_JWK_INVALID`: the key selected for this token is malformed or unusable (for example
    /// an RSA modulus below 2048 bits, or an EC point not on the curve).
    JwkInvalid {
        /// The `kid` of the offending key, if it has one.
        kid: Option<String>,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `ERR_JWKS_NO_MATCHING_KEY`: no key of the JWKS fits the token's `alg` and `kid`.
    NoMatchingKey {
        /// The token's `kid` (None when the header has none or it is not a string).
        kid: Option<String>,
        /// The token's `alg`.
        alg: &'static str,
        /// The `kid`s present in the JWKS, in order (keys without a `kid` are not listed).
        available: Vec<String>,
        /// Why the key that came closest was refused (see [`Refusal`]'s order); `None` for an
        /// empty set.
        closest: Option<Refusal>,
    },
    /// `ERR_JWKS_MULTIPLE_MATCHING_KEYS`: more than one key fits; give the keys distinct `kid`s.
    MultipleMatchingKeys,

    // ---- signature ----
    /// `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`. Deliberately says nothing more.
    SignatureVerificationFailed,

    // ---- encrypted session cookies ----
    /// `ERR_JWE_INVALID`: a malformed compact JWE (Better Auth's `jwe` cookie strategy).
    JweInvalid(&'static str),
    /// `ERR_JWE_DECRYPTION_FAILED`: the JWE does not decrypt with this secret.
    JweDecryptionFailed(&'static str),

    // ---- claims ----
    /// `ERR_JWT_EXPIRED`: `exp` is in the past, or the token is older than `maxTokenAge`
    /// (claim `iat`).
    Expired {
        /// `exp` or `iat`.
        claim: &'static str,
        /// jose's message.
        message: &'static str,
        /// The payload (JSON text) of the rejected token; `None` for session cookies, whose
        /// payload holds the live session token.
        payload: Option<String>,
    },
    /// `ERR_JWT_CLAIM_VALIDATION_FAILED`: a claim is missing, of the wrong type or fails a check.
    ClaimInvalid {
        /// The claim's name (`typ` for the header check).
        claim: String,
        /// Why it failed.
        reason: Reason,
        /// jose's message.
        message: String,
        /// The payload (JSON text) of the rejected token; `None` for session cookies, whose
        /// payload holds the live session token.
        payload: Option<String>,
    },

    // ---- remote JWKS (the cache policy in `jwks_cache`) ----
    /// `ERR_JWKS_TIMEOUT`: fetching a remote JWKS took longer than its time limit.
    JwksTimeout(String),
    /// `ERR_JOSE_GENERIC`: fetching a remote JWKS failed (network error, HTTP status other
    /// than 200).
    JwksFetchFailed(String),
}

impl Error {
    /// The jose error code, e.g. `"ERR_JWT_EXPIRED"`.
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The jose error code as a [`Code`], whose [`Code::info`] has the class name and
    /// explanation.
    pub fn kind(&self) -> Code {
        match self {
            Error::JwsInvalid(_) => Code::JwsInvalid,
            Error::JwtInvalid(_) => Code::JwtInvalid,
            Error::AlgNotAllowed => Code::AlgNotAllowed,
            Error::NotSupported(_) => Code::NotSupported,
            Error::JwksInvalid(_) => Code::JwksInvalid,
            Error::JwkInvalid { .. } => Code::JwkInvalid,
            Error::NoMatchingKey { .. } => Code::NoMatchingKey,
            Error::MultipleMatchingKeys => Code::MultipleMatchingKeys,
            Error::SignatureVerificationFailed => Code::SignatureVerificationFailed,
            Error::JweInvalid(_) => Code::JweInvalid,
            Error::JweDecryptionFailed(_) => Code::JweDecryptionFailed,
            Error::Expired { .. } => Code::Expired,
            Error::ClaimInvalid { .. } => Code::ClaimValidationFailed,
            Error::JwksTimeout(_) => Code::JwksTimeout,
            Error::JwksFetchFailed(_) => Code::Generic,
        }
    }

    /// For claim errors: the claim that failed (`exp`, `iat`, `nbf`, `iss`, `aud`, `sub`, `typ`
    /// or a required claim's name).
    pub fn claim(&self) -> Option<&str> {
        match self {
            Error::Expired { claim, .. } => Some(claim),
            Error::ClaimInvalid { claim, .. } => Some(claim),
            _ => None,
        }
    }

    /// For claim errors: why the claim failed.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Error::Expired { .. } => Some(Reason::CheckFailed),
            Error::ClaimInvalid { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// For claim errors of JWTs: the (signature-verified) payload's JSON text. Session-cookie
    /// errors carry none (the session data holds a bearer credential, `session.token`).
    pub fn payload(&self) -> Option<&str> {
        match self {
            Error::Expired { payload, .. } | Error::ClaimInvalid { payload, .. } => {
                payload.as_deref()
            }
            _ => None,
        }
    }

    /// The HTTP status a resource server answers when authenticating a request failed with
    /// this error (RFC 6750 §3.1): 401 for a missing or invalid token (and for an
    /// `Authorization` header of another scheme), 400 for a malformed Bearer header, and 503
    /// when the key set could not be had (a remote JWKS that failed, timed out, held no usable
    /// key or went stale past its limit): that is the server's problem, not the client's.
    pub fn http_status(&self) -> u16 {
        match self {
            Error::JwsInvalid(crate::bearer::MALFORMED_AUTHORIZATION) => 400,
            Error::JwksInvalid(_) | Error::JwksTimeout(_) | Error::JwksFetchFailed(_) => 503,
            _ => 401,
        }
    }

    /// The `error` parameter of the `WWW-Authenticate: Bearer` challenge for this error (RFC
    /// 6750 §3.1): `invalid_token`, `invalid_request`, or `None` when the request carried no
    /// Bearer credentials (then the challenge has no error code) and for 503s (no challenge).
    pub fn bearer_error(&self) -> Option<&'static str> {
        match self.http_status() {
            400 => Some("invalid_request"),
            503 => None,
            _ => match self {
                Error::JwsInvalid(
                    crate::bearer::NO_AUTHORIZATION | crate::bearer::OTHER_SCHEME,
                ) => None,
                _ => Some("invalid_token"),
            },
        }
    }

    /// A short, plain-language suggestion for the usual cause of this error, when there is one.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            // The hint follows the selection rule the closest key failed.
            Error::NoMatchingKey {
                kid: Some(_),
                closest: None | Some(Refusal::KidDiffers),
                ..
            } => {
                "the token's kid is not in this JWKS: the issuer probably rotated its signing key; \
                 fetch the JWKS again (a cached JWKS goes stale after rotation)"
            }
            Error::NoMatchingKey {
                kid: None,
                closest: None | Some(Refusal::KidDiffers | Refusal::KeyTypeDiffers),
                ..
            } => {
                "no key of the JWKS fits the token's alg: check that the JWKS comes from the \
                 server that issued the token"
            }
            Error::NoMatchingKey {
                kid: Some(_),
                closest: Some(Refusal::KeyTypeDiffers),
                ..
            } => {
                "the key with the token's kid is of another type or curve than the token's alg \
                 needs: the token and the JWKS do not come from the same issuer, or one was altered"
            }
            Error::NoMatchingKey {
                closest: Some(Refusal::AlgDiffers),
                ..
            } => {
                "the key that fits is restricted to another alg by its \"alg\" member: sign with \
                 that alg, or publish a key for this one"
            }
            Error::NoMatchingKey {
                closest: Some(Refusal::UseNotSig | Refusal::KeyOpsLackVerify),
                ..
            } => {
                "the key that fits is not for verifying signatures (its \"use\" is not \"sig\", \
                 or its \"key_ops\" lack \"verify\"): publish it with \"use\": \"sig\""
            }
            Error::MultipleMatchingKeys => {
                "several keys fit and the token has no kid to pick one: give keys distinct kids"
            }
            Error::Expired { claim: "exp", .. } => {
                "the token has expired: the client must fetch a fresh one (Better Auth JWTs \
                 live 15 minutes by default)"
            }
            Error::ClaimInvalid { claim, .. } if claim == "iss" || claim == "aud" => {
                "iss/aud must equal the verifier's issuer/audience exactly: compare scheme \
                 (http vs https), host, port and trailing slash with BETTER_AUTH_URL"
            }
            Error::ClaimInvalid {
                claim,
                reason: Reason::Missing,
                ..
            } if claim != "iss" && claim != "aud" => {
                "the issuer did not put this claim in the token: add it to the JWT plugin's \
                 payload (definePayload)"
            }
            Error::JwsInvalid("Invalid Compact JWS") => {
                "a JWT has three base64url segments separated by dots; a 32-character opaque \
                 string is a Better Auth session token, not a JWT (get one from /api/auth/token)"
            }
            Error::JwsInvalid(crate::bearer::NO_AUTHORIZATION) => {
                "send the JWT (not the session cookie) as \"Authorization: Bearer <token>\"; \
                 with Better Auth get it from /api/auth/token or the set-auth-jwt header"
            }
            Error::JwsInvalid(crate::bearer::OTHER_SCHEME) => {
                "send the Better Auth JWT as \"Authorization: Bearer <token>\" (get it from \
                 /api/auth/token or the set-auth-jwt header)"
            }
            Error::JwsInvalid(crate::bearer::MALFORMED_AUTHORIZATION) => {
                "the header must be the word Bearer, whitespace, then the token"
            }
            Error::AlgNotAllowed => {
                "add the token's alg to the algorithms option, or fix the issuer"
            }
            Error::JweDecryptionFailed(_) => {
                "the cookie was written with another secret: use the app's BETTER_AUTH_SECRET"
            }
            Error::SignatureVerificationFailed => {
                "the token or cookie was altered, or signed with another key or secret"
            }
            _ => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::JwsInvalid(m)
            | Error::JwtInvalid(m)
            | Error::JwksInvalid(m)
            | Error::JweInvalid(m)
            | Error::JweDecryptionFailed(m) => f.write_str(m),
            Error::AlgNotAllowed => {
                f.write_str("\"alg\" (Algorithm) Header Parameter value not allowed")
            }
            Error::NotSupported(m) | Error::JwksTimeout(m) | Error::JwksFetchFailed(m) => {
                f.write_str(m)
            }
            Error::JwkInvalid { kid, reason } => match kid {
                Some(kid) => write!(f, "JSON Web Key \"{}\" is unusable: {reason}", Escaped(kid)),
                None => write!(f, "JSON Web Key is unusable: {reason}"),
            },
            Error::NoMatchingKey {
                kid,
                alg,
                available,
                ..
            } => {
                f.write_str("no applicable key found in the JSON Web Key Set")?;
                match kid {
                    Some(kid) => write!(f, " for kid \"{}\" and alg {alg}", Escaped(kid))?,
                    None => write!(f, " for alg {alg} (the token has no kid)")?,
                }
                if available.is_empty() {
                    f.write_str("; the JWKS holds no key with a kid")
                } else {
                    f.write_str("; the JWKS holds kids ")?;
                    for (i, k) in available.iter().take(MAX_LISTED_KIDS).enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "\"{}\"", Escaped(k))?;
                    }
                    if available.len() > MAX_LISTED_KIDS {
                        write!(f, " and {} more", available.len() - MAX_LISTED_KIDS)?;
                    }
                    Ok(())
                }
            }
            Error::MultipleMatchingKeys => {
                f.write_str("multiple matching keys found in the JSON Web Key Set")
            }
            Error::SignatureVerificationFailed => f.write_str("signature verification failed"),
            Error::Expired { message, .. } => f.write_str(message),
            Error::ClaimInvalid { message, .. } => f.write_str(message),
        }
    }
}

impl core::error::Error for Error {}

/// How many of a JWKS's kids a "no matching key" message lists (a set may hold 256).
pub(crate) const MAX_LISTED_KIDS: usize = 10;
/// Longest token- or JWKS-controlled string an error message shows, in characters.
pub(crate) const MAX_SHOWN_CHARS: usize = 100;

/// A string for an error message, escaped so that it cannot break the message's quotes or
/// layout: `"` and `\` get a backslash, control characters become `\u{…}`; cut after
/// [`MAX_SHOWN_CHARS`] characters (then `…`). (Not `str::escape_debug`, whose Unicode tables
/// would add kilobytes to the wasm module.)
pub(crate) struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX_SHOWN_CHARS {
                return f.write_str("…");
            }
            match c {
                '"' | '\\' => write!(f, "\\{c}")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// jose's error for an `alg` it has no implementation of (including `none`).
pub(crate) fn unsupported_alg(alg: &str) -> Error {
    use alloc::format;
    Error::NotSupported(format!(
        "Unsupported \"alg\" value for a JSON Web Key Set: \"{}\"",
        Escaped(alg)
    ))
}

#[cfg(test)]
mod escaped_tests {
    use super::Escaped;
    use alloc::format;

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        assert_eq!(
            format!("{}", Escaped("a\"b\\c\nd\u{7f}é")),
            "a\\\"b\\\\c\\u{a}d\\u{7f}é"
        );
    }

    #[test]
    fn cuts_long_strings() {
        let long = "k".repeat(5000);
        let shown = format!("{}", Escaped(&long));
        assert_eq!(shown, format!("{}…", "k".repeat(100)));
    }
}
