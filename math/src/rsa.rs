//! RSAVP1 (`s^e mod n`) for RSA signature verification: the arithmetic under edgejwt's RS* and
//! PS* checks (the padding checks live in edgejwt itself).
//!
//! Verification only touches public data (modulus, exponent, signature, message), so nothing here
//! needs to be constant-time. `s^e mod n` is left-to-right square-and-multiply in Montgomery
//! form, written once over a [`Limb`] type: `u32` with `u64` products on wasm32, which has a
//! native 32×32→64 multiply (`i64.mul`) but no 64×64→128 one (big-integer crates built on
//! `u128` turn that into slow `__multi3` calls), and `u64` with `u128` products on x86_64 and
//! aarch64 ([`crate::limb`]):
//!
//! - **Reduced-radix limbs, product scanning.** Limbs hold `W` = [`Limb::RSA_BITS`] bits
//!   (27 in a `u32`, 59 in a `u64`), so a product is below `2^(2W)` and a whole column of the
//!   product — the `a·b` terms and the interleaved reduction terms `m·n` — is summed in one
//!   double-width accumulator with plain adds, carried once per column instead of once per
//!   product as with full limbs. That costs more limbs (76 instead of 64 for 2048 bits with
//!   `u32`, 35 instead of 32 with `u64`); with `u32` it measured about 1.4× faster in Node than
//!   32-bit CIOS.
//! - **Dedicated squaring.** A square computes each cross product `aᵢ·aⱼ` (i < j) once and
//!   doubles the sum: about ¾ of a multiplication. `e = 65537` needs 16 squarings.
//! - **No conversion out of Montgomery form.** `s` enters Montgomery form once (`s·R² ·R⁻¹`);
//!   as `e` is odd the last step is always a multiplication, and doing it with the *plain* `s`
//!   gives `(s^(e-1)·R)·s·R⁻¹ = s^e` directly: 18 products for 65537 instead of 19.
//!
//! - **SIMD128 on wasm32** (`simd` submodule): the same column sums with
//!   `i64x2.extmul_{low,high}_i32x4_u`, four columns per pass over the reversed operand's
//!   windows; about half the scalar time in Node. [`PublicKey`] uses it on wasm32; [`Key`] is
//!   always the scalar code (and its reference in the wasm tests).
//!
//! Everything that depends only on the key (limbs, `-n⁻¹ mod 2^W`, `R² mod n`, and for SIMD128
//! the reversed modulus's windows) is computed once, when the JWKS is loaded; per verification
//! the only allocations are scratch buffers sized by the key.

use crate::limb::{Limb, Word};
use alloc::vec;
use alloc::vec::Vec;

// wasm32: the same products with SIMD128, four columns per pass with two 32×32→64 products per
// instruction.
#[cfg(target_arch = "wasm32")]
mod simd;

/// Smallest modulus accepted, in bits (RFC 7518 §3.3, jose, WebCrypto practice).
pub const MIN_BITS: usize = 2048;
/// Largest modulus accepted, in bits.
pub const MAX_BITS: usize = 8192;

/// Limb width `W` in bits. A column of a product-scanning multiplication sums up to `2·limbs`
/// products below `2^(2W)` plus a carry below `2^(2·BITS-W)`: with `u32` limbs and W = 27 that
/// fits a `u64` for up to 304 limbs, with `u64` limbs and W = 59 a `u128` for up to 510 limbs,
/// both more than `MAX_BITS` needs (W = 28, or 60, would stop short of 8192 bits).
#[inline(always)]
const fn w<L: Limb>() -> u32 {
    L::RSA_BITS
}

/// `2^W - 1`.
#[inline(always)]
fn mask<L: Limb>() -> L {
    (L::ONE << w::<L>()).wrapping_sub(L::ONE)
}

/// An RSA public key prepared for Montgomery arithmetic over this target's [`Word`].
///
/// A non-generic wrapper of [`Key`], so that the exponentiation is compiled in this crate,
/// whose release profile builds it at `opt-level = 3` (a generic would be instantiated, and
/// optimised for size, in the calling crate).
#[derive(Clone, Debug)]
pub struct PublicKey {
    key: Key<Word>,
    /// The key as the SIMD128 products need it (wasm32 only).
    #[cfg(target_arch = "wasm32")]
    lanes: simd::Lanes,
}

impl PublicKey {
    /// Prepares a key from the big-endian bytes of `n` and `e` (JWK members, decoded).
    pub fn new(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        let key = Key::new(n, e)?;
        Ok(PublicKey {
            #[cfg(target_arch = "wasm32")]
            lanes: simd::Lanes::new(&key),
            key,
        })
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.key.bits
    }

    /// RSAVP1: `s^e mod n` written big-endian into `out[..k]`. `None` if the signature does not
    /// have exactly `k` bytes or is not below the modulus.
    pub fn public_op<'o>(&self, signature: &[u8], out: &'o mut [u8]) -> Option<&'o mut [u8]> {
        #[cfg(target_arch = "wasm32")]
        return self.lanes.public_op(&self.key, signature, out);
        #[cfg(not(target_arch = "wasm32"))]
        self.key.public_op(signature, out)
    }
}

/// An RSA public key prepared for Montgomery arithmetic over limbs of `L` (both widths are
/// available on every target, for tests; verification uses [`PublicKey`]).
#[derive(Clone, Debug)]
pub struct Key<L: Limb> {
    /// Modulus, little-endian `W`-bit limbs.
    n: Vec<L>,
    /// Modulus, big-endian bytes (`k` of them): signatures are range-checked against it.
    n_be: Vec<u8>,
    /// `-n⁻¹ mod 2^W`.
    n0inv: L,
    /// `R² mod n` with `R = 2^(W·limbs)`.
    rr: Vec<L>,
    /// Public exponent.
    e: u64,
    /// Modulus length in bytes (`k` in RFC 8017).
    k: usize,
    /// Modulus length in bits.
    bits: usize,
}

/// Why an RSA JWK cannot be used.
pub type KeyError = &'static str;

impl<L: Limb> Key<L> {
    /// Prepares a key from the big-endian bytes of `n` and `e` (JWK members, decoded).
    pub fn new(n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
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
        let limbs = bytes_to_limbs(n, bits.div_ceil(w::<L>() as usize));
        let n0inv = neg_inv(limbs[0]) & mask();
        let rr = r_squared(&limbs);
        Ok(Key {
            n: limbs,
            n_be: n.to_vec(),
            n0inv,
            rr,
            e,
            k: n.len(),
            bits,
        })
    }

    /// RSAVP1: `s^e mod n` written big-endian into `out[..k]`. `None` if the signature does not
    /// have exactly `k` bytes or is not below the modulus.
    pub fn public_op<'o>(&self, signature: &[u8], out: &'o mut [u8]) -> Option<&'o mut [u8]> {
        // Equal-length big-endian byte strings compare like the numbers they encode.
        if signature.len() != self.k || signature >= self.n_be.as_slice() {
            return None;
        }
        let l = self.n.len();
        let mut scratch = vec![L::ZERO; 4 * l];
        let (sig, rest) = scratch.split_at_mut(l);
        let (base, rest) = rest.split_at_mut(l);
        let (acc, tmp) = rest.split_at_mut(l);
        bytes_to_limbs_into(signature, sig);
        // base = s·R mod n (Montgomery form of s).
        self.mont_mul(sig, &self.rr, base);
        acc.copy_from_slice(base);
        // Left-to-right square-and-multiply. `e` is odd, so the last step always multiplies, and
        // multiplying the Montgomery-form accumulator by the *plain* `s` leaves Montgomery form.
        let top = 63 - self.e.leading_zeros();
        for i in (0..top).rev() {
            self.mont_sqr(acc, tmp);
            if (self.e >> i) & 1 == 1 {
                self.mont_mul(tmp, if i == 0 { sig } else { base }, acc);
            } else {
                acc.copy_from_slice(tmp);
            }
        }
        let out = &mut out[..self.k];
        limbs_to_bytes(acc, out);
        Some(out)
    }

    /// Montgomery product `out = a·b·R⁻¹ mod n`, for `a, b < n`.
    fn mont_mul(&self, a: &[L], b: &[L], out: &mut [L]) {
        self.redc(out, |lo, hi, k| dot(&a[lo..hi], &b[k + 1 - hi..=k - lo]));
    }

    /// Montgomery square `out = a²·R⁻¹ mod n`, for `a < n`: each cross product `aᵢ·aⱼ` (i < j)
    /// once, doubled, plus the square `aₖ/₂²` on even columns.
    fn mont_sqr(&self, a: &[L], out: &mut [L]) {
        self.redc(out, |lo, _hi, k| {
            let mid = k.div_ceil(2);
            let d = dot(&a[lo..mid], &a[k + 1 - mid..=k - lo]);
            let mut sum = d + d;
            if k % 2 == 0 {
                let x = a[k / 2].wide();
                sum += x * x;
            }
            sum
        });
    }

    /// Product-scanning Montgomery multiplication with the reduction interleaved (Koç et al.'s
    /// FIPS method): column `k` of the result gets `col(lo, hi, k) = Σ xᵢ·yₖ₋ᵢ` over
    /// `lo ≤ i < hi` and the same sum for `m·n`, where `mₖ` is chosen so that the column's low
    /// `W` bits cancel; after the first `l` columns the rest is the result, `< 2n`.
    fn redc(&self, out: &mut [L], col: impl Fn(usize, usize, usize) -> L::Wide) {
        let n = &self.n[..];
        let l = n.len();
        let out = &mut out[..l];
        let (w, mask) = (w::<L>(), mask::<L>());
        // mₖ is only needed while the columns are summed, so it lives in `out`, whose limb
        // `k - l` is written after column `k`, when mₖ₋ₗ is no longer read.
        let mut acc = L::ZERO.wide();
        for k in 0..l {
            acc += col(0, k + 1, k) + dot(&out[..k], &n[1..=k]);
            let m = L::lo(acc).wrapping_mul(self.n0inv) & mask;
            out[k] = m;
            acc = (acc + m.wide() * n[0].wide()) >> w;
        }
        for k in l..2 * l - 1 {
            let lo = k + 1 - l;
            acc += col(lo, l, k) + dot(&out[lo..], &n[lo..]);
            out[k - l] = L::lo(acc) & mask;
            acc >>= w;
        }
        // The top limb may hold one bit above W (result < 2n); limbwise comparison still holds.
        out[l - 1] = L::lo(acc);
        if !less_than(out, n) {
            sub_in_place(out, n);
        }
    }
}

/// `Σ x[i]·y[len-1-i]`: one column of a product-scanning multiplication.
///
/// One accumulator, on both widths. Measured natively with `u64` limbs (RS256 per token,
/// minimum of 151 interleaved rounds): this loop 31.2 µs; two accumulators (even and odd
/// terms) 35.7 µs, though 7% fewer instructions; one fused loop per column for the `a·b` and
/// `m·n` terms with two or three accumulators 35.2 µs.
#[inline(always)]
fn dot<L: Limb>(x: &[L], y: &[L]) -> L::Wide {
    x.iter()
        .zip(y.iter().rev())
        .map(|(&p, &q)| p.wide() * q.wide())
        .sum()
}

fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
}

fn bytes_to_limbs<L: Limb>(be: &[u8], limbs: usize) -> Vec<L> {
    let mut v = vec![L::ZERO; limbs];
    bytes_to_limbs_into(be, &mut v);
    v
}

/// Big-endian bytes → little-endian `W`-bit limbs (`be` must fit in `out`).
fn bytes_to_limbs_into<L: Limb>(be: &[u8], out: &mut [L]) {
    let (w, mask) = (w::<L>(), mask::<L>());
    let mut limbs = out.iter_mut();
    let (mut buf, mut have) = (L::ZERO.wide(), 0);
    for &byte in be.iter().rev() {
        buf = buf | (L::from_u64(byte.into()).wide() << have);
        have += 8;
        if have >= w {
            if let Some(limb) = limbs.next() {
                *limb = L::lo(buf) & mask;
            }
            buf >>= w;
            have -= w;
        }
    }
    for limb in limbs {
        *limb = L::lo(buf);
        buf = L::ZERO.wide();
    }
}

/// Little-endian `W`-bit limbs → big-endian bytes filling `out` exactly (the value must fit).
fn limbs_to_bytes<L: Limb>(limbs: &[L], out: &mut [u8]) {
    let mut limbs = limbs.iter();
    let (mut buf, mut have) = (L::ZERO.wide(), 0);
    for byte in out.iter_mut().rev() {
        if have < 8 {
            buf = buf | (limbs.next().copied().unwrap_or(L::ZERO).wide() << have);
            have += w::<L>();
        }
        *byte = L::lo(buf).low_u32() as u8;
        buf >>= 8;
        have -= 8;
    }
}

/// `a < b` for equal-length little-endian limb slices (the top limb may exceed `W` bits).
fn less_than<L: Limb>(a: &[L], b: &[L]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b` (mod 2^(W·len)).
fn sub_in_place<L: Limb>(a: &mut [L], b: &[L]) {
    let mask = mask::<L>();
    let mut borrow = L::ZERO;
    for (x, &y) in a.iter_mut().zip(b) {
        let d = x.wrapping_sub(y).wrapping_sub(borrow);
        *x = d & mask;
        borrow = d >> (L::BITS - 1);
    }
}

/// `-n0⁻¹ mod 2^BITS` for odd `n0` (Newton iteration: each step doubles the correct bits,
/// starting from 1, the inverse modulo 2).
fn neg_inv<L: Limb>(n0: L) -> L {
    let mut inv = L::ONE;
    let mut good = 1;
    while good < L::BITS {
        inv = inv.wrapping_mul(L::from_u64(2).wrapping_sub(n0.wrapping_mul(inv)));
        good *= 2;
    }
    inv.wrapping_neg()
}

/// `R² mod n` by doubling 1 modulo `n`, 2·W·limbs times. Key-preparation time only.
fn r_squared<L: Limb>(n: &[L]) -> Vec<L> {
    let (w, mask) = (w::<L>(), mask::<L>());
    let l = n.len();
    let mut x = vec![L::ZERO; l];
    x[0] = L::ONE;
    for _ in 0..2 * w as usize * l {
        // x < n < 2^(W·l): the doubled top limb keeps its carry bit, which less_than sees.
        let mut carry = L::ZERO;
        for limb in x.iter_mut() {
            let d = (*limb << 1) | carry;
            carry = d >> w;
            *limb = d & mask;
        }
        x[l - 1] = x[l - 1] | (carry << w);
        if !less_than(&x, n) {
            sub_in_place(&mut x, n);
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neg_inv_is_the_negated_inverse() {
        for n0 in [1u32, 3, 0xffff_ffff, 0x1234_5677, 65537] {
            assert_eq!(n0.wrapping_mul(neg_inv(n0)), u32::MAX, "{n0}");
        }
        for n0 in [1u64, 3, u64::MAX, 0x1234_5677_9abc_def1, 65537] {
            assert_eq!(n0.wrapping_mul(neg_inv(n0)), u64::MAX, "{n0}");
        }
    }

    #[test]
    fn limb_conversions_round_trip() {
        let be: Vec<u8> = (1..=37u8).collect();
        let limbs = bytes_to_limbs::<u32>(&be, 11);
        let mut back = [0u8; 37];
        limbs_to_bytes(&limbs, &mut back);
        assert_eq!(&back[..], &be[..]);
        let limbs = bytes_to_limbs::<u64>(&be, 6);
        let mut back = [0u8; 37];
        limbs_to_bytes(&limbs, &mut back);
        assert_eq!(&back[..], &be[..]);
    }

    /// Runs `$f::<u32>()` and `$f::<u64>()`: every test covers both limb widths.
    macro_rules! both_widths {
        ($($name:ident => $f:ident),* $(,)?) => {$(
            #[test]
            fn $name() {
                $f::<u32>();
                $f::<u64>();
            }
        )*};
    }

    both_widths! {
        rejects_weak_even_and_oversized_keys => rejects_weak_even_and_oversized,
        small_values_exponentiate_exactly => small_values,
        wraps_around_the_modulus => wraps_around,
        squaring_matches_multiplication => squaring,
        exponents_match_a_reference => exponents,
    }

    type PublicKey<L> = Key<L>;

    fn rejects_weak_even_and_oversized<L: Limb>() {
        let mut n1024 = vec![0xffu8; 128];
        n1024[127] = 0xfb;
        assert_eq!(
            PublicKey::<L>::new(&n1024, &[1, 0, 1]).unwrap_err(),
            "RSA modulus is shorter than 2048 bits"
        );
        let mut even = vec![0xffu8; 256];
        even[255] = 0xfe;
        assert!(PublicKey::<L>::new(&even, &[1, 0, 1]).is_err());
        let n = vec![0xffu8; 256];
        assert!(PublicKey::<L>::new(&n, &[2]).is_err());
        assert!(PublicKey::<L>::new(&n, &[1]).is_err());
        assert!(PublicKey::<L>::new(&n, &[1, 0, 1]).is_ok());
        assert!(PublicKey::<L>::new(&vec![0xffu8; 1025], &[3]).is_err());
    }

    /// Exponentiation checked against a schoolbook big-integer reference on a toy-sized input
    /// embedded in a 2048-bit modulus: m = 2 → m^e for e = 3 is 8.
    fn small_values<L: Limb>() {
        let n = vec![0xffu8; 256]; // 2^2048 - 1 (odd)
        let key = PublicKey::<L>::new(&n, &[3]).unwrap();
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

    fn wraps_around<L: Limb>() {
        // n = 2^2048 - 1, s = 2^1024 → s^3 = 2^3072 ≡ 2^(3072-2048) = 2^1024 (mod n).
        let n = vec![0xffu8; 256];
        let key = PublicKey::<L>::new(&n, &[3]).unwrap();
        let mut sig = vec![0u8; 256];
        sig[256 - 129] = 1; // 2^1024
        let mut out = [0u8; 1024];
        let res = key.public_op(&sig, &mut out).unwrap();
        assert_eq!(res, &sig[..]);
    }

    /// Deterministic xorshift64 byte source.
    struct Rng(u64);

    impl Rng {
        fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len)
                .map(|_| {
                    self.0 ^= self.0 << 13;
                    self.0 ^= self.0 >> 7;
                    self.0 ^= self.0 << 17;
                    (self.0 >> 24) as u8
                })
                .collect()
        }

        /// An odd modulus of exactly `bits` bits.
        fn modulus(&mut self, bits: usize) -> Vec<u8> {
            let mut n = self.bytes(bits.div_ceil(8));
            n[0] &= 0xff >> (8 * n.len() - bits);
            n[0] |= 0x80 >> (8 * n.len() - bits);
            *n.last_mut().unwrap() |= 1;
            n
        }

        /// A value below `n` (big-endian, same length).
        fn below(&mut self, n: &[u8]) -> Vec<u8> {
            let mut v = self.bytes(n.len());
            v[0] = (u16::from(v[0]) * u16::from(n[0]) / 256) as u8;
            assert!(v < n.to_vec());
            v
        }
    }

    /// `n - d` for small `d`, big-endian.
    fn minus(n: &[u8], d: u8) -> Vec<u8> {
        let mut v = n.to_vec();
        let mut borrow = d;
        for b in v.iter_mut().rev() {
            let (x, o) = b.overflowing_sub(borrow);
            *b = x;
            borrow = u8::from(o);
        }
        v
    }

    /// Moduli: all ones (2048, and 8192 bits, the widest columns), random ones of several sizes
    /// including some that are not a multiple of the limb width or of 32 bits.
    fn moduli(rng: &mut Rng) -> Vec<Vec<u8>> {
        let mut v = vec![vec![0xffu8; 256], vec![0xffu8; 1024]];
        for bits in [2048, 2049, 2076, 3072, 4096, 4100, 8192] {
            v.push(rng.modulus(bits));
        }
        v
    }

    fn squaring<L: Limb>() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for n in moduli(&mut rng) {
            let key = PublicKey::<L>::new(&n, &[1, 0, 1]).unwrap();
            let l = key.n.len();
            let mut inputs = vec![vec![0u8; n.len()], minus(&n, 1), minus(&n, 2)];
            inputs[0][n.len() - 1] = 1;
            inputs.push(vec![0u8; n.len()]);
            for _ in 0..6 {
                inputs.push(rng.below(&n));
            }
            for x in inputs {
                let a = bytes_to_limbs(&x, l);
                let (mut sq, mut mul) = (vec![L::ZERO; l], vec![L::ZERO; l]);
                key.mont_sqr(&a, &mut sq);
                key.mont_mul(&a, &a, &mut mul);
                assert_eq!(sq, mul, "{} bits", key.bits);
                assert!(less_than(&sq, &key.n));
            }
        }
    }

    /// Test-only reference: 32-bit little-endian limbs, `x = x + y mod n` for `x, y < n`.
    fn ref_add_mod(x: &mut [u32], y: &[u32], n: &[u32]) {
        let mut carry = 0u64;
        for (a, &b) in x.iter_mut().zip(y) {
            let s = u64::from(*a) + u64::from(b) + carry;
            *a = s as u32;
            carry = s >> 32;
        }
        if carry != 0 || !less_than(x, n) {
            let mut borrow = 0u64;
            for (a, &b) in x.iter_mut().zip(n) {
                let d = u64::from(*a).wrapping_sub(u64::from(b) + borrow);
                *a = d as u32;
                borrow = d >> 63;
            }
        }
    }

    /// `a·b mod n` by double-and-add over the bits of `b`.
    fn ref_mul_mod(a: &[u32], b: &[u32], n: &[u32]) -> Vec<u32> {
        let mut r = vec![0u32; n.len()];
        for bit in (0..32 * b.len()).rev() {
            let r2 = r.clone();
            ref_add_mod(&mut r, &r2, n);
            if (b[bit / 32] >> (bit % 32)) & 1 == 1 {
                ref_add_mod(&mut r, a, n);
            }
        }
        r
    }

    fn le32(be: &[u8]) -> Vec<u32> {
        let mut v = vec![0u32; be.len().div_ceil(4)];
        for (i, &byte) in be.iter().rev().enumerate() {
            v[i / 4] |= u32::from(byte) << (8 * (i % 4));
        }
        v
    }

    fn exponents<L: Limb>() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let cases = [
            (3u64, 2048),
            (17, 2051),
            (65537, 3072),
            (0xb7e1_5163, 2048),
            (u64::MAX, 2051),
        ];
        for (e, bits) in cases {
            let n = rng.modulus(bits);
            let key = PublicKey::<L>::new(&n, &e.to_be_bytes()).unwrap();
            let n32 = le32(&n);
            for s in [rng.below(&n), rng.below(&n), minus(&n, 1)] {
                let s32 = le32(&s);
                let mut want = s32.clone();
                for bit in (0..63 - e.leading_zeros()).rev() {
                    want = ref_mul_mod(&want, &want, &n32);
                    if (e >> bit) & 1 == 1 {
                        want = ref_mul_mod(&want, &s32, &n32);
                    }
                }
                let mut out = [0u8; MAX_BITS / 8];
                let got = key.public_op(&s, &mut out).unwrap();
                assert_eq!(le32(got), want, "e = {e}");
            }
        }
    }
}
