//! Python values in (times, strings, tokens, key sets) and JSON text out, as Python objects.

use crate::errors::raise;
use edgejwt::Error;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyString};
use std::time::{SystemTime, UNIX_EPOCH};

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static TIMEDELTA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `json.loads(text)`: Python's C parser, which keeps big integers exact. JSON it refuses
/// (an integer longer than `sys.get_int_max_str_digits()`, 4,300 digits by default) is a coded
/// `ERR_JWT_INVALID`, never a bare `ValueError`.
pub(crate) fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    if let Some(value) = crate::json::to_python(py, text) {
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

/// True for Python's `bool` (an `int` subclass that is never a meaningful time or count).
pub(crate) fn is_bool(v: &Bound<'_, PyAny>) -> bool {
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
pub(crate) fn strings(v: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<String>> {
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

/// Milliseconds since the epoch for `now` (None, seconds, or an aware datetime).
#[pyfunction]
#[pyo3(signature = (now=None))]
pub(crate) fn _now_ms(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
    now_ms(py, now)
}
