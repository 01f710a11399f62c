//! EdDSA over Ed25519 (RFC 8037) with strict verification, as `ed25519-dalek`'s
//! `verify_strict`: `s` must be canonical (`s < ℓ`), `R` must decode to a point, and neither `R`
//! nor the public key may be of small order. The check is `[s]B - [k]A == R` with
//! `k = SHA-512(R || A || M) mod ℓ`, comparing encodings (so a non-canonical `R` never matches,
//! and a matching `R` is the canonical encoding of a point).
//!
//! Speed: both `B` and `-A` are fixed for the life of a key, so each gets a
//! `curve25519-dalek` radix-16 fixed-base table (30 KB each): the generator's built once per
//! process, the key's after its first few verifications (see [`LazyTable`]), which use a
//! double-scalar multiplication instead. Two table multiplications (64 additions and 4 doublings
//! each) replace the ~253 doublings of a double-scalar multiplication; radix 16 rather than 32
//! because the larger radix's constant-time table scans cost more than the additions they save
//! (the README's benchmark table has the figures). The verdicts are tested against
//! `ed25519-dalek`'s `verify_strict` (tests/differential.rs) and the Wycheproof vectors
//! (tests/wycheproof.rs).

use super::lazy_table::LazyTable;
use alloc::boxed::Box;
use alloc::sync::Arc;
use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsBasepointTableRadix16, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{BasepointTable as _, VartimeMultiscalarMul as _};
use once_cell::race::OnceBox;
use sha2::{Digest as _, Sha512};

type Table = EdwardsBasepointTableRadix16;

/// A prepared Ed25519 public key: its encoding, `-A` decompressed once, and `-A`'s table
/// (built on first use, shared by clones).
#[derive(Clone)]
pub(crate) struct PublicKey(Arc<Key>);

struct Key {
    encoded: [u8; 32],
    minus_a: EdwardsPoint,
    table: LazyTable<Table>,
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Ed25519PublicKey")
    }
}

/// The generator's table, built the first time any Ed25519 key verifies.
static BASE: OnceBox<Table> = OnceBox::new();

/// Prepares a key from the JWK's `x` (32 bytes).
pub(crate) fn public_key(x: &[u8]) -> Result<PublicKey, &'static str> {
    let encoded: [u8; 32] = x.try_into().map_err(|_| "Ed25519 \"x\" must be 32 bytes")?;
    let a = CompressedEdwardsY(encoded)
        .decompress()
        .ok_or("Ed25519 \"x\" is not a valid point")?;
    if a.is_small_order() {
        return Err("Ed25519 \"x\" is a small-order point");
    }
    Ok(PublicKey(Arc::new(Key {
        encoded,
        minus_a: -a,
        table: LazyTable::new(),
    })))
}

/// Verifies a 64-byte signature over `message`.
pub(crate) fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    let Ok(signature) = <&[u8; 64]>::try_from(signature) else {
        return false;
    };
    let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
    r.copy_from_slice(&signature[..32]);
    s.copy_from_slice(&signature[32..]);
    let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s)) else {
        return false;
    };
    let key = &*key.0;
    let digest: [u8; 64] = Sha512::new()
        .chain_update(r)
        .chain_update(key.encoded)
        .chain_update(message)
        .finalize()
        .into();
    let k = Scalar::from_bytes_mod_order_wide(&digest);
    // A key's first verifications skip the tables (see `LazyTable`).
    let sum = match key.table.get(|| Table::create(&key.minus_a)) {
        Some(minus_a) => {
            let base = BASE.get_or_init(|| Box::new(Table::create(&ED25519_BASEPOINT_POINT)));
            base.mul_base(&s) + minus_a.mul_base(&k)
        }
        // Straus with tables computed per call: no static basepoint table in the module.
        None => {
            EdwardsPoint::vartime_multiscalar_mul([k, s], [key.minus_a, ED25519_BASEPOINT_POINT])
        }
    };
    // `R` itself is never decoded (a decoding costs a field exponentiation): an encoding equal
    // to `sum`'s is canonical and decodes to `sum`, so "R decodes to a point that is not of
    // small order" is, once the encodings match, "sum is not of small order".
    sum.compress().0 == r && !sum.is_small_order()
}
