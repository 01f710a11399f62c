//! One entry point for every strategy: find the session cookie in a `Cookie` header and read it
//! (what Better Auth's `getCookieCache` does, failing with a coded error instead of `null`).

use super::header::{find_cookie, CookieName};
use super::jwt::{read_jwt, JwtKeys};
use super::{floor_secs, read_compact, read_jwe};
use crate::{Error, Verifier};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::OnceCell;

/// How the app's `session.cookieCache` writes the cookie.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// `base64url(JSON({session, expiresAt, signature}))`, HMAC-SHA-256 with the secret
    /// (Better Auth's default).
    #[default]
    Compact,
    /// A JWT: HS256 with the secret, or signed by the jwt plugin's keys (see [`super::jwt`]).
    Jwt,
    /// A JWE (`dir` + `A256CBC-HS512`), key derived from the secret.
    Jwe,
}

impl Strategy {
    /// The strategy named as in Better Auth's options: `"compact"`, `"jwt"` or `"jwe"`.
    pub fn from_name(name: &str) -> Option<Strategy> {
        match name {
            "compact" => Some(Strategy::Compact),
            "jwt" => Some(Strategy::Jwt),
            "jwe" => Some(Strategy::Jwe),
            _ => None,
        }
    }

    /// The strategy's name in Better Auth's options.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Compact => "compact",
            Strategy::Jwt => "jwt",
            Strategy::Jwe => "jwe",
        }
    }
}

/// What to read, named as Better Auth's `getCookieCache` options.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The cookie's strategy. Default [`Strategy::Compact`].
    pub strategy: Strategy,
    /// The app's `BETTER_AUTH_SECRET` (its UTF-8 bytes): needed by `compact`, `jwe`, and `jwt`
    /// without `jwks`.
    pub secret: Option<Vec<u8>>,
    /// `jwt` cookies signed by the jwt plugin (`sessionCookieCache: true`): its JWKS as JSON
    /// text. When set, the `jwt` strategy ignores `secret`.
    pub jwks: Option<String>,
    /// `jwt` with `jwks`: accepted `iss` values (not checked when `None`).
    pub issuer: Option<Vec<String>>,
    /// `jwt` with `jwks`: accepted `aud` values (`None`: `"better-auth:session-cache"`).
    pub audience: Option<Vec<String>>,
    /// `advanced.cookiePrefix`. Default `"better-auth"`.
    pub cookie_prefix: String,
    /// The cookie's name after the prefix. Default `"session_data"`.
    pub cookie_name: String,
    /// `Some(true)`: only the `__Secure-` name; `Some(false)`: only the plain name; `None`:
    /// both, `__Secure-` first.
    pub is_secure: Option<bool>,
    /// The expected `session.cookieCache.version` (a cookie without one is version `"1"`);
    /// not checked when `None`.
    pub version: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            strategy: Strategy::Compact,
            secret: None,
            jwks: None,
            issuer: None,
            audience: None,
            cookie_prefix: "better-auth".into(),
            cookie_name: "session_data".into(),
            is_secure: None,
            version: None,
        }
    }
}

/// Reads session cookies with fixed [`ReadOptions`]. Keep one for many reads: a `jwt`
/// strategy's keys are prepared on the first cookie and reused.
#[derive(Debug)]
pub struct SessionCookieReader {
    options: ReadOptions,
    verifier: OnceCell<Verifier>,
}

impl SessionCookieReader {
    /// A reader with `options`. Nothing is checked or prepared yet: a header without the
    /// cookie reads as `None` whatever the keys.
    pub fn new(options: ReadOptions) -> SessionCookieReader {
        SessionCookieReader {
            options,
            verifier: OnceCell::new(),
        }
    }

    /// The options this reader was built with.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// Reads the session cookie from `cookie_header` (the `Cookie` header's value) at `now_ms`
    /// (milliseconds since the epoch). `Ok(None)` when the header has no such cookie; the
    /// session data's JSON text when it verifies; otherwise the coded error that says why
    /// (never carrying the session data).
    pub fn read(&self, cookie_header: &str, now_ms: f64) -> Result<Option<String>, Error> {
        let o = &self.options;
        let name = CookieName {
            prefix: &o.cookie_prefix,
            name: &o.cookie_name,
            is_secure: o.is_secure,
        };
        let Some(value) = find_cookie(cookie_header, name) else {
            return Ok(None);
        };
        let version = o.version.as_deref();
        match o.strategy {
            Strategy::Compact => read_compact(&value, self.secret()?, now_ms, version),
            Strategy::Jwe => read_jwe(&value, self.secret()?, floor_secs(now_ms), version),
            Strategy::Jwt => read_jwt(
                &value,
                self.jwt_verifier()?,
                o.jwks.is_some(),
                now_ms,
                version,
            ),
        }
        .map(Some)
    }

    fn secret(&self) -> Result<&[u8], Error> {
        self.options.secret.as_deref().ok_or(Error::JwkInvalid {
            kid: None,
            reason: "this session cookie strategy needs the app's secret (BETTER_AUTH_SECRET)",
        })
    }

    fn jwt_verifier(&self) -> Result<&Verifier, Error> {
        if let Some(v) = self.verifier.get() {
            return Ok(v);
        }
        let o = &self.options;
        let keys = match &o.jwks {
            Some(jwks) => JwtKeys::Jwks {
                jwks,
                issuer: o.issuer.as_deref(),
                audience: o.audience.as_deref(),
            },
            None => JwtKeys::Secret(self.secret()?),
        };
        let verifier = keys.verifier()?;
        Ok(self.verifier.get_or_init(|| verifier))
    }
}

/// Reads one session cookie from `cookie_header`: [`SessionCookieReader::read`] with a reader
/// made for this call (prefer a kept reader for the `jwt` strategy with a JWKS).
pub fn read_session_cookie(
    cookie_header: &str,
    options: ReadOptions,
    now_ms: f64,
) -> Result<Option<String>, Error> {
    SessionCookieReader::new(options).read(cookie_header, now_ms)
}
