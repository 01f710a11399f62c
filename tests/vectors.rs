//! Known answers: the RFC example signatures, and tokens signed by an independent implementation
//! (jose, `tests/fixtures/gen.mjs`) for every algorithm, plus every single-bit flip of each.

mod common;
use common::*;
use edgejwt::{Algorithm, Jwks, Options, Verifier};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn rfc_vectors() -> Vec<Value> {
    let v = fixture("rfc.json");
    match v {
        Value::Array(a) => a,
        Value::Object(o) => o["vectors"].as_array().unwrap().clone(),
        _ => panic!("rfc.json"),
    }
}

#[test]
fn rfc_example_signatures_verify() {
    let mut seen = BTreeSet::new();
    for v in rfc_vectors() {
        let source = v["source"].as_str().unwrap();
        let alg: Algorithm = v["alg"].as_str().unwrap().parse().unwrap();
        let verifier = Verifier::new(jwks(&[v["jwk"].clone()]), Options::default()).unwrap();
        let token = v["token"].as_str().unwrap();
        let jws = verifier
            .verify_jws(token)
            .unwrap_or_else(|e| panic!("{source}: {e}"));
        assert_eq!(jws.alg, alg, "{source}");
        assert_eq!(
            b64(&jws.payload),
            v["payload_b64"].as_str().unwrap(),
            "{source}"
        );
        // One flipped signature bit and it fails.
        let (input, sig) = token.rsplit_once('.').unwrap();
        let mut sig = unb64(sig);
        sig[0] ^= 1;
        assert!(
            verifier
                .verify_jws(&format!("{input}.{}", b64(&sig)))
                .is_err(),
            "{source}"
        );
        seen.insert(source.to_string());
    }
    for want in [
        "RFC 7515 A.2",
        "RFC 7515 A.3",
        "RFC 7515 A.4",
        "RFC 7520 4.1",
        "RFC 7520 4.2",
        "RFC 7520 4.3",
        "RFC 7520 4.4",
        "RFC 8037 A.4",
    ] {
        assert!(
            seen.iter()
                .any(|s| s.replace('§', "").replace("  ", " ").starts_with(want)),
            "missing vector {want}: have {seen:?}"
        );
    }
}

#[test]
fn rfc7515_a2_is_a_jwt_with_an_expiry_in_2011() {
    let v = rfc_vectors()
        .into_iter()
        .find(|v| v["source"].as_str().unwrap().contains("7515") && v["alg"] == "RS256")
        .unwrap();
    let verifier = Verifier::new(jwks(&[v["jwk"].clone()]), Options::default()).unwrap();
    let token = v["token"].as_str().unwrap();
    let jwt = verifier.verify(token, 1_300_819_000).unwrap();
    assert!(jwt.payload.contains("\"iss\":\"joe\""));
    let e = verifier.verify(token, 1_300_819_380).unwrap_err();
    assert_eq!((e.code(), e.claim()), ("ERR_JWT_EXPIRED", Some("exp")));
}

struct Fixture {
    now: i64,
    public: Verifier,
    secret: Verifier,
    tokens: Vec<Value>,
}

fn jose_fixture() -> Fixture {
    let f = fixture("jose.json");
    Fixture {
        now: f["now"].as_i64().unwrap(),
        public: Verifier::new(Jwks::from_value(&f["jwks"]).unwrap(), Options::default()).unwrap(),
        secret: Verifier::new(
            Jwks::from_value(&f["secret_jwks"]).unwrap(),
            Options::default(),
        )
        .unwrap(),
        tokens: f["tokens"].as_array().unwrap().clone(),
    }
}

impl Fixture {
    fn verifier(&self, alg: &str) -> &Verifier {
        if alg.starts_with("HS") {
            &self.secret
        } else {
            &self.public
        }
    }
}

#[test]
fn jose_signed_tokens_verify_for_every_algorithm() {
    let f = jose_fixture();
    let mut algs = BTreeSet::new();
    for t in &f.tokens {
        let alg = t["alg"].as_str().unwrap();
        let name = t["name"].as_str().unwrap();
        let jwt = f
            .verifier(alg)
            .verify(t["token"].as_str().unwrap(), f.now)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let payload: Value = serde_json::from_str(&jwt.payload).unwrap();
        assert_eq!(payload, t["payload"], "{name}");
        let header: Value = serde_json::from_str(&jwt.header).unwrap();
        assert_eq!(header["alg"], alg, "{name}");
        assert_eq!(header["kid"], t["kid"], "{name}");
        assert_eq!(jwt.alg.name(), alg);
        algs.insert(alg.to_string());
    }
    let all: BTreeSet<String> = Algorithm::ALL
        .iter()
        .filter(|a| **a != Algorithm::Ed25519)
        .map(|a| a.name().to_string())
        .collect();
    assert_eq!(algs, all);
}

#[test]
fn every_single_bit_flip_of_header_payload_and_signature_is_rejected() {
    let f = jose_fixture();
    let mut flips = 0usize;
    for t in &f.tokens {
        let verifier = f.verifier(t["alg"].as_str().unwrap());
        let token = t["token"].as_str().unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        for seg in 0..3 {
            let bytes = unb64(parts[seg]);
            for i in 0..bytes.len() * 8 {
                let mut flipped = bytes.clone();
                flipped[i / 8] ^= 1 << (i % 8);
                let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
                p[seg] = b64(&flipped);
                let r = verifier.verify(&p.join("."), f.now);
                assert!(r.is_err(), "{} segment {seg} bit {i} verified", t["name"]);
                flips += 1;
            }
        }
    }
    assert!(flips > 10_000, "{flips}");
}

#[test]
fn tokens_do_not_verify_under_another_algorithms_key() {
    // Re-label each token's kid to every other key's kid: selection or the signature must fail.
    let f = jose_fixture();
    let kids: Vec<(String, String)> = f
        .tokens
        .iter()
        .map(|t| {
            (
                t["kid"].as_str().unwrap().into(),
                t["alg"].as_str().unwrap().into(),
            )
        })
        .collect();
    for t in &f.tokens {
        let token = t["token"].as_str().unwrap();
        let (_, rest) = token.split_once('.').unwrap();
        for (kid, alg) in &kids {
            if kid == t["kid"].as_str().unwrap() {
                continue;
            }
            let header = json!({"alg": alg, "kid": kid}).to_string();
            let forged = format!("{}.{rest}", b64(header.as_bytes()));
            assert!(
                f.verifier(alg).verify(&forged, f.now).is_err(),
                "{} as {kid}",
                t["name"]
            );
        }
    }
}

#[test]
fn expiry_of_real_tokens_is_exact_to_the_second() {
    let f = jose_fixture();
    for t in &f.tokens {
        let exp = t["payload"]["exp"].as_i64().unwrap();
        let v = f.verifier(t["alg"].as_str().unwrap());
        let token = t["token"].as_str().unwrap();
        assert!(v.verify(token, exp - 1).is_ok());
        let e = v.verify(token, exp).unwrap_err();
        assert_eq!((e.code(), e.claim()), ("ERR_JWT_EXPIRED", Some("exp")));
    }
}

/// P-256 group order, big-endian.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// `n - s` for 32-byte big-endian values (s < n).
fn negate_mod_n(s: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = P256_N[i] as i16 - s[i] as i16 - borrow;
        borrow = i16::from(d < 0);
        out[i] = (d + 256 * borrow) as u8;
    }
    out
}

fn es256_token() -> (Fixture, String) {
    let f = jose_fixture();
    let t = f.tokens.iter().find(|t| t["alg"] == "ES256").unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    (f, t)
}

#[test]
fn ecdsa_high_s_signatures_are_accepted_like_webcrypto() {
    let (f, token) = es256_token();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = unb64(sig);
    let (r, s) = sig.split_at(32);
    let flipped = [r, &negate_mod_n(s)].concat();
    assert_ne!(flipped, sig);
    assert!(f
        .public
        .verify(&format!("{input}.{}", b64(&flipped)), f.now)
        .is_ok());
}

#[test]
fn ecdsa_der_encoded_signatures_are_rejected() {
    let (f, token) = es256_token();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = unb64(sig);
    let int = |x: &[u8]| {
        let x: Vec<u8> = x.iter().copied().skip_while(|&b| b == 0).collect();
        let x = if x[0] & 0x80 != 0 {
            [&[0u8][..], &x].concat()
        } else {
            x
        };
        [&[0x02, x.len() as u8][..], &x].concat()
    };
    let body = [int(&sig[..32]), int(&sig[32..])].concat();
    let der = [&[0x30, body.len() as u8][..], &body].concat();
    let e = f
        .public
        .verify(&format!("{input}.{}", b64(&der)), f.now)
        .unwrap_err();
    assert_eq!(e.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    // Wrong lengths too: one byte short, one byte long.
    for bad in [&sig[..63], &[&sig[..], &[0u8][..]].concat()[..]] {
        assert!(f
            .public
            .verify(&format!("{input}.{}", b64(bad)), f.now)
            .is_err());
    }
}
