//! `edgejwt._edgejwt`: the Python extension. It converts types and carries out I/O decisions;
//! every rule (which key, which claim, what an error is called, when to refetch a JWKS) is the
//! core's. The Python package `edgejwt` (python/edgejwt/) wraps this module.
//!
//! - `Verifier`: a prepared JWKS (or a remote set) plus options; `verify` runs with the GIL
//!   released, so threads verify in parallel.
//! - Errors: every core [`Error`] becomes an instance of the `edgejwt.errors` class for its
//!   code (generated from the core's table by `cargo run -p edgejwt-gen`).
//! - `decode_unverified`, `SessionCookieReader` (the core's session-cookie reader), and `remote::RemoteCache` (the
//!   core's sans-IO JWKS cache, driven by Python's HTTP).

mod json;
mod remote;

use edgejwt::{Algorithm, Error, Jwks, Options};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyString, PyTuple};
use std::time::{SystemTime, UNIX_EPOCH};

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static FROM_CORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static TIMEDELTA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `json.loads(text)`: Python's C parser, which keeps big integers exact. JSON it refuses
/// (an integer longer than `sys.get_int_max_str_digits()`, 4,300 digits by default) is a coded
/// `ERR_JWT_INVALID`, never a bare `ValueError`.
pub(crate) fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    if let Some(value) = json::to_python(py, text) {
        return Ok(value);
    }
    JSON_LOADS
        .import(py, "json", "loads")?
        .call1((text,))
        .or_else(|e| {
            if e.is_instance_of::<PyValueError>(py) {
                raise(py, Error::JwtInvalid(UNREPRESENTABLE_JSON))
            } else {
                Err(e)
            }
        })
}

/// The message for JSON that Python cannot represent.
const UNREPRESENTABLE_JSON: &str = "the JSON holds a value Python cannot represent (an \
    integer longer than sys.get_int_max_str_digits() allows)";

/// The core error as an instance of its `edgejwt.errors` class (built by
/// `edgejwt.errors._from_core`, generated from the same table as the JS classes).
pub(crate) fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let from_core = FROM_CORE.import(py, "edgejwt.errors", "_from_core")?;
        // A payload Python cannot represent is left out rather than replacing the error.
        let payload = match e.payload().map(|p| loads(py, p)) {
            Some(Ok(p)) => p,
            _ => py.None().into_bound(py),
        };
        let exc = from_core.call1((
            e.code(),
            e.to_string(),
            e.claim(),
            e.reason().map(|r| r.as_str()),
            e.hint(),
            payload,
            e.http_status(),
            e.bearer_error(),
        ))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

/// A core error raised as its Python class.
pub(crate) fn raise<T>(py: Python<'_>, e: Error) -> PyResult<T> {
    Err(to_py_err(py, &e))
}

/// True for Python's `bool` (an `int` subclass that is never a meaningful time or count).
fn is_bool(v: &Bound<'_, PyAny>) -> bool {
    v.is_instance_of::<PyBool>()
}

/// Seconds from an `int`, a `float` or a `datetime.timedelta`.
pub(crate) fn seconds(py: Python<'_>, v: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    let s = if v.is_instance(TIMEDELTA.import(py, "datetime", "timedelta")?)? {
        v.call_method0("total_seconds")?.extract::<f64>()?
    } else if is_bool(v) {
        return Err(PyTypeError::new_err(format!(
            "{name} must be seconds (int or float) or a datetime.timedelta"
        )));
    } else {
        v.extract::<f64>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{name} must be seconds (int or float) or a datetime.timedelta"
            ))
        })?
    };
    if !s.is_finite() {
        return Err(PyValueError::new_err(format!("{name} must be finite")));
    }
    Ok(s)
}

/// Seconds since the Unix epoch from `now` (`None`: the system clock; `int`/`float` seconds; an
/// aware `datetime`), rounded down.
pub(crate) fn now_secs(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<i64> {
    Ok(now_ms(py, now)?.div_euclid(1000.0) as i64)
}

/// Milliseconds since the Unix epoch from `now` (see [`now_secs`]).
pub(crate) fn now_ms(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
    let Some(v) = now.filter(|v| !v.is_none()) else {
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        return Ok(d.as_millis() as f64);
    };
    let secs = if v.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        if v.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(
                "now must be an aware datetime (with a tzinfo, e.g. datetime.now(timezone.utc))",
            ));
        }
        v.call_method0("timestamp")?.extract::<f64>()?
    } else if is_bool(v) {
        return Err(PyTypeError::new_err(
            "now must be seconds since the epoch (int or float) or an aware datetime",
        ));
    } else {
        v.extract::<f64>().map_err(|_| {
            PyTypeError::new_err(
                "now must be seconds since the epoch (int or float) or an aware datetime",
            )
        })?
    };
    if !secs.is_finite() {
        return Err(PyValueError::new_err("now must be finite"));
    }
    Ok((secs * 1000.0).floor())
}

/// A `str`, or an iterable of `str`, as a list.
fn strings(v: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<String>> {
    let wrong = || PyTypeError::new_err(format!("{name} must be a str or a list of str"));
    if v.is_instance_of::<PyString>() {
        return Ok(vec![v.extract::<String>()?]);
    }
    if v.is_instance_of::<PyBytes>() || v.is_instance_of::<PyDict>() {
        return Err(wrong());
    }
    let mut out = Vec::new();
    for item in v.try_iter().map_err(|_| wrong())? {
        let item = item?;
        if !item.is_instance_of::<PyString>() {
            return Err(wrong());
        }
        out.push(item.extract::<String>()?);
    }
    Ok(out)
}

/// A token (or JWKS, cookie) given as `str` or `bytes`, as UTF-8 text. Anything else, or bytes
/// that are not UTF-8, is the `invalid` error (a coded JOSEError, as in the JS package).
pub(crate) enum Text {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl Text {
    pub(crate) fn new(v: &Bound<'_, PyAny>, invalid: impl FnOnce() -> Error) -> PyResult<Text> {
        if let Ok(s) = v.extract::<PyBackedStr>() {
            return Ok(Text::Str(s));
        }
        if v.is_instance_of::<PyBytes>() {
            let b = v.extract::<PyBackedBytes>()?;
            if std::str::from_utf8(&b).is_ok() {
                return Ok(Text::Bytes(b));
            }
        }
        raise(v.py(), invalid())
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Str(s) => s,
            // Checked in `new`; never fails.
            Text::Bytes(b) => std::str::from_utf8(b).unwrap_or(""),
        }
    }
}

/// JWKS JSON text from a dict (`json.dumps`), `str` or `bytes`.
pub(crate) fn jwks_text(py: Python<'_>, jwks: &Bound<'_, PyAny>) -> PyResult<String> {
    let malformed = || Error::JwksInvalid("JSON Web Key Set malformed");
    if jwks.is_instance_of::<PyDict>() {
        let dumped = JSON_DUMPS
            .import(py, "json", "dumps")?
            .call1((jwks,))
            .or_else(|_| raise(py, malformed()))?;
        return dumped.extract::<String>();
    }
    Ok(Text::new(jwks, malformed)?.as_str().to_owned())
}

/// The verifier options, from Python's keyword arguments.
#[allow(clippy::too_many_arguments)]
fn options(
    py: Python<'_>,
    issuer: Option<&Bound<'_, PyAny>>,
    audience: Option<&Bound<'_, PyAny>>,
    algorithms: Option<&Bound<'_, PyAny>>,
    clock_tolerance: &Bound<'_, PyAny>,
    max_token_age: Option<&Bound<'_, PyAny>>,
    subject: Option<String>,
    typ: Option<String>,
    required_claims: &Bound<'_, PyAny>,
) -> PyResult<Options> {
    let mut o = Options::default()
        .clock_tolerance(seconds(py, clock_tolerance, "clock_tolerance")?)
        .required_claims(strings(required_claims, "required_claims")?);
    if let Some(iss) = issuer.filter(|v| !v.is_none()) {
        o = o.issuers(strings(iss, "issuer")?);
    }
    if let Some(aud) = audience.filter(|v| !v.is_none()) {
        o = o.audiences(strings(aud, "audience")?);
    }
    if let Some(algs) = algorithms.filter(|v| !v.is_none()) {
        let names = strings(algs, "algorithms")?;
        let list =
            Algorithm::from_names(names.iter().map(String::as_str)).or_else(|e| raise(py, e))?;
        o = o.algorithms(list);
    }
    if let Some(age) = max_token_age.filter(|v| !v.is_none()) {
        o = o.max_token_age(seconds(py, age, "max_token_age")?);
    }
    if let Some(sub) = subject {
        o = o.subject(sub);
    }
    if let Some(typ) = typ {
        o = o.typ(typ);
    }
    Ok(o)
}

/// The result of a successful verification: `payload` and `header` as dicts, `alg` the
/// algorithm that verified the signature.
#[pyclass(frozen, module = "edgejwt", name = "VerifiedToken")]
pub(crate) struct VerifiedToken {
    /// The claims set (parsed once, at verification).
    #[pyo3(get)]
    payload: Py<PyAny>,
    header_json: String,
    header: PyOnceLock<Py<PyAny>>,
    /// The algorithm that verified the signature, e.g. `"EdDSA"`.
    #[pyo3(get)]
    alg: &'static str,
}

#[pymethods]
impl VerifiedToken {
    /// The protected header as a dict (parsed on first access).
    #[getter]
    fn header(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.header
            .get_or_try_init(py, || loads(py, &self.header_json).map(Bound::unbind))
            .map(|h| h.clone_ref(py))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "VerifiedToken(alg={:?}, payload={})",
            self.alg,
            self.payload.bind(py).repr()?
        ))
    }
}

impl VerifiedToken {
    pub(crate) fn new(py: Python<'_>, jwt: edgejwt::VerifiedJwt) -> PyResult<VerifiedToken> {
        Ok(VerifiedToken {
            payload: loads(py, &jwt.payload)?.unbind(),
            header_json: jwt.header,
            header: PyOnceLock::new(),
            alg: jwt.alg.name(),
        })
    }
}

/// Where a verifier's keys come from.
enum Keys {
    /// A JWKS given once.
    Static(edgejwt::Verifier),
    /// A remote set, through the core's cache policy.
    Remote(remote::RemoteKeys),
}

/// Verifies JWTs against a JWKS prepared once (see the Python class `edgejwt.Verifier`).
#[pyclass(frozen, subclass, module = "edgejwt._edgejwt", name = "Verifier")]
pub(crate) struct Verifier {
    keys: Keys,
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (jwks, *, issuer=None, audience=None, algorithms=None, clock_tolerance=None,
        max_token_age=None, subject=None, typ=None, required_claims=None, better_auth=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        jwks: &Bound<'_, PyAny>,
        issuer: Option<&Bound<'_, PyAny>>,
        audience: Option<&Bound<'_, PyAny>>,
        algorithms: Option<&Bound<'_, PyAny>>,
        clock_tolerance: Option<&Bound<'_, PyAny>>,
        max_token_age: Option<&Bound<'_, PyAny>>,
        subject: Option<String>,
        typ: Option<String>,
        required_claims: Option<&Bound<'_, PyAny>>,
        better_auth: bool,
    ) -> PyResult<Verifier> {
        let zero = 0i32.into_pyobject(py)?.into_any();
        let none = PyTuple::empty(py).into_any();
        let options = options(
            py,
            issuer,
            audience,
            algorithms,
            clock_tolerance.filter(|v| !v.is_none()).unwrap_or(&zero),
            max_token_age,
            subject,
            typ,
            required_claims.filter(|v| !v.is_none()).unwrap_or(&none),
        )?;
        // The core's rules for Better Auth access tokens (sub and exp required, the
        // session-cache JWT refused).
        let options = if better_auth {
            options.better_auth()
        } else {
            options
        };
        if let Ok(cache) = jwks.cast::<remote::RemoteCache>() {
            let keys = remote::RemoteKeys::new(cache.clone().unbind(), options);
            return Ok(Verifier {
                keys: Keys::Remote(keys),
            });
        }
        let text = jwks_text(py, jwks)?;
        let built =
            py.detach(|| Jwks::from_json(&text).and_then(|j| edgejwt::Verifier::new(j, options)));
        match built {
            Ok(v) => Ok(Verifier {
                keys: Keys::Static(v),
            }),
            Err(e) => raise(py, e),
        }
    }

    /// Verifies `token` (str or bytes) at `now` (default: the current time).
    #[pyo3(signature = (token, *, now=None))]
    fn verify(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<VerifiedToken> {
        let text = Text::new(token, || {
            Error::JwsInvalid("Compact JWS must be a string or bytes")
        })?;
        match &self.keys {
            Keys::Static(v) => {
                let now = now_secs(py, now)?;
                let token = text.as_str();
                match py.detach(|| v.verify(token, now)) {
                    Ok(jwt) => VerifiedToken::new(py, jwt),
                    Err(e) => raise(py, e),
                }
            }
            Keys::Remote(r) => r.verify(py, text.as_str(), now_ms(py, now)?),
        }
    }

    /// Like `verify`, but never does I/O: for a remote set, returns None when the cached set
    /// cannot answer without a fetch (the caller then runs `verify` off the event loop).
    #[pyo3(signature = (token, *, now=None))]
    fn _verify_cached(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<VerifiedToken>> {
        match &self.keys {
            Keys::Static(_) => self.verify(py, token, now).map(Some),
            Keys::Remote(r) => {
                let text = Text::new(token, || {
                    Error::JwsInvalid("Compact JWS must be a string or bytes")
                })?;
                r.verify_cached(py, text.as_str(), now_ms(py, now)?)
            }
        }
    }

    /// Which key `token` selects and why each other key was passed over (the core's selection
    /// report): `{"selected": index or None, "keys": [{"verdict", "reason"}, ...]}`, `verdict`
    /// one of `fits`, `fits_but_unusable` or a refusal (`kid_differs`, `kty_differs`,
    /// `alg_differs`, `use_not_sig`, `key_ops_lack_verify`), in the order of `keys()`.
    fn selection(&self, py: Python<'_>, token: &Bound<'_, PyAny>) -> PyResult<Py<PyDict>> {
        let text = Text::new(token, || {
            Error::JwsInvalid("Compact JWS must be a string or bytes")
        })?;
        let report = match &self.keys {
            Keys::Static(v) => v.selection_report(text.as_str()),
            Keys::Remote(r) => r.selection_report(py, text.as_str()),
        };
        let report = report.or_else(|e| raise(py, e))?;
        let out = PyDict::new(py);
        out.set_item("selected", report.selected)?;
        let keys = report
            .keys
            .iter()
            .map(|verdict| {
                let (id, reason) = match verdict {
                    edgejwt::KeyVerdict::Fits => ("fits", None),
                    edgejwt::KeyVerdict::FitsButUnusable(r) => {
                        ("fits_but_unusable", Some(r.as_str()))
                    }
                    edgejwt::KeyVerdict::Refused(r) => (r.as_str(), Some(r.message())),
                    _ => ("unknown", None),
                };
                let d = PyDict::new(py);
                d.set_item("verdict", id)?;
                d.set_item("reason", reason)?;
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("keys", keys)?;
        Ok(out.unbind())
    }

    /// The keys of the set, each with what the core made of it: `kid`, `kty`, `alg`, `crv`,
    /// `use`, `bits`, `usable` and, when unusable, `reason`. Empty for a remote set not yet
    /// fetched.
    fn keys(&self, py: Python<'_>) -> PyResult<Vec<Py<PyDict>>> {
        let info = match &self.keys {
            Keys::Static(v) => v.jwks().key_info(),
            Keys::Remote(r) => r.key_info(py),
        };
        let problems = match &self.keys {
            Keys::Static(v) => v.jwks().key_problems(),
            Keys::Remote(r) => r.key_problems(py),
        };
        info.into_iter()
            .zip(problems)
            .map(|(k, problems)| {
                let d = PyDict::new(py);
                d.set_item("kid", k.kid)?;
                d.set_item("kty", k.kty)?;
                d.set_item("alg", k.alg)?;
                d.set_item("crv", k.crv)?;
                d.set_item("use", k.use_)?;
                d.set_item("bits", k.bits)?;
                d.set_item("usable", k.usable)?;
                d.set_item("reason", k.reason)?;
                let problems = problems
                    .into_iter()
                    .map(|p| {
                        let e = PyDict::new(py);
                        e.set_item("id", p.id)?;
                        e.set_item("message", p.message)?;
                        Ok(e)
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                d.set_item("problems", problems)?;
                Ok(d.unbind())
            })
            .collect()
    }
}

/// `(header, payload)` of a JWT, decoded without verifying anything.
#[pyfunction]
fn decode_unverified(py: Python<'_>, token: &Bound<'_, PyAny>) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let text = Text::new(token, || {
        Error::JwsInvalid("Compact JWS must be a string or bytes")
    })?;
    match edgejwt::decode_unverified(text.as_str()) {
        Ok((h, p)) => Ok((loads(py, &h)?.unbind(), loads(py, &p)?.unbind())),
        Err(e) => raise(py, e),
    }
}

/// Reads Better Auth's session cookie cache with fixed options: the core's
/// `SessionCookieReader` (cookie-header parsing, `__Secure-` and prefixed names, strict
/// `.0`/`.1` chunks, and every strategy's checks). The mutex makes it shareable between
/// threads; a `jwt` strategy's keys are prepared on the first cookie and kept.
#[pyclass(frozen, module = "edgejwt._edgejwt")]
struct SessionCookieReader {
    inner: std::sync::Mutex<edgejwt::cookie::SessionCookieReader>,
}

#[pymethods]
impl SessionCookieReader {
    #[new]
    #[pyo3(signature = (*, strategy, secret, jwks, issuer, audience, cookie_prefix, cookie_name, is_secure, version))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        strategy: &str,
        secret: Option<&str>,
        jwks: Option<String>,
        issuer: Option<Vec<String>>,
        audience: Option<Vec<String>>,
        cookie_prefix: String,
        cookie_name: String,
        is_secure: Option<bool>,
        version: Option<String>,
    ) -> PyResult<Self> {
        let strategy = edgejwt::cookie::Strategy::from_name(strategy).ok_or_else(|| {
            PyValueError::new_err("strategy must be \"compact\", \"jwt\" or \"jwe\"")
        })?;
        let options = edgejwt::cookie::ReadOptions {
            strategy,
            secret: secret.map(|s| s.as_bytes().to_vec()),
            jwks,
            issuer,
            audience,
            cookie_prefix,
            cookie_name,
            is_secure,
            version,
        };
        Ok(SessionCookieReader {
            inner: std::sync::Mutex::new(edgejwt::cookie::SessionCookieReader::new(options)),
        })
    }

    /// The session data (a dict) from `cookie_header` at `now_ms`, or None without the cookie.
    fn read(
        &self,
        py: Python<'_>,
        cookie_header: &str,
        now_ms: f64,
    ) -> PyResult<Option<Py<PyAny>>> {
        let result = py.detach(|| {
            // A poisoned lock means a panic inside a read; the reader holds no partial state
            // (its key set is set once, whole), so it stays usable.
            let reader = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            reader.read(cookie_header, now_ms)
        });
        match result {
            Ok(Some(json)) => Ok(Some(loads(py, &json)?.unbind())),
            Ok(None) => Ok(None),
            Err(e) => raise(py, e),
        }
    }
}

/// The token of an `Authorization` header's value (None when absent): the core's
/// `bearer_token`, so both packages accept and refuse the same headers with the same hints.
#[pyfunction]
#[pyo3(signature = (authorization))]
fn bearer_token(py: Python<'_>, authorization: Option<&str>) -> PyResult<String> {
    match edgejwt::bearer_token(authorization) {
        Ok(token) => Ok(token.to_owned()),
        Err(e) => raise(py, e),
    }
}

/// Milliseconds since the epoch for `now` (None, seconds, or an aware datetime).
#[pyfunction]
#[pyo3(signature = (now=None))]
fn _now_ms(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
    now_ms(py, now)
}

/// `edgejwt doctor`'s judging (the core's `doctor::diagnose_json`): the observations' JSON text
/// → the checks, as JSON text or as the text the command line prints.
#[pyfunction]
fn doctor(py: Python<'_>, observations: &str, json: bool) -> String {
    py.detach(|| edgejwt::doctor::diagnose_json(observations, json))
}

/// The JWKS paths `edgejwt doctor` tries under the base URL, Better Auth's first.
#[pyfunction]
fn doctor_jwks_paths() -> Vec<&'static str> {
    edgejwt::doctor::USUAL_JWKS_PATHS.to_vec()
}

/// The algorithm names the core verifies, in the core's order.
#[pyfunction]
fn algorithms() -> Vec<&'static str> {
    Algorithm::ALL.iter().map(|a| a.name()).collect()
}

#[pymodule]
fn _edgejwt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", edgejwt::VERSION)?;
    m.add_class::<Verifier>()?;
    m.add_class::<VerifiedToken>()?;
    m.add_class::<remote::RemoteCache>()?;
    m.add_function(wrap_pyfunction!(decode_unverified, m)?)?;
    m.add_class::<SessionCookieReader>()?;
    m.add_function(wrap_pyfunction!(bearer_token, m)?)?;
    m.add_function(wrap_pyfunction!(_now_ms, m)?)?;
    m.add_function(wrap_pyfunction!(algorithms, m)?)?;
    m.add_function(wrap_pyfunction!(doctor, m)?)?;
    m.add_function(wrap_pyfunction!(doctor_jwks_paths, m)?)?;
    Ok(())
}
