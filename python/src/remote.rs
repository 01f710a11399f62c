//! The remote JWKS for Python: the core's sans-IO cache ([`JwksCache`]) decides; this host
//! carries out its actions. HTTP is Python's (`RemoteJWKSet._fetch`, urllib); waiting for a
//! fetch another thread started happens with the GIL released.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use edgejwt::jwks_cache::{Action, CachePolicy, FetchId, FetchOutcome, JwksCache, Report};
use edgejwt::{Error, KeyInfo, Options};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::{loads, raise, to_py_err, VerifiedToken};

/// Milliseconds on a monotonic clock (the cache's time; tokens use the wall clock).
fn clock_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

fn millis(py: Python<'_>, v: Option<&Bound<'_, PyAny>>, name: &str, default: u64) -> PyResult<u64> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(default);
    };
    let s = crate::seconds(py, v, name)?;
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
    timeout_s: f64,
    headers: Option<Py<PyAny>>,
    state: Mutex<State>,
    fetch_ended: Condvar,
}

#[pymethods]
impl RemoteCache {
    #[new]
    #[pyo3(signature = (url, *, cache_max_age=None, cooldown=None, timeout=None, headers=None))]
    fn new(
        py: Python<'_>,
        url: &Bound<'_, PyAny>,
        cache_max_age: Option<&Bound<'_, PyAny>>,
        cooldown: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
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
        let defaults = CachePolicy::default();
        let policy = CachePolicy {
            max_age_ms: millis(py, cache_max_age, "cache_max_age", defaults.max_age_ms)?,
            cooldown_ms: millis(py, cooldown, "cooldown", defaults.cooldown_ms)?,
            timeout_ms: millis(py, timeout, "timeout", defaults.timeout_ms)?,
            share_fetches: true,
        };
        if policy.timeout_ms == 0 {
            return Err(PyValueError::new_err("timeout must be positive"));
        }
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
            timeout_s: policy.timeout_ms as f64 / 1000.0,
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

    /// Whether a set is cached and younger than `cache_max_age`.
    #[getter]
    fn fresh(&self) -> bool {
        self.lock().cache.is_fresh(clock_ms())
    }

    /// The cached set as a dict (None before the first successful fetch).
    fn jwks(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let text = self.lock().cache.text().map(str::to_owned);
        text.map(|t| loads(py, &t).map(Bound::unbind)).transpose()
    }

    /// Fetches the set now, whatever the cache policy says (jose's `reload()`); raises the
    /// coded error when the fetch fails or the core rejects the set (the last good set stays).
    fn reload(slf: &Bound<'_, Self>) -> PyResult<()> {
        let id = slf.get().lock().cache.force_fetch(clock_ms());
        match run_fetch(slf, id) {
            Report::Rejected(e) => raise(slf.py(), e),
            _ => Ok(()),
        }
    }

    /// Runs fetch `id` (a background refresh the cache asked for).
    fn _run_fetch(slf: &Bound<'_, Self>, id: FetchId) {
        run_fetch(slf, id);
    }

    fn __repr__(&self) -> String {
        format!(
            "<edgejwt.RemoteJWKSet {}>",
            edgejwt::jwks_cache::redact_url(&self.url)
        )
    }
}

impl RemoteCache {
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
}

/// Runs fetch `id` through Python's `_fetch` and reports it to the cache.
fn run_fetch(slf: &Bound<'_, RemoteCache>, id: FetchId) -> Report {
    let py = slf.py();
    let this = slf.get();
    let max = this.lock().cache.max_body_bytes();
    let headers = this.headers.as_ref().map(|h| h.bind(py).clone());
    let answer = slf.call_method1("_fetch", (&this.url, this.timeout_s, max, headers));
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
    let report = {
        let mut state = this.lock();
        let report = state.cache.on_fetched(id, clock_ms(), outcome);
        state.finished.push_back(id);
        while state.finished.len() > 64 {
            state.finished.pop_front();
        }
        report
    };
    this.fetch_ended.notify_all();
    report
}

/// Starts fetch `id` in a daemon thread (stale-while-revalidate: the caller does not wait).
fn spawn_fetch(slf: &Bound<'_, RemoteCache>, id: FetchId) -> PyResult<()> {
    let py = slf.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("target", slf.getattr("_run_fetch")?)?;
    kwargs.set_item("args", (id,))?;
    kwargs.set_item("daemon", true)?;
    kwargs.set_item("name", "edgejwt-jwks-refresh")?;
    py.import("threading")?
        .getattr("Thread")?
        .call((), Some(&kwargs))?
        .call_method0("start")?;
    Ok(())
}

/// A verifier's view of a remote set: its options, and the core verifier for the newest
/// committed set (rebuilt when the set changes).
pub(crate) struct RemoteKeys {
    cache: Py<RemoteCache>,
    options: Options,
    built: Mutex<Option<(u64, Arc<edgejwt::Verifier>)>>,
}

/// What a verification needs next.
enum Step {
    Done(Result<edgejwt::VerifiedJwt, Error>),
    /// The set has no key for the token's kid: ask the cache whether to refetch.
    UnknownKid(u64, Error),
}

impl RemoteKeys {
    pub(crate) fn new(cache: Py<RemoteCache>, options: Options) -> RemoteKeys {
        RemoteKeys {
            cache,
            options,
            built: Mutex::new(None),
        }
    }

    /// The core verifier for the committed set, or None when nothing is committed.
    fn current(&self) -> Result<Option<(u64, Arc<edgejwt::Verifier>)>, Error> {
        let state = self.cache.get().lock();
        let generation = state.cache.generation();
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((g, v)) = built.as_ref() {
            if *g == generation {
                return Ok(Some((*g, v.clone())));
            }
        }
        let Some(jwks) = state.cache.jwks() else {
            return Ok(None);
        };
        let v = Arc::new(edgejwt::Verifier::new(jwks.clone(), self.options.clone())?);
        *built = Some((generation, v.clone()));
        Ok(Some((generation, v)))
    }

    fn attempt(&self, py: Python<'_>, token: &str, now_secs: i64) -> PyResult<Step> {
        let (generation, verifier) = match self.current() {
            Ok(Some(c)) => c,
            Ok(None) => return raise(py, self.cache.get().lock().cache.failure()),
            Err(e) => return raise(py, e),
        };
        let result = py.detach(|| verifier.verify(token, now_secs));
        Ok(match result {
            Err(e @ Error::NoMatchingKey { .. }) => Step::UnknownKid(generation, e),
            other => Step::Done(other),
        })
    }

    /// Carries out the cache's answer before a verification.
    fn ensure(&self, py: Python<'_>) -> PyResult<()> {
        let slf = self.cache.bind(py);
        let action = slf.get().lock().cache.on_request(clock_ms());
        match action {
            Action::Serve | Action::NoRefetch => {}
            Action::ServeAndFetch { id } => spawn_fetch(slf, id)?,
            Action::Fetch { id } => {
                run_fetch(slf, id);
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
        self.ensure(py)?;
        let (seen, first_error) = match self.attempt(py, token, now_secs)? {
            Step::Done(r) => return done(py, r),
            Step::UnknownKid(g, e) => (g, e),
        };
        let slf = self.cache.bind(py);
        let action = slf.get().lock().cache.on_unknown_kid(clock_ms(), seen);
        match action {
            Action::Serve => {}
            Action::Fetch { id } => {
                run_fetch(slf, id);
            }
            Action::Wait { id, wait_ms } => slf.get().wait_for(py, id, wait_ms),
            Action::ServeAndFetch { .. } | Action::NoRefetch | Action::Fail(_) => {
                return Err(to_py_err(py, &first_error))
            }
        }
        if slf.get().lock().cache.generation() == seen {
            return Err(to_py_err(py, &first_error));
        }
        match self.attempt(py, token, now_secs)? {
            Step::Done(r) => done(py, r),
            Step::UnknownKid(_, e) => Err(to_py_err(py, &e)),
        }
    }

    /// Verifies only when the cached set can answer without any I/O or waiting; None otherwise
    /// (the async host then runs [`RemoteKeys::verify`] in a worker thread).
    pub(crate) fn verify_cached(
        &self,
        py: Python<'_>,
        token: &str,
        now_ms: f64,
    ) -> PyResult<Option<VerifiedToken>> {
        if !self.cache.get().lock().cache.is_fresh(clock_ms()) {
            return Ok(None);
        }
        match self.attempt(py, token, now_ms.div_euclid(1000.0) as i64) {
            Ok(Step::Done(r)) => done(py, r).map(Some),
            Ok(Step::UnknownKid(..)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) fn key_info(&self, _py: Python<'_>) -> Vec<KeyInfo> {
        match self.current() {
            Ok(Some((_, v))) => v.jwks().key_info(),
            _ => Vec::new(),
        }
    }
}

fn done(py: Python<'_>, r: Result<edgejwt::VerifiedJwt, Error>) -> PyResult<VerifiedToken> {
    match r {
        Ok(jwt) => VerifiedToken::new(py, jwt),
        Err(e) => raise(py, e),
    }
}
