//! The wasm-bindgen boundary, run inside WebAssembly (Node) by wasm-bindgen-test-runner:
//! `cargo test --target wasm32-unknown-unknown --features wasm --test wasm`.
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

use edgejwt::wasm::{decode, decode_protected_header, WasmVerifier};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "common/wycheproof_rsa.rs"]
mod wycheproof_rsa;

const FIXTURES: &str = include_str!("fixtures/jose.json");

fn fixtures() -> Value {
    serde_json::from_str(FIXTURES).unwrap()
}

/// The thrown value is a string holding the error as JSON.
fn thrown(e: wasm_bindgen::JsValue) -> Value {
    serde_json::from_str(&e.as_string().expect("errors are thrown as strings")).unwrap()
}

fn verifier(jwks: &Value, options: &str) -> WasmVerifier {
    WasmVerifier::new(&jwks.to_string(), options).unwrap_or_else(|e| panic!("{:?}", thrown(e)))
}

#[wasm_bindgen_test]
fn every_algorithm_verifies_inside_wasm() {
    let f = fixtures();
    let now = f["now"].as_f64().unwrap();
    let public = verifier(&f["jwks"], "{}");
    let secret = verifier(&f["secret_jwks"], "{}");
    let mut algs = std::collections::BTreeSet::new();
    for t in f["tokens"].as_array().unwrap() {
        let alg = t["alg"].as_str().unwrap();
        let v = if alg.starts_with("HS") {
            &secret
        } else {
            &public
        };
        let out = v
            .verify(t["token"].as_str().unwrap(), now)
            .unwrap_or_else(|e| panic!("{alg}: {:?}", thrown(e)));
        let out: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(out["payload"], t["payload"], "{alg}");
        assert_eq!(out["protectedHeader"]["alg"], alg);
        algs.insert(alg.to_string());
    }
    // Every algorithm of the table, except the fully-specified `Ed25519`: jose names its
    // Ed25519 signatures `EdDSA`, so the fixtures have none.
    let expected: std::collections::BTreeSet<String> = edgejwt::Algorithm::ALL
        .iter()
        .map(|a| a.name().to_string())
        .filter(|name| name != "Ed25519")
        .collect();
    assert_eq!(algs, expected);
}

#[wasm_bindgen_test]
fn errors_cross_the_boundary_as_coded_json() {
    let f = fixtures();
    let t = &f["tokens"][0];
    let exp = t["payload"]["exp"].as_f64().unwrap();
    let v = verifier(
        &f["jwks"],
        r#"{"issuer":["http://localhost:3000"],"clockTolerance":0}"#,
    );
    let e = thrown(v.verify(t["token"].as_str().unwrap(), exp).unwrap_err());
    assert_eq!(e["code"], "ERR_JWT_EXPIRED");
    assert_eq!(e["claim"], "exp");
    assert_eq!(e["reason"], "check_failed");
    assert_eq!(e["payload"], t["payload"]);
    assert!(e["hint"].as_str().unwrap().contains("expired"));

    let e = thrown(WasmVerifier::new("[]", "{}").err().unwrap());
    assert_eq!(e["code"], "ERR_JWKS_INVALID");
    let e = thrown(
        WasmVerifier::new(r#"{"keys":[]}"#, r#"{"nope":1}"#)
            .err()
            .unwrap(),
    );
    assert_eq!(e["code"], "ERR_JOSE_NOT_SUPPORTED");
}

#[wasm_bindgen_test]
fn hostile_input_never_traps_and_the_instance_keeps_working() {
    let f = fixtures();
    let now = f["now"].as_f64().unwrap();
    let v = verifier(&f["jwks"], "{}");
    let good = f["tokens"][0]["token"].as_str().unwrap();
    let deep = format!(
        "{}.{}.AA",
        b64("{\"alg\":\"EdDSA\"}"),
        b64(&"[".repeat(100_000))
    );
    let huge = "a".repeat(2_000_000);
    let inputs = [
        "".to_string(),
        "....".into(),
        "\u{0}\u{ffff}.\u{d7ff}.x".into(),
        deep,
        huge,
        format!(
            "{}.e30.",
            b64("{\"alg\":\"RS256\",\"kid\":\"rsa2048-rs256\"}")
        ),
    ];
    for input in &inputs {
        let e = thrown(v.verify(input, now).unwrap_err());
        assert!(e["code"].as_str().unwrap().starts_with("ERR_"), "{e}");
        assert!(v.verify(good, now).is_ok());
    }
    assert!(decode(good).is_ok());
    assert!(decode_protected_header(good).is_ok());
    assert_eq!(thrown(decode("x").unwrap_err())["code"], "ERR_JWT_INVALID");
}

#[wasm_bindgen_test]
fn keys_lists_every_key_with_usability() {
    let f = fixtures();
    let keys: Value = serde_json::from_str(&verifier(&f["jwks"], "{}").keys()).unwrap();
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), f["jwks"]["keys"].as_array().unwrap().len());
    assert!(keys
        .iter()
        .all(|k| k["usable"] == true && k["kid"].is_string()));
}

fn b64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

/// edgejwt-math's RSAVP1 as the module runs it (`PublicKey`: SIMD128, four columns per pass)
/// against its scalar `Key<u32>`, inside WebAssembly: moduli whose limb counts cover every
/// remainder modulo 4 (the passes' vector width), up to 8192 bits; small, large and random
/// exponents; edge and random signatures.
#[wasm_bindgen_test]
fn rsa_simd_products_match_the_scalar_ones() {
    use edgejwt_math::rsa::{Key, PublicKey};
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut bytes = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    };
    let mut moduli = vec![vec![0xffu8; 256], vec![0xffu8; 1024]];
    for bits in [2048, 2049, 2076, 2100, 2127, 2154, 3072, 4096, 4100, 8192] {
        let mut n = bytes(bits / 8 + usize::from(bits % 8 != 0));
        let top = 8 * n.len() - bits;
        n[0] &= 0xff >> top;
        n[0] |= 0x80 >> top;
        *n.last_mut().unwrap() |= 1;
        moduli.push(n);
    }
    for (idx, n) in moduli.iter().enumerate() {
        let exponents: &[&[u8]] = match idx % 3 {
            0 => &[&[1, 0, 1], &[3]],
            1 => &[&[1, 0, 1]],
            _ => &[
                &[1, 0, 1],
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            ],
        };
        for &e in exponents {
            let simd = PublicKey::new(n, e).unwrap();
            let scalar = Key::<u32>::new(n, e).unwrap();
            let mut inputs = vec![vec![0u8; n.len()], vec![0u8; n.len()]];
            inputs[1][n.len() - 1] = 1;
            let mut n_minus = n.clone();
            *n_minus.last_mut().unwrap() -= 1; // n is odd
            inputs.push(n_minus.clone());
            *n_minus.last_mut().unwrap() -= 1;
            inputs.push(n_minus);
            for _ in 0..3 {
                let mut s = bytes(n.len());
                s[0] %= n[0]; // below n
                inputs.push(s);
            }
            for s in &inputs {
                let (mut a, mut b) = ([0u8; 1024], [0u8; 1024]);
                let got = simd.public_op(s, &mut a).map(|x| x.to_vec());
                let want = scalar.public_op(s, &mut b).map(|x| x.to_vec());
                assert!(want.is_some());
                assert_eq!(got, want, "{} bits, e = {e:?}", simd.bits());
            }
            // Not below n, wrong length: rejected by both.
            assert!(simd.public_op(n, &mut [0u8; 1024]).is_none());
            assert!(simd.public_op(&n[1..], &mut [0u8; 1024]).is_none());
        }
    }
}

/// Project Wycheproof's RSA signatures (PKCS#1 v1.5 and PSS, 2048–4096 bits) through the
/// module's RSAVP1 (SIMD128) and the scalar `Key<u32>`: identical outputs, inside WebAssembly.
#[wasm_bindgen_test]
fn wycheproof_rsa_signatures_give_the_same_rsavp1_with_simd() {
    use edgejwt_math::rsa::{Key, PublicKey};
    let mut compared = 0;
    wycheproof_rsa::for_each_key(|n, e, tests| {
        let (Ok(simd), Ok(scalar)) = (PublicKey::new(n, e), Key::<u32>::new(n, e)) else {
            return;
        };
        for t in tests {
            let sig = wycheproof_rsa::hex(t["sig"].as_str().unwrap());
            let (mut a, mut b) = ([0u8; 1024], [0u8; 1024]);
            let got = simd.public_op(&sig, &mut a).map(|x| x.to_vec());
            let want = scalar.public_op(&sig, &mut b).map(|x| x.to_vec());
            assert_eq!(got, want, "tcId {} ({})", t["tcId"], t["comment"]);
            compared += usize::from(got.is_some());
        }
    });
    assert!(compared > 500, "{compared}");
}
