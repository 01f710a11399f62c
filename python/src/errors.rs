//! Core errors as Python exceptions: each becomes an instance of the `edgejwt.errors` class for
//! its code (generated from the core's table by `cargo run -p edgejwt-gen`).

use crate::convert::loads;
use edgejwt::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static FROM_CORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

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
