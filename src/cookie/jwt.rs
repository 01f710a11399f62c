//! The `jwt` strategy: the cookie is a JWT holding the session data as claims.
//!
//! - Without the jwt plugin's signer: HS256 with the app's secret (its UTF-8 bytes as an `oct`
//!   key), no `typ`/`aud` checks (Better Auth writes neither).
//! - Signed by the jwt plugin (`sessionCookieCache: true`): verified with its JWKS, header
//!   `typ` [`TYP`], audience [`AUDIENCE`] unless another is given, the issuer when given,
//!   [`CLOCK_TOLERANCE`] seconds of clock tolerance (Better Auth's), and the claims bound to
//!   the session: `sub` = `user.id`, `sid` = `session.token`, a non-empty `iss`.

use super::{check_session_data, empty_secret};
use crate::{base64url, Error, Jwks, Options, Verifier};
use alloc::string::String;
use alloc::vec::Vec;

/// The header `typ` of plugin-signed session-cache JWTs.
pub const TYP: &str = crate::options::SESSION_CACHE_TYP;
/// The default `aud` of plugin-signed session-cache JWTs.
pub const AUDIENCE: &str = "better-auth:session-cache";
/// Clock tolerance for plugin-signed session-cache JWTs, in seconds.
pub const CLOCK_TOLERANCE: f64 = 15.0;

/// How a `jwt` session cookie is signed.
#[derive(Clone, Copy, Debug)]
pub enum JwtKeys<'a> {
    /// HS256 with the app's secret (`BETTER_AUTH_SECRET`).
    Secret(&'a [u8]),
    /// The jwt plugin's JWKS (JSON text), with the expected issuers (`None`: not checked) and
    /// audiences (`None`: [`AUDIENCE`]).
    Jwks {
        /// The JWKS as JSON text.
        jwks: &'a str,
        /// Accepted `iss` values; `None` skips the check.
        issuer: Option<&'a [String]>,
        /// Accepted `aud` values; `None` means [`AUDIENCE`].
        audience: Option<&'a [String]>,
    },
}

impl JwtKeys<'_> {
    /// The verifier for cookies signed this way (keys prepared once: keep it for many reads).
    pub fn verifier(&self) -> Result<Verifier, Error> {
        match *self {
            JwtKeys::Secret(secret) => {
                empty_secret(secret)?;
                let jwks = alloc::format!(
                    "{{\"keys\":[{{\"kty\":\"oct\",\"k\":\"{}\"}}]}}",
                    base64url::encode(secret)
                );
                Verifier::new(Jwks::from_json(&jwks)?, Options::default())
            }
            JwtKeys::Jwks {
                jwks,
                issuer,
                audience,
            } => {
                let audience: Vec<String> = match audience {
                    Some(a) => a.to_vec(),
                    None => alloc::vec![AUDIENCE.into()],
                };
                let mut options = Options::default()
                    .typ(TYP)
                    .audiences(audience)
                    .clock_tolerance(CLOCK_TOLERANCE);
                if let Some(iss) = issuer {
                    options = options.issuers(iss.iter().cloned());
                }
                Verifier::new(Jwks::from_json(jwks)?, options)
            }
        }
    }
}

/// Reads a `jwt` session cookie with `verifier` (from [`JwtKeys::verifier`]; `bound` when it
/// was built from the plugin's JWKS) at `now_ms` (milliseconds since the epoch), then checks
/// the session data (see [`check_session_data`]). Returns the claims' JSON text. Errors never
/// carry the payload: it holds the live session token.
pub fn read_jwt(
    value: &str,
    verifier: &Verifier,
    bound: bool,
    now_ms: f64,
    version: Option<&str>,
) -> Result<String, Error> {
    let jwt = verifier
        .verify(value, super::floor_secs(now_ms))
        .map_err(without_payload)?;
    check_session_data(&jwt.payload, now_ms, version, bound)?;
    Ok(jwt.payload)
}

/// The error without the token's payload.
fn without_payload(e: Error) -> Error {
    match e {
        Error::Expired { claim, message, .. } => Error::Expired {
            claim,
            message,
            payload: None,
        },
        Error::ClaimInvalid {
            claim,
            reason,
            message,
            ..
        } => Error::ClaimInvalid {
            claim,
            reason,
            message,
            payload: None,
        },
        other => other,
    }
}
