//! RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS) signature verification.
//!
//! The modular exponentiation is `edgejwt-math`'s (`math/src/rsa.rs`: 27-bit limbs, product
//! scanning, dedicated squaring, built at opt-level 3). This module checks the encodings, by
//! *constructing* what a valid signature must decode to and comparing (PKCS#1 v1.5), or by the
//! step-by-step EMSA-PSS-VERIFY of RFC 8017 §9.1.2; no ASN.1 is parsed.

use super::sha::MAX_LEN;
use super::Hash;
use edgejwt_math::rsa::MAX_BITS;

/// An RSA public key prepared for Montgomery arithmetic.
#[derive(Clone, Debug)]
pub(crate) struct PublicKey(edgejwt_math::rsa::PublicKey);

/// Why an RSA JWK cannot be used.
pub(crate) type KeyError = &'static str;

impl PublicKey {
    /// Prepares a key from the big-endian bytes of `n` and `e` (JWK members, decoded).
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        edgejwt_math::rsa::PublicKey::new(n, e).map(PublicKey)
    }

    /// Modulus size in bits.
    pub(crate) fn bits(&self) -> usize {
        self.0.bits()
    }

    /// RSASSA-PKCS1-v1_5 verification of `signature` over `message`.
    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        let mut em = [0u8; MAX_BITS / 8];
        let Some(em) = self.0.public_op(signature, &mut em) else {
            return false;
        };
        let prefix: &[u8] = match hash {
            Hash::Sha256 => &DIGEST_INFO_SHA256,
            Hash::Sha384 => &DIGEST_INFO_SHA384,
            Hash::Sha512 => &DIGEST_INFO_SHA512,
        };
        let mut digest = [0u8; MAX_LEN];
        let digest = hash.digest(&[message], &mut digest);
        let t_len = prefix.len() + digest.len();
        // EM = 0x00 || 0x01 || PS (0xff, at least 8) || 0x00 || DigestInfo || H
        if em.len() < t_len + 11 {
            return false;
        }
        let ps_end = em.len() - t_len - 1;
        em[0] == 0x00
            && em[1] == 0x01
            && em[2..ps_end].iter().all(|&b| b == 0xff)
            && em[ps_end] == 0x00
            && &em[ps_end + 1..ps_end + 1 + prefix.len()] == prefix
            && &em[ps_end + 1 + prefix.len()..] == digest
    }

    /// RSASSA-PSS verification (MGF1 with the same hash, salt length = hash length, as JWA's
    /// PS256/384/512 require).
    pub(crate) fn verify_pss(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        let mut buf = [0u8; MAX_BITS / 8];
        let Some(em_full) = self.0.public_op(signature, &mut buf) else {
            return false;
        };
        let h_len = hash.len();
        let s_len = h_len;
        let em_bits = self.0.bits() - 1;
        let em_len = em_bits.div_ceil(8);
        // I2OSP(m, emLen): when emLen = k - 1 the leading byte must be zero.
        let em: &mut [u8] = if em_len < em_full.len() {
            if em_full[0] != 0 {
                return false;
            }
            &mut em_full[1..]
        } else {
            em_full
        };
        if em_len < h_len + s_len + 2 || em[em_len - 1] != 0xbc {
            return false;
        }
        let db_len = em_len - h_len - 1;
        let (masked_db, rest) = em.split_at_mut(db_len);
        let h = &rest[..h_len];
        let unused_bits = 8 * em_len - em_bits;
        let top_mask = 0xffu8 >> unused_bits;
        if masked_db[0] & !top_mask != 0 {
            return false;
        }
        mgf1_xor(hash, h, masked_db);
        masked_db[0] &= top_mask;
        let ps_len = db_len - s_len - 1;
        if masked_db[..ps_len].iter().any(|&b| b != 0) || masked_db[ps_len] != 0x01 {
            return false;
        }
        let salt = &masked_db[ps_len + 1..];
        let mut m_hash = [0u8; MAX_LEN];
        let m_hash = hash.digest(&[message], &mut m_hash);
        let mut h2 = [0u8; MAX_LEN];
        let h2 = hash.digest(&[&[0u8; 8], m_hash, salt], &mut h2);
        h2 == h
    }
}

const DIGEST_INFO_SHA256: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const DIGEST_INFO_SHA384: [u8; 19] = [
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const DIGEST_INFO_SHA512: [u8; 19] = [
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

/// `data ^= MGF1(seed, data.len())` (RFC 8017 B.2.1).
fn mgf1_xor(hash: Hash, seed: &[u8], data: &mut [u8]) {
    for (counter, chunk) in (0u32..).zip(data.chunks_mut(hash.len())) {
        let mut block = [0u8; MAX_LEN];
        let block = hash.digest(&[seed, &counter.to_be_bytes()], &mut block);
        for (d, m) in chunk.iter_mut().zip(block) {
            *d ^= m;
        }
    }
}
