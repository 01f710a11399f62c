//! Differential tests of edgejwt's signature code against the crates it replaced: its own ECDSA
//! arithmetic against RustCrypto's `p256`, `p384` and `p521`, and its table-based Ed25519 check
//! against `ed25519-dalek`'s `verify_strict`. Keys and signatures come from those crates, then
//! the same signatures are verified by both after deterministic mutations (bit flips, edge
//! values, high-S, non-canonical `s`, small-order `R`, swapped halves, other keys). Every verdict
//! must agree.
#![cfg(not(target_arch = "wasm32"))]

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

/// edgejwt's verifier for one Ed25519 public key.
fn ed25519_verifier(vk: &ed25519_dalek::VerifyingKey) -> Verifier {
    let jwk = json!({ "kty": "OKP", "crv": "Ed25519", "x": b64(vk.as_bytes()) });
    Verifier::new(
        Jwks::from_value(&json!({ "keys": [jwk] })).unwrap(),
        Options::default(),
    )
    .unwrap()
}

#[test]
fn ed25519_agrees_with_ed25519_dalek_verify_strict() {
    use ed25519_dalek::{Signature, Signer as _, SigningKey};
    // ℓ, little-endian: s + ℓ is the non-canonical twin of s.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    // Small-order points: the identity and a point of order 2 (y = -1), encoded.
    let identity = {
        let mut b = [0u8; 32];
        b[0] = 1;
        b
    };
    let order2 = {
        let mut b = [0xffu8; 32];
        b[0] = 0xec;
        b[31] = 0x7f;
        b
    };
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let (mut agreed, mut accepted) = (0, 0);
    for _ in 0..16 {
        let seed: [u8; 32] = rng.bytes(32).try_into().unwrap();
        let sk = SigningKey::from_bytes(&seed);
        let vk = sk.verifying_key();
        let ours = ed25519_verifier(&vk);
        for len in [0usize, 1, 64, 300] {
            let msg = rng.bytes(len);
            let sig = sk.sign(&msg).to_bytes();
            let mut variants = vec![sig.to_vec()];
            for _ in 0..6 {
                let mut v = sig.to_vec();
                let bit = (rng.next() % 512) as usize;
                v[bit / 8] ^= 1 << (bit % 8);
                variants.push(v);
            }
            // s + ℓ (non-canonical), R replaced by small-order points, s = 0, halves swapped.
            let mut high = sig.to_vec();
            let mut carry = 0u16;
            for i in 0..32 {
                let x = u16::from(high[32 + i]) + u16::from(L[i]) + carry;
                high[32 + i] = x as u8;
                carry = x >> 8;
            }
            variants.push(high);
            for r in [identity, order2] {
                variants.push([&r[..], &sig[32..]].concat());
            }
            variants.push([&sig[..32], &[0u8; 32][..]].concat());
            variants.push([&sig[32..], &sig[..32]].concat());
            for v in variants {
                let bytes: [u8; 64] = v.clone().try_into().unwrap();
                let theirs = vk
                    .verify_strict(&msg, &Signature::from_bytes(&bytes))
                    .is_ok();
                let mine = ours
                    .verify_detached(Algorithm::EdDSA, None, &msg, &v)
                    .is_ok();
                assert_eq!(mine, theirs, "msg {msg:02x?} sig {v:02x?}");
                agreed += 1;
                accepted += usize::from(mine);
            }
        }
    }
    assert_eq!(accepted, 16 * 4, "exactly the original signatures verify");
    println!("Ed25519: {agreed} verdicts agree");
}

/// A signature whose `R` is the identity satisfies the cofactorless equation when `s = k·a`:
/// `[s]B − [k]A` is then the identity. `ed25519-dalek`'s `verify` accepts it, `verify_strict`
/// refuses it (`R` is of small order), and so must edgejwt, with and without the key's table.
#[test]
fn ed25519_refuses_a_valid_equation_with_the_identity_as_r() {
    use curve25519_dalek::scalar::Scalar;
    use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _};
    use sha2::{Digest as _, Sha512};
    let sk = SigningKey::from_bytes(&[7u8; 32]);
    let vk = sk.verifying_key();
    let ours = ed25519_verifier(&vk);
    let msg = b"the identity as R";
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let k = Scalar::from_bytes_mod_order_wide(
        &Sha512::new()
            .chain_update(identity)
            .chain_update(vk.as_bytes())
            .chain_update(msg)
            .finalize()
            .into(),
    );
    let forged: [u8; 64] = [identity, (k * sk.to_scalar()).to_bytes()]
        .concat()
        .try_into()
        .unwrap();
    let forged_sig = Signature::from_bytes(&forged);
    assert!(vk.verify(msg, &forged_sig).is_ok(), "the equation holds");
    assert!(vk.verify_strict(msg, &forged_sig).is_err());
    let genuine = sk.sign(msg).to_bytes();
    // The key's first verifications run without its table (`LazyTable`), later ones with it.
    for round in 0..12 {
        let check = |sig: &[u8]| {
            ours.verify_detached(Algorithm::EdDSA, None, msg, sig)
                .is_ok()
        };
        assert!(
            !check(&forged),
            "round {round}: the identity as R was accepted"
        );
        assert!(check(&genuine), "round {round}");
    }
}
