//! ES256 (P-256/SHA-256), ES384 (P-384/SHA-384) and ES512 (P-521/SHA-512).
//!
//! JWS signatures are the raw `r || s` (IEEE P1363) of exactly twice the field size: DER is not
//! accepted. `r` or `s` equal to zero or not below the group order are rejected (the "psychic
//! signatures" class of bug). High-S signatures are accepted, as WebCrypto and jose accept them.
//!
//! The arithmetic is this project's own (the `edgejwt-math` crate in `math/`): the RustCrypto
//! curve crates are built for constant-time signing on 64-bit targets, and in wasm32 their
//! 64-bit limbs, constant-time table scans and per-call inversions made verification 4–7×
//! slower than jose. Verifying needs no secrets, so this code is variable-time and uses per-key
//! precomputed tables. It is checked against the Wycheproof vectors (tests/wycheproof.rs) and
//! against the `p256`, `p384` and `p521` crates (tests/differential.rs).

use super::LazyTable;
use alloc::boxed::Box;
use alloc::sync::Arc;
use edgejwt_math::curve::{self, Affine, Curve, Table};
use once_cell::race::OnceBox;

/// A prepared EC public key: the point, checked to be on the curve, and its fixed-base table
/// (built after the key's first [`super::UNTABLED_USES`] verifications, then kept; shared by
/// clones).
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
        write!(f, "EcPublicKey({})", self.crv())
    }
}

/// Field size in bytes for a JWK `crv`, if this build supports it.
pub(crate) fn coordinate_len(crv: &str) -> Option<usize> {
    match crv {
        #[cfg(feature = "es256")]
        "P-256" => Some(curve::P256.len),
        #[cfg(feature = "es384")]
        "P-384" => Some(curve::P384.len),
        #[cfg(feature = "es512")]
        "P-521" => Some(curve::P521.len),
        _ => None,
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

/// Prepares a key from the JWK's `crv`, `x` and `y` (each coordinate exactly the field size).
pub(crate) fn public_key(crv: &str, x: &[u8], y: &[u8]) -> Result<PublicKey, &'static str> {
    let inner = match crv {
        #[cfg(feature = "es256")]
        "P-256" => Inner::P256(key(&curve::P256, x, y)?),
        #[cfg(feature = "es384")]
        "P-384" => Inner::P384(key(&curve::P384, x, y)?),
        #[cfg(feature = "es512")]
        "P-521" => Inner::P521(key(&curve::P521, x, y)?),
        _ => return Err("unsupported EC curve"),
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
    hash: super::Hash,
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
    let g = g.get_or_init(|| Box::new(c.table(&c.generator())));
    c.verify(g, q, digest, r, s)
}

impl PublicKey {
    /// The JWK `crv` of this key.
    pub(crate) fn crv(&self) -> &'static str {
        match &self.0 {
            #[cfg(feature = "es256")]
            Inner::P256(_) => curve::P256.name,
            #[cfg(feature = "es384")]
            Inner::P384(_) => curve::P384.name,
            #[cfg(feature = "es512")]
            Inner::P521(_) => curve::P521.name,
        }
    }

    /// Verifies a raw `r || s` signature over `message`, hashing with the curve's JWS hash.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        use super::Hash;
        match &self.0 {
            #[cfg(feature = "es256")]
            Inner::P256(k) => verify(&curve::P256, &G256, k, Hash::Sha256, message, signature),
            #[cfg(feature = "es384")]
            Inner::P384(k) => verify(&curve::P384, &G384, k, Hash::Sha384, message, signature),
            #[cfg(feature = "es512")]
            Inner::P521(k) => verify(&curve::P521, &G521, k, Hash::Sha512, message, signature),
        }
    }
}
