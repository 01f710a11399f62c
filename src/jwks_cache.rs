//! The remote-JWKS cache policy as a sans-IO state machine: no clock, no network.
//!
//! A host (the npm package's JS, the Python extension) owns the I/O. It tells the machine
//! the time (milliseconds, any epoch, as long as it is the same one throughout) and what its
//! fetches returned; the machine answers what to do next. Every decision lives here, once:
//!
//! - **Before a verification** ([`JwksCache::on_request`]): serve the cached set (fresh, or
//!   stale while a refresh runs or cools down), serve it *and* start a background refresh
//!   (stale-while-revalidate), fetch and wait (nothing cached), wait for a fetch another caller
//!   started (only when the host can share fetches), or fail at once (nothing cached and the
//!   last attempt failed within the cooldown).
//! - **After an unknown `kid`** ([`JwksCache::on_unknown_kid`]): retry with a newer set, refetch,
//!   wait for a shared refetch, or not refetch (cooldown).
//! - **When a fetch ends** ([`JwksCache::on_fetched`]): a body is committed only if the core
//!   accepts it ([`Jwks::from_remote_json`], a trial build); anything else keeps the last good
//!   set and is remembered as the failure to report.
//!
//! A committed set is served stale while refreshes fail for at most `stale_if_error_ms` past
//! its max age (RFC 5861's `stale-if-error`); after that it counts as gone, so a key removed
//! from the JWKS stops being trusted even when the endpoint stays unreachable, and requests
//! fail with the fetch's error until a refresh succeeds. A 200 whose set has no key edgejwt can
//! verify with (`{"keys": []}`, only unknown key types, only `oct` keys) is a failed fetch.
//!
//! At most one fetch *attempt* starts per `cooldown_ms` (except a first fetch while nothing was
//! ever attempted, an explicit [`JwksCache::force_fetch`], and hosts that cannot share fetches
//! while nothing is cached). A fetch that is not reported within `timeout_ms` counts as timed
//! out, so a lost fetch (a cancelled request on Cloudflare Workers) never wedges the cache. A
//! clock that goes backwards makes every recorded time count as long past: at worst one extra
//! fetch, never a wait.
//!
//! ```
//! use edgejwt::jwks_cache::{Action, CachePolicy, FetchOutcome, JwksCache, Report};
//! let mut cache = JwksCache::new("https://app.example/api/auth/jwks", CachePolicy::default());
//! let Action::Fetch { id } = cache.on_request(0) else { panic!() };
//! let body = br#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1",
//!     "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
//! assert_eq!(cache.on_fetched(id, 40, FetchOutcome::Body(body)), Report::Committed { generation: 1 });
//! assert_eq!(cache.on_request(1_000), Action::Serve);
//! assert!(cache.jwks().is_some());
//! ```

use crate::error::Escaped;
use crate::{Error, Jwks, MAX_JWKS_LENGTH};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Identifies one fetch the machine asked for; report its end with the same id.
pub type FetchId = u64;

/// The cache's timing and sharing rules (jose's `createRemoteJWKSet` option names, in ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// A committed set is fresh for this long (`cacheMaxAge`). Default 600,000 (10 minutes).
    pub max_age_ms: u64,
    /// Minimum time between the starts of two fetch attempts (`cooldownDuration`). Default
    /// 30,000.
    pub cooldown_ms: u64,
    /// A fetch not reported within this long counts as timed out (`timeoutDuration`); also how
    /// long a waiter waits. Default 5,000.
    pub timeout_ms: u64,
    /// How long past `max_age_ms` a set may still be served while refreshes fail
    /// (`staleIfError`). Default 3,600,000 (1 hour).
    pub stale_if_error_ms: u64,
    /// Whether one caller may wait for a fetch another caller started. `false` on Cloudflare
    /// Workers, where a promise made by one request must not be awaited by another: each
    /// caller then only waits for its own fetches. Default `true`.
    pub share_fetches: bool,
}

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy {
            max_age_ms: 600_000,
            cooldown_ms: 30_000,
            timeout_ms: 5_000,
            stale_if_error_ms: 3_600_000,
            share_fetches: true,
        }
    }
}

/// Why a remote set fetched from `url` with this policy is risky, though allowed; hosts show
/// each once (Python's `logging`, JS `console.warn`).
pub const WARN_NO_COOLDOWN: &str = "the JWKS cooldown is 0: every token with an unknown kid makes \
     this server fetch the key set again, so anyone can make it fetch on every request; use a \
     few seconds at least";
/// See [`WARN_NO_COOLDOWN`].
pub const WARN_PLAIN_HTTP: &str = "the JWKS is fetched over plain http from a host that is not \
     loopback: anyone on the network path can substitute its keys; use https unless the host is \
     on a private network (such as docker compose's http://web:3000)";

impl CachePolicy {
    /// Refuses a policy under which no fetch could ever succeed (`timeout_ms` 0); the message
    /// names the JS option (hosts raise their own type error with it).
    pub fn check(&self) -> Result<(), &'static str> {
        if self.timeout_ms == 0 {
            return Err("the JWKS timeout must be positive (timeoutDuration / timeout)");
        }
        Ok(())
    }

    /// What is risky about fetching `url` under this policy (see [`WARN_NO_COOLDOWN`] and
    /// [`WARN_PLAIN_HTTP`]); empty when nothing is.
    pub fn warnings(&self, url: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.cooldown_ms == 0 {
            out.push(WARN_NO_COOLDOWN);
        }
        if plain_http_to_another_host(url) {
            out.push(WARN_PLAIN_HTTP);
        }
        out
    }
}

/// Whether `url` is `http:` to a host other than `localhost`, `127.0.0.0/8` or `[::1]`.
fn plain_http_to_another_host(url: &str) -> bool {
    let Some(rest) = url
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .map(|_| &url[7..])
    else {
        return false;
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority
        .rfind('@')
        .map_or(authority, |at| &authority[at + 1..]);
    let host = if host_port.starts_with('[') {
        &host_port[..host_port.find(']').map_or(host_port.len(), |i| i + 1)]
    } else {
        &host_port[..host_port.find(':').unwrap_or(host_port.len())]
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|r| {
            r.split('.').count() == 3 && r.split('.').all(|p| p.parse::<u8>().is_ok())
        });
    !loopback
}

/// What the host should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Verify with the committed set ([`JwksCache::jwks`]).
    Serve,
    /// Verify with the committed (stale) set now, and start fetch `id` without waiting for it.
    ServeAndFetch {
        /// Report its end to [`JwksCache::on_fetched`].
        id: FetchId,
    },
    /// Start fetch `id`, wait for it (at most `timeout_ms`), report it, then verify if a set is
    /// committed; otherwise fail with [`JwksCache::failure`].
    Fetch {
        /// Report its end to [`JwksCache::on_fetched`].
        id: FetchId,
    },
    /// Wait for fetch `id`, started by another caller, at most `wait_ms`; then verify if a set
    /// is committed, otherwise fail with [`JwksCache::failure`]. Only when sharing is allowed.
    Wait {
        /// The fetch to wait for.
        id: FetchId,
        /// How long at most (until that fetch's deadline).
        wait_ms: u64,
    },
    /// Nothing to serve and no fetch allowed now: fail with this error.
    Fail(Error),
    /// (Unknown `kid` only.) No refetch now (cooldown): the token's "no matching key" error
    /// stands.
    NoRefetch,
}

/// How a fetch ended, as the host saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchOutcome<'a> {
    /// HTTP 200 with this body (read with a cap of [`JwksCache::max_body_bytes`]).
    Body(&'a [u8]),
    /// An HTTP status other than 200.
    Status(u16),
    /// The body was longer than [`JwksCache::max_body_bytes`] (the host stopped reading).
    TooLarge,
    /// No answer within `timeout_ms`.
    TimedOut,
    /// A network error; the text (not containing the URL) is shown, escaped.
    Failed(&'a str),
}

/// What the machine made of a finished fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// The set was accepted and is now the one served; `generation` counts commits.
    Committed {
        /// The new generation (1 after the first commit).
        generation: u64,
    },
    /// The fetch failed or the core rejected the set; the last good set (if any) stays.
    Rejected(Error),
    /// An id this machine never issued, or a fetch older than the committed set.
    Ignored,
}

struct Committed {
    jwks: Jwks,
    text: String,
    fetched_at: u64,
    id: FetchId,
}

/// The remote-JWKS cache: the committed set and the bookkeeping the policy needs.
pub struct JwksCache {
    policy: CachePolicy,
    url: String,
    committed: Option<Committed>,
    generation: u64,
    next_id: FetchId,
    /// Fetches issued and not yet reported nor past their deadline: (id, started at).
    in_flight: Vec<(FetchId, u64)>,
    /// When the most recent fetch attempt started.
    last_attempt: Option<u64>,
    /// The most recent failure (cleared by a commit), and when its attempt started.
    failure: Option<(u64, Error)>,
}

/// Milliseconds from `then` to `now`; a clock that went backwards counts as "long ago".
fn elapsed(now: u64, then: u64) -> u64 {
    now.checked_sub(then).unwrap_or(u64::MAX)
}

/// `url` without userinfo, query or fragment: what error messages may show.
pub fn redact_url(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..end];
    // (A byte search: `str::find` with a `&str` pattern brings the two-way searcher.)
    let Some(scheme_end) = url.as_bytes().windows(3).position(|w| w == b"://") else {
        return String::from(url);
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host = authority
        .rfind('@')
        .map_or(authority, |at| &authority[at + 1..]);
    let mut out = String::from(&url[..scheme_end + 3]);
    out.push_str(host);
    out.push_str(&rest[authority_end..]);
    out
}

impl JwksCache {
    /// A cache for the set at `url` (only its redacted form is kept, for messages).
    pub fn new(url: &str, policy: CachePolicy) -> JwksCache {
        JwksCache {
            policy,
            url: redact_url(url),
            committed: None,
            generation: 0,
            next_id: 1,
            in_flight: Vec::new(),
            last_attempt: None,
            failure: None,
        }
    }

    /// The policy this cache follows.
    pub fn policy(&self) -> CachePolicy {
        self.policy
    }

    /// The longest body the host should read (the core's JWKS limit, 1 MiB); stop reading and
    /// report [`FetchOutcome::TooLarge`] beyond it.
    pub fn max_body_bytes(&self) -> usize {
        MAX_JWKS_LENGTH
    }

    /// The committed set, if any.
    pub fn jwks(&self) -> Option<&Jwks> {
        self.committed.as_ref().map(|c| &c.jwks)
    }

    /// The committed set's JSON text, if any.
    pub fn text(&self) -> Option<&str> {
        self.committed.as_ref().map(|c| c.text.as_str())
    }

    /// How many sets were committed so far (0: none yet).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a set is committed and younger than `max_age_ms` at `now`.
    pub fn is_fresh(&self, now: u64) -> bool {
        self.committed
            .as_ref()
            .is_some_and(|c| elapsed(now, c.fetched_at) < self.policy.max_age_ms)
    }

    /// Whether a set is committed and may still be served at `now`: younger than `max_age_ms`
    /// plus `stale_if_error_ms`. Hosts check this after an [`Action::Fetch`] or
    /// [`Action::Wait`] before verifying.
    pub fn servable(&self, now: u64) -> bool {
        let limit = self
            .policy
            .max_age_ms
            .saturating_add(self.policy.stale_if_error_ms);
        // A clock that went backwards counts as no time passed here (not as long ago, as for
        // freshness): it starts a refresh but never stops serving.
        self.committed
            .as_ref()
            .is_some_and(|c| now.saturating_sub(c.fetched_at) < limit)
    }

    /// The error to fail with when, after a [`Action::Fetch`] or [`Action::Wait`], no set is
    /// servable: the last failure, or a timeout when the awaited fetch has not ended.
    pub fn failure(&self) -> Error {
        match &self.failure {
            Some((_, e)) => e.clone(),
            None => self.timeout_error(),
        }
    }

    fn timeout_error(&self) -> Error {
        Error::JwksTimeout(format!(
            "fetching the JSON Web Key Set from {} timed out after {} ms",
            self.url, self.policy.timeout_ms
        ))
    }

    /// Forgets fetches past their deadline; each counts as a timed-out attempt.
    fn expire(&mut self, now: u64) {
        let timeout = self.policy.timeout_ms;
        let mut expired_start = None;
        self.in_flight.retain(|&(_, started)| {
            let alive = elapsed(now, started) < timeout;
            if !alive {
                expired_start = Some(expired_start.map_or(started, |s: u64| s.max(started)));
            }
            alive
        });
        if let Some(started) = expired_start {
            if self.failure.as_ref().map_or(true, |(at, _)| *at <= started) {
                self.failure = Some((started, self.timeout_error()));
            }
        }
    }

    fn start(&mut self, now: u64) -> FetchId {
        let id = self.next_id;
        self.next_id += 1;
        self.in_flight.push((id, now));
        self.last_attempt = Some(now);
        id
    }

    fn cooled_down(&self, now: u64) -> bool {
        self.last_attempt
            .map_or(true, |at| elapsed(now, at) >= self.policy.cooldown_ms)
    }

    /// The newest fetch still in flight, with how long until its deadline.
    fn newest_in_flight(&self, now: u64) -> Option<(FetchId, u64)> {
        self.in_flight
            .iter()
            .max_by_key(|(id, _)| *id)
            .map(|&(id, started)| {
                let deadline = started.saturating_add(self.policy.timeout_ms);
                (id, deadline.saturating_sub(now))
            })
    }

    /// Before verifying a token at `now`: what to do.
    pub fn on_request(&mut self, now: u64) -> Action {
        self.expire(now);
        if self.servable(now) {
            if self.is_fresh(now) || !self.in_flight.is_empty() || !self.cooled_down(now) {
                return Action::Serve;
            }
            return Action::ServeAndFetch {
                id: self.start(now),
            };
        }
        if self.policy.share_fetches {
            if let Some((id, wait_ms)) = self.newest_in_flight(now) {
                return Action::Wait { id, wait_ms };
            }
        }
        if let Some((at, e)) = &self.failure {
            if elapsed(now, *at) < self.policy.cooldown_ms {
                return Action::Fail(e.clone());
            }
        }
        Action::Fetch {
            id: self.start(now),
        }
    }

    /// A token's `kid` matched no key of the set of generation `seen_generation` at `now`:
    /// retry ([`Action::Serve`]) when a newer set was committed since, otherwise refetch,
    /// wait for a shared refetch, or not ([`Action::NoRefetch`], cooldown).
    pub fn on_unknown_kid(&mut self, now: u64, seen_generation: u64) -> Action {
        self.expire(now);
        if self.committed.is_some() && self.generation != seen_generation {
            return Action::Serve;
        }
        if self.policy.share_fetches {
            if let Some((id, wait_ms)) = self.newest_in_flight(now) {
                return Action::Wait { id, wait_ms };
            }
        }
        if self.cooled_down(now) {
            Action::Fetch {
                id: self.start(now),
            }
        } else {
            Action::NoRefetch
        }
    }

    /// Starts a fetch now whatever the policy says (jose's `reload()`).
    pub fn force_fetch(&mut self, now: u64) -> FetchId {
        self.expire(now);
        self.start(now)
    }

    /// Fetch `id` ended at `now` with `outcome`: commit the body if the core accepts it,
    /// otherwise keep the last good set.
    pub fn on_fetched(&mut self, id: FetchId, now: u64, outcome: FetchOutcome<'_>) -> Report {
        let issued = id >= 1 && id < self.next_id;
        let superseded = self.committed.as_ref().is_some_and(|c| c.id > id);
        let started = match self.in_flight.iter().position(|(i, _)| *i == id) {
            Some(i) => self.in_flight.swap_remove(i).1,
            // Reported after its deadline: it was counted as a timed-out attempt then.
            None => self.last_attempt.unwrap_or(now),
        };
        if !issued || superseded {
            return Report::Ignored;
        }
        let result = match outcome {
            FetchOutcome::Body(body) => self.trial_build(body),
            FetchOutcome::Status(status) => Err(Error::JwksFetchFailed(format!(
                "fetching the JSON Web Key Set from {} failed: HTTP {} (expected 200 OK{})",
                self.url,
                u64::from(status), // (the u64 formatting the module has anyway)
                if (300..400).contains(&status) {
                    "; redirects are not followed: use the key set's own URL"
                } else {
                    ""
                }
            ))),
            FetchOutcome::TooLarge => Err(too_large()),
            FetchOutcome::TimedOut => Err(self.timeout_error()),
            FetchOutcome::Failed(why) => Err(Error::JwksFetchFailed(format!(
                "fetching the JSON Web Key Set from {} failed: {}",
                self.url,
                Escaped(why)
            ))),
        };
        match result {
            Ok((jwks, text)) => {
                self.committed = Some(Committed {
                    jwks,
                    text,
                    fetched_at: now,
                    id,
                });
                self.generation += 1;
                self.failure = None;
                Report::Committed {
                    generation: self.generation,
                }
            }
            Err(e) => {
                if self.failure.as_ref().map_or(true, |(at, _)| *at <= started) {
                    self.failure = Some((started, e.clone()));
                }
                Report::Rejected(e)
            }
        }
    }

    /// Re-installs a set committed earlier (`text`, fetched at `fetched_at`, of generation
    /// `generation`), e.g. after a host lost the machine's state. The set is checked again.
    pub fn restore(&mut self, text: &str, fetched_at: u64, generation: u64) -> Result<(), Error> {
        let (jwks, text) = self.trial_build(text.as_bytes())?;
        self.committed = Some(Committed {
            jwks,
            text,
            fetched_at,
            id: 0,
        });
        self.generation = generation;
        self.last_attempt = Some(fetched_at);
        Ok(())
    }

    /// The trial build: the body becomes the served set only if the core accepts it and it
    /// holds at least one key edgejwt can verify with (otherwise every token would fail with
    /// "no matching key" until the next refetch).
    fn trial_build(&self, body: &[u8]) -> Result<(Jwks, String), Error> {
        if body.len() > MAX_JWKS_LENGTH {
            return Err(too_large());
        }
        let text = core::str::from_utf8(body)
            .map_err(|_| Error::JwksInvalid("JSON Web Key Set malformed (not UTF-8)"))?;
        let jwks = Jwks::from_remote_json(text)?;
        if !jwks.key_info().iter().any(|k| k.usable) {
            return Err(Error::JwksInvalid(NO_USABLE_KEY));
        }
        Ok((jwks, String::from(text)))
    }
}

/// The message of a fetched set without a usable key.
pub const NO_USABLE_KEY: &str = "JSON Web Key Set has no key to verify with (empty, only \
     unknown key types or curves, or only symmetric keys, which a remote set may not hold)";

fn too_large() -> Error {
    Error::JwksInvalid("JSON Web Key Set exceeds the maximum length (1 MiB)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    const GOOD: &[u8] = br#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
    const ROTATED: &[u8] = br#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k2","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
    const URL: &str = "https://user:pw@app.example/api/auth/jwks?token=s3cret#frag";

    fn policy(share: bool) -> CachePolicy {
        CachePolicy {
            max_age_ms: 1_000,
            cooldown_ms: 100,
            timeout_ms: 50,
            stale_if_error_ms: 10_000,
            share_fetches: share,
        }
    }

    fn cache(share: bool) -> JwksCache {
        JwksCache::new(URL, policy(share))
    }

    fn fetch_id(a: Action) -> FetchId {
        match a {
            Action::Fetch { id } | Action::ServeAndFetch { id } => id,
            other => panic!("expected a fetch, got {other:?}"),
        }
    }

    /// A cache with GOOD committed at t = 10 (fetch started at 0).
    fn primed(share: bool) -> JwksCache {
        let mut c = cache(share);
        let id = fetch_id(c.on_request(0));
        assert_eq!(
            c.on_fetched(id, 10, FetchOutcome::Body(GOOD)),
            Report::Committed { generation: 1 }
        );
        c
    }

    fn kid_of(c: &JwksCache) -> Option<String> {
        c.jwks()?.key_info()[0].kid.clone()
    }

    #[test]
    fn first_request_fetches_and_a_good_body_is_committed() {
        let mut c = cache(true);
        assert!(c.jwks().is_none() && c.text().is_none() && c.generation() == 0);
        let id = fetch_id(c.on_request(0));
        assert_eq!(id, 1);
        assert_eq!(
            c.on_fetched(id, 10, FetchOutcome::Body(GOOD)),
            Report::Committed { generation: 1 }
        );
        assert_eq!(c.text(), Some(core::str::from_utf8(GOOD).unwrap()));
        assert_eq!(kid_of(&c).as_deref(), Some("k1"));
    }

    #[test]
    fn fresh_until_max_age_then_stale_while_revalidate() {
        let mut c = primed(true);
        assert!(c.is_fresh(10) && c.is_fresh(1_009));
        assert_eq!(c.on_request(1_009), Action::Serve, "1 ms before max age");
        assert!(!c.is_fresh(1_010));
        // Exactly at max age: stale; served at once, with one background refresh.
        let id = fetch_id(c.on_request(1_010));
        assert!(
            matches!(c.on_request(1_010), Action::Serve),
            "refresh already running"
        );
        assert_eq!(
            c.on_fetched(id, 1_020, FetchOutcome::Body(ROTATED)),
            Report::Committed { generation: 2 }
        );
        assert_eq!(kid_of(&c).as_deref(), Some("k2"));
        assert_eq!(c.on_request(1_021), Action::Serve);
    }

    #[test]
    fn a_stale_set_with_a_failing_endpoint_is_refreshed_at_most_once_per_cooldown() {
        let mut c = primed(true);
        let mut fetches = 0;
        // Every millisecond for 1 s after the set went stale; each fetch fails at once.
        for now in 1_010..2_010 {
            match c.on_request(now) {
                Action::Serve => {}
                Action::ServeAndFetch { id } => {
                    fetches += 1;
                    assert!(matches!(
                        c.on_fetched(id, now, FetchOutcome::Status(500)),
                        Report::Rejected(_)
                    ));
                }
                other => panic!("at {now}: {other:?}"),
            }
            assert_eq!(kid_of(&c).as_deref(), Some("k1"), "the last good set stays");
        }
        assert_eq!(fetches, 10, "1,000 ms / 100 ms cooldown");
    }

    #[test]
    fn a_rejected_body_never_replaces_the_last_good_set() {
        let too_many = {
            let mut s = String::from("{\"keys\":[");
            for i in 0..300 {
                if i > 0 {
                    s.push(',');
                }
                s.push_str("{\"kty\":\"OKP\"}");
            }
            s.push_str("]}");
            s
        };
        let deep = format!("{{\"keys\":{}{}}}", "[".repeat(40), "]".repeat(40));
        let big = alloc::vec![b' '; MAX_JWKS_LENGTH + 1];
        let bodies: [(&[u8], &str); 7] = [
            (b"{\"keys\":[null]}", "ERR_JWKS_INVALID"),
            (b"{\"nokeys\":1}", "ERR_JWKS_INVALID"),
            (b"not json", "ERR_JWKS_INVALID"),
            (b"{\"keys\":[]}\xff", "ERR_JWKS_INVALID"),
            (too_many.as_bytes(), "ERR_JWKS_INVALID"),
            (deep.as_bytes(), "ERR_JWKS_INVALID"),
            (&big, "ERR_JWKS_INVALID"),
        ];
        for (body, code) in bodies {
            let mut c = primed(true);
            let id = c.force_fetch(2_000);
            match c.on_fetched(id, 2_001, FetchOutcome::Body(body)) {
                Report::Rejected(e) => assert_eq!(e.code(), code),
                other => panic!("{other:?}"),
            }
            assert_eq!(c.generation(), 1);
            assert_eq!(kid_of(&c).as_deref(), Some("k1"));
            assert_eq!(c.failure().code(), code);
        }
        let mut c = primed(true);
        let id = c.force_fetch(2_000);
        let e = c.on_fetched(id, 2_001, FetchOutcome::TooLarge);
        assert!(matches!(e, Report::Rejected(Error::JwksInvalid(_))));
        assert_eq!(kid_of(&c).as_deref(), Some("k1"));
    }

    #[test]
    fn nothing_cached_and_a_failing_endpoint_fails_fast_within_the_cooldown() {
        let mut c = cache(true);
        let id = fetch_id(c.on_request(0));
        let Report::Rejected(e) = c.on_fetched(id, 5, FetchOutcome::Status(503)) else {
            panic!()
        };
        assert_eq!(e.code(), "ERR_JOSE_GENERIC");
        for now in [5, 50, 99] {
            assert_eq!(c.on_request(now), Action::Fail(e.clone()), "at {now}");
        }
        let id = fetch_id(c.on_request(100));
        let Report::Rejected(e) = c.on_fetched(id, 105, FetchOutcome::TimedOut) else {
            panic!()
        };
        assert_eq!(
            e.code(),
            "ERR_JWKS_TIMEOUT",
            "a timeout when nothing was ever fetched"
        );
        assert_eq!(c.on_request(150), Action::Fail(e));
    }

    #[test]
    fn timeouts_with_a_set_cached_are_not_errors_for_requests() {
        let mut c = primed(true);
        let id = fetch_id(c.on_request(1_010));
        assert!(matches!(
            c.on_fetched(id, 1_060, FetchOutcome::TimedOut),
            Report::Rejected(Error::JwksTimeout(_))
        ));
        assert_eq!(c.on_request(1_061), Action::Serve);
    }

    #[test]
    fn sharing_hosts_wait_for_the_one_fetch_in_flight_until_its_deadline() {
        let mut c = cache(true);
        let id = fetch_id(c.on_request(0));
        assert_eq!(c.on_request(0), Action::Wait { id, wait_ms: 50 });
        assert_eq!(c.on_request(49), Action::Wait { id, wait_ms: 1 });
        // At the deadline the fetch counts as timed out: fail fast, no second fetch.
        match c.on_request(50) {
            Action::Fail(e) => assert_eq!(e.code(), "ERR_JWKS_TIMEOUT"),
            other => panic!("{other:?}"),
        }
        assert_eq!(c.failure().code(), "ERR_JWKS_TIMEOUT");
        // After the cooldown, one new attempt.
        let id2 = fetch_id(c.on_request(100));
        assert_eq!(id2, 2);
        // The lost first fetch reports late with a good body: it is newer than nothing.
        assert_eq!(
            c.on_fetched(id, 101, FetchOutcome::Body(GOOD)),
            Report::Committed { generation: 1 }
        );
        // The second fetch ends later with a rotated set: newer id, committed.
        assert_eq!(
            c.on_fetched(id2, 102, FetchOutcome::Body(ROTATED)),
            Report::Committed { generation: 2 }
        );
        assert_eq!(kid_of(&c).as_deref(), Some("k2"));
    }

    #[test]
    fn non_sharing_hosts_never_wait_for_another_callers_fetch() {
        let mut c = cache(false);
        let a = fetch_id(c.on_request(0));
        let b = fetch_id(c.on_request(1));
        assert_ne!(a, b, "each cold caller fetches for itself");
        // Whatever happens, no Wait is ever answered.
        for now in 0..400 {
            for action in [c.on_request(now), c.on_unknown_kid(now, c.generation())] {
                assert!(
                    !matches!(action, Action::Wait { .. }),
                    "at {now}: {action:?}"
                );
                if let Action::Fetch { id } | Action::ServeAndFetch { id } = action {
                    if now % 3 == 0 {
                        c.on_fetched(id, now, FetchOutcome::Body(GOOD));
                    }
                }
            }
        }
    }

    #[test]
    fn an_older_fetch_never_overwrites_a_newer_commit() {
        let mut c = cache(false);
        let a = fetch_id(c.on_request(0));
        let b = fetch_id(c.on_request(1));
        assert_eq!(
            c.on_fetched(b, 10, FetchOutcome::Body(ROTATED)),
            Report::Committed { generation: 1 }
        );
        assert_eq!(
            c.on_fetched(a, 11, FetchOutcome::Body(GOOD)),
            Report::Ignored
        );
        assert_eq!(kid_of(&c).as_deref(), Some("k2"));
    }

    #[test]
    fn reports_for_ids_never_issued_are_ignored() {
        let mut c = primed(true);
        for id in [0, 2, 99, u64::MAX] {
            assert_eq!(
                c.on_fetched(id, 20, FetchOutcome::Body(ROTATED)),
                Report::Ignored
            );
        }
        assert_eq!(c.generation(), 1);
    }

    #[test]
    fn unknown_kid_refetches_once_per_cooldown() {
        let mut c = primed(true);
        // The first fetch started at 0: cooling down until 100.
        assert_eq!(c.on_unknown_kid(50, 1), Action::NoRefetch);
        assert_eq!(c.on_unknown_kid(99, 1), Action::NoRefetch);
        let id = fetch_id(c.on_unknown_kid(100, 1));
        assert_eq!(c.on_unknown_kid(100, 1), Action::Wait { id, wait_ms: 50 });
        assert_eq!(
            c.on_fetched(id, 110, FetchOutcome::Body(ROTATED)),
            Report::Committed { generation: 2 }
        );
        // A caller that verified against generation 1 retries with the new set.
        assert_eq!(c.on_unknown_kid(111, 1), Action::Serve);
        // One that already saw generation 2: cooldown.
        assert_eq!(c.on_unknown_kid(111, 2), Action::NoRefetch);
        assert!(matches!(c.on_unknown_kid(200, 2), Action::Fetch { .. }));
    }

    #[test]
    fn unknown_kid_on_a_non_sharing_host_follows_the_cooldown_only() {
        let mut c = primed(false);
        let id = fetch_id(c.on_unknown_kid(100, 1));
        assert_eq!(c.on_unknown_kid(101, 1), Action::NoRefetch);
        c.on_fetched(id, 120, FetchOutcome::Failed("connection refused"));
        assert_eq!(c.on_unknown_kid(150, 1), Action::NoRefetch);
        assert!(matches!(c.on_unknown_kid(200, 1), Action::Fetch { .. }));
        assert_eq!(kid_of(&c).as_deref(), Some("k1"));
    }

    #[test]
    fn a_clock_going_backwards_never_blocks_and_costs_at_most_a_fetch_per_step() {
        let mut c = cache(true);
        let id = fetch_id(c.on_request(10_000));
        c.on_fetched(id, 10_010, FetchOutcome::Body(GOOD));
        assert_eq!(c.on_request(10_020), Action::Serve);
        // The clock steps back: the set counts as stale and the cooldown as over, so one
        // background refresh starts; requests are served meanwhile.
        assert!(!c.is_fresh(5_000));
        let id2 = fetch_id(c.on_request(5_000));
        assert_eq!(c.on_request(5_000), Action::Serve);
        assert_eq!(c.on_request(5_020), Action::Serve);
        // Another step back, with that refresh in flight: its deadline counts as passed (no
        // wait on it), and one more refresh may start.
        let id3 = fetch_id(c.on_request(4_000));
        assert_eq!(c.on_request(4_000), Action::Serve);
        assert_eq!(
            c.on_fetched(id2, 4_001, FetchOutcome::Body(ROTATED)),
            Report::Committed { generation: 2 }
        );
        assert_eq!(
            c.on_fetched(id3, 4_002, FetchOutcome::Body(GOOD)),
            Report::Committed { generation: 3 }
        );
        assert_eq!(c.on_request(4_003), Action::Serve);
        // Nothing cached, a fetch in flight, the clock steps back: no endless wait.
        let mut d = cache(true);
        fetch_id(d.on_request(1_000));
        assert!(matches!(d.on_request(900), Action::Fetch { .. }));
    }

    #[test]
    fn clock_extremes_do_not_overflow() {
        let mut c = cache(true);
        let id = fetch_id(c.on_request(u64::MAX));
        assert!(matches!(c.on_request(u64::MAX), Action::Wait { .. }));
        assert_eq!(
            c.on_fetched(id, u64::MAX, FetchOutcome::Body(GOOD)),
            Report::Committed { generation: 1 }
        );
        assert!(c.is_fresh(u64::MAX));
        assert!(!c.is_fresh(0));
        let mut z = JwksCache::new(
            URL,
            CachePolicy {
                max_age_ms: 0,
                cooldown_ms: 0,
                timeout_ms: 0,
                stale_if_error_ms: u64::MAX,
                share_fetches: true,
            },
        );
        let id = fetch_id(z.on_request(0));
        // timeout 0: the fetch is past its deadline at once; max age 0: never fresh.
        assert_eq!(
            z.on_fetched(id, 0, FetchOutcome::Body(GOOD)),
            Report::Committed { generation: 1 }
        );
        assert!(!z.is_fresh(0));
        assert!(matches!(z.on_request(0), Action::ServeAndFetch { .. }));
    }

    #[test]
    fn remote_sets_never_yield_oct_keys() {
        let mut c = cache(true);
        let id = fetch_id(c.on_request(0));
        let body = br#"{"keys":[{"kty":"oct","kid":"hs","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ"},{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
        assert!(matches!(
            c.on_fetched(id, 1, FetchOutcome::Body(body)),
            Report::Committed { .. }
        ));
        let info = &c.jwks().unwrap().key_info()[0];
        assert!(!info.usable);
        assert!(
            info.reason.as_deref().unwrap().contains("remote"),
            "{info:?}"
        );
    }

    #[test]
    fn messages_never_show_userinfo_query_or_fragment() {
        let mut c = cache(true);
        let id = fetch_id(c.on_request(0));
        let Report::Rejected(e) = c.on_fetched(id, 1, FetchOutcome::Status(500)) else {
            panic!()
        };
        let msg = e.to_string();
        assert!(msg.contains("https://app.example/api/auth/jwks"), "{msg}");
        for secret in ["user", "pw", "s3cret", "token", "frag"] {
            assert!(!msg.contains(secret), "{msg}");
        }
        assert!(!c.failure().to_string().contains("s3cret"));
        let msg = c.timeout_error().to_string();
        assert!(!msg.contains("s3cret") && !msg.contains("pw@"), "{msg}");
        let id = c.force_fetch(200);
        let Report::Rejected(e) = c.on_fetched(id, 201, FetchOutcome::Failed("a\nb\u{1b}[31m"))
        else {
            panic!()
        };
        assert!(e.to_string().ends_with("a\\u{a}b\\u{1b}[31m"), "{e}");
    }

    #[test]
    fn redact_url_cases() {
        for (url, want) in [
            ("https://a.example/jwks", "https://a.example/jwks"),
            (
                "https://u:p@a.example:8443/x?k=v#f",
                "https://a.example:8443/x",
            ),
            ("https://u@a.example", "https://a.example"),
            ("http://a.example/p@q", "http://a.example/p@q"),
            ("https://a.example?x@y", "https://a.example"),
            ("no-scheme?q", "no-scheme"),
        ] {
            assert_eq!(redact_url(url), want, "{url}");
        }
    }

    #[test]
    fn restore_reinstalls_a_set_and_its_generation() {
        let mut c = cache(true);
        c.restore(core::str::from_utf8(GOOD).unwrap(), 10, 7)
            .unwrap();
        assert_eq!(c.generation(), 7);
        assert_eq!(c.on_request(20), Action::Serve);
        assert!(c.restore("{", 10, 8).is_err());
        assert_eq!(c.generation(), 7);
        assert_eq!(c.jwks().unwrap().key_info()[0].kid.as_deref(), Some("k1"));
    }

    #[test]
    fn a_fetched_set_without_a_usable_key_is_a_failed_fetch() {
        for body in [
            &br#"{"keys":[]}"#[..],
            br#"{"keys":[{"kty":"XYZ","kid":"a"},{"kty":"OKP","crv":"X448","kid":"b","x":"AA"}]}"#,
            br#"{"keys":[{"kty":"oct","kid":"hs","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ"}]}"#,
        ] {
            let mut c = primed(true);
            let id = c.force_fetch(2_000);
            assert_eq!(
                c.on_fetched(id, 2_001, FetchOutcome::Body(body)),
                Report::Rejected(Error::JwksInvalid(NO_USABLE_KEY)),
                "{}",
                core::str::from_utf8(body).unwrap()
            );
            assert_eq!(kid_of(&c).as_deref(), Some("k1"), "the last good set stays");
            assert_eq!(c.generation(), 1);
            // And with nothing cached, it is the error requests fail with.
            let mut cold = cache(true);
            let id = fetch_id(cold.on_request(0));
            cold.on_fetched(id, 1, FetchOutcome::Body(body));
            assert!(cold.jwks().is_none());
            assert_eq!(cold.on_request(2), Action::Fail(Error::JwksInvalid(NO_USABLE_KEY)));
        }
        // One usable key among unusable ones is enough.
        let mut c = cache(true);
        let id = fetch_id(c.on_request(0));
        let mixed = br#"{"keys":[{"kty":"XYZ"},{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
        assert_eq!(
            c.on_fetched(id, 1, FetchOutcome::Body(mixed)),
            Report::Committed { generation: 1 }
        );
    }

    #[test]
    fn a_stale_set_is_served_while_refreshes_fail_only_until_stale_if_error_runs_out() {
        let mut c = JwksCache::new(
            URL,
            CachePolicy {
                max_age_ms: 1_000,
                cooldown_ms: 100,
                timeout_ms: 50,
                stale_if_error_ms: 500,
                share_fetches: true,
            },
        );
        let id = fetch_id(c.on_request(0));
        c.on_fetched(id, 10, FetchOutcome::Body(GOOD));
        // Stale from 1,010; servable until 1,510 while refreshes fail.
        let mut now = 1_010;
        while now < 1_510 {
            assert!(c.servable(now), "at {now}");
            match c.on_request(now) {
                Action::Serve => {}
                Action::ServeAndFetch { id } => {
                    c.on_fetched(id, now, FetchOutcome::Status(503));
                }
                other => panic!("at {now}: {other:?}"),
            }
            now += 7;
        }
        assert!(!c.servable(1_510) && c.jwks().is_some());
        // Past the limit the stale set is no longer served. The last refresh (at 1,430) failed
        // within the cooldown: fail at once with its error.
        let last = c.failure();
        assert_eq!(last.code(), "ERR_JOSE_GENERIC");
        assert_eq!(c.on_request(1_510), Action::Fail(last));
        // After the cooldown the request fetches and waits; that fetch failing fails it too.
        let id = match c.on_request(1_530) {
            Action::Fetch { id } => id,
            other => panic!("{other:?}"),
        };
        let Report::Rejected(e) = c.on_fetched(id, 1_531, FetchOutcome::TimedOut) else {
            panic!()
        };
        assert!(!c.servable(1_531));
        assert_eq!(c.failure(), e);
        assert_eq!(c.on_request(1_600), Action::Fail(e));
        let id = fetch_id(c.on_request(1_630));
        assert_eq!(
            c.on_fetched(id, 1_640, FetchOutcome::Body(ROTATED)),
            Report::Committed { generation: 2 }
        );
        assert!(c.servable(1_640) && c.is_fresh(1_640));
        assert_eq!(kid_of(&c).as_deref(), Some("k2"));
    }

    #[test]
    fn a_clock_going_backwards_never_makes_a_set_unservable() {
        let c = primed(true);
        assert!(c.servable(0) && c.servable(5) && !c.is_fresh(5));
    }

    #[test]
    fn policy_check_refuses_a_zero_timeout_only() {
        let p = CachePolicy::default();
        assert_eq!(p.check(), Ok(()));
        assert!(CachePolicy { timeout_ms: 0, ..p }
            .check()
            .unwrap_err()
            .contains("timeout"));
        assert_eq!(
            CachePolicy {
                max_age_ms: 0,
                cooldown_ms: 0,
                stale_if_error_ms: 0,
                ..p
            }
            .check(),
            Ok(())
        );
    }

    #[test]
    fn policy_warnings_for_no_cooldown_and_plain_http_to_other_hosts() {
        let p = CachePolicy::default();
        for quiet in [
            "https://app.example/api/auth/jwks",
            "http://localhost:3000/api/auth/jwks",
            "HTTP://LOCALHOST/x",
            "http://127.0.0.1:3000/api/auth/jwks",
            "http://127.1.2.3/x",
            "http://[::1]:3000/x",
            "http://user:pw@localhost:3000/x",
        ] {
            assert!(p.warnings(quiet).is_empty(), "{quiet}");
        }
        for loud in [
            "http://web:3000/api/auth/jwks",
            "http://auth.internal/api/auth/jwks",
            "http://127.0.0.1.evil.example/x",
            "http://localhost.evil.example/x",
            "http://10.0.0.5/x",
            "http://[::2]/x",
            "http://localhost@evil.example/x",
        ] {
            assert_eq!(p.warnings(loud), [WARN_PLAIN_HTTP], "{loud}");
        }
        let no_cooldown = CachePolicy {
            cooldown_ms: 0,
            ..p
        };
        assert_eq!(
            no_cooldown.warnings("https://a.example/j"),
            [WARN_NO_COOLDOWN]
        );
        assert_eq!(
            no_cooldown.warnings("http://web/j"),
            [WARN_NO_COOLDOWN, WARN_PLAIN_HTTP]
        );
    }
}
