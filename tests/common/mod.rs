//! Shared helpers for the integration tests: fixture loading and test-token signing.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use hmac::{KeyInit as _, Mac as _};
use serde_json::Value;

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub fn unb64(s: &str) -> Vec<u8> {
    B64.decode(s).unwrap()
}

/// A fixed Ed25519 test key (RFC 8037 A.1).
pub const ED_SEED: [u8; 32] = [
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xae, 0x7f, 0x60, 0x29, 0x81, 0x1a,
];

pub fn ed_key(seed: [u8; 32]) -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&seed)
}

/// The public JWK of `ed_key(seed)` with the given extra members.
pub fn ed_jwk(seed: [u8; 32], extra: Value) -> Value {
    let key = ed_key(seed);
    let mut jwk = serde_json::json!({
        "kty": "OKP", "crv": "Ed25519",
        "x": b64(key.verifying_key().as_bytes()),
    });
    if let Value::Object(extra) = extra {
        jwk.as_object_mut().unwrap().extend(extra);
    }
    jwk
}

/// Signs `header`/`payload` (raw JSON texts) with Ed25519.
pub fn sign_ed(seed: [u8; 32], header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let sig = ed_key(seed).sign(input.as_bytes());
    format!("{input}.{}", b64(&sig.to_bytes()))
}

/// Signs `header`/`payload` (raw JSON texts) with HMAC-SHA-256.
pub fn sign_hs256(secret: &[u8], header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", b64(&mac.finalize().into_bytes()))
}

pub fn jwks(keys: &[Value]) -> edgejwt::Jwks {
    edgejwt::Jwks::from_value(&serde_json::json!({ "keys": keys })).unwrap()
}
