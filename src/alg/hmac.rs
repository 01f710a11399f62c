//! HS256/384/512 (HMAC-SHA-2). Only ever used with `oct` keys, never with public keys.

use super::Hash;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};

/// An `oct` key with its HMAC key schedule computed once per hash.
#[derive(Clone)]
pub(crate) struct SecretKey {
    hs256: Hmac<Sha256>,
    hs384: Hmac<Sha384>,
    hs512: Hmac<Sha512>,
    len: usize,
}

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SecretKey({} bytes)", self.len)
    }
}

impl SecretKey {
    /// Prepares a secret (the decoded JWK `k`, or raw secret bytes).
    pub(crate) fn new(k: &[u8]) -> Result<Self, &'static str> {
        if k.is_empty() {
            return Err("oct key \"k\" is empty");
        }
        let err = |_| "oct key \"k\" is unusable";
        Ok(SecretKey {
            hs256: Hmac::new_from_slice(k).map_err(err)?,
            hs384: Hmac::new_from_slice(k).map_err(err)?,
            hs512: Hmac::new_from_slice(k).map_err(err)?,
            len: k.len(),
        })
    }

    /// Size of the secret in bits.
    pub(crate) fn bits(&self) -> usize {
        self.len * 8
    }

    /// Constant-time check of `signature` against HMAC(`message`).
    pub(crate) fn verify(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        fn run<M: Mac + Clone>(mac: &M, message: &[u8], signature: &[u8]) -> bool {
            let mut mac = mac.clone();
            mac.update(message);
            mac.verify_slice(signature).is_ok()
        }
        match hash {
            Hash::Sha256 => run(&self.hs256, message, signature),
            Hash::Sha384 => run(&self.hs384, message, signature),
            Hash::Sha512 => run(&self.hs512, message, signature),
        }
    }
}
