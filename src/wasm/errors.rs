//! Core errors as the JS layer receives them: a JS string holding the error's JSON, which
//! `pkg/src/wasm.js` turns into the generated error classes.

use super::convert::push_json_str;
use crate::Error;
use alloc::string::String;
use wasm_bindgen::prelude::*;

/// Serializes an error as the JSON text the JS layer expects, and wraps it in a JsValue string
/// (what the exported functions return as their `Err`, which wasm-bindgen throws).
pub(super) fn js_error(e: Error) -> JsValue {
    JsValue::from_str(&error_json(&e))
}

/// `{"code","message","claim"?,"reason"?,"payload"?,"hint"?}`.
pub(super) fn error_json(e: &Error) -> String {
    let mut out = String::with_capacity(128);
    out.push_str("{\"code\":\"");
    out.push_str(e.code());
    out.push_str("\",\"message\":");
    push_json_str(&mut out, &alloc::format!("{e}"));
    if let Some(claim) = e.claim() {
        out.push_str(",\"claim\":");
        push_json_str(&mut out, claim);
    }
    if let Some(reason) = e.reason() {
        out.push_str(",\"reason\":\"");
        out.push_str(reason.as_str());
        out.push('"');
    }
    if let Some(payload) = e.payload() {
        // Already validated JSON: embed as is.
        out.push_str(",\"payload\":");
        out.push_str(payload);
    }
    if let Some(hint) = e.hint() {
        out.push_str(",\"hint\":");
        push_json_str(&mut out, hint);
    }
    out.push('}');
    out
}
