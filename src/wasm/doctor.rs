//! How JS asks for `edgejwt doctor`'s judging (the command line's module only).

use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

/// `edgejwt doctor`'s judging (`doctor::diagnose_json`): the observations' JSON text → the
/// checks, as JSON text or as the text the command line prints. Only in the command line's
/// module (feature `doctor`).
#[cfg(feature = "doctor")]
#[wasm_bindgen]
pub fn doctor(observations: &str, json: bool) -> String {
    crate::doctor::diagnose_json(observations, json)
}

/// The JWKS paths `edgejwt doctor` tries under the base URL: Better Auth's first.
#[cfg(feature = "doctor")]
#[wasm_bindgen]
pub fn doctor_jwks_paths() -> Vec<String> {
    crate::doctor::USUAL_JWKS_PATHS
        .iter()
        .map(|p| String::from(*p))
        .collect()
}
