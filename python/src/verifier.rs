//! How Python verifies: `Verifier` (a prepared JWKS, or a remote set, plus options; `verify`
//! runs with the GIL released), `VerifiedToken`, decoding, the Bearer rule, the algorithm names.

use crate::cache;
use crate::convert::{jwks_text, loads, now_ms, now_secs, seconds, strings, Text};
use crate::errors::raise;
use edgejwt::{Algorithm, Error, Jwks, Options};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

/// The verifier options, from Python's keyword arguments.
#[allow(clippy::too_many_arguments)]
pub(crate) fn options(
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
    Remote(cache::RemoteKeys),
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
        if let Ok(cache) = jwks.cast::<cache::RemoteCache>() {
            let keys = cache::RemoteKeys::new(cache.clone().unbind(), options);
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
pub(crate) fn decode_unverified(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let text = Text::new(token, || {
        Error::JwsInvalid("Compact JWS must be a string or bytes")
    })?;
    match edgejwt::decode_unverified(text.as_str()) {
        Ok((h, p)) => Ok((loads(py, &h)?.unbind(), loads(py, &p)?.unbind())),
        Err(e) => raise(py, e),
    }
}

/// The token of an `Authorization` header's value (None when absent): the core's
/// `bearer_token`, so both packages accept and refuse the same headers with the same hints.
#[pyfunction]
#[pyo3(signature = (authorization))]
pub(crate) fn bearer_token(py: Python<'_>, authorization: Option<&str>) -> PyResult<String> {
    match edgejwt::bearer_token(authorization) {
        Ok(token) => Ok(token.to_owned()),
        Err(e) => raise(py, e),
    }
}

/// The algorithm names the core verifies, in the core's order.
#[pyfunction]
pub(crate) fn algorithms() -> Vec<&'static str> {
    Algorithm::ALL.iter().map(|a| a.name()).collect()
}
