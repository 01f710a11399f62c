//! Arithmetic modulo an odd prime (a curve's field prime `p` or its group order `n`), in
//! Montgomery form over `N` little-endian 32-bit limbs with 64-bit intermediates.
//!
//! wasm32 multiplies 32×32→64 natively (`i64.mul`) but has no 64×64→128 multiply, so this
//! limb size is the fast one there. `N` is a const generic: each curve gets its own fully
//! unrolled copy (8 limbs for P-256, 12 for P-384, 17 for P-521).
//!
//! Nothing here is constant-time. ECDSA *verification* only touches public values (key,
//! signature, message hash), so variable-time code is safe and much faster. Every function
//! takes and returns fully reduced values (`< m`), so equality of representations is equality
//! of field elements.

/// A field or scalar element: little-endian 32-bit limbs.
pub type Limbs<const N: usize> = [u32; N];

/// An odd modulus with its Montgomery constants (`R = 2^(32·N)`).
pub struct Modulus<const N: usize> {
    /// The modulus.
    pub m: Limbs<N>,
    /// `-m⁻¹ mod 2³²`.
    m0inv: u32,
    /// `R² mod m`, to enter Montgomery form (`1` for a Mersenne modulus: no Montgomery form).
    r2: Limbs<N>,
    /// `k` when `m = 2^k - 1` (P-521's prime), else 0. Such a modulus skips Montgomery form:
    /// a product is reduced by adding its high part to its low part, about half the work of a
    /// Montgomery product (whose reduction costs as much as the multiplication).
    pub(crate) mersenne: usize,
}

impl<const N: usize> Modulus<N> {
    /// Builds the constants from the big-endian hex of `m` (compile time).
    pub const fn from_hex(hex: &str) -> Self {
        let m = limbs_from_hex::<N>(hex);
        assert!(m[0] & 1 == 1, "modulus must be odd");
        // -m⁻¹ mod 2³² by Newton's iteration (each step doubles the correct low bits).
        let mut inv: u32 = 1;
        let mut i = 0;
        while i < 5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(m[0].wrapping_mul(inv)));
            i += 1;
        }
        // R² mod m by doubling 1, 2·32·N times.
        let mut r2 = [0u32; N];
        r2[0] = 1;
        let mut k = 0;
        while k < 64 * N {
            let mut carry = 0u32;
            let mut j = 0;
            while j < N {
                let next = r2[j] >> 31;
                r2[j] = (r2[j] << 1) | carry;
                carry = next;
                j += 1;
            }
            if carry != 0 || !const_lt(&r2, &m) {
                r2 = const_sub(&r2, &m).0;
            }
            k += 1;
        }
        // m = 2^k - 1?
        let mut k = 0;
        while k < 32 * N && (m[k / 32] >> (k % 32)) & 1 == 1 {
            k += 1;
        }
        let mut rest = k;
        while rest < 32 * N && (m[rest / 32] >> (rest % 32)) & 1 == 0 {
            rest += 1;
        }
        let mersenne = if rest == 32 * N && k > 32 * (N - 1) {
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

    /// `a + b mod m`.
    pub fn add(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        let mut t = [0u32; N];
        let mut carry = 0u64;
        for i in 0..N {
            let x = u64::from(a[i]) + u64::from(b[i]) + carry;
            t[i] = x as u32;
            carry = x >> 32;
        }
        if carry != 0 || !lt(&t, &self.m) {
            sub_in_place(&mut t, &self.m);
        }
        t
    }

    /// `a - b mod m`.
    pub fn sub(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        let mut t = *a;
        if sub_in_place(&mut t, b) {
            add_in_place(&mut t, &self.m);
        }
        t
    }

    /// `-a mod m`.
    pub fn neg(&self, a: &Limbs<N>) -> Limbs<N> {
        self.sub(&[0; N], a)
    }

    /// Montgomery product `a·b·R⁻¹ mod m` (CIOS: multiply and reduce one limb at a time).
    /// Not inlined: one copy per modulus size keeps the module small, and the call costs
    /// little next to the N² multiply-adds.
    #[inline(never)]
    pub fn mul(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        if self.mersenne != 0 {
            return self.mul_mersenne(a, b);
        }
        let m = &self.m;
        let mut t = [0u32; N];
        let mut hi = 0u32;
        for &ai in a {
            let ai = u64::from(ai);
            let mut c = 0u64;
            for j in 0..N {
                let x = u64::from(t[j]) + ai * u64::from(b[j]) + c;
                t[j] = x as u32;
                c = x >> 32;
            }
            let x = u64::from(hi) + c;
            let top = (x >> 32) as u32;
            hi = x as u32;

            let q = u64::from(t[0].wrapping_mul(self.m0inv));
            let mut c = (u64::from(t[0]) + q * u64::from(m[0])) >> 32;
            for j in 1..N {
                let x = u64::from(t[j]) + q * u64::from(m[j]) + c;
                t[j - 1] = x as u32;
                c = x >> 32;
            }
            let x = u64::from(hi) + c;
            t[N - 1] = x as u32;
            hi = top + (x >> 32) as u32;
        }
        // t + hi·R < 2m.
        if hi != 0 || !lt(&t, m) {
            sub_in_place(&mut t, m);
        }
        t
    }

    /// `a·b mod m` for `m = 2^k - 1` with `32·(N-1) < k ≤ 32·N`: the full product, then
    /// `lo + hi` where `lo` is its low `k` bits and `hi` the rest (as `2^k ≡ 1`).
    fn mul_mersenne(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        const MAX: usize = 2 * 17;
        debug_assert!(2 * N <= MAX);
        let mut t = [0u32; MAX];
        for (i, &ai) in a.iter().enumerate() {
            let ai = u64::from(ai);
            let mut c = 0u64;
            for (j, &bj) in b.iter().enumerate() {
                let x = u64::from(t[i + j]) + ai * u64::from(bj) + c;
                t[i + j] = x as u32;
                c = x >> 32;
            }
            t[i + N] = c as u32;
        }
        let k = self.mersenne;
        let (limb, bit) = (k / 32, k % 32);
        let mut hi = [0u32; N];
        for (i, h) in hi.iter_mut().enumerate() {
            let lo_part = t[limb + i] >> bit;
            let hi_part = if bit == 0 {
                0
            } else {
                t[limb + i + 1] << (32 - bit)
            };
            *h = lo_part | hi_part;
        }
        let mut lo = [0u32; N];
        lo.copy_from_slice(&t[..N]);
        if bit != 0 {
            lo[limb] &= (1 << bit) - 1; // (bit = 0 means k = 32·N: lo is all N limbs)
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
    pub fn sqr(&self, a: &Limbs<N>) -> Limbs<N> {
        self.mul(a, a)
    }

    /// Plain → Montgomery form (`a·R mod m`), for `a < m`.
    pub fn to_mont(&self, a: &Limbs<N>) -> Limbs<N> {
        self.mul(a, &self.r2)
    }

    /// Montgomery form → plain.
    #[cfg(test)]
    pub fn leave_mont(&self, a: &Limbs<N>) -> Limbs<N> {
        let mut one = [0; N];
        one[0] = 1;
        self.mul(a, &one)
    }

    /// The plain product `a·b mod m` of plain values (two Montgomery products).
    pub fn mul_plain(&self, a: &Limbs<N>, b: &Limbs<N>) -> Limbs<N> {
        self.mul(&self.mul(a, b), &self.r2)
    }

    /// `a⁻¹` in Montgomery form, by Fermat (`a^(m-2)`), for a prime `m`. Used only when
    /// building tables (once per key), where its cost does not matter. `0` maps to `0`.
    pub fn invert(&self, a: &Limbs<N>) -> Limbs<N> {
        let mut e = self.m;
        sub_in_place(&mut e, &{
            let mut two = [0; N];
            two[0] = 2;
            two
        });
        let mut acc = self.to_mont(&{
            let mut one = [0; N];
            one[0] = 1;
            one
        });
        for i in (0..32 * N).rev() {
            acc = self.sqr(&acc);
            if (e[i / 32] >> (i % 32)) & 1 == 1 {
                acc = self.mul(&acc, a);
            }
        }
        acc
    }

    /// `a⁻¹ mod m` of a plain `0 < a < m` for a prime `m` (binary extended Euclid, variable
    /// time: for public values only). Returns `None` for `a = 0`.
    pub fn invert_plain_vartime(&self, a: &Limbs<N>) -> Option<Limbs<N>> {
        if is_zero(a) || !lt(a, &self.m) {
            return None;
        }
        let mut one = [0; N];
        one[0] = 1;
        let (mut u, mut v) = (*a, self.m);
        let (mut x1, mut x2) = (one, [0; N]);
        while u != one && v != one {
            while u[0] & 1 == 0 {
                shr1(&mut u, 0);
                self.halve(&mut x1);
            }
            while v[0] & 1 == 0 {
                shr1(&mut v, 0);
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
    fn halve(&self, x: &mut Limbs<N>) {
        let carry = if x[0] & 1 == 1 {
            add_in_place(x, &self.m)
        } else {
            false
        };
        shr1(x, u32::from(carry));
    }
}

/// `a < b`.
#[inline]
pub fn lt<const N: usize>(a: &Limbs<N>, b: &Limbs<N>) -> bool {
    for i in (0..N).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

/// `a == 0`.
#[inline]
pub fn is_zero<const N: usize>(a: &Limbs<N>) -> bool {
    a.iter().all(|&x| x == 0)
}

/// `a -= b` modulo `2^(32·N)`; returns the borrow.
#[inline]
pub fn sub_in_place<const N: usize>(a: &mut Limbs<N>, b: &Limbs<N>) -> bool {
    let mut borrow = 0u64;
    for i in 0..N {
        let d = u64::from(a[i])
            .wrapping_sub(u64::from(b[i]))
            .wrapping_sub(borrow);
        a[i] = d as u32;
        borrow = d >> 63;
    }
    borrow != 0
}

/// `a += b` modulo `2^(32·N)`; returns the carry.
#[inline]
pub fn add_in_place<const N: usize>(a: &mut Limbs<N>, b: &Limbs<N>) -> bool {
    let mut carry = 0u64;
    for i in 0..N {
        let x = u64::from(a[i]) + u64::from(b[i]) + carry;
        a[i] = x as u32;
        carry = x >> 32;
    }
    carry != 0
}

/// `a = (a >> 1) | (top << (32·N - 1))`.
fn shr1<const N: usize>(a: &mut Limbs<N>, top: u32) {
    for i in 0..N {
        let next = if i + 1 < N { a[i + 1] } else { top };
        a[i] = (a[i] >> 1) | (next << 31);
    }
}

/// Big-endian bytes → limbs; `None` if the value does not fit in `N` limbs.
pub fn from_be_bytes<const N: usize>(be: &[u8]) -> Option<Limbs<N>> {
    let mut out = [0u32; N];
    for (i, &byte) in be.iter().rev().enumerate() {
        if i / 4 >= N {
            if byte != 0 {
                return None;
            }
            continue;
        }
        out[i / 4] |= u32::from(byte) << (8 * (i % 4));
    }
    Some(out)
}

/// Big-endian hex (no prefix) → limbs, at compile time.
pub const fn limbs_from_hex<const N: usize>(hex: &str) -> Limbs<N> {
    let s = hex.as_bytes();
    let mut out = [0u32; N];
    let mut i = 0;
    while i < s.len() {
        let c = s[s.len() - 1 - i];
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("bad hex digit"),
        } as u32;
        assert!(i / 8 < N || d == 0, "hex value too long");
        if i / 8 < N {
            out[i / 8] |= d << (4 * (i % 8));
        }
        i += 1;
    }
    out
}

const fn const_lt<const N: usize>(a: &Limbs<N>, b: &Limbs<N>) -> bool {
    let mut i = N;
    while i > 0 {
        i -= 1;
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

const fn const_sub<const N: usize>(a: &Limbs<N>, b: &Limbs<N>) -> (Limbs<N>, bool) {
    let mut out = [0u32; N];
    let mut borrow = 0u64;
    let mut i = 0;
    while i < N {
        let d = (a[i] as u64).wrapping_sub(b[i] as u64).wrapping_sub(borrow);
        out[i] = d as u32;
        borrow = d >> 63;
        i += 1;
    }
    (out, borrow != 0)
}

#[cfg(all(test, feature = "p256", feature = "p384", feature = "p521"))]
mod tests {
    use super::*;
    use crate::curve::{P256, P384, P521};

    fn values<const N: usize>(m: &Modulus<N>) -> impl Iterator<Item = Limbs<N>> + '_ {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        (0..40).map(move |i| {
            let mut v = [0u32; N];
            match i {
                0 => v[0] = 1,
                1 => v[0] = 2,
                2 => {
                    v = m.m;
                    v[0] -= 1;
                }
                _ => {
                    for l in v.iter_mut() {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        *l = state as u32;
                    }
                    while !lt(&v, &m.m) {
                        v[N - 1] >>= 1;
                    }
                }
            }
            v
        })
    }

    fn check<const N: usize>(m: &Modulus<N>) {
        let mut one = [0u32; N];
        one[0] = 1;
        for a in values(m) {
            assert_eq!(m.leave_mont(&m.to_mont(&a)), a);
            let inv = m.invert_plain_vartime(&a).unwrap();
            assert_eq!(m.mul_plain(&a, &inv), one, "a·a⁻¹ = 1");
            assert_eq!(
                m.leave_mont(&m.invert(&m.to_mont(&a))),
                inv,
                "Fermat agrees"
            );
            assert_eq!(m.add(&a, &m.neg(&a)), [0; N]);
            let b = m.add(&a, &a);
            assert_eq!(m.sub(&b, &a), a);
        }
        assert_eq!(m.invert_plain_vartime(&[0; N]), None);
        assert_eq!(m.invert_plain_vartime(&m.m), None);
    }

    #[test]
    fn arithmetic_modulo_every_prime() {
        check(&P256.p);
        check(&P256.n);
        check(&P384.p);
        check(&P384.n);
        check(&P521.p);
        check(&P521.n);
    }

    #[test]
    fn bytes_must_fit() {
        assert_eq!(
            from_be_bytes::<2>(&[0, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
            Some([0x05060708, 0x01020304])
        );
        assert_eq!(from_be_bytes::<2>(&[1, 0, 0, 0, 0, 0, 0, 0, 0]), None);
    }
}
