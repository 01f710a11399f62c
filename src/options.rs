//! [`Options`]: what a [`Verifier`](crate::Verifier) checks besides the signature, with the
//! meaning of jose's `jwtVerify` options, and the limits checked before any work.

use crate::Algorithm;
use alloc::string::String;
use alloc::vec::Vec;

/// Default maximum token length: 64 KiB, room for Better Auth session-cache JWTs.
pub const DEFAULT_MAX_TOKEN_LENGTH: usize = 64 * 1024;
/// Default maximum JSON nesting depth of header and payload.
pub const DEFAULT_MAX_JSON_DEPTH: usize = 32;

/// Verification options, with the meaning of jose's `jwtVerify` options.
///
/// ```
/// use edgejwt::{Algorithm, Options};
/// let options = Options::default()
///     .issuer("http://localhost:3000")
///     .audience("http://localhost:3000")
///     .algorithms([Algorithm::EdDSA])
///     .clock_tolerance(5.0)
///     .required_claims(["uuid"]);
/// assert_eq!(options.issuer.as_deref(), Some(&["http://localhost:3000".to_string()][..]));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Accepted `iss` values (any one must equal the token's `iss`). `None`: not checked.
    pub issuer: Option<Vec<String>>,
    /// Accepted audiences: the token's `aud` (string or array) must contain one. `None`: not
    /// checked.
    pub audience: Option<Vec<String>>,
    /// Allowed `alg` values. `None`: every algorithm whose key type matches a JWKS key.
    pub algorithms: Option<Vec<Algorithm>>,
    /// Seconds of leeway for `exp`, `nbf` and `maxTokenAge`.
    pub clock_tolerance: f64,
    /// Maximum seconds since `iat` (which then becomes required).
    pub max_token_age: Option<f64>,
    /// Expected `sub`.
    pub subject: Option<String>,
    /// Expected header `typ` (compared as jose does: case-insensitive, `application/` optional).
    pub typ: Option<String>,
    /// Claims that must be present.
    pub required_claims: Vec<String>,
    /// Refuse tokens whose header `typ` is [`SESSION_CACHE_TYP`] (the jwt plugin's session
    /// cookie): they are signed with the same keys but are not access tokens. Set by
    /// [`Options::better_auth`].
    pub refuse_session_cache: bool,
    /// Longest token accepted, in bytes (checked before any work).
    pub max_token_length: usize,
    /// Deepest JSON nesting accepted in header and payload.
    pub max_json_depth: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            issuer: None,
            audience: None,
            algorithms: None,
            clock_tolerance: 0.0,
            max_token_age: None,
            subject: None,
            typ: None,
            required_claims: Vec::new(),
            refuse_session_cache: false,
            max_token_length: DEFAULT_MAX_TOKEN_LENGTH,
            max_json_depth: DEFAULT_MAX_JSON_DEPTH,
        }
    }
}

/// The header `typ` of the Better Auth jwt plugin's session-cache JWTs (its signed session
/// cookie, `sessionCookieCache: true`).
pub const SESSION_CACHE_TYP: &str = "better-auth.session-cache+jwt";

/// The claims a Better Auth access token must carry ([`Options::better_auth`]): the user
/// (`sub`, which backends key their data on) and an expiry.
pub const BETTER_AUTH_REQUIRED_CLAIMS: [&str; 2] = ["sub", "exp"];

impl Options {
    /// The rules for Better Auth access tokens on top of these options: `sub` and `exp`
    /// required ([`BETTER_AUTH_REQUIRED_CLAIMS`], added to the required claims), and the
    /// plugin's session-cache JWT refused ([`Options::refuse_session_cache`]). Issuer and
    /// audience are the host's to set (Better Auth uses its base URL for both).
    pub fn better_auth(mut self) -> Self {
        for claim in BETTER_AUTH_REQUIRED_CLAIMS {
            if !self.required_claims.iter().any(|c| c == claim) {
                self.required_claims.push(claim.into());
            }
        }
        self.refuse_session_cache = true;
        self
    }

    /// Accept exactly this issuer.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.issuer = Some(alloc::vec![iss.into()]);
        self
    }
    /// Accept any of these issuers.
    pub fn issuers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, iss: I) -> Self {
        self.issuer = Some(iss.into_iter().map(Into::into).collect());
        self
    }
    /// Require this audience.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.audience = Some(alloc::vec![aud.into()]);
        self
    }
    /// Require any one of these audiences.
    pub fn audiences<I: IntoIterator<Item = S>, S: Into<String>>(mut self, aud: I) -> Self {
        self.audience = Some(aud.into_iter().map(Into::into).collect());
        self
    }
    /// Allow only these algorithms.
    pub fn algorithms(mut self, algs: impl IntoIterator<Item = Algorithm>) -> Self {
        self.algorithms = Some(algs.into_iter().collect());
        self
    }
    /// Leeway in seconds for time-based claims.
    pub fn clock_tolerance(mut self, seconds: f64) -> Self {
        self.clock_tolerance = seconds;
        self
    }
    /// Maximum age in seconds since `iat`.
    pub fn max_token_age(mut self, seconds: f64) -> Self {
        self.max_token_age = Some(seconds);
        self
    }
    /// Expected `sub`.
    pub fn subject(mut self, sub: impl Into<String>) -> Self {
        self.subject = Some(sub.into());
        self
    }
    /// Expected header `typ`.
    pub fn typ(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }
    /// Claims that must be present.
    pub fn required_claims<I: IntoIterator<Item = S>, S: Into<String>>(mut self, c: I) -> Self {
        self.required_claims = c.into_iter().map(Into::into).collect();
        self
    }
    /// Longest token accepted, in bytes.
    pub fn max_token_length(mut self, bytes: usize) -> Self {
        self.max_token_length = bytes;
        self
    }
    /// Deepest JSON nesting accepted.
    pub fn max_json_depth(mut self, depth: usize) -> Self {
        self.max_json_depth = depth;
        self
    }

    /// Rejects options that can never be satisfied or are not numbers (NaN, infinities).
    pub(crate) fn validate(&self) -> Result<(), &'static str> {
        if !self.clock_tolerance.is_finite() {
            return Err("Invalid clockTolerance option");
        }
        if self.max_token_age.is_some_and(|a| !a.is_finite()) {
            return Err("Invalid maxTokenAge option");
        }
        Ok(())
    }
}
