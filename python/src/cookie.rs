//! How Python reads Better Auth session cookies (the core's `SessionCookieReader`).

use crate::convert::loads;
use crate::errors::raise;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Reads Better Auth's session cookie cache with fixed options: the core's
/// `SessionCookieReader` (cookie-header parsing, `__Secure-` and prefixed names, strict
/// `.0`/`.1` chunks, and every strategy's checks). The mutex makes it shareable between
/// threads; a `jwt` strategy's keys are prepared on the first cookie and kept.
#[pyclass(frozen, module = "edgejwt._edgejwt")]
pub(crate) struct SessionCookieReader {
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
