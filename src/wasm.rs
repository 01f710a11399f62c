//! The WebAssembly boundary (wasm-bindgen), used by the npm package's JavaScript layer.
//!
//! Successful calls return JSON text that the JS layer parses once. Failures throw a JS *string*
//! holding the error as JSON (`{"code","message","claim"?,"reason"?,"payload"?,"hint"?}`), which
//! the JS layer turns into jose-style error classes. Nothing here panics on any input.
//!
//! Built for wasm32 without `std` (the shipped module), this module also brings the allocator
//! and the panic handler.

use crate::{decode_unverified, Algorithm, Error, Jwks, KeyVerdict, Options, Verifier};
use alloc::string::String;
use alloc::vec::Vec;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// The shipped module is `no_std`: dlmalloc as the allocator (the one std uses on wasm32).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic (a bug: bad input gets coded errors) traps at once, without formatting a message;
/// the JS layer replaces the instance after a trap.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Options as the JS layer sends them (already type-checked there).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsOptions {
    issuer: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    algorithms: Option<Vec<String>>,
    clock_tolerance: Option<f64>,
    max_token_age: Option<f64>,
    subject: Option<String>,
    typ: Option<String>,
    required_claims: Option<Vec<String>>,
    max_token_length: Option<usize>,
}

impl JsOptions {
    fn into_options(self) -> Result<Options, Error> {
        let mut o = Options::default()
            .clock_tolerance(self.clock_tolerance.unwrap_or(0.0))
            .required_claims(self.required_claims.unwrap_or_default());
        if let Some(iss) = self.issuer {
            o = o.issuers(iss);
        }
        if let Some(aud) = self.audience {
            o = o.audiences(aud);
        }
        if let Some(algs) = self.algorithms {
            o = o.algorithms(Algorithm::from_names(algs.iter().map(String::as_str))?);
        }
        if let Some(age) = self.max_token_age {
            o = o.max_token_age(age);
        }
        if let Some(sub) = self.subject {
            o = o.subject(sub);
        }
        if let Some(typ) = self.typ {
            o = o.typ(typ);
        }
        if let Some(max) = self.max_token_length {
            o = o.max_token_length(max);
        }
        Ok(o)
    }
}

/// Appends `n` in decimal (without `core::fmt`'s integer formatting and `format!`).
fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

fn push_json_str(out: &mut String, s: &str) {
    // serde_json's string escaping cannot fail for a &str.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// Serializes an error as the JSON text the JS layer expects, and wraps it in a JsValue string
/// (what the exported functions return as their `Err`, which wasm-bindgen throws).
fn js_error(e: Error) -> JsValue {
    JsValue::from_str(&error_json(&e))
}

/// `{"code","message","claim"?,"reason"?,"payload"?,"hint"?}`.
fn error_json(e: &Error) -> String {
    let mut out = String::with_capacity(128);
    out.push_str("{\"code\":\"");
    out.push_str(e.code());
    out.push_str("\",\"message\":");
    push_json_str(&mut out, &alloc::format!("{e}"));
    if let Some(claim) = e.claim() {
        out.push_str(",\"claim\":");
        push_json_str(&mut out, claim);
    }
    if let Some(reason) = e.reason() {
        out.push_str(",\"reason\":\"");
        out.push_str(reason.as_str());
        out.push('"');
    }
    if let Some(payload) = e.payload() {
        // Already validated JSON: embed as is.
        out.push_str(",\"payload\":");
        out.push_str(payload);
    }
    if let Some(hint) = e.hint() {
        out.push_str(",\"hint\":");
        push_json_str(&mut out, hint);
    }
    out.push('}');
    out
}

fn result_json(header: &str, payload: &str) -> String {
    let mut out = String::with_capacity(header.len() + payload.len() + 32);
    out.push_str("{\"payload\":");
    out.push_str(payload);
    out.push_str(",\"protectedHeader\":");
    out.push_str(header);
    out.push('}');
    out
}

/// A verifier holding a prepared JWKS and options.
#[wasm_bindgen]
pub struct WasmVerifier {
    inner: Verifier,
}

#[wasm_bindgen]
impl WasmVerifier {
    /// Parses and prepares `jwks_json`; `options_json` as described in the module docs.
    #[wasm_bindgen(constructor)]
    pub fn new(jwks_json: &str, options_json: &str) -> Result<WasmVerifier, JsValue> {
        let options: JsOptions = serde_json::from_slice(options_json.as_bytes())
            .map_err(|_| js_error(Error::NotSupported("Invalid verifier options".into())))?;
        let options = options.into_options().map_err(js_error)?;
        let jwks = Jwks::from_json(jwks_json).map_err(js_error)?;
        let inner = Verifier::new(jwks, options).map_err(js_error)?;
        Ok(WasmVerifier { inner })
    }

    /// Like the constructor, for a set fetched from a URL: its `oct` keys are never used.
    pub fn remote(jwks_json: &str, options_json: &str) -> Result<WasmVerifier, JsValue> {
        let options: JsOptions = serde_json::from_slice(options_json.as_bytes())
            .map_err(|_| js_error(Error::NotSupported("Invalid verifier options".into())))?;
        let jwks = Jwks::from_remote_json(jwks_json).map_err(js_error)?;
        let inner =
            Verifier::new(jwks, options.into_options().map_err(js_error)?).map_err(js_error)?;
        Ok(WasmVerifier { inner })
    }

    /// Verifies `token` at `now_secs` (seconds since the epoch); returns
    /// `{"payload":…,"protectedHeader":…}` as JSON text.
    pub fn verify(&self, token: &str, now_secs: f64) -> Result<String, JsValue> {
        let jwt = self
            .inner
            .verify(token, now_secs as i64)
            .map_err(js_error)?;
        Ok(result_json(&jwt.header, &jwt.payload))
    }

    /// Which key `token` selects and why each other key was passed over, as JSON:
    /// `{"selected":index|null,"keys":[{"verdict":…,"reason":…},…]}` with `verdict` one of
    /// `fits`, `fits_but_unusable` or a refusal (`kid_differs`, `kty_differs`, `alg_differs`,
    /// `use_not_sig`, `key_ops_lack_verify`), in the order of [`WasmVerifier::keys`].
    pub fn selection(&self, token: &str) -> Result<String, JsValue> {
        let report = self.inner.selection_report(token).map_err(js_error)?;
        let mut out = String::from("{\"selected\":");
        match report.selected {
            Some(i) => push_u64(&mut out, i as u64),
            None => out.push_str("null"),
        }
        out.push_str(",\"keys\":[");
        for (i, verdict) in report.keys.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let (id, reason) = match verdict {
                KeyVerdict::Fits => ("fits", None),
                KeyVerdict::FitsButUnusable(reason) => ("fits_but_unusable", Some(reason.as_str())),
                KeyVerdict::Refused(refusal) => (refusal.as_str(), Some(refusal.message())),
            };
            out.push_str("{\"verdict\":\"");
            out.push_str(id);
            out.push_str("\",\"reason\":");
            match reason {
                Some(r) => push_json_str(&mut out, r),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("]}");
        Ok(out)
    }

    /// The JWKS keys with their usability and problems (`Jwks::key_problems`), as a JSON array.
    pub fn keys(&self) -> String {
        let mut out = String::from("[");
        let problems = self.inner.jwks().key_problems();
        for (i, k) in self.inner.jwks().key_info().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let opt = |out: &mut String, name: &str, v: &Option<String>| {
                out.push_str(name);
                match v {
                    Some(s) => push_json_str(out, s),
                    None => out.push_str("null"),
                }
            };
            opt(&mut out, "{\"kid\":", &k.kid);
            opt(&mut out, ",\"kty\":", &k.kty);
            opt(&mut out, ",\"alg\":", &k.alg);
            opt(&mut out, ",\"crv\":", &k.crv);
            opt(&mut out, ",\"use\":", &k.use_);
            out.push_str(",\"bits\":");
            match k.bits {
                Some(b) => push_u64(&mut out, b as u64),
                None => out.push_str("null"),
            }
            out.push_str(if k.usable {
                ",\"usable\":true"
            } else {
                ",\"usable\":false"
            });
            opt(&mut out, ",\"reason\":", &k.reason);
            out.push_str(",\"problems\":[");
            for (j, p) in problems[i].iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str("{\"id\":\"");
                out.push_str(p.id);
                out.push_str("\",\"message\":");
                push_json_str(&mut out, &p.message);
                out.push('}');
            }
            out.push_str("]}");
        }
        out.push(']');
        out
    }
}

/// `edgejwt doctor`'s judging (`doctor::diagnose_json`): the observations' JSON text → the
/// checks, as JSON text or as the text the command line prints. Only in the command line's
/// module (feature `doctor`).
#[cfg(feature = "doctor")]
#[wasm_bindgen]
pub fn doctor(observations: &str, json: bool) -> String {
    crate::doctor::diagnose_json(observations, json)
}

/// The JWKS paths `edgejwt doctor` tries under the base URL: Better Auth's first.
#[cfg(feature = "doctor")]
#[wasm_bindgen]
pub fn doctor_jwks_paths() -> Vec<String> {
    crate::doctor::USUAL_JWKS_PATHS
        .iter()
        .map(|p| String::from(*p))
        .collect()
}

/// Decodes a JWT without verifying: `{"protectedHeader":…,"payload":…}`.
#[wasm_bindgen]
pub fn decode(token: &str) -> Result<String, JsValue> {
    let (header, payload) = decode_unverified(token).map_err(js_error)?;
    Ok(result_json(&header, &payload))
}

/// The token of an `Authorization` header's value (`bearer_token`); `None` when absent.
#[wasm_bindgen]
pub fn bearer_token(authorization: Option<String>) -> Result<String, JsValue> {
    crate::bearer_token(authorization.as_deref())
        .map(String::from)
        .map_err(js_error)
}

/// Decodes a JWS/JWT protected header without verifying.
#[wasm_bindgen]
pub fn decode_protected_header(token: &str) -> Result<String, JsValue> {
    crate::decode_protected_header(token).map_err(js_error)
}

/// A time from JS (`Date.now()`, ms) as the cache's `u64`: negative or NaN count as 0.
fn ms(t: f64) -> u64 {
    if t > 0.0 {
        t as u64 // saturating
    } else {
        0
    }
}

/// The remote-JWKS cache policy ([`crate::jwks_cache::JwksCache`]) for the JS host. Actions
/// and reports are JSON text:
/// - action: `{"do":"serve"}`, `{"do":"serve_and_fetch","id":n}`, `{"do":"fetch","id":n}`,
///   `{"do":"wait","id":n,"waitMs":n}`, `{"do":"fail","error":{…}}`, `{"do":"no_refetch"}`;
/// - report: `{"result":"committed","generation":n}`, `{"result":"rejected","error":{…}}`,
///   `{"result":"ignored"}`;
///
/// errors in the same shape as thrown ones.
#[wasm_bindgen]
pub struct WasmJwksCache {
    inner: crate::jwks_cache::JwksCache,
}

fn action_json(a: crate::jwks_cache::Action) -> String {
    use crate::jwks_cache::Action;
    let (what, id, wait_ms) = match a {
        Action::Serve => return "{\"do\":\"serve\"}".into(),
        Action::NoRefetch => return "{\"do\":\"no_refetch\"}".into(),
        Action::Fail(e) => return tagged("{\"do\":\"fail\",\"error\":", &error_json(&e)),
        Action::ServeAndFetch { id } => ("serve_and_fetch", id, None),
        Action::Fetch { id } => ("fetch", id, None),
        Action::Wait { id, wait_ms } => ("wait", id, Some(wait_ms)),
    };
    let mut out = String::from("{\"do\":\"");
    out.push_str(what);
    out.push_str("\",\"id\":");
    push_u64(&mut out, id);
    if let Some(ms) = wait_ms {
        out.push_str(",\"waitMs\":");
        push_u64(&mut out, ms);
    }
    out.push('}');
    out
}

/// `head` + `value` + `}`.
fn tagged(head: &str, value: &str) -> String {
    let mut out = String::with_capacity(head.len() + value.len() + 1);
    out.push_str(head);
    out.push_str(value);
    out.push('}');
    out
}

fn policy(
    max_age_ms: f64,
    cooldown_ms: f64,
    timeout_ms: f64,
    stale_if_error_ms: f64,
    share_fetches: bool,
) -> crate::jwks_cache::CachePolicy {
    crate::jwks_cache::CachePolicy {
        max_age_ms: ms(max_age_ms),
        cooldown_ms: ms(cooldown_ms),
        timeout_ms: ms(timeout_ms),
        stale_if_error_ms: ms(stale_if_error_ms),
        share_fetches,
    }
}

#[wasm_bindgen]
impl WasmJwksCache {
    /// A cache for `url` with jose's `createRemoteJWKSet` timings (ms) and `staleIfError`;
    /// `share_fetches` is false on Cloudflare Workers. Check the timings first with
    /// [`WasmJwksCache::policy_problem`].
    #[wasm_bindgen(constructor)]
    pub fn new(
        url: &str,
        max_age_ms: f64,
        cooldown_ms: f64,
        timeout_ms: f64,
        stale_if_error_ms: f64,
        share_fetches: bool,
    ) -> WasmJwksCache {
        WasmJwksCache {
            inner: crate::jwks_cache::JwksCache::new(
                url,
                policy(
                    max_age_ms,
                    cooldown_ms,
                    timeout_ms,
                    stale_if_error_ms,
                    share_fetches,
                ),
            ),
        }
    }

    /// The default timings, `[cacheMaxAge, cooldownDuration, timeoutDuration, staleIfError]`
    /// in ms (the core's `CachePolicy::default`).
    pub fn policy_defaults() -> Vec<f64> {
        let d = crate::jwks_cache::CachePolicy::default();
        alloc::vec![
            d.max_age_ms as f64,
            d.cooldown_ms as f64,
            d.timeout_ms as f64,
            d.stale_if_error_ms as f64,
        ]
    }

    /// Why these timings are refused (the JS layer throws a TypeError with it), or undefined.
    pub fn policy_problem(
        max_age_ms: f64,
        cooldown_ms: f64,
        timeout_ms: f64,
        stale_if_error_ms: f64,
    ) -> Option<String> {
        policy(max_age_ms, cooldown_ms, timeout_ms, stale_if_error_ms, true)
            .check()
            .err()
            .map(String::from)
    }

    /// What is risky about fetching `url` with this cooldown (each shown once, console.warn).
    pub fn policy_warnings(url: &str, cooldown_ms: f64) -> Vec<String> {
        let p = crate::jwks_cache::CachePolicy {
            cooldown_ms: ms(cooldown_ms),
            ..Default::default()
        };
        p.warnings(url).into_iter().map(String::from).collect()
    }

    /// Before a verification at `now_ms`.
    pub fn on_request(&mut self, now_ms: f64) -> String {
        action_json(self.inner.on_request(ms(now_ms)))
    }

    /// After a token's kid matched no key of the set of generation `seen_generation`.
    pub fn on_unknown_kid(&mut self, now_ms: f64, seen_generation: f64) -> String {
        action_json(self.inner.on_unknown_kid(ms(now_ms), ms(seen_generation)))
    }

    /// Starts a fetch regardless of the policy (`reload()`); returns its id.
    pub fn force_fetch(&mut self, now_ms: f64) -> f64 {
        self.inner.force_fetch(ms(now_ms)) as f64
    }

    /// Fetch `id` ended: HTTP 200 with `body` (read with a cap of `max_body_bytes`), or
    /// `status` (another HTTP status), or `kind` = `"timeout"`, `"too_large"` or `"network"`
    /// with `message` (must not contain the URL). Exactly one of them is set.
    pub fn on_fetched(
        &mut self,
        id: f64,
        now_ms: f64,
        body: Option<Vec<u8>>,
        status: Option<u16>,
        kind: Option<String>,
        message: Option<String>,
    ) -> String {
        use crate::jwks_cache::{FetchOutcome, Report};
        let message = message.unwrap_or_default();
        let outcome = match (&body, status, kind.as_deref()) {
            (Some(b), _, _) => FetchOutcome::Body(b),
            (None, Some(s), _) => FetchOutcome::Status(s),
            (None, None, Some("timeout")) => FetchOutcome::TimedOut,
            (None, None, Some("too_large")) => FetchOutcome::TooLarge,
            (None, None, _) => FetchOutcome::Failed(&message),
        };
        match self.inner.on_fetched(ms(id), ms(now_ms), outcome) {
            Report::Committed { generation } => {
                let mut out = String::from("{\"result\":\"committed\",\"generation\":");
                push_u64(&mut out, generation);
                out.push('}');
                out
            }
            Report::Rejected(e) => tagged("{\"result\":\"rejected\",\"error\":", &error_json(&e)),
            Report::Ignored => "{\"result\":\"ignored\"}".into(),
        }
    }

    /// Re-installs a set committed earlier (after the module was reset).
    pub fn restore(
        &mut self,
        text: &str,
        fetched_at_ms: f64,
        generation: f64,
    ) -> Result<(), JsValue> {
        self.inner
            .restore(text, ms(fetched_at_ms), ms(generation))
            .map_err(js_error)
    }

    /// The committed set's text (undefined before the first commit).
    pub fn text(&self) -> Option<String> {
        self.inner.text().map(String::from)
    }

    /// How many sets were committed.
    pub fn generation(&self) -> f64 {
        self.inner.generation() as f64
    }

    /// Whether a set is committed and younger than the max age at `now_ms`.
    pub fn is_fresh(&self, now_ms: f64) -> bool {
        self.inner.is_fresh(ms(now_ms))
    }

    /// Whether the committed set may still be served at `now_ms` (within max age plus
    /// staleIfError); checked after a fetch or wait.
    pub fn servable(&self, now_ms: f64) -> bool {
        self.inner.servable(ms(now_ms))
    }

    /// The error for "no set after the fetch or wait", as JSON.
    pub fn failure(&self) -> String {
        error_json(&self.inner.failure())
    }

    /// The longest body to read, in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.inner.max_body_bytes()
    }
}

/// Session-cookie options as the JS layer sends them (already type-checked there).
#[cfg(feature = "cookie")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsCookieOptions {
    strategy: String,
    secret: Option<String>,
    jwks: Option<String>,
    issuer: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    cookie_prefix: String,
    cookie_name: String,
    is_secure: Option<bool>,
    version: Option<String>,
}

/// Reads Better Auth session cookies of one app (a `crate::cookie::SessionCookieReader`).
#[cfg(feature = "cookie")]
#[wasm_bindgen]
pub struct WasmSessionCookieReader {
    inner: crate::cookie::SessionCookieReader,
}

#[cfg(feature = "cookie")]
#[wasm_bindgen]
impl WasmSessionCookieReader {
    /// `options_json`: `{strategy, secret?, jwks? (JSON text), issuer?, audience?, cookiePrefix,
    /// cookieName, isSecure?, version?}`.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<WasmSessionCookieReader, JsValue> {
        let invalid = || js_error(Error::NotSupported("Invalid session cookie options".into()));
        let o: JsCookieOptions =
            serde_json::from_slice(options_json.as_bytes()).map_err(|_| invalid())?;
        let strategy = crate::cookie::Strategy::from_name(&o.strategy).ok_or_else(invalid)?;
        let options = crate::cookie::ReadOptions {
            strategy,
            secret: o.secret.map(String::into_bytes),
            jwks: o.jwks,
            issuer: o.issuer,
            audience: o.audience,
            cookie_prefix: o.cookie_prefix,
            cookie_name: o.cookie_name,
            is_secure: o.is_secure,
            version: o.version,
        };
        Ok(WasmSessionCookieReader {
            inner: crate::cookie::SessionCookieReader::new(options),
        })
    }

    /// The session data's JSON text from the `Cookie` header's value, or `undefined` when the
    /// header has no session cookie.
    pub fn read(&self, cookie_header: &str, now_ms: f64) -> Result<Option<String>, JsValue> {
        self.inner.read(cookie_header, now_ms).map_err(js_error)
    }
}
