//! RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS) signature verification.
//!
//! Verification only touches public data (modulus, exponent, signature, message), so nothing here
//! needs to be constant-time. The modular exponentiation is a Montgomery ladder-free
//! square-and-multiply over 32-bit limbs with 64-bit accumulators: wasm32 has a native
//! 32×32→64 multiply (`i64.mul`) but no 64×64→128 one, which big-integer crates built on `u128`
//! turn into slow `__multi3` calls. Everything that depends only on the key (limbs, `-n⁻¹ mod 2³²`,
//! `R² mod n`) is computed once, when the JWKS is loaded.
//!
//! Both encodings are checked by *constructing* what a valid signature must decode to and
//! comparing (PKCS#1 v1.5), or by the step-by-step EMSA-PSS-VERIFY of RFC 8017 §9.1.2; no ASN.1
//! is parsed.

use super::sha::MAX_LEN;
use super::Hash;
use alloc::vec;
use alloc::vec::Vec;

/// Smallest modulus accepted, in bits (RFC 7518 §3.3, jose, WebCrypto practice).
pub(crate) const MIN_BITS: usize = 2048;
/// Largest modulus accepted, in bits.
pub(crate) const MAX_BITS: usize = 8192;
const MAX_LIMBS: usize = MAX_BITS / 32;

/// An RSA public key prepared for Montgomery arithmetic.
#[derive(Clone, Debug)]
pub(crate) struct PublicKey {
    /// Modulus, little-endian 32-bit limbs.
    n: Vec<u32>,
    /// `-n⁻¹ mod 2³²`.
    n0inv: u32,
    /// `R² mod n` with `R = 2^(32·limbs)`.
    rr: Vec<u32>,
    /// Public exponent.
    e: u64,
    /// Modulus length in bytes (`k` in RFC 8017).
    k: usize,
    /// Modulus length in bits.
    bits: usize,
}

/// Why an RSA JWK cannot be used.
pub(crate) type KeyError = &'static str;

impl PublicKey {
    /// Prepares a key from the big-endian bytes of `n` and `e` (JWK members, decoded).
    pub(crate) fn new(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        if n.is_empty() {
            return Err("RSA modulus \"n\" is zero");
        }
        let bits = n.len() * 8 - n[0].leading_zeros() as usize;
        if bits < MIN_BITS {
            return Err("RSA modulus is shorter than 2048 bits");
        }
        if bits > MAX_BITS {
            return Err("RSA modulus is longer than 8192 bits");
        }
        if n[n.len() - 1] & 1 == 0 {
            return Err("RSA modulus \"n\" is even");
        }
        if e.is_empty() || e.len() > 8 {
            return Err("RSA public exponent \"e\" is zero or longer than 64 bits");
        }
        let e = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        if e < 3 || e & 1 == 0 {
            return Err("RSA public exponent \"e\" must be odd and at least 3");
        }
        let limbs = bytes_to_limbs(n, n.len().div_ceil(4));
        let n0inv = neg_inv32(limbs[0]);
        let rr = r_squared(&limbs);
        Ok(PublicKey {
            n: limbs,
            n0inv,
            rr,
            e,
            k: n.len(),
            bits,
        })
    }

    /// Modulus size in bits.
    pub(crate) fn bits(&self) -> usize {
        self.bits
    }

    /// RSASSA-PKCS1-v1_5 verification of `signature` over `message`.
    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        let mut em = [0u8; MAX_BITS / 8];
        let Some(em) = self.public_op(signature, &mut em) else {
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
        let Some(em_full) = self.public_op(signature, &mut buf) else {
            return false;
        };
        let h_len = hash.len();
        let s_len = h_len;
        let em_bits = self.bits - 1;
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

    /// RSAVP1: `s^e mod n` written big-endian into `out[..k]`. `None` if the signature does not
    /// have exactly `k` bytes or is not below the modulus.
    fn public_op<'o>(&self, signature: &[u8], out: &'o mut [u8]) -> Option<&'o mut [u8]> {
        if signature.len() != self.k {
            return None;
        }
        let s = self.n.len();
        let mut sig = [0u32; MAX_LIMBS];
        let sig = &mut sig[..s];
        bytes_to_limbs_into(signature, sig);
        if !less_than(sig, &self.n) {
            return None;
        }
        let mut base = [0u32; MAX_LIMBS];
        let base = &mut base[..s];
        let mut acc = [0u32; MAX_LIMBS];
        let acc = &mut acc[..s];
        let mut tmp = [0u32; MAX_LIMBS];
        let tmp = &mut tmp[..s];
        // base = s·R mod n
        self.mont_mul(sig, &self.rr, base);
        acc.copy_from_slice(base);
        let top = 63 - self.e.leading_zeros();
        for i in (0..top).rev() {
            self.mont_mul(acc, acc, tmp);
            if (self.e >> i) & 1 == 1 {
                self.mont_mul(tmp, base, acc);
            } else {
                acc.copy_from_slice(tmp);
            }
        }
        // Leave Montgomery form: acc·1·R⁻¹.
        sig.fill(0);
        sig[0] = 1;
        self.mont_mul(acc, sig, tmp);
        let out = &mut out[..self.k];
        limbs_to_bytes(tmp, out);
        Some(out)
    }

    /// Montgomery product `out = a·b·R⁻¹ mod n` (CIOS), for `a, b < n`.
    fn mont_mul(&self, a: &[u32], b: &[u32], out: &mut [u32]) {
        let n = &self.n[..];
        let s = n.len();
        let mut t = [0u32; MAX_LIMBS + 2];
        let t = &mut t[..s + 2];
        for &ai in a {
            let ai = u64::from(ai);
            let mut c = 0u64;
            for j in 0..s {
                let x = u64::from(t[j]) + ai * u64::from(b[j]) + c;
                t[j] = x as u32;
                c = x >> 32;
            }
            let x = u64::from(t[s]) + c;
            t[s] = x as u32;
            t[s + 1] = (x >> 32) as u32;

            let m = u64::from(t[0].wrapping_mul(self.n0inv));
            let x = u64::from(t[0]) + m * u64::from(n[0]);
            let mut c = x >> 32;
            for j in 1..s {
                let x = u64::from(t[j]) + m * u64::from(n[j]) + c;
                t[j - 1] = x as u32;
                c = x >> 32;
            }
            let x = u64::from(t[s]) + c;
            t[s - 1] = x as u32;
            t[s] = t[s + 1] + (x >> 32) as u32;
            t[s + 1] = 0;
        }
        let out = &mut out[..s];
        out.copy_from_slice(&t[..s]);
        if t[s] != 0 || !less_than(out, n) {
            sub_in_place(out, n);
        }
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

fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
}

fn bytes_to_limbs(be: &[u8], limbs: usize) -> Vec<u32> {
    let mut v = vec![0u32; limbs];
    bytes_to_limbs_into(be, &mut v);
    v
}

/// Big-endian bytes → little-endian limbs (`be` must fit in `out`).
fn bytes_to_limbs_into(be: &[u8], out: &mut [u32]) {
    out.fill(0);
    for (i, &byte) in be.iter().rev().enumerate() {
        out[i / 4] |= u32::from(byte) << (8 * (i % 4));
    }
}

/// Little-endian limbs → big-endian bytes filling `out` exactly (the value must fit).
fn limbs_to_bytes(limbs: &[u32], out: &mut [u8]) {
    for (i, byte) in out.iter_mut().rev().enumerate() {
        *byte = (limbs[i / 4] >> (8 * (i % 4))) as u8;
    }
}

/// `a < b` for equal-length little-endian limb slices.
fn less_than(a: &[u32], b: &[u32]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b` (mod 2^(32·len)).
fn sub_in_place(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0u64;
    for (x, &y) in a.iter_mut().zip(b) {
        let d = u64::from(*x)
            .wrapping_sub(u64::from(y))
            .wrapping_sub(borrow);
        *x = d as u32;
        borrow = (d >> 63) & 1;
    }
}

/// `-n0⁻¹ mod 2³²` for odd `n0` (Newton iteration: each step doubles the correct bits).
fn neg_inv32(n0: u32) -> u32 {
    let mut inv: u32 = 1;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

/// `R² mod n` by doubling 1 modulo `n`, 2·32·limbs times. Key-preparation time only.
fn r_squared(n: &[u32]) -> Vec<u32> {
    let s = n.len();
    let mut x = vec![0u32; s];
    x[0] = 1;
    for _ in 0..64 * s {
        let mut carry = 0u32;
        for limb in x.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if carry != 0 || !less_than(&x, n) {
            sub_in_place(&mut x, n);
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neg_inv32_is_the_negated_inverse() {
        for n0 in [1u32, 3, 0xffff_ffff, 0x1234_5677, 65537] {
            assert_eq!(n0.wrapping_mul(neg_inv32(n0)), u32::MAX, "{n0}");
        }
    }

    #[test]
    fn limb_conversions_round_trip() {
        let be: Vec<u8> = (1..=37u8).collect();
        let limbs = bytes_to_limbs(&be, 10);
        let mut back = [0u8; 37];
        limbs_to_bytes(&limbs, &mut back);
        assert_eq!(&back[..], &be[..]);
    }

    #[test]
    fn rejects_weak_even_and_oversized_keys() {
        let mut n1024 = vec![0xffu8; 128];
        n1024[127] = 0xfb;
        assert_eq!(
            PublicKey::new(&n1024, &[1, 0, 1]).unwrap_err(),
            "RSA modulus is shorter than 2048 bits"
        );
        let mut even = vec![0xffu8; 256];
        even[255] = 0xfe;
        assert!(PublicKey::new(&even, &[1, 0, 1]).is_err());
        let n = vec![0xffu8; 256];
        assert!(PublicKey::new(&n, &[2]).is_err());
        assert!(PublicKey::new(&n, &[1]).is_err());
        assert!(PublicKey::new(&n, &[1, 0, 1]).is_ok());
        assert!(PublicKey::new(&vec![0xffu8; 1025], &[3]).is_err());
    }

    /// Exponentiation checked against a schoolbook big-integer reference on a toy-sized input
    /// embedded in a 2048-bit modulus: m = 2 → m^e for e = 3 is 8.
    #[test]
    fn small_values_exponentiate_exactly() {
        let n = vec![0xffu8; 256]; // 2^2048 - 1 (odd)
        let key = PublicKey::new(&n, &[3]).unwrap();
        let mut sig = vec![0u8; 256];
        sig[255] = 2;
        let mut out = [0u8; 1024];
        let res = key.public_op(&sig, &mut out).unwrap();
        assert_eq!(res[255], 8);
        assert!(res[..255].iter().all(|&b| b == 0));
        // A signature equal to the modulus is rejected (s must be < n).
        assert!(key.public_op(&n, &mut [0u8; 1024]).is_none());
        // Wrong length is rejected.
        assert!(key.public_op(&sig[1..], &mut [0u8; 1024]).is_none());
    }

    #[test]
    fn wraps_around_the_modulus() {
        // n = 2^2048 - 1, s = 2^1024 → s^3 = 2^3072 ≡ 2^(3072-2048) = 2^1024 (mod n).
        let n = vec![0xffu8; 256];
        let key = PublicKey::new(&n, &[3]).unwrap();
        let mut sig = vec![0u8; 256];
        sig[256 - 129] = 1; // 2^1024
        let mut out = [0u8; 1024];
        let res = key.public_op(&sig, &mut out).unwrap();
        assert_eq!(res, &sig[..]);
    }
}
