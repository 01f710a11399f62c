//! Differential tests of edgejwt's own ECDSA arithmetic against the RustCrypto `p256`, `p384`
//! and `p521` crates it replaced: keys and signatures made by the crates, then the same
//! signatures verified by both after deterministic mutations (bit flips, edge values of `r` and
//! `s`, high-S, swapped halves, other keys). Every verdict must agree.

mod common;
use common::b64;
use edgejwt::{Algorithm, Jwks, Options, Verifier};
use serde_json::json;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Group orders, big-endian, at the signature half length.
const N256: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const N384: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";
const N521: &str = "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// `n - v` for a small `v`, big-endian.
fn order_minus(n: &str, v: u8) -> Vec<u8> {
    let mut b = hex(n);
    let last = b.len() - 1;
    b[last] -= v;
    b
}

/// Signature variants worth comparing: the original, single-bit flips, edge values for r and
/// s, the high-S twin `(r, n - s)`, and swapped halves.
fn variants(sig: &[u8], n: &str, rng: &mut Rng) -> Vec<Vec<u8>> {
    let len = sig.len() / 2;
    let (r, s) = sig.split_at(len);
    let mut out = vec![sig.to_vec()];
    for _ in 0..6 {
        let mut v = sig.to_vec();
        let bit = (rng.next() % (sig.len() as u64 * 8)) as usize;
        v[bit / 8] ^= 1 << (bit % 8);
        out.push(v);
    }
    let zero = vec![0u8; len];
    let mut one = vec![0u8; len];
    one[len - 1] = 1;
    let n_bytes = hex(n);
    for edge in [zero, one, n_bytes.clone(), order_minus(n, 1)] {
        out.push([&edge[..], s].concat());
        out.push([r, &edge[..]].concat());
    }
    // High-S: (r, n - s), computed with big-endian subtraction.
    let mut high = n_bytes.clone();
    let mut borrow = 0i16;
    for i in (0..len).rev() {
        let d = i16::from(high[i]) - i16::from(s[i]) - borrow;
        high[i] = d.rem_euclid(256) as u8;
        borrow = i16::from(d < 0);
    }
    out.push([r, &high[..]].concat());
    out.push([s, r].concat());
    out
}

fn edgejwt_verifier(crv: &str, x: &[u8], y: &[u8]) -> Verifier {
    let jwk = json!({ "kty": "EC", "crv": crv, "x": b64(x), "y": b64(y) });
    Verifier::new(
        Jwks::from_value(&json!({ "keys": [jwk] })).unwrap(),
        Options::default(),
    )
    .unwrap()
}

macro_rules! differential {
    ($name:ident, $krate:ident, $alg:expr, $crv:expr, $n:expr, $seed:expr) => {
        #[test]
        fn $name() {
            use $krate::ecdsa::signature::{Signer as _, Verifier as _};
            use $krate::ecdsa::{Signature, SigningKey, VerifyingKey};
            let mut rng = Rng($seed);
            let (mut agreed, mut accepted) = (0, 0);
            let mut previous: Option<Verifier> = None;
            for _ in 0..12 {
                let sk = loop {
                    let len = hex($n).len();
                    if let Ok(k) = SigningKey::from_slice(&rng.bytes(len)) {
                        break k;
                    }
                };
                let vk = VerifyingKey::from(&sk);
                let point = vk.to_encoded_point(false);
                let ours = edgejwt_verifier($crv, point.x().unwrap(), point.y().unwrap());
                for len in [0usize, 1, 55, 64, 200] {
                    let msg = rng.bytes(len);
                    let sig: Signature = sk.sign(&msg);
                    let sig = sig.to_bytes().to_vec();
                    for v in variants(&sig, $n, &mut rng) {
                        let theirs =
                            Signature::from_slice(&v).is_ok_and(|s| vk.verify(&msg, &s).is_ok());
                        let mine = ours.verify_detached($alg, None, &msg, &v).is_ok();
                        assert_eq!(mine, theirs, "{} msg {:02x?} sig {:02x?}", $crv, msg, v);
                        agreed += 1;
                        accepted += usize::from(mine);
                    }
                    // Same signature, other message; and another key's verifier.
                    let other = rng.bytes(len + 1);
                    assert!(ours.verify_detached($alg, None, &other, &sig).is_err());
                    if let Some(prev) = &previous {
                        assert!(prev.verify_detached($alg, None, &msg, &sig).is_err());
                    }
                }
                previous = Some(ours);
            }
            // Original and high-S twin verify; everything else fails.
            assert_eq!(accepted, 12 * 5 * 2, "{}", $crv);
            println!("{}: {agreed} verdicts agree", $crv);
        }
    };
}

differential!(
    p256_agrees_with_the_p256_crate,
    p256,
    Algorithm::ES256,
    "P-256",
    N256,
    0x1234_5678_9abc_def1
);
differential!(
    p384_agrees_with_the_p384_crate,
    p384,
    Algorithm::ES384,
    "P-384",
    N384,
    0x0fed_cba9_8765_4321
);
differential!(
    p521_agrees_with_the_p521_crate,
    p521,
    Algorithm::ES512,
    "P-521",
    N521,
    0x5555_aaaa_3333_cccc
);
