//! Token parsing and verification (every algorithm's key in the set) plus the unverified
//! decoders, on arbitrary input. Must never panic, hang or allocate without bound.
#![no_main]
use edgejwt::{Jwks, Options, Verifier};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const FIXTURES: &str = include_str!("../../tests/fixtures/jose.json");

fn verifiers() -> &'static (Verifier, Verifier, i64) {
    static V: OnceLock<(Verifier, Verifier, i64)> = OnceLock::new();
    V.get_or_init(|| {
        let f: serde_json::Value = serde_json::from_str(FIXTURES).unwrap();
        let options = Options::default()
            .issuer("http://localhost:3000")
            .audience("http://localhost:3000")
            .max_token_age(3600.0)
            .required_claims(["uuid"]);
        (
            Verifier::new(Jwks::from_value(&f["jwks"]).unwrap(), options.clone()).unwrap(),
            Verifier::new(Jwks::from_value(&f["secret_jwks"]).unwrap(), options).unwrap(),
            f["now"].as_i64().unwrap(),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let (public, secret, now) = verifiers();
    let _ = public.verify(token, *now);
    let _ = secret.verify(token, *now);
    let _ = public.verify_jws(token);
    let _ = edgejwt::decode_unverified(token);
    let _ = edgejwt::decode_protected_header(token);
});
