//! EdDSA over Ed25519 (RFC 8037), with `ed25519-dalek`'s strict verification: non-canonical
//! `R`/`s` and small-order public keys are rejected.

use ed25519_dalek::{Signature, VerifyingKey};

/// A prepared Ed25519 public key (the point is decompressed once).
pub(crate) type PublicKey = VerifyingKey;

/// Prepares a key from the JWK's `x` (32 bytes).
pub(crate) fn public_key(x: &[u8]) -> Result<PublicKey, &'static str> {
    let bytes: &[u8; 32] = x.try_into().map_err(|_| "Ed25519 \"x\" must be 32 bytes")?;
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| "Ed25519 \"x\" is not a valid point")?;
    if key.is_weak() {
        return Err("Ed25519 \"x\" is a small-order point");
    }
    Ok(key)
}

/// Verifies a 64-byte signature over `message`.
pub(crate) fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    let Ok(bytes) = <&[u8; 64]>::try_from(signature) else {
        return false;
    };
    key.verify_strict(message, &Signature::from_bytes(bytes))
        .is_ok()
}
