//! How JS reads Better Auth session cookies (`crate::cookie::SessionCookieReader`).

use super::errors::js_error;
use crate::Error;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Session-cookie options as the JS layer sends them (already type-checked there).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsCookieOptions {
    strategy: String,
    secret: Option<String>,
    jwks: Option<String>,
    issuer: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    cookie_prefix: String,
    cookie_name: String,
    is_secure: Option<bool>,
    version: Option<String>,
}

/// Reads Better Auth session cookies of one app (a `crate::cookie::SessionCookieReader`).
#[wasm_bindgen]
pub struct WasmSessionCookieReader {
    inner: crate::cookie::SessionCookieReader,
}

#[wasm_bindgen]
impl WasmSessionCookieReader {
    /// `options_json`: `{strategy, secret?, jwks? (JSON text), issuer?, audience?, cookiePrefix,
    /// cookieName, isSecure?, version?}`.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<WasmSessionCookieReader, JsValue> {
        let invalid = || js_error(Error::NotSupported("Invalid session cookie options".into()));
        let o: JsCookieOptions =
            serde_json::from_slice(options_json.as_bytes()).map_err(|_| invalid())?;
        let strategy = crate::cookie::Strategy::from_name(&o.strategy).ok_or_else(invalid)?;
        let options = crate::cookie::ReadOptions {
            strategy,
            secret: o.secret.map(String::into_bytes),
            jwks: o.jwks,
            issuer: o.issuer,
            audience: o.audience,
            cookie_prefix: o.cookie_prefix,
            cookie_name: o.cookie_name,
            is_secure: o.is_secure,
            version: o.version,
        };
        Ok(WasmSessionCookieReader {
            inner: crate::cookie::SessionCookieReader::new(options),
        })
    }

    /// The session data's JSON text from the `Cookie` header's value, or `undefined` when the
    /// header has no session cookie.
    pub fn read(&self, cookie_header: &str, now_ms: f64) -> Result<Option<String>, JsValue> {
        self.inner.read(cookie_header, now_ms).map_err(js_error)
    }
}
