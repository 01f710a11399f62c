//! `edgejwt._edgejwt`: the Python extension. It converts types and carries out I/O decisions;
//! every rule (which key, which claim, what an error is called, when to refetch a JWKS) is the
//! core's. The Python package `edgejwt` (python/edgejwt/) wraps this module.
//!
//! - `Verifier`: a prepared JWKS (or a remote set) plus options; `verify` runs with the GIL
//!   released, so threads verify in parallel.
//! - Errors: every core [`edgejwt::Error`] becomes an instance of the `edgejwt.errors` class for its
//!   code (generated from the core's table by `cargo run -p edgejwt-gen`).
//! - `decode_unverified`, `SessionCookieReader` (the core's session-cookie reader), and
//!   `cache::RemoteCache` (the core's sans-IO JWKS cache, driven by Python's HTTP).
//!
//! One file per concept, named as in the wasm binding (`src/wasm/`): `verifier`, `cache`,
//! `cookie`, `doctor`, `errors`, `convert` (and `json`: verified payloads into Python objects).

mod cache;
mod convert;
mod cookie;
mod doctor;
mod errors;
mod json;
mod verifier;

use pyo3::prelude::*;

#[pymodule]
fn _edgejwt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", edgejwt::VERSION)?;
    m.add_class::<verifier::Verifier>()?;
    m.add_class::<verifier::VerifiedToken>()?;
    m.add_class::<cache::RemoteCache>()?;
    m.add_function(wrap_pyfunction!(verifier::decode_unverified, m)?)?;
    m.add_class::<cookie::SessionCookieReader>()?;
    m.add_function(wrap_pyfunction!(verifier::bearer_token, m)?)?;
    m.add_function(wrap_pyfunction!(convert::_now_ms, m)?)?;
    m.add_function(wrap_pyfunction!(verifier::algorithms, m)?)?;
    m.add_function(wrap_pyfunction!(doctor::doctor, m)?)?;
    m.add_function(wrap_pyfunction!(doctor::doctor_jwks_paths, m)?)?;
    Ok(())
}
