//! How JS verifies: `WasmVerifier` (a prepared JWKS and options), decoding and the Bearer rule.

use super::convert::{push_json_str, push_u64, result_json};
use super::errors::js_error;
use crate::{decode_unverified, Algorithm, Error, Jwks, KeyVerdict, Options, Verifier};
use alloc::string::String;
use alloc::vec::Vec;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Options as the JS layer sends them (already type-checked there).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsOptions {
    issuer: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    algorithms: Option<Vec<String>>,
    clock_tolerance: Option<f64>,
    max_token_age: Option<f64>,
    subject: Option<String>,
    typ: Option<String>,
    required_claims: Option<Vec<String>>,
    max_token_length: Option<usize>,
}

impl JsOptions {
    fn into_options(self) -> Result<Options, Error> {
        let mut o = Options::default()
            .clock_tolerance(self.clock_tolerance.unwrap_or(0.0))
            .required_claims(self.required_claims.unwrap_or_default());
        if let Some(iss) = self.issuer {
            o = o.issuers(iss);
        }
        if let Some(aud) = self.audience {
            o = o.audiences(aud);
        }
        if let Some(algs) = self.algorithms {
            o = o.algorithms(Algorithm::from_names(algs.iter().map(String::as_str))?);
        }
        if let Some(age) = self.max_token_age {
            o = o.max_token_age(age);
        }
        if let Some(sub) = self.subject {
            o = o.subject(sub);
        }
        if let Some(typ) = self.typ {
            o = o.typ(typ);
        }
        if let Some(max) = self.max_token_length {
            o = o.max_token_length(max);
        }
        Ok(o)
    }
}

/// A verifier holding a prepared JWKS and options.
#[wasm_bindgen]
pub struct WasmVerifier {
    inner: Verifier,
}

#[wasm_bindgen]
impl WasmVerifier {
    /// Parses and prepares `jwks_json`; `options_json` as described in the module docs.
    #[wasm_bindgen(constructor)]
    pub fn new(jwks_json: &str, options_json: &str) -> Result<WasmVerifier, JsValue> {
        let options: JsOptions = serde_json::from_slice(options_json.as_bytes())
            .map_err(|_| js_error(Error::NotSupported("Invalid verifier options".into())))?;
        let options = options.into_options().map_err(js_error)?;
        let jwks = Jwks::from_json(jwks_json).map_err(js_error)?;
        let inner = Verifier::new(jwks, options).map_err(js_error)?;
        Ok(WasmVerifier { inner })
    }

    /// Like the constructor, for a set fetched from a URL: its `oct` keys are never used.
    pub fn remote(jwks_json: &str, options_json: &str) -> Result<WasmVerifier, JsValue> {
        let options: JsOptions = serde_json::from_slice(options_json.as_bytes())
            .map_err(|_| js_error(Error::NotSupported("Invalid verifier options".into())))?;
        let jwks = Jwks::from_remote_json(jwks_json).map_err(js_error)?;
        let inner =
            Verifier::new(jwks, options.into_options().map_err(js_error)?).map_err(js_error)?;
        Ok(WasmVerifier { inner })
    }

    /// Verifies `token` at `now_secs` (seconds since the epoch); returns
    /// `{"payload":…,"protectedHeader":…}` as JSON text.
    pub fn verify(&self, token: &str, now_secs: f64) -> Result<String, JsValue> {
        let jwt = self
            .inner
            .verify(token, now_secs as i64)
            .map_err(js_error)?;
        Ok(result_json(&jwt.header, &jwt.payload))
    }

    /// Which key `token` selects and why each other key was passed over, as JSON:
    /// `{"selected":index|null,"keys":[{"verdict":…,"reason":…},…]}` with `verdict` one of
    /// `fits`, `fits_but_unusable` or a refusal (`kid_differs`, `kty_differs`, `alg_differs`,
    /// `use_not_sig`, `key_ops_lack_verify`), in the order of [`WasmVerifier::keys`].
    pub fn selection(&self, token: &str) -> Result<String, JsValue> {
        let report = self.inner.selection_report(token).map_err(js_error)?;
        let mut out = String::from("{\"selected\":");
        match report.selected {
            Some(i) => push_u64(&mut out, i as u64),
            None => out.push_str("null"),
        }
        out.push_str(",\"keys\":[");
        for (i, verdict) in report.keys.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let (id, reason) = match verdict {
                KeyVerdict::Fits => ("fits", None),
                KeyVerdict::FitsButUnusable(reason) => ("fits_but_unusable", Some(reason.as_str())),
                KeyVerdict::Refused(refusal) => (refusal.as_str(), Some(refusal.message())),
            };
            out.push_str("{\"verdict\":\"");
            out.push_str(id);
            out.push_str("\",\"reason\":");
            match reason {
                Some(r) => push_json_str(&mut out, r),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("]}");
        Ok(out)
    }

    /// The JWKS keys with their usability and problems (`Jwks::key_problems`), as a JSON array.
    pub fn keys(&self) -> String {
        let mut out = String::from("[");
        let problems = self.inner.jwks().key_problems();
        for (i, k) in self.inner.jwks().key_info().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let opt = |out: &mut String, name: &str, v: &Option<String>| {
                out.push_str(name);
                match v {
                    Some(s) => push_json_str(out, s),
                    None => out.push_str("null"),
                }
            };
            opt(&mut out, "{\"kid\":", &k.kid);
            opt(&mut out, ",\"kty\":", &k.kty);
            opt(&mut out, ",\"alg\":", &k.alg);
            opt(&mut out, ",\"crv\":", &k.crv);
            opt(&mut out, ",\"use\":", &k.use_);
            out.push_str(",\"bits\":");
            match k.bits {
                Some(b) => push_u64(&mut out, b as u64),
                None => out.push_str("null"),
            }
            out.push_str(if k.usable {
                ",\"usable\":true"
            } else {
                ",\"usable\":false"
            });
            opt(&mut out, ",\"reason\":", &k.reason);
            out.push_str(",\"problems\":[");
            for (j, p) in problems[i].iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str("{\"id\":\"");
                out.push_str(p.id);
                out.push_str("\",\"message\":");
                push_json_str(&mut out, &p.message);
                out.push('}');
            }
            out.push_str("]}");
        }
        out.push(']');
        out
    }
}

/// Decodes a JWT without verifying: `{"protectedHeader":…,"payload":…}`.
#[wasm_bindgen]
pub fn decode(token: &str) -> Result<String, JsValue> {
    let (header, payload) = decode_unverified(token).map_err(js_error)?;
    Ok(result_json(&header, &payload))
}

/// The token of an `Authorization` header's value (`bearer_token`); `None` when absent.
#[wasm_bindgen]
pub fn bearer_token(authorization: Option<String>) -> Result<String, JsValue> {
    crate::bearer_token(authorization.as_deref())
        .map(String::from)
        .map_err(js_error)
}

/// Decodes a JWS/JWT protected header without verifying.
#[wasm_bindgen]
pub fn decode_protected_header(token: &str) -> Result<String, JsValue> {
    crate::decode_protected_header(token).map_err(js_error)
}
