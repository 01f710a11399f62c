//! How JS drives the remote-JWKS cache policy (`crate::jwks_cache`).

use super::convert::{ms, push_u64};
use super::errors::{error_json, js_error};
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

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

    /// `url` without userinfo, query or fragment (`jwks_cache::redact_url`): what messages
    /// and warnings may show.
    pub fn redact_url(url: &str) -> String {
        crate::jwks_cache::redact_url(url)
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
