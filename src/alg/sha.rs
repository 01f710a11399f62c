//! SHA-2 digests selected at run time, for the RSA and ECDSA families (HMAC runs its hash
//! through the `hmac` crate, EdDSA through `curve25519-dalek`'s definition).

use super::Hash;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// Longest digest (SHA-512).
pub(crate) const MAX_LEN: usize = 64;

impl Hash {
    /// Hashes the concatenation of `parts` into `out`, returning the digest slice.
    pub(crate) fn digest<'o>(self, parts: &[&[u8]], out: &'o mut [u8; MAX_LEN]) -> &'o [u8] {
        fn run<D: Digest>(parts: &[&[u8]], out: &mut [u8]) {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            out.copy_from_slice(&d.finalize());
        }
        let n = self.len();
        match self {
            Hash::Sha256 => run::<Sha256>(parts, &mut out[..n]),
            Hash::Sha384 => run::<Sha384>(parts, &mut out[..n]),
            Hash::Sha512 => run::<Sha512>(parts, &mut out[..n]),
        }
        &out[..n]
    }
}
