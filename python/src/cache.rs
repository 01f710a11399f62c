//! The remote JWKS for Python: the core's sans-IO cache ([`JwksCache`]) decides; this host
//! carries out its actions. HTTP is Python's (`RemoteJWKSet._fetch`), always on a daemon
//! thread, so a caller never waits for a fetch longer than the timeout.
//!
//! Locking rule (a lock-order inversion between the GIL and these locks froze interpreters):
//! the state and verifier locks are taken only inside `py.detach`, with the GIL released, and
//! no Python code runs while one is held. [`RemoteCache::with`] is the one way in.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use edgejwt::jwks_cache::{Action, CachePolicy, FetchId, FetchOutcome, JwksCache, Report};
use edgejwt::{Error, KeyInfo, Options, MAX_JWKS_LENGTH};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::convert::loads;
use crate::errors::{raise, to_py_err};
use crate::verifier::VerifiedToken;

/// Milliseconds on a monotonic clock (the cache's time; tokens use the wall clock).
fn clock_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

fn millis(py: Python<'_>, v: Option<&Bound<'_, PyAny>>, name: &str, default: u64) -> PyResult<u64> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(default);
    };
    let s = crate::convert::seconds(py, v, name)?;
    if s < 0.0 {
        return Err(PyValueError::new_err(format!(
            "{name} must not be negative"
        )));
    }
    Ok((s * 1000.0).round() as u64)
}

struct State {
    cache: JwksCache,
    /// Fetches that ended recently (for waiters), newest last.
    finished: VecDeque<FetchId>,
}

/// The Rust half of `edgejwt.RemoteJWKSet` (its Python subclass adds `_fetch`).
#[pyclass(frozen, subclass, module = "edgejwt._edgejwt", name = "RemoteCache")]
pub(crate) struct RemoteCache {
    url: String,
    policy: CachePolicy,
    timeout_ms: u64,
    headers: Option<Py<PyAny>>,
    warnings: Vec<&'static str>,
    state: Mutex<State>,
    fetch_ended: Condvar,
}

#[pymethods]
impl RemoteCache {
    #[new]
    #[pyo3(signature = (url, *, cache_max_age=None, cooldown=None, timeout=None, stale_if_error=None, headers=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        url: &Bound<'_, PyAny>,
        cache_max_age: Option<&Bound<'_, PyAny>>,
        cooldown: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        stale_if_error: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RemoteCache> {
        if !url.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err("url must be a str"));
        }
        let url: String = url.extract()?;
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(PyValueError::new_err(
                "url must be an http:// or https:// URL",
            ));
        }
        let d = CachePolicy::default();
        let policy = CachePolicy {
            max_age_ms: millis(py, cache_max_age, "cache_max_age", d.max_age_ms)?,
            cooldown_ms: millis(py, cooldown, "cooldown", d.cooldown_ms)?,
            timeout_ms: millis(py, timeout, "timeout", d.timeout_ms)?,
            stale_if_error_ms: millis(py, stale_if_error, "stale_if_error", d.stale_if_error_ms)?,
            share_fetches: true,
        };
        policy.check().map_err(PyValueError::new_err)?;
        let headers = match headers.filter(|h| !h.is_none()) {
            None => None,
            Some(h) => Some(
                py.import("builtins")?
                    .getattr("dict")?
                    .call1((h,))
                    .map_err(|_| PyTypeError::new_err("headers must be a mapping of str to str"))?,
            ),
        };
        Ok(RemoteCache {
            policy,
            timeout_ms: policy.timeout_ms,
            warnings: policy.warnings(&url),
            state: Mutex::new(State {
                cache: JwksCache::new(&url, policy),
                finished: VecDeque::new(),
            }),
            url,
            headers: headers.map(Bound::unbind),
            fetch_ended: Condvar::new(),
        })
    }

    /// The URL of the key set.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The policy in seconds: `cache_max_age`, `cooldown`, `timeout`, `stale_if_error` (the
    /// given values, the core's defaults for the rest).
    #[getter]
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let p = self.policy;
        for (name, ms) in [
            ("cache_max_age", p.max_age_ms),
            ("cooldown", p.cooldown_ms),
            ("timeout", p.timeout_ms),
            ("stale_if_error", p.stale_if_error_ms),
        ] {
            d.set_item(name, ms as f64 / 1000.0)?;
        }
        Ok(d)
    }

    /// Whether a set is cached and younger than `cache_max_age`.
    #[getter]
    fn fresh(&self, py: Python<'_>) -> bool {
        self.with(py, |s| s.cache.is_fresh(clock_ms()))
    }

    /// What is risky about this set's URL and policy (the core's warnings; the Python class
    /// logs each once).
    #[getter]
    fn _warnings(&self) -> Vec<&'static str> {
        self.warnings.clone()
    }

    /// The cached set as a dict (None before the first successful fetch).
    fn jwks(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let text = self.with(py, |s| s.cache.text().map(str::to_owned));
        text.map(|t| loads(py, &t).map(Bound::unbind)).transpose()
    }

    /// Fetches the set now, whatever the cache policy says (jose's `reload()`); raises the
    /// coded error when the fetch fails or the core rejects the set (the last good set stays).
    fn reload(slf: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let id = slf.get().with(py, |s| s.cache.force_fetch(clock_ms()));
        match run_fetch(slf, id) {
            Report::Rejected(e) => raise(py, e),
            _ => Ok(()),
        }
    }

    /// Runs fetch `id` (on the thread [`spawn_fetch`] started).
    fn _run_fetch(slf: &Bound<'_, Self>, id: FetchId) {
        run_fetch(slf, id);
    }

    /// The URL without userinfo, query or fragment (what messages and logs may show).
    #[getter]
    fn _redacted_url(&self) -> String {
        edgejwt::jwks_cache::redact_url(&self.url)
    }

    fn __repr__(&self) -> String {
        format!("<edgejwt.RemoteJWKSet {}>", self._redacted_url())
    }
}

impl RemoteCache {
    /// Runs `f` on the state with the GIL released: the only way to the state lock. `f` is
    /// plain Rust (it cannot reach Python), so no Python code ever runs under the lock.
    fn with<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut State) -> R + Send) -> R {
        py.detach(|| f(&mut self.lock()))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the machine half-updated in a way that
        // matters more than refusing all further work: keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits (GIL released) until fetch `id` ended or `wait_ms` passed.
    fn wait_for(&self, py: Python<'_>, id: FetchId, wait_ms: u64) {
        py.detach(|| {
            let deadline = Instant::now() + Duration::from_millis(wait_ms);
            let mut state = self.lock();
            while !state.finished.contains(&id) {
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                state = match self.fetch_ended.wait_timeout(state, deadline - now) {
                    Ok((s, _)) => s,
                    Err(p) => p.into_inner().0,
                };
            }
        });
    }

    /// Reports how fetch `id` ended (GIL released) and wakes its waiters.
    fn report(&self, py: Python<'_>, id: FetchId, outcome: FetchOutcome<'_>) -> Report {
        let report = self.with(py, |state| {
            let report = state.cache.on_fetched(id, clock_ms(), outcome);
            state.finished.push_back(id);
            while state.finished.len() > 64 {
                state.finished.pop_front();
            }
            report
        });
        self.fetch_ended.notify_all();
        report
    }
}

/// Runs fetch `id` through Python's `_fetch` (which bounds the whole fetch by the timeout)
/// and reports it to the cache.
fn run_fetch(slf: &Bound<'_, RemoteCache>, id: FetchId) -> Report {
    let py = slf.py();
    let this = slf.get();
    let headers = this.headers.as_ref().map(|h| h.bind(py).clone());
    let timeout_s = this.timeout_ms as f64 / 1000.0;
    let answer = slf.call_method1("_fetch", (&this.url, timeout_s, MAX_JWKS_LENGTH, headers));
    let parsed: Result<(String, Bound<'_, PyAny>), String> = match answer {
        Ok(a) => a
            .extract::<(String, Bound<'_, PyAny>)>()
            .map_err(|_| String::from("the fetch returned an unexpected value")),
        Err(e) => Err(e
            .get_type(py)
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "exception".into())),
    };
    let body;
    let message;
    let outcome = match &parsed {
        Ok((kind, value)) => match kind.as_str() {
            "body" => match value.cast::<PyBytes>() {
                Ok(b) => {
                    body = b.as_bytes().to_vec();
                    FetchOutcome::Body(&body)
                }
                Err(_) => FetchOutcome::Failed("the fetch returned no bytes"),
            },
            "status" => FetchOutcome::Status(value.extract::<u16>().unwrap_or(0)),
            "too_large" => FetchOutcome::TooLarge,
            "timeout" => FetchOutcome::TimedOut,
            _ => {
                message = value.extract::<String>().unwrap_or_default();
                FetchOutcome::Failed(&message)
            }
        },
        Err(m) => FetchOutcome::Failed(m),
    };
    this.report(py, id, outcome)
}

/// Starts fetch `id` on a daemon thread. When no thread can be started (interpreter
/// shutting down), the fetch is reported as failed at once.
fn spawn_fetch(slf: &Bound<'_, RemoteCache>, id: FetchId) {
    let start = || -> PyResult<()> {
        let py = slf.py();
        let kwargs = PyDict::new(py);
        kwargs.set_item("target", slf.getattr("_run_fetch")?)?;
        kwargs.set_item("args", (id,))?;
        kwargs.set_item("daemon", true)?;
        kwargs.set_item("name", "edgejwt-jwks-fetch")?;
        py.import("threading")?
            .getattr("Thread")?
            .call((), Some(&kwargs))?
            .call_method0("start")?;
        Ok(())
    };
    if start().is_err() {
        slf.get().report(
            slf.py(),
            id,
            FetchOutcome::Failed("no thread could be started for the fetch"),
        );
    }
}

/// A verifier's view of a remote set: its options, and the core verifier for the newest
/// committed set (rebuilt when the set changes).
pub(crate) struct RemoteKeys {
    cache: Py<RemoteCache>,
    options: Options,
    built: Mutex<Option<(u64, Arc<edgejwt::Verifier>)>>,
}

/// A verification against the set of `generation`.
type Attempt = (u64, Result<edgejwt::VerifiedJwt, Error>);

impl RemoteKeys {
    pub(crate) fn new(cache: Py<RemoteCache>, options: Options) -> RemoteKeys {
        RemoteKeys {
            cache,
            options,
            built: Mutex::new(None),
        }
    }

    /// The core verifier for the committed set, if it may be served at `now`; otherwise the
    /// error to fail with. Call with the GIL released (it takes both locks, state first).
    fn current(&self, state: &State, now: u64) -> Result<(u64, Arc<edgejwt::Verifier>), Error> {
        let (Some(jwks), true) = (state.cache.jwks(), state.cache.servable(now)) else {
            return Err(state.cache.failure());
        };
        let generation = state.cache.generation();
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((g, v)) = built.as_ref() {
            if *g == generation {
                return Ok((*g, v.clone()));
            }
        }
        let v = Arc::new(edgejwt::Verifier::new(jwks.clone(), self.options.clone())?);
        *built = Some((generation, v.clone()));
        Ok((generation, v))
    }

    /// Verifies `token` at `now_secs` with the servable set, the GIL released throughout (the
    /// state lock is held only while the verifier is looked up, not while it verifies).
    fn attempt(&self, py: Python<'_>, token: &str, now_secs: i64) -> Result<Attempt, Error> {
        let cache = self.cache.get();
        py.detach(|| {
            let (generation, verifier) = self.current(&cache.lock(), clock_ms())?;
            Ok((generation, verifier.verify(token, now_secs)))
        })
    }

    /// Carries out an action of the cache's: spawn a background fetch, fetch and wait, wait
    /// for another caller's fetch, or fail.
    fn carry_out(&self, py: Python<'_>, action: Action) -> PyResult<()> {
        let slf = self.cache.bind(py);
        match action {
            Action::Serve | Action::NoRefetch => {}
            Action::ServeAndFetch { id } => spawn_fetch(slf, id),
            Action::Fetch { id } => {
                spawn_fetch(slf, id);
                slf.get().wait_for(py, id, slf.get().timeout_ms);
            }
            Action::Wait { id, wait_ms } => slf.get().wait_for(py, id, wait_ms),
            Action::Fail(e) => return raise(py, e),
        }
        Ok(())
    }

    /// Verifies with the remote set: fetches, waits or serves as the cache says, and after an
    /// unknown kid asks it whether to refetch (once).
    pub(crate) fn verify(
        &self,
        py: Python<'_>,
        token: &str,
        now_ms: f64,
    ) -> PyResult<VerifiedToken> {
        let now_secs = now_ms.div_euclid(1000.0) as i64;
        let cache = self.cache.get();
        let action = cache.with(py, |s| s.cache.on_request(clock_ms()));
        self.carry_out(py, action)?;
        let (seen, result) = self
            .attempt(py, token, now_secs)
            .or_else(|e| raise(py, e))?;
        let first_error = match result {
            Err(e @ Error::NoMatchingKey { .. }) => e,
            other => return done(py, other),
        };
        let action = cache.with(py, |s| s.cache.on_unknown_kid(clock_ms(), seen));
        match action {
            Action::Serve | Action::Fetch { .. } | Action::Wait { .. } => {
                self.carry_out(py, action)?
            }
            Action::ServeAndFetch { .. } | Action::NoRefetch | Action::Fail(_) => {
                return Err(to_py_err(py, &first_error))
            }
        }
        if cache.with(py, |s| s.cache.generation()) == seen {
            return Err(to_py_err(py, &first_error));
        }
        match self.attempt(py, token, now_secs) {
            Ok((_, r)) => done(py, r),
            Err(e) => raise(py, e),
        }
    }

    /// Verifies only when the cached set is fresh and knows the token's key, so that no I/O
    /// or waiting is needed; None otherwise (the async host then runs [`RemoteKeys::verify`]
    /// in a worker thread).
    pub(crate) fn verify_cached(
        &self,
        py: Python<'_>,
        token: &str,
        now_ms: f64,
    ) -> PyResult<Option<VerifiedToken>> {
        let cache = self.cache.get();
        let now_secs = now_ms.div_euclid(1000.0) as i64;
        let result = py.detach(|| {
            let state = cache.lock();
            if !state.cache.is_fresh(clock_ms()) {
                return None;
            }
            let verifier = self.current(&state, clock_ms());
            drop(state);
            Some(verifier.map(|(_, v)| v.verify(token, now_secs)))
        });
        match result {
            None | Some(Ok(Err(Error::NoMatchingKey { .. }))) => Ok(None),
            Some(Ok(r)) => done(py, r).map(Some),
            Some(Err(e)) => raise(py, e),
        }
    }

    /// The selection report of `token` against the cached set (an empty set before the first
    /// fetch).
    pub(crate) fn selection_report(
        &self,
        py: Python<'_>,
        token: &str,
    ) -> Result<edgejwt::SelectionReport, Error> {
        let cache = self.cache.get();
        let jwks = cache.with(py, |s| s.cache.jwks().cloned());
        let verifier = edgejwt::Verifier::new(jwks.unwrap_or_default(), self.options.clone())?;
        verifier.selection_report(token)
    }

    pub(crate) fn key_problems(&self, py: Python<'_>) -> Vec<Vec<edgejwt::KeyProblem>> {
        let cache = self.cache.get();
        cache.with(py, |s| {
            s.cache.jwks().map(|j| j.key_problems()).unwrap_or_default()
        })
    }

    pub(crate) fn key_info(&self, py: Python<'_>) -> Vec<KeyInfo> {
        let cache = self.cache.get();
        cache.with(py, |s| {
            s.cache.jwks().map(|j| j.key_info()).unwrap_or_default()
        })
    }
}

fn done(py: Python<'_>, r: Result<edgejwt::VerifiedJwt, Error>) -> PyResult<VerifiedToken> {
    match r {
        Ok(jwt) => VerifiedToken::new(py, jwt),
        Err(e) => raise(py, e),
    }
}
