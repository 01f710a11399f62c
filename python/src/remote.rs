//! The remote JWKS (placeholder until the core's cache state machine is merged).

use edgejwt::{Error, KeyInfo, Options};
use pyo3::prelude::*;

use crate::{raise, VerifiedToken};

/// The Rust half of `edgejwt.RemoteJWKSet`.
#[pyclass(frozen, subclass, module = "edgejwt._edgejwt", name = "RemoteCache")]
pub(crate) struct RemoteCache {}

#[pymethods]
impl RemoteCache {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(
        _args: &Bound<'_, pyo3::types::PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> RemoteCache {
        RemoteCache {}
    }
}

/// A verifier's view of a remote set.
pub(crate) struct RemoteKeys {
    _cache: Py<RemoteCache>,
    _options: Options,
}

impl RemoteKeys {
    pub(crate) fn new(cache: Py<RemoteCache>, options: Options) -> RemoteKeys {
        RemoteKeys {
            _cache: cache,
            _options: options,
        }
    }

    pub(crate) fn verify(&self, py: Python<'_>, _token: &str, _now_ms: f64) -> PyResult<VerifiedToken> {
        raise(py, Error::NotSupported("remote JWKS not implemented yet".into()))
    }

    pub(crate) fn verify_cached(
        &self,
        py: Python<'_>,
        token: &str,
        now_ms: f64,
    ) -> PyResult<Option<VerifiedToken>> {
        self.verify(py, token, now_ms).map(Some)
    }

    pub(crate) fn key_info(&self, _py: Python<'_>) -> Vec<KeyInfo> {
        Vec::new()
    }
}
