//! Every error code, produced through the public API, with claim names and reasons; and the
//! classic JWT attacks, each as a named test.

mod common;
use common::*;
use edgejwt::{Algorithm, Error, Jwks, Options, Reason, Verifier};
use serde_json::json;

const NOW: i64 = 1_767_225_600;
const SEED2: [u8; 32] = [7u8; 32];

fn ed_verifier(options: Options) -> Verifier {
    let jwks = jwks(&[ed_jwk(
        ED_SEED,
        json!({"kid": "k1", "alg": "EdDSA", "use": "sig"}),
    )]);
    Verifier::new(jwks, options).unwrap()
}

fn token(payload: &str) -> String {
    sign_ed(ED_SEED, r#"{"alg":"EdDSA","kid":"k1"}"#, payload)
}

fn code(r: Result<impl core::fmt::Debug, Error>) -> &'static str {
    r.unwrap_err().code()
}

#[test]
fn valid_token_verifies_and_keeps_member_order() {
    let payload = r#"{"sub":"u1","z":1,"a":{"nested":[1,2]},"exp":1767226500}"#;
    let jwt = ed_verifier(Options::default())
        .verify(&token(payload), NOW)
        .unwrap();
    assert_eq!(jwt.payload, payload);
    assert_eq!(jwt.header, r#"{"alg":"EdDSA","kid":"k1"}"#);
    assert_eq!(jwt.alg, Algorithm::EdDSA);
    let v: serde_json::Value = jwt.claims().unwrap();
    assert_eq!(v["a"]["nested"][1], 2);
}

#[test]
fn err_jwt_expired_for_exp_and_for_max_token_age() {
    let v = ed_verifier(Options::default());
    let e = v.verify(&token(r#"{"exp":1767225600}"#), NOW).unwrap_err();
    assert_eq!((e.code(), e.claim()), ("ERR_JWT_EXPIRED", Some("exp")));
    assert_eq!(e.to_string(), "\"exp\" claim timestamp check failed");
    assert!(e.hint().unwrap().contains("expired"));
    assert_eq!(e.payload(), Some(r#"{"exp":1767225600}"#));

    let v = ed_verifier(Options::default().max_token_age(300.0));
    let e = v.verify(&token(r#"{"iat":1767225299}"#), NOW).unwrap_err();
    assert_eq!((e.code(), e.claim()), ("ERR_JWT_EXPIRED", Some("iat")));
    assert!(v.verify(&token(r#"{"iat":1767225300}"#), NOW).is_ok());
}

#[test]
fn err_jwt_claim_validation_failed_names_claim_and_reason() {
    let opts = Options::default()
        .issuer("http://localhost:3000")
        .audience("http://localhost:3000")
        .subject("u1")
        .required_claims(["uuid"]);
    let v = ed_verifier(opts);
    let good =
        r#"{"iss":"http://localhost:3000","aud":"http://localhost:3000","sub":"u1","uuid":"x"}"#;
    assert!(v.verify(&token(good), NOW).is_ok());
    let cases = [
        (
            r#"{"iss":"http://localhost:3000/","aud":"http://localhost:3000","sub":"u1","uuid":"x"}"#,
            "iss",
            Reason::CheckFailed,
        ),
        (
            r#"{"iss":"http://localhost:3000","aud":["a","b"],"sub":"u1","uuid":"x"}"#,
            "aud",
            Reason::CheckFailed,
        ),
        (
            r#"{"iss":"http://localhost:3000","aud":"http://localhost:3000","sub":"u2","uuid":"x"}"#,
            "sub",
            Reason::CheckFailed,
        ),
        (
            r#"{"iss":"http://localhost:3000","aud":"http://localhost:3000","sub":"u1"}"#,
            "uuid",
            Reason::Missing,
        ),
        (
            r#"{"aud":"http://localhost:3000","sub":"u1","uuid":"x"}"#,
            "iss",
            Reason::Missing,
        ),
        (
            r#"{"iss":"http://localhost:3000","aud":"http://localhost:3000","sub":"u1","uuid":"x","nbf":1767225601}"#,
            "nbf",
            Reason::CheckFailed,
        ),
        (
            r#"{"iss":"http://localhost:3000","aud":"http://localhost:3000","sub":"u1","uuid":"x","exp":"soon"}"#,
            "exp",
            Reason::Invalid,
        ),
    ];
    for (payload, claim, reason) in cases {
        let e = v.verify(&token(payload), NOW).unwrap_err();
        assert_eq!(e.code(), "ERR_JWT_CLAIM_VALIDATION_FAILED", "{payload}");
        assert_eq!(e.claim(), Some(claim), "{payload}");
        assert_eq!(e.reason(), Some(reason), "{payload}");
    }
}

#[test]
fn typ_option_checks_the_header() {
    let jwks = jwks(&[ed_jwk(ED_SEED, json!({"kid": "k1"}))]);
    let v = Verifier::new(jwks, Options::default().typ("JWT")).unwrap();
    let t = sign_ed(ED_SEED, r#"{"alg":"EdDSA","kid":"k1","typ":"jwt"}"#, "{}");
    assert!(v.verify(&t, NOW).is_ok());
    let t = sign_ed(
        ED_SEED,
        r#"{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}"#,
        "{}",
    );
    let e = v.verify(&t, NOW).unwrap_err();
    assert_eq!(
        (e.code(), e.claim()),
        ("ERR_JWT_CLAIM_VALIDATION_FAILED", Some("typ"))
    );
}

#[test]
fn err_jws_signature_verification_failed_says_nothing_more() {
    let v = ed_verifier(Options::default());
    let good = token("{}");
    let forged = sign_ed(SEED2, r#"{"alg":"EdDSA","kid":"k1"}"#, "{}");
    let e = v.verify(&forged, NOW).unwrap_err();
    assert_eq!(e, Error::SignatureVerificationFailed);
    assert_eq!(e.to_string(), "signature verification failed");
    // Payload swapped under a valid signature.
    let mut parts: Vec<&str> = good.split('.').collect();
    let other = b64(br#"{"admin":true}"#);
    parts[1] = &other;
    assert_eq!(
        code(v.verify(&parts.join("."), NOW)),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );
}

#[test]
fn err_jwks_no_matching_key_names_the_kids() {
    let jwks = jwks(&[
        ed_jwk(ED_SEED, json!({"kid": "new-key"})),
        ed_jwk(SEED2, json!({"kid": "other"})),
    ]);
    let v = Verifier::new(jwks, Options::default()).unwrap();
    let e = v.verify(&token("{}"), NOW).unwrap_err();
    assert_eq!(e.code(), "ERR_JWKS_NO_MATCHING_KEY");
    let msg = e.to_string();
    assert!(
        msg.contains("\"k1\"") && msg.contains("\"new-key\"") && msg.contains("\"other\""),
        "{msg}"
    );
    assert!(e.hint().unwrap().contains("rotated"));
}

#[test]
fn err_jwks_multiple_matching_keys_when_kid_cannot_pick() {
    let jwks = jwks(&[ed_jwk(ED_SEED, json!({})), ed_jwk(SEED2, json!({}))]);
    let v = Verifier::new(jwks, Options::default()).unwrap();
    let t = sign_ed(ED_SEED, r#"{"alg":"EdDSA"}"#, "{}");
    assert_eq!(code(v.verify(&t, NOW)), "ERR_JWKS_MULTIPLE_MATCHING_KEYS");
}

#[test]
fn selection_follows_jose_rules_for_use_key_ops_alg_and_crv() {
    let t = token("{}");
    let cases = [
        (json!({"kid": "k1", "use": "enc"}), false),
        (json!({"kid": "k1", "use": "sig"}), true),
        (json!({"kid": "k1", "key_ops": ["sign"]}), false),
        (json!({"kid": "k1", "key_ops": ["verify", "verify"]}), false),
        (json!({"kid": "k1", "key_ops": ["verify"]}), true),
        (json!({"kid": "k1", "alg": "ES256"}), false),
        (json!({"kid": "k1", "alg": "EdDSA"}), true),
        (json!({"kid": "k1", "ext": "yes"}), false),
        (json!({"kid": "K1"}), false),
    ];
    for (extra, ok) in cases {
        let v = Verifier::new(jwks(&[ed_jwk(ED_SEED, extra.clone())]), Options::default()).unwrap();
        assert_eq!(v.verify(&t, NOW).is_ok(), ok, "{extra}");
        if !ok {
            assert_eq!(
                code(v.verify(&t, NOW)),
                "ERR_JWKS_NO_MATCHING_KEY",
                "{extra}"
            );
        }
    }
    // A header kid that is not a string matches nothing.
    let v = ed_verifier(Options::default());
    let t = sign_ed(ED_SEED, r#"{"alg":"EdDSA","kid":1}"#, "{}");
    assert_eq!(code(v.verify(&t, NOW)), "ERR_JWKS_NO_MATCHING_KEY");
}

#[test]
fn err_jose_alg_not_allowed_before_key_selection() {
    let v = ed_verifier(Options::default().algorithms([Algorithm::ES256]));
    let e = v.verify(&token("{}"), NOW).unwrap_err();
    assert_eq!(e, Error::AlgNotAllowed);
    // Unknown algs are not in any allowlist either.
    let t = sign_ed(ED_SEED, r#"{"alg":"none"}"#, "{}");
    assert_eq!(code(v.verify(&t, NOW)), "ERR_JOSE_ALG_NOT_ALLOWED");
}

#[test]
fn err_jose_not_supported_for_none_unknown_alg_and_unknown_crit() {
    let v = ed_verifier(Options::default());
    for alg in ["none", "None", "NONE", "nOnE", "ES256K", "RSA-OAEP"] {
        let t = format!(
            "{}.{}.",
            b64(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
            b64(b"{}")
        );
        assert_eq!(code(v.verify(&t, NOW)), "ERR_JOSE_NOT_SUPPORTED", "{alg}");
    }
    let t = sign_ed(
        ED_SEED,
        r#"{"alg":"EdDSA","kid":"k1","crit":["exp"],"exp":1}"#,
        "{}",
    );
    assert_eq!(code(v.verify(&t, NOW)), "ERR_JOSE_NOT_SUPPORTED");
}

#[test]
fn err_jwk_invalid_when_the_selected_key_is_malformed() {
    // A 1024-bit RSA modulus (128 bytes of 0xc3): below the 2048-bit minimum.
    let weak_n = b64(&[0xc3u8; 128]);
    let jwks = Jwks::from_value(&json!({"keys": [
        {"kty": "RSA", "kid": "weak", "n": weak_n, "e": "AQAB"},
        {"kty": "EC", "kid": "offcurve", "crv": "P-256", "x": b64(&[1u8; 32]), "y": b64(&[2u8; 32])},
        {"kty": "OKP", "kid": "badb64", "crv": "Ed25519", "x": "not+base64url="},
        ed_jwk(ED_SEED, json!({"kid": "k1"})),
    ]}))
    .unwrap();
    let info = jwks.key_info();
    assert!(!info[0].usable && info[0].reason.as_deref().unwrap().contains("2048"));
    assert!(!info[1].usable && !info[2].usable && info[3].usable);
    let v = Verifier::new(jwks, Options::default()).unwrap();
    // The good key still works...
    assert!(v.verify(&token("{}"), NOW).is_ok());
    // ...and tokens selecting a bad one fail with ERR_JWK_INVALID naming it.
    for (alg, kid) in [
        ("RS256", "weak"),
        ("ES256", "offcurve"),
        ("EdDSA", "badb64"),
    ] {
        let t = format!(
            "{}.{}.{}",
            b64(format!(r#"{{"alg":"{alg}","kid":"{kid}"}}"#).as_bytes()),
            b64(b"{}"),
            b64(&[0u8; 64])
        );
        let e = v.verify(&t, NOW).unwrap_err();
        assert_eq!(e.code(), "ERR_JWK_INVALID", "{kid}");
        assert!(e.to_string().contains(kid), "{e}");
    }
}

#[test]
fn err_jwks_invalid_for_malformed_sets_and_private_keys() {
    for bad in [
        "[]",
        "{}",
        r#"{"keys":{}}"#,
        r#"{"keys":[1]}"#,
        r#"{"keys":[{"kty":"OKP"}], }"#,
        "not json",
    ] {
        assert_eq!(
            Jwks::from_json(bad).unwrap_err().code(),
            "ERR_JWKS_INVALID",
            "{bad}"
        );
    }
    let too_many = format!(
        r#"{{"keys":[{}]}}"#,
        vec![r#"{"kty":"oct","k":"AA"}"#; 257].join(",")
    );
    assert_eq!(
        Jwks::from_json(&too_many).unwrap_err().code(),
        "ERR_JWKS_INVALID"
    );
    let deep = format!(
        r#"{{"keys":[{{"x":{}{}}}]}}"#,
        "[".repeat(50),
        "]".repeat(50)
    );
    assert_eq!(
        Jwks::from_json(&deep).unwrap_err().code(),
        "ERR_JWKS_INVALID"
    );
    // Unsupported key kinds are skipped, not fatal.
    let ok = Jwks::from_json(
        r#"{"keys":[{"kty":"AKP","alg":"ML-DSA-44"},{"kty":"OKP","crv":"X25519","x":"AA"}]}"#,
    );
    assert_eq!(ok.unwrap().len(), 2);
    // A private key in the JWKS is refused when selected, as jose does.
    let mut jwk = ed_jwk(ED_SEED, json!({"kid": "k1"}));
    jwk["d"] = json!(b64(&ED_SEED));
    let v = Verifier::new(jwks(&[jwk]), Options::default()).unwrap();
    assert_eq!(code(v.verify(&token("{}"), NOW)), "ERR_JWKS_INVALID");
}

#[test]
fn err_jws_invalid_for_structure_and_encoding() {
    let v = ed_verifier(Options::default());
    let good = token("{}");
    let (h, rest) = good.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let cases = [
        String::new(),
        "abc".into(),
        format!("{h}.{p}"),
        format!("{good}."),
        format!("{good}.{s}"),
        format!("{h}={p}.{s}"),
        format!("{h}.{p}.{s}="),
        format!("{h}.{p}.{}", s.replace('-', "+").replace('_', "/")),
        format!("{h}.{p}.{s} "),
        format!("{}.{p}.{s}", b64(b"[]")),
        format!(
            "{}.{p}.{s}",
            b64(b"{\"alg\":\"EdDSA\",\"alg\":\"EdDSA\",\"kid\":\"k1\"}")
        ),
        format!("{}.{p}.{s}", b64(b"{\"kid\":\"k1\"}")),
        "a".repeat(70_000),
    ];
    for t in cases {
        assert_eq!(code(v.verify(&t, NOW)), "ERR_JWS_INVALID", "{t:.80}");
    }
}

#[test]
fn err_jwt_invalid_for_non_object_payloads() {
    let v = ed_verifier(Options::default());
    for payload in ["[]", "42", "\"str\"", "null", "{", "{\"a\":1,\"a\":2}"] {
        assert_eq!(
            code(v.verify(&token(payload), NOW)),
            "ERR_JWT_INVALID",
            "{payload}"
        );
    }
    // ... but verify_jws accepts any payload.
    assert_eq!(v.verify_jws(&token("42")).unwrap().payload, b"42");
}

// ---- Classic attacks ----

#[test]
fn rejects_alg_none_in_any_case_even_with_an_empty_signature() {
    let v = ed_verifier(Options::default());
    for alg in ["none", "None", "NONE", "nONE"] {
        let t = format!(
            "{}.{}.",
            b64(format!(r#"{{"alg":"{alg}","kid":"k1"}}"#).as_bytes()),
            b64(b"{}")
        );
        assert_eq!(code(v.verify(&t, NOW)), "ERR_JOSE_NOT_SUPPORTED", "{alg}");
    }
}

#[test]
fn rejects_hs256_signed_with_a_public_key_as_secret() {
    let jwk = ed_jwk(ED_SEED, json!({"kid": "k1"}));
    let v = Verifier::new(jwks(std::slice::from_ref(&jwk)), Options::default()).unwrap();
    // The attacker HMACs with every plausible encoding of the public key.
    let x = jwk["x"].as_str().unwrap().to_string();
    for secret in [
        x.as_bytes().to_vec(),
        unb64(&x),
        jwk.to_string().into_bytes(),
    ] {
        let t = sign_hs256(&secret, r#"{"alg":"HS256","kid":"k1"}"#, "{}");
        assert_eq!(code(v.verify(&t, NOW)), "ERR_JWKS_NO_MATCHING_KEY");
    }
}

#[test]
fn hs256_works_only_with_oct_keys_or_added_secrets() {
    let secret = b"a-32-byte-long-shared-secret-key";
    let t = sign_hs256(secret, r#"{"alg":"HS256"}"#, r#"{"sub":"u1"}"#);
    let mut set = Jwks::default();
    set.add_secret(secret).unwrap();
    let v = Verifier::new(set, Options::default()).unwrap();
    assert!(v.verify(&t, NOW).is_ok());
    let wrong = sign_hs256(
        b"another-secret-another-secret-!!",
        r#"{"alg":"HS256"}"#,
        "{}",
    );
    assert_eq!(
        code(v.verify(&wrong, NOW)),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );
    let oct = json!({"kty": "oct", "k": b64(secret), "alg": "HS256"});
    let v = Verifier::new(jwks(&[oct]), Options::default()).unwrap();
    assert!(v.verify(&t, NOW).is_ok());
}

#[test]
fn rejects_psychic_ecdsa_signatures_r_s_zero() {
    // Any P-256 key: the all-zero signature must never verify.
    let jwk = json!({"kty":"EC","crv":"P-256","kid":"e1",
        "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    let v = Verifier::new(jwks(&[jwk]), Options::default()).unwrap();
    let input = format!("{}.{}", b64(br#"{"alg":"ES256","kid":"e1"}"#), b64(b"{}"));
    let n = unb64("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE");
    for sig in [
        vec![0u8; 64],
        [n.clone(), n.clone()].concat(),
        [vec![0u8; 32], n].concat(),
    ] {
        let t = format!("{input}.{}", b64(&sig));
        assert_eq!(
            code(v.verify(&t, NOW)),
            "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
        );
    }
}

#[test]
fn kid_with_path_or_sql_characters_is_only_compared() {
    let evil = "../../etc/passwd' OR '1'='1";
    let jwks = jwks(&[ed_jwk(ED_SEED, json!({"kid": evil}))]);
    let v = Verifier::new(jwks, Options::default()).unwrap();
    let header = json!({"alg": "EdDSA", "kid": evil}).to_string();
    assert!(v.verify(&sign_ed(ED_SEED, &header, "{}"), NOW).is_ok());
    let header = json!({"alg": "EdDSA", "kid": "../../etc/passwd"}).to_string();
    assert_eq!(
        code(v.verify(&sign_ed(ED_SEED, &header, "{}"), NOW)),
        "ERR_JWKS_NO_MATCHING_KEY"
    );
}

#[test]
fn embedded_jwk_jku_x5u_headers_are_ignored() {
    // The attacker signs with their own key and points to it in every way a header can.
    let attacker = ed_jwk(SEED2, json!({}));
    let header = json!({"alg": "EdDSA", "kid": "k1", "jwk": attacker,
        "jku": "http://127.0.0.1:1/jwks.json", "x5u": "http://127.0.0.1:1/cert.pem"})
    .to_string();
    let v = ed_verifier(Options::default());
    assert_eq!(
        code(v.verify(&sign_ed(SEED2, &header, "{}"), NOW)),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );
    // The same headers on a token signed by the real key change nothing.
    assert!(v.verify(&sign_ed(ED_SEED, &header, "{}"), NOW).is_ok());
}

#[test]
fn rejects_signature_stripping_and_extra_segments() {
    let v = ed_verifier(Options::default());
    let good = token("{}");
    let stripped = format!("{}.", good.rsplit_once('.').unwrap().0);
    assert_eq!(
        code(v.verify(&stripped, NOW)),
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    );
    assert_eq!(code(v.verify(&format!("{good}."), NOW)), "ERR_JWS_INVALID");
    assert_eq!(
        code(v.verify(&format!("{good}.e30"), NOW)),
        "ERR_JWS_INVALID"
    );
}

#[test]
fn rejects_duplicate_header_members_that_could_smuggle_alg() {
    let v = ed_verifier(Options::default());
    let t = sign_ed(ED_SEED, r#"{"alg":"EdDSA","kid":"k1","kid":"k2"}"#, "{}");
    assert_eq!(code(v.verify(&t, NOW)), "ERR_JWS_INVALID");
}

#[test]
fn unencoded_payload_is_refused_for_jwts() {
    let v = ed_verifier(Options::default());
    let t = sign_ed(
        ED_SEED,
        r#"{"alg":"EdDSA","kid":"k1","b64":false,"crit":["b64"]}"#,
        "{}",
    );
    assert_eq!(code(v.verify(&t, NOW)), "ERR_JWT_INVALID");
}

#[test]
fn options_must_be_finite() {
    let jwks = jwks(&[]);
    assert!(Verifier::new(jwks.clone(), Options::default().clock_tolerance(f64::NAN)).is_err());
    assert!(Verifier::new(jwks, Options::default().max_token_age(f64::INFINITY)).is_err());
}

#[test]
fn max_token_length_is_configurable() {
    let t = token(&format!(r#"{{"pad":"{}"}}"#, "x".repeat(2000)));
    assert!(ed_verifier(Options::default()).verify(&t, NOW).is_ok());
    let e = ed_verifier(Options::default().max_token_length(1000))
        .verify(&t, NOW)
        .unwrap_err();
    assert_eq!(e.code(), "ERR_JWS_INVALID");
}

#[test]
fn unverified_decoding_helpers() {
    let t = token(r#"{"sub":"u1"}"#);
    let (h, p) = edgejwt::decode_unverified(&t).unwrap();
    assert_eq!(
        (h.as_str(), p.as_str()),
        (r#"{"alg":"EdDSA","kid":"k1"}"#, r#"{"sub":"u1"}"#)
    );
    assert_eq!(edgejwt::decode_protected_header(&t).unwrap(), h);
    assert_eq!(
        edgejwt::decode_unverified("a.b").unwrap_err().code(),
        "ERR_JWT_INVALID"
    );
    assert_eq!(
        edgejwt::decode_unverified(&token("[]")).unwrap_err().code(),
        "ERR_JWT_INVALID"
    );
}

#[test]
fn rejects_hs256_signed_with_an_rsa_or_ec_public_key_as_secret() {
    let f = fixture("jose.json");
    let jwks_value = &f["jwks"];
    let v = Verifier::new(Jwks::from_value(jwks_value).unwrap(), Options::default()).unwrap();
    for key in jwks_value["keys"].as_array().unwrap() {
        let kid = key["kid"].as_str().unwrap();
        // Every encoding of the public key an attacker might hope the verifier uses as the secret.
        let mut secrets = vec![key.to_string().into_bytes()];
        for member in ["n", "x", "y"] {
            if let Some(m) = key[member].as_str() {
                secrets.push(m.as_bytes().to_vec());
                secrets.push(unb64(m));
            }
        }
        for secret in secrets {
            let header = json!({"alg": "HS256", "kid": kid}).to_string();
            let t = sign_hs256(&secret, &header, r#"{"sub":"admin"}"#);
            assert_eq!(code(v.verify(&t, NOW)), "ERR_JWKS_NO_MATCHING_KEY", "{kid}");
            let t = sign_hs256(&secret, r#"{"alg":"HS256"}"#, r#"{"sub":"admin"}"#);
            assert_eq!(code(v.verify(&t, NOW)), "ERR_JWKS_NO_MATCHING_KEY", "{kid}");
        }
    }
}

#[test]
fn token_kid_is_escaped_and_jwks_kids_are_capped_in_no_matching_key_messages() {
    // A kid that would forge a log line (newline, ANSI colour) and break out of the quotes.
    let evil = "x\"\n2026-01-01 INFO login ok user=admin\u{1b}[31m";
    let keys: Vec<_> = (0..30)
        .map(|i| ed_jwk(ED_SEED, json!({ "kid": format!("kid-{i}") })))
        .collect();
    let v = Verifier::new(jwks(&keys), Options::default()).unwrap();
    let header = json!({"alg": "EdDSA", "kid": evil}).to_string();
    let e = v.verify(&sign_ed(ED_SEED, &header, "{}"), NOW).unwrap_err();
    assert_eq!(e.code(), "ERR_JWKS_NO_MATCHING_KEY");
    let msg = e.to_string();
    assert!(!msg.contains('\n') && !msg.contains('\u{1b}'), "{msg}");
    assert!(
        msg.contains(r#"kid "x\"\u{a}2026-01-01 INFO login ok user=admin\u{1b}[31m""#),
        "{msg}"
    );
    assert!(
        msg.contains("\"kid-9\"") && !msg.contains("\"kid-10\""),
        "{msg}"
    );
    assert!(msg.ends_with(" and 20 more"), "{msg}");
}

#[test]
fn a_huge_kid_is_cut_in_messages() {
    let v = ed_verifier(Options::default());
    let header = json!({"alg": "EdDSA", "kid": "k".repeat(40_000)}).to_string();
    let msg = v
        .verify(&sign_ed(ED_SEED, &header, "{}"), NOW)
        .unwrap_err()
        .to_string();
    assert!(msg.len() < 400, "{} bytes", msg.len());
    assert!(msg.contains(&format!("{}…", "k".repeat(100))), "{msg}");
}

#[test]
fn jwks_kid_is_escaped_in_jwk_invalid_messages() {
    let set = jwks(&[json!({"kty": "OKP", "crv": "Ed25519", "kid": "bad\r\nkey", "x": "AAAA"})]);
    let v = Verifier::new(set, Options::default()).unwrap();
    let header = json!({"alg": "EdDSA", "kid": "bad\r\nkey"}).to_string();
    let e = v.verify(&sign_ed(ED_SEED, &header, "{}"), NOW).unwrap_err();
    assert_eq!(e.code(), "ERR_JWK_INVALID");
    assert!(e.to_string().contains(r#""bad\u{d}\u{a}key""#), "{e}");
}

#[test]
fn remote_sets_never_yield_oct_keys_local_sets_do() {
    let secret = b"a-32-byte-long-shared-secret-key";
    let t = sign_hs256(secret, r#"{"alg":"HS256","kid":"hs"}"#, r#"{"sub":"u1"}"#);
    let set = json!({"keys": [
        {"kty": "oct", "kid": "hs", "k": b64(secret), "alg": "HS256"},
        ed_jwk(ED_SEED, json!({"kid": "k1"})),
    ]})
    .to_string();
    let local = Verifier::new(Jwks::from_json(&set).unwrap(), Options::default()).unwrap();
    assert!(local.verify(&t, NOW).is_ok());
    let remote_set = Jwks::from_remote_json(&set).unwrap();
    let info = remote_set.key_info();
    assert!(!info[0].usable && info[1].usable, "{info:?}");
    assert!(
        info[0].reason.as_deref().unwrap().contains("remote"),
        "{info:?}"
    );
    let remote = Verifier::new(remote_set, Options::default()).unwrap();
    let e = remote.verify(&t, NOW).unwrap_err();
    assert_eq!(e.code(), "ERR_JWK_INVALID");
    assert!(
        remote.verify(&token("{}"), NOW).is_ok(),
        "other keys keep working"
    );
}

#[test]
fn many_key_ops_entries_load_and_a_late_duplicate_is_found() {
    // Was quadratic: 80,000 entries took ~26 s to load. The timing is a benchmark line
    // (`npm run bench`, "Hostile JWKS load"), not asserted here.
    let mut ops: Vec<String> = (0..80_000).map(|i| format!("o{i}")).collect();
    ops.push("verify".into());
    let key = ed_jwk(ED_SEED, json!({"kid": "k1", "key_ops": ops.clone()}));
    let v = Verifier::new(jwks(&[key]), Options::default()).unwrap();
    assert!(v.verify(&token("{}"), NOW).is_ok());
    ops.push("o0".into());
    let key = ed_jwk(ED_SEED, json!({"kid": "k1", "key_ops": ops}));
    let v = Verifier::new(jwks(&[key]), Options::default()).unwrap();
    assert_eq!(
        code(v.verify(&token("{}"), NOW)),
        "ERR_JWKS_NO_MATCHING_KEY"
    );
}
