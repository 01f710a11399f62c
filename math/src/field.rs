//! Arithmetic modulo an odd prime (a curve's field prime `p` or its group order `n`), in
//! Montgomery form over `N` little-endian limbs of a [`Limb`] type `L` with double-width
//! intermediates.
//!
//! The limb type is [`Word`] by default: `u32` on wasm32 (which multiplies 32×32→64 natively
//! with `i64.mul` but has no 64×64→128 multiply) and `u64` with `u128` products on x86_64 and
//! aarch64 (see [`crate::limb`]). `N` is a const generic: each curve gets its own fully
//! unrolled copy (8, 12 and 17 limbs for P-256, P-384 and P-521 with `u32`; 4, 6 and 9 with
//! `u64`).
//!
//! Nothing here is constant-time. ECDSA *verification* only touches public values (key,
//! signature, message hash), so variable-time code is safe and much faster. Every function
//! takes and returns fully reduced values (`< m`), so equality of representations is equality
//! of field elements.

use crate::limb::{Limb, Word};

/// A field or scalar element: little-endian limbs.
pub type Limbs<const N: usize, L = Word> = [L; N];

/// An odd modulus with its Montgomery constants (`R = 2^(BITS·N)`).
pub struct Modulus<const N: usize, L: Limb = Word> {
    /// The modulus.
    pub m: Limbs<N, L>,
    /// `-m⁻¹ mod 2^BITS`.
    m0inv: L,
    /// `R² mod m`, to enter Montgomery form (`1` for a Mersenne modulus: no Montgomery form).
    r2: Limbs<N, L>,
    /// `k` when `m = 2^k - 1` (P-521's prime), else 0. Such a modulus skips Montgomery form:
    /// a product is reduced by adding its high part to its low part, about half the work of a
    /// Montgomery product (whose reduction costs as much as the multiplication).
    pub(crate) mersenne: usize,
}

/// The compile-time constructors, once per limb type: a `const fn` cannot call trait methods,
/// so these are written against the concrete types.
macro_rules! const_fns {
    ($l:ty, $w:ty) => {
        impl<const N: usize> Modulus<N, $l> {
            /// Builds the constants from the big-endian hex of `m` (compile time).
            pub const fn from_hex(hex: &str) -> Self {
                const BITS: usize = <$l>::BITS as usize;
                let m = Self::limbs_from_hex(hex);
                assert!(m[0] & 1 == 1, "modulus must be odd");
                // -m⁻¹ mod 2^BITS by Newton's iteration (each step doubles the correct low
                // bits; 1 is the inverse modulo 2).
                let mut inv: $l = 1;
                let mut good = 1;
                while good < BITS {
                    inv = inv.wrapping_mul((2 as $l).wrapping_sub(m[0].wrapping_mul(inv)));
                    good *= 2;
                }
                // R² mod m by doubling 1, 2·BITS·N times.
                let mut r2: [$l; N] = [0; N];
                r2[0] = 1;
                let mut k = 0;
                while k < 2 * BITS * N {
                    let mut carry: $l = 0;
                    let mut j = 0;
                    while j < N {
                        let next = r2[j] >> (BITS - 1);
                        r2[j] = (r2[j] << 1) | carry;
                        carry = next;
                        j += 1;
                    }
                    if carry != 0 || !Self::const_lt(&r2, &m) {
                        r2 = Self::const_sub(&r2, &m);
                    }
                    k += 1;
                }
                // m = 2^k - 1?
                let mut k = 0;
                while k < BITS * N && (m[k / BITS] >> (k % BITS)) & 1 == 1 {
                    k += 1;
                }
                let mut rest = k;
                while rest < BITS * N && (m[rest / BITS] >> (rest % BITS)) & 1 == 0 {
                    rest += 1;
                }
                let mersenne = if rest == BITS * N && k > BITS * (N - 1) {
                    k
                } else {
                    0
                };
                if mersenne != 0 {
                    r2 = [0; N];
                    r2[0] = 1;
                }
                Modulus {
                    m,
                    m0inv: inv.wrapping_neg(),
                    r2,
                    mersenne,
                }
            }

            /// Big-endian hex (no prefix) → limbs, at compile time.
            pub const fn limbs_from_hex(hex: &str) -> [$l; N] {
                const DIGITS: usize = <$l>::BITS as usize / 4;
                let s = hex.as_bytes();
                let mut out: [$l; N] = [0; N];
                let mut i = 0;
                while i < s.len() {
                    let c = s[s.len() - 1 - i];
                    let d = match c {
                        b'0'..=b'9' => c - b'0',
                        b'a'..=b'f' => c - b'a' + 10,
                        _ => panic!("bad hex digit"),
                    } as $l;
                    assert!(i / DIGITS < N || d == 0, "hex value too long");
                    if i / DIGITS < N {
                        out[i / DIGITS] |= d << (4 * (i % DIGITS));
                    }
                    i += 1;
                }
                out
            }

            const fn const_lt(a: &[$l; N], b: &[$l; N]) -> bool {
                let mut i = N;
                while i > 0 {
                    i -= 1;
                    if a[i] != b[i] {
                        return a[i] < b[i];
                    }
                }
                false
            }

            /// `a - b` modulo `2^(BITS·N)`.
            const fn const_sub(a: &[$l; N], b: &[$l; N]) -> [$l; N] {
                let mut out: [$l; N] = [0; N];
                let mut borrow: $w = 0;
                let mut i = 0;
                while i < N {
                    let d = (a[i] as $w).wrapping_sub(b[i] as $w).wrapping_sub(borrow);
                    out[i] = d as $l;
                    borrow = d >> (2 * <$l>::BITS - 1);
                    i += 1;
                }
                out
            }
        }
    };
}

const_fns!(u32, u64);
const_fns!(u64, u128);

/// `[1, 0, 0, …]`.
#[inline]
fn one<const N: usize, L: Limb>() -> Limbs<N, L> {
    let mut one = [L::ZERO; N];
    one[0] = L::ONE;
    one
}

impl<const N: usize, L: Limb> Modulus<N, L> {
    /// `a + b mod m`.
    pub fn add(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
        let mut t = [L::ZERO; N];
        let mut carry = L::ZERO.wide();
        for i in 0..N {
            let x = a[i].wide() + b[i].wide() + carry;
            t[i] = L::lo(x);
            carry = x >> L::BITS;
        }
        if carry != L::ZERO.wide() || !lt(&t, &self.m) {
            sub_in_place(&mut t, &self.m);
        }
        t
    }

    /// `a - b mod m`.
    pub fn sub(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
        let mut t = *a;
        if sub_in_place(&mut t, b) {
            add_in_place(&mut t, &self.m);
        }
        t
    }

    /// `-a mod m`.
    pub fn neg(&self, a: &Limbs<N, L>) -> Limbs<N, L> {
        self.sub(&[L::ZERO; N], a)
    }

    /// Montgomery product `a·b·R⁻¹ mod m` (CIOS: multiply and reduce one limb at a time).
    /// Not inlined: one copy per modulus size keeps the module small, and the call costs
    /// little next to the N² multiply-adds.
    #[inline(never)]
    pub fn mul(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
        if self.mersenne != 0 {
            return self.mul_mersenne(a, b);
        }
        let m = &self.m;
        let mut t = [L::ZERO; N];
        let mut hi = L::ZERO;
        for &ai in a {
            let ai = ai.wide();
            let mut c = L::ZERO.wide();
            for j in 0..N {
                let x = t[j].wide() + ai * b[j].wide() + c;
                t[j] = L::lo(x);
                c = x >> L::BITS;
            }
            let x = hi.wide() + c;
            let top = L::lo(x >> L::BITS);
            hi = L::lo(x);

            let q = t[0].wrapping_mul(self.m0inv).wide();
            let mut c = (t[0].wide() + q * m[0].wide()) >> L::BITS;
            for j in 1..N {
                let x = t[j].wide() + q * m[j].wide() + c;
                t[j - 1] = L::lo(x);
                c = x >> L::BITS;
            }
            let x = hi.wide() + c;
            t[N - 1] = L::lo(x);
            // top + carry ≤ 1: t + hi·R stays below 2m.
            hi = top + L::lo(x >> L::BITS);
        }
        // t + hi·R < 2m.
        if hi != L::ZERO || !lt(&t, m) {
            sub_in_place(&mut t, m);
        }
        t
    }

    /// `a·b mod m` for `m = 2^k - 1` with `BITS·(N-1) < k ≤ BITS·N`: the full product, then
    /// `lo + hi` where `lo` is its low `k` bits and `hi` the rest (as `2^k ≡ 1`).
    fn mul_mersenne(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
        const MAX: usize = 2 * 17;
        debug_assert!(2 * N <= MAX);
        let mut t = [L::ZERO; MAX];
        for (i, &ai) in a.iter().enumerate() {
            let ai = ai.wide();
            let mut c = L::ZERO.wide();
            for (j, &bj) in b.iter().enumerate() {
                let x = t[i + j].wide() + ai * bj.wide() + c;
                t[i + j] = L::lo(x);
                c = x >> L::BITS;
            }
            t[i + N] = L::lo(c);
        }
        let k = self.mersenne;
        let bits = L::BITS as usize;
        let (limb, bit) = (k / bits, (k % bits) as u32);
        let mut hi = [L::ZERO; N];
        for (i, h) in hi.iter_mut().enumerate() {
            let lo_part = t[limb + i] >> bit;
            let hi_part = if bit == 0 {
                L::ZERO
            } else {
                t[limb + i + 1] << (L::BITS - bit)
            };
            *h = lo_part | hi_part;
        }
        let mut lo = [L::ZERO; N];
        lo.copy_from_slice(&t[..N]);
        if bit != 0 {
            // (bit = 0 means k = BITS·N: lo is all N limbs)
            lo[limb] = lo[limb] & (L::ONE << bit).wrapping_sub(L::ONE);
        }
        // lo, hi < 2^k, so lo + hi ≤ 2m: at most two subtractions.
        add_in_place(&mut lo, &hi);
        while !lt(&lo, &self.m) {
            sub_in_place(&mut lo, &self.m);
        }
        lo
    }

    /// `a²·R⁻¹ mod m`.
    #[inline]
    pub fn sqr(&self, a: &Limbs<N, L>) -> Limbs<N, L> {
        self.mul(a, a)
    }

    /// Plain → Montgomery form (`a·R mod m`), for `a < m`.
    pub fn to_mont(&self, a: &Limbs<N, L>) -> Limbs<N, L> {
        self.mul(a, &self.r2)
    }

    /// Montgomery form → plain.
    #[cfg(test)]
    pub fn leave_mont(&self, a: &Limbs<N, L>) -> Limbs<N, L> {
        self.mul(a, &one())
    }

    /// The plain product `a·b mod m` of plain values (two Montgomery products).
    pub fn mul_plain(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
        self.mul(&self.mul(a, b), &self.r2)
    }

    /// `a⁻¹` in Montgomery form, by Fermat (`a^(m-2)`), for a prime `m`. Used only when
    /// building tables (once per key), where its cost does not matter. `0` maps to `0`.
    pub fn invert(&self, a: &Limbs<N, L>) -> Limbs<N, L> {
        let mut e = self.m;
        let mut two = [L::ZERO; N];
        two[0] = L::from_u64(2);
        sub_in_place(&mut e, &two);
        let mut acc = self.to_mont(&one());
        let bits = L::BITS as usize;
        for i in (0..bits * N).rev() {
            acc = self.sqr(&acc);
            if (e[i / bits] >> (i % bits) as u32) & L::ONE == L::ONE {
                acc = self.mul(&acc, a);
            }
        }
        acc
    }

    /// `a⁻¹ mod m` of a plain `0 < a < m` for a prime `m` (binary extended Euclid, variable
    /// time: for public values only). Returns `None` for `a = 0`.
    pub fn invert_plain_vartime(&self, a: &Limbs<N, L>) -> Option<Limbs<N, L>> {
        if is_zero(a) || !lt(a, &self.m) {
            return None;
        }
        let one = one();
        let (mut u, mut v) = (*a, self.m);
        let (mut x1, mut x2) = (one, [L::ZERO; N]);
        while u != one && v != one {
            while u[0] & L::ONE == L::ZERO {
                shr1(&mut u, L::ZERO);
                self.halve(&mut x1);
            }
            while v[0] & L::ONE == L::ZERO {
                shr1(&mut v, L::ZERO);
                self.halve(&mut x2);
            }
            if lt(&u, &v) {
                sub_in_place(&mut v, &u);
                x2 = self.sub(&x2, &x1);
            } else {
                sub_in_place(&mut u, &v);
                x1 = self.sub(&x1, &x2);
            }
        }
        Some(if u == one { x1 } else { x2 })
    }

    /// `x·2⁻¹ mod m` in place.
    fn halve(&self, x: &mut Limbs<N, L>) {
        let carry = x[0] & L::ONE == L::ONE && add_in_place(x, &self.m);
        shr1(x, if carry { L::ONE } else { L::ZERO });
    }
}

/// `a < b`.
#[inline]
pub fn lt<const N: usize, L: Limb>(a: &Limbs<N, L>, b: &Limbs<N, L>) -> bool {
    for i in (0..N).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

/// `a == 0`.
#[inline]
pub fn is_zero<const N: usize, L: Limb>(a: &Limbs<N, L>) -> bool {
    a.iter().all(|&x| x == L::ZERO)
}

/// `a -= b` modulo `2^(BITS·N)`; returns the borrow.
#[inline]
pub fn sub_in_place<const N: usize, L: Limb>(a: &mut Limbs<N, L>, b: &Limbs<N, L>) -> bool {
    let mut borrow = L::ZERO.wide();
    for i in 0..N {
        let d = L::wide_sub(L::wide_sub(a[i].wide(), b[i].wide()), borrow);
        a[i] = L::lo(d);
        borrow = d >> (2 * L::BITS - 1);
    }
    borrow != L::ZERO.wide()
}

/// `a += b` modulo `2^(BITS·N)`; returns the carry.
#[inline]
pub fn add_in_place<const N: usize, L: Limb>(a: &mut Limbs<N, L>, b: &Limbs<N, L>) -> bool {
    let mut carry = L::ZERO.wide();
    for i in 0..N {
        let x = a[i].wide() + b[i].wide() + carry;
        a[i] = L::lo(x);
        carry = x >> L::BITS;
    }
    carry != L::ZERO.wide()
}

/// `a = (a >> 1) | (top << (BITS·N - 1))`.
fn shr1<const N: usize, L: Limb>(a: &mut Limbs<N, L>, top: L) {
    for i in 0..N {
        let next = if i + 1 < N { a[i + 1] } else { top };
        a[i] = (a[i] >> 1) | (next << (L::BITS - 1));
    }
}

/// Big-endian bytes → limbs; `None` if the value does not fit in `N` limbs.
pub fn from_be_bytes<const N: usize, L: Limb>(be: &[u8]) -> Option<Limbs<N, L>> {
    let per = L::BITS as usize / 8;
    let mut out = [L::ZERO; N];
    for (i, &byte) in be.iter().rev().enumerate() {
        if i / per >= N {
            if byte != 0 {
                return None;
            }
            continue;
        }
        out[i / per] = out[i / per] | (L::from_u64(byte.into()) << (8 * (i % per)) as u32);
    }
    Some(out)
}

/// Limbs → big-endian bytes, the low `len` bytes of the value (test helper).
#[cfg(test)]
pub(crate) fn to_be_bytes<const N: usize, L: Limb>(
    k: &Limbs<N, L>,
    len: usize,
) -> alloc::vec::Vec<u8> {
    let per = L::BITS as usize / 8;
    (0..len)
        .rev()
        .map(|i| {
            if i / per < N {
                (k[i / per] >> (8 * (i % per)) as u32).low_u32() as u8
            } else {
                0
            }
        })
        .collect()
}

#[cfg(all(test, feature = "p256", feature = "p384", feature = "p521"))]
mod tests {
    use super::*;
    use crate::curve::{w32, w64};

    fn values<const N: usize, L: Limb>(
        m: &Modulus<N, L>,
    ) -> impl Iterator<Item = Limbs<N, L>> + '_ {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        (0..40).map(move |i| {
            let mut v = [L::ZERO; N];
            match i {
                0 => v[0] = L::ONE,
                1 => v[0] = L::from_u64(2),
                2 => {
                    v = m.m;
                    v[0] = v[0].wrapping_sub(L::ONE);
                }
                _ => {
                    for l in v.iter_mut() {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        *l = L::from_u64(state);
                    }
                    while !lt(&v, &m.m) {
                        v[N - 1] = v[N - 1] >> 1;
                    }
                }
            }
            v
        })
    }

    fn check<const N: usize, L: Limb>(m: &Modulus<N, L>) {
        for a in values(m) {
            assert_eq!(m.leave_mont(&m.to_mont(&a)), a);
            let inv = m.invert_plain_vartime(&a).unwrap();
            assert_eq!(m.mul_plain(&a, &inv), one(), "a·a⁻¹ = 1");
            assert_eq!(
                m.leave_mont(&m.invert(&m.to_mont(&a))),
                inv,
                "Fermat agrees"
            );
            assert_eq!(m.add(&a, &m.neg(&a)), [L::ZERO; N]);
            let b = m.add(&a, &a);
            assert_eq!(m.sub(&b, &a), a);
        }
        assert_eq!(m.invert_plain_vartime(&[L::ZERO; N]), None);
        assert_eq!(m.invert_plain_vartime(&m.m), None);
    }

    /// The same products in both limb widths: the byte encodings of `a·b` agree.
    fn widths_agree<const N: usize, const M: usize>(
        m32: &Modulus<N, u32>,
        m64: &Modulus<M, u64>,
        len: usize,
    ) {
        for (a, b) in values(m32).zip(values(m32).skip(7)) {
            let (a_be, b_be) = (to_be_bytes(&a, len), to_be_bytes(&b, len));
            let a64 = from_be_bytes::<M, u64>(&a_be).unwrap();
            let b64 = from_be_bytes::<M, u64>(&b_be).unwrap();
            assert_eq!(
                to_be_bytes(&m32.mul_plain(&a, &b), len),
                to_be_bytes(&m64.mul_plain(&a64, &b64), len)
            );
            assert_eq!(
                to_be_bytes(&m32.invert_plain_vartime(&a).unwrap(), len),
                to_be_bytes(&m64.invert_plain_vartime(&a64).unwrap(), len)
            );
        }
    }

    #[test]
    fn arithmetic_modulo_every_prime() {
        check(&w32::P256.p);
        check(&w32::P256.n);
        check(&w32::P384.p);
        check(&w32::P384.n);
        check(&w32::P521.p);
        check(&w32::P521.n);
        check(&w64::P256.p);
        check(&w64::P256.n);
        check(&w64::P384.p);
        check(&w64::P384.n);
        check(&w64::P521.p);
        check(&w64::P521.n);
    }

    #[test]
    fn both_limb_widths_compute_the_same_values() {
        widths_agree(&w32::P256.p, &w64::P256.p, 32);
        widths_agree(&w32::P256.n, &w64::P256.n, 32);
        widths_agree(&w32::P384.p, &w64::P384.p, 48);
        widths_agree(&w32::P384.n, &w64::P384.n, 48);
        widths_agree(&w32::P521.p, &w64::P521.p, 66);
        widths_agree(&w32::P521.n, &w64::P521.n, 66);
    }

    #[test]
    fn bytes_must_fit() {
        assert_eq!(
            from_be_bytes::<2, u32>(&[0, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
            Some([0x05060708, 0x01020304])
        );
        assert_eq!(from_be_bytes::<2, u32>(&[1, 0, 0, 0, 0, 0, 0, 0, 0]), None);
        assert_eq!(
            from_be_bytes::<2, u64>(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
            Some([0x090a0b0c0d0e0f10, 0x0102030405060708])
        );
        assert_eq!(from_be_bytes::<1, u64>(&[1, 0, 0, 0, 0, 0, 0, 0, 0]), None);
    }
}
