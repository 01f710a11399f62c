//! ES256 (P-256/SHA-256), ES384 (P-384/SHA-384) and ES512 (P-521/SHA-512).
//!
//! JWS signatures are the raw `r || s` (IEEE P1363) of exactly twice the field size: DER is not
//! accepted. `r` or `s` equal to zero or not below the group order are rejected when the
//! signature is parsed (the "psychic signatures" class of bug). High-S signatures are accepted,
//! as WebCrypto and jose accept them.

use signature::Verifier as _;

/// A prepared EC public key (point decoded and checked to be on the curve, once).
#[derive(Clone)]
pub(crate) enum PublicKey {
    #[cfg(feature = "es256")]
    P256(p256::ecdsa::VerifyingKey),
    #[cfg(feature = "es384")]
    P384(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "es512")]
    P521(p521::ecdsa::VerifyingKey),
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
        "P-256" => Some(32),
        #[cfg(feature = "es384")]
        "P-384" => Some(48),
        #[cfg(feature = "es512")]
        "P-521" => Some(66),
        _ => None,
    }
}

/// Prepares a key from the JWK's `crv`, `x` and `y` (each coordinate exactly the field size).
pub(crate) fn public_key(crv: &str, x: &[u8], y: &[u8]) -> Result<PublicKey, &'static str> {
    let len = coordinate_len(crv).ok_or("unsupported EC curve")?;
    if x.len() != len || y.len() != len {
        return Err("EC \"x\"/\"y\" have the wrong length for the curve");
    }
    let mut sec1 = [0u8; 1 + 2 * 66];
    sec1[0] = 4;
    sec1[1..1 + len].copy_from_slice(x);
    sec1[1 + len..1 + 2 * len].copy_from_slice(y);
    let sec1 = &sec1[..1 + 2 * len];
    const NOT_ON_CURVE: &str = "EC point is not on the curve";
    match crv {
        #[cfg(feature = "es256")]
        "P-256" => p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
            .map(PublicKey::P256)
            .map_err(|_| NOT_ON_CURVE),
        #[cfg(feature = "es384")]
        "P-384" => p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
            .map(PublicKey::P384)
            .map_err(|_| NOT_ON_CURVE),
        #[cfg(feature = "es512")]
        "P-521" => p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
            .map(PublicKey::P521)
            .map_err(|_| NOT_ON_CURVE),
        _ => Err("unsupported EC curve"),
    }
}

impl PublicKey {
    /// The JWK `crv` of this key.
    pub(crate) fn crv(&self) -> &'static str {
        match self {
            #[cfg(feature = "es256")]
            PublicKey::P256(_) => "P-256",
            #[cfg(feature = "es384")]
            PublicKey::P384(_) => "P-384",
            #[cfg(feature = "es512")]
            PublicKey::P521(_) => "P-521",
        }
    }

    /// Verifies a raw `r || s` signature over `message`, hashing with the curve's JWS hash.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            #[cfg(feature = "es256")]
            PublicKey::P256(k) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| k.verify(message, &sig).is_ok()),
            #[cfg(feature = "es384")]
            PublicKey::P384(k) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| k.verify(message, &sig).is_ok()),
            #[cfg(feature = "es512")]
            PublicKey::P521(k) => p521::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| k.verify(message, &sig).is_ok()),
        }
    }
}
