//! How Python asks for `edgejwt doctor`'s judging (the core's `doctor` module).

use pyo3::prelude::*;

/// `edgejwt doctor`'s judging (the core's `doctor::diagnose_json`): the observations' JSON text
/// → the checks, as JSON text or as the text the command line prints.
#[pyfunction]
pub(crate) fn doctor(py: Python<'_>, observations: &str, json: bool) -> String {
    py.detach(|| edgejwt::doctor::diagnose_json(observations, json))
}

/// The JWKS paths `edgejwt doctor` tries under the base URL, Better Auth's first.
#[pyfunction]
pub(crate) fn doctor_jwks_paths() -> Vec<&'static str> {
    edgejwt::doctor::USUAL_JWKS_PATHS.to_vec()
}
