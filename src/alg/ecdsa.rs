//! ES256 (P-256/SHA-256), ES384 (P-384/SHA-384) and ES512 (P-521/SHA-512).
//!
//! JWS signatures are the raw `r || s` (IEEE P1363) of exactly twice the field size: DER is not
//! accepted. `r` or `s` equal to zero or not below the group order are rejected (the "psychic
//! signatures" class of bug). High-S signatures are accepted, as WebCrypto and jose accept them.
//!
//! The arithmetic is `edgejwt-math`'s (`math/src/curve.rs`): variable-time (every input of a
//! verification is public) with per-key fixed-base tables. It is checked against the
//! Wycheproof vectors (tests/wycheproof.rs) and against the `p256`, `p384` and `p521` crates
//! (tests/differential.rs).

use super::lazy_table::LazyTable;
use super::{EcCurve, Hash};
use alloc::boxed::Box;
use alloc::sync::Arc;
use edgejwt_math::curve::{self, Affine, Curve, Table};
use once_cell::race::OnceBox;

/// A prepared EC public key: the point, checked to be on the curve, and its fixed-base table
/// (built after the key's first [`super::lazy_table::UNTABLED_USES`] verifications, then kept;
/// shared by clones).
#[derive(Clone)]
pub(crate) struct PublicKey(Inner);

#[derive(Clone)]
enum Inner {
    #[cfg(feature = "es256")]
    P256(Arc<Key<{ curve::P256_LIMBS }>>),
    #[cfg(feature = "es384")]
    P384(Arc<Key<{ curve::P384_LIMBS }>>),
    #[cfg(feature = "es512")]
    P521(Arc<Key<{ curve::P521_LIMBS }>>),
}

struct Key<const N: usize> {
    point: Affine<N>,
    table: LazyTable<Table<N>>,
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "EcPublicKey({})", self.curve().name())
    }
}

fn key<const N: usize>(c: &Curve<N>, x: &[u8], y: &[u8]) -> Result<Arc<Key<N>>, &'static str> {
    if x.len() != c.len || y.len() != c.len {
        return Err("EC \"x\"/\"y\" have the wrong length for the curve");
    }
    let point = c.point(x, y).ok_or("EC point is not on the curve")?;
    Ok(Arc::new(Key {
        point,
        table: LazyTable::new(),
    }))
}

/// Whether this build has the arithmetic for `curve` (cargo features).
pub(crate) const fn is_built(curve: EcCurve) -> bool {
    match curve {
        EcCurve::P256 => cfg!(feature = "es256"),
        EcCurve::P384 => cfg!(feature = "es384"),
        EcCurve::P521 => cfg!(feature = "es512"),
    }
}

/// Prepares a key on `curve` from the JWK's `x` and `y` (each exactly the field size).
pub(crate) fn public_key(curve: EcCurve, x: &[u8], y: &[u8]) -> Result<PublicKey, &'static str> {
    let inner = match curve {
        #[cfg(feature = "es256")]
        EcCurve::P256 => Inner::P256(key(&curve::P256, x, y)?),
        #[cfg(not(feature = "es256"))]
        EcCurve::P256 => return Err(crate::jwk::UNSUPPORTED),
        #[cfg(feature = "es384")]
        EcCurve::P384 => Inner::P384(key(&curve::P384, x, y)?),
        #[cfg(not(feature = "es384"))]
        EcCurve::P384 => return Err(crate::jwk::UNSUPPORTED),
        #[cfg(feature = "es512")]
        EcCurve::P521 => Inner::P521(key(&curve::P521, x, y)?),
        #[cfg(not(feature = "es512"))]
        EcCurve::P521 => return Err(crate::jwk::UNSUPPORTED),
    };
    Ok(PublicKey(inner))
}

/// The generator tables, one per curve, built when the first key of that curve gets its table.
#[cfg(feature = "es256")]
static G256: OnceBox<Table<{ curve::P256_LIMBS }>> = OnceBox::new();
#[cfg(feature = "es384")]
static G384: OnceBox<Table<{ curve::P384_LIMBS }>> = OnceBox::new();
#[cfg(feature = "es512")]
static G521: OnceBox<Table<{ curve::P521_LIMBS }>> = OnceBox::new();

fn verify<const N: usize>(
    c: &Curve<N>,
    g: &OnceBox<Table<N>>,
    key: &Key<N>,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> bool {
    if signature.len() != 2 * c.len {
        return false;
    }
    let mut digest = [0u8; super::sha::MAX_LEN];
    let digest = hash.digest(&[message], &mut digest);
    let (r, s) = signature.split_at(c.len);
    let Some(q) = key.table.get(|| c.table(&key.point)) else {
        return c.verify_untabled(&key.point, digest, r, s);
    };
    let g = g.get_or_init(|| Box::new(c.generator_table()));
    c.verify(g, q, digest, r, s)
}

impl PublicKey {
    /// The key's curve.
    pub(crate) fn curve(&self) -> EcCurve {
        match &self.0 {
            #[cfg(feature = "es256")]
            Inner::P256(_) => EcCurve::P256,
            #[cfg(feature = "es384")]
            Inner::P384(_) => EcCurve::P384,
            #[cfg(feature = "es512")]
            Inner::P521(_) => EcCurve::P521,
        }
    }

    /// Verifies a raw `r || s` signature over `message` hashed with `hash` (the algorithm's).
    pub(crate) fn verify(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        match &self.0 {
            #[cfg(feature = "es256")]
            Inner::P256(k) => verify(&curve::P256, &G256, k, hash, message, signature),
            #[cfg(feature = "es384")]
            Inner::P384(k) => verify(&curve::P384, &G384, k, hash, message, signature),
            #[cfg(feature = "es512")]
            Inner::P521(k) => verify(&curve::P521, &G521, k, hash, message, signature),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The curve constants the arithmetic uses agree with the algorithm table's curve row.
    #[test]
    fn curve_rows_match_the_arithmetic() {
        #[cfg(feature = "es256")]
        assert_eq!(
            (curve::P256.name, curve::P256.len),
            (EcCurve::P256.name(), EcCurve::P256.coordinate_len())
        );
        #[cfg(feature = "es384")]
        assert_eq!(
            (curve::P384.name, curve::P384.len),
            (EcCurve::P384.name(), EcCurve::P384.coordinate_len())
        );
        #[cfg(feature = "es512")]
        assert_eq!(
            (curve::P521.name, curve::P521.len),
            (EcCurve::P521.name(), EcCurve::P521.coordinate_len())
        );
    }
}
