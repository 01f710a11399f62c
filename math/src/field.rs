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
//! The product routine is chosen per modulus at compile time (see [`MulFn`]): the generic
//! Montgomery product (CIOS); folding for a Mersenne prime (P-521's field); and, with 32-bit
//! limbs, a Montgomery reduction without multiplications for P-256's and P-384's primes, whose
//! limbs are all 0, 1 or `2^32 - 1` (`SPARSE_FORMS` below).
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
    /// The product routine for this modulus, chosen at compile time by [`Modulus::from_hex`]
    /// (see [`MulFn`]).
    mul_fn: MulFn<N, L>,
    /// [`Modulus::invert_plain_vartime`]'s body, held as a pointer for the same reason as
    /// `mul_fn` (see [`MulFn`]): it runs once per verification (`s⁻¹ mod n`), and built for
    /// size its limb loops stay rolled and out of line. Measured on the native 32-bit-limb
    /// proxy: 9.5 % of an ES256 verification's instructions (5.6 % of ES512's) saved, for
    /// about 2 KB of gzipped wasm.
    inv_fn: fn(&Modulus<N, L>, &Limbs<N, L>) -> Option<Limbs<N, L>>,
}

/// A modular product routine (`a·b·R⁻¹ mod m`, or `a·b mod m` for a Mersenne modulus).
///
/// Held as a function pointer in the modulus, set when the `static` curve constants are
/// evaluated: the routine is then instantiated in this crate, which the release profile builds
/// at `opt-level = 3`, rather than in each generic caller (edgejwt's curve code is instantiated
/// in the root crate, built at `opt-level = "z"` for size, where the product's loops stay
/// rolled). The call stays indirect (a `call_indirect` in wasm: LTO does not fold the
/// pointer), a few instructions next to the product it reaches; the instruction counts quoted
/// in this module include it.
pub type MulFn<const N: usize, L> = fn(&Modulus<N, L>, &Limbs<N, L>, &Limbs<N, L>) -> Limbs<N, L>;

/// The widest modulus the double-width buffers of [`Modulus`]'s separate product and reduction
/// routines hold: P-521 over 32-bit limbs.
const MAX_LIMBS: usize = 17;

/// A double-width product: `2·N` limbs used, little-endian (a fixed size, as `2·N` cannot be
/// written in a generic array length on stable Rust).
type Wide<L> = [L; 2 * MAX_LIMBS];

/// The sparse moduli: primes whose 32-bit limbs make them `2^(32·N) + Σ ±2^(32·k) − 1` with
/// few terms, listed as `(k, ±1)` (`k = N` included). Their Montgomery reduction needs no
/// multiplication (see [`Modulus::redc_sparse`]). [`Modulus::from_hex`] recognises them from
/// the modulus itself (by its signed-limb form), so nothing else depends on this list.
const SPARSE_FORMS: [&[(usize, i64)]; 2] = [
    // P-256: p = 2^256 − 2^224 + 2^192 + 2^96 − 1.
    &[(3, 1), (6, 1), (7, -1), (8, 1)],
    // P-384: p = 2^384 − 2^128 − 2^96 + 2^32 − 1.
    &[(1, 1), (3, -1), (4, -1), (12, 1)],
];

/// The largest `N` of [`SPARSE_FORMS`] (P-384's 12 limbs): its buffers' size.
const MAX_SPARSE: usize = 12;

/// The limbs of `m` as signed 32-bit digits: `m = Σ d_k·2^(32·k)`, `k = 0..=N`, each `d_k` in
/// `{-1, 0, 1}`, or `None` if `m` has no such form (at compile time).
const fn signed_limbs<const N: usize>(m: &[u32; N]) -> Option<[i8; MAX_SPARSE + 1]> {
    if N > MAX_SPARSE {
        return None;
    }
    let mut d = [0i8; MAX_SPARSE + 1];
    let mut carry = 0u64;
    let mut k = 0;
    while k < N {
        // limb + carry is 0, 1, 2^32 - 1 (digit -1, carry 1) or 2^32 (digit 0, carry 1).
        let v = m[k] as u64 + carry;
        (d[k], carry) = match v {
            0 => (0, 0),
            1 => (1, 0),
            0xffff_ffff => (-1, 1),
            0x1_0000_0000 => (0, 1),
            _ => return None,
        };
        k += 1;
    }
    d[N] = carry as i8;
    Some(d)
}

/// Index into [`SPARSE_FORMS`] of the modulus `m`, if it is one of them (at compile time).
const fn sparse_form<const N: usize>(m: &[u32; N]) -> Option<usize> {
    let Some(d) = signed_limbs(m) else {
        return None;
    };
    // Montgomery's quotient digit is the low limb itself only if m ≡ -1 mod 2^32.
    if d[0] != -1 {
        return None;
    }
    let mut f = 0;
    'forms: while f < SPARSE_FORMS.len() {
        let form = SPARSE_FORMS[f];
        let mut expect = [0i8; MAX_SPARSE + 1];
        let mut t = 0;
        while t < form.len() {
            if form[t].0 > N {
                f += 1;
                continue 'forms;
            }
            expect[form[t].0] = form[t].1 as i8;
            t += 1;
        }
        let mut k = 1;
        while k <= MAX_SPARSE {
            if expect[k] != d[k] {
                f += 1;
                continue 'forms;
            }
            k += 1;
        }
        return Some(f);
    }
    None
}

/// The compile-time constructors, once per limb type: a `const fn` cannot call trait methods,
/// so these are written against the concrete types.
macro_rules! const_fns {
    ($l:ty, $w:ty, $special:ident) => {
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
                let mul_fn: MulFn<N, $l> = if mersenne != 0 {
                    r2 = [0; N];
                    r2[0] = 1;
                    Self::mul_mersenne
                } else if let Some(special) = Self::$special(&m) {
                    special
                } else {
                    Self::mul_cios
                };
                Modulus {
                    m,
                    m0inv: inv.wrapping_neg(),
                    r2,
                    mersenne,
                    mul_fn,
                    inv_fn: Self::invert_binary,
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

const_fns!(u32, u64, sparse_fns);
const_fns!(u64, u128, no_special_fns);

impl<const N: usize> Modulus<N, u32> {
    /// The sparse-reduction routines if `m` is one of [`SPARSE_FORMS`] (at compile time).
    const fn sparse_fns(m: &[u32; N]) -> Option<MulFn<N, u32>> {
        match sparse_form(m) {
            Some(0) => Some(Self::mul_sparse::<0>),
            Some(1) => Some(Self::mul_sparse::<1>),
            _ => None,
        }
    }

    /// `a·b·R⁻¹ mod m` for a sparse modulus: full product, then [`Self::redc_sparse`].
    #[inline(never)]
    fn mul_sparse<const FORM: usize>(&self, a: &[u32; N], b: &[u32; N]) -> [u32; N] {
        self.redc_sparse::<FORM>(&product(a, b))
    }

    /// Montgomery reduction `t·R⁻¹ mod m` (`t < m·R`, `2·N` limbs) for the modulus
    /// `m = 2^(32·N) + Σ ±2^(32·k) − 1` of `SPARSE_FORMS[FORM]`, without multiplications.
    ///
    /// Word-by-word Montgomery reduction adds `q·m·2^(32·i)` to `t`, with `q` chosen to clear
    /// limb `i`: `q = t_i·(−m⁻¹) mod 2^32`. Here `m ≡ −1 (mod 2^32)`, so `−m⁻¹ ≡ 1` and `q` is
    /// the limb `t_i` itself, and `q·m` is only shifted copies of `±q`: its `−q` clears limb
    /// `i`, each other term adds `±q` to limb `i + k`. The limbs are kept as signed 64-bit
    /// columns (each stays within a few `2^32`: a product limb, a carry, one `±q` per term), and
    /// carried once at the end. Measured on the native 32-bit-limb proxy: a P-256 product costs
    /// 429 instructions instead of CIOS's 756 (ES256 verification −34 %, ES384 −38 %).
    #[inline(always)]
    fn redc_sparse<const FORM: usize>(&self, t: &Wide<u32>) -> [u32; N] {
        let terms = SPARSE_FORMS[FORM];
        let mut c = [0i64; 2 * MAX_SPARSE];
        for k in 0..2 * N {
            c[k] = t[k].into();
        }
        for i in 0..N {
            let v = c[i];
            // v mod 2^32 (v may be negative): the limb that the −q term clears.
            let q = v & 0xffff_ffff;
            c[i + 1] += (v - q) >> 32;
            for &(k, sign) in terms {
                c[i + k] += sign * q;
            }
        }
        let mut out = [0u32; N];
        let mut carry = 0i64;
        for k in 0..N {
            let v = c[N + k] + carry;
            out[k] = v as u32;
            carry = v >> 32;
        }
        // (t + Q·m)/R < (m² + R·m)/R < 2m: carry is 0 or 1, and one subtraction suffices.
        if carry != 0 || !lt(&out, &self.m) {
            sub_in_place(&mut out, &self.m);
        }
        out
    }
}

impl<const N: usize> Modulus<N, u64> {
    /// No special routines for 64-bit limbs (P-256's and P-384's primes are not sparse in
    /// 64-bit limbs, and the generic product is already fast there).
    const fn no_special_fns(_m: &[u64; N]) -> Option<MulFn<N, u64>> {
        None
    }
}

/// The full product `a·b` (`2·N` limbs; operand scanning, one row per limb of `a`).
#[inline(always)]
fn product<const N: usize, L: Limb>(a: &Limbs<N, L>, b: &Limbs<N, L>) -> Wide<L> {
    debug_assert!(N <= MAX_LIMBS);
    let mut t = [L::ZERO; 2 * MAX_LIMBS];
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
    t
}

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

    /// `a·b·R⁻¹ mod m` (Montgomery product), or `a·b mod m` for a Mersenne modulus, by the
    /// routine chosen for this modulus (see [`MulFn`]).
    #[inline(always)]
    pub fn mul(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
        (self.mul_fn)(self, a, b)
    }

    /// Montgomery product `a·b·R⁻¹ mod m` (CIOS: multiply and reduce one limb at a time).
    /// Not inlined: one copy per modulus size keeps the module small, and the call costs
    /// little next to the N² multiply-adds.
    #[inline(never)]
    pub(crate) fn mul_cios(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
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

    /// `a·b mod m` for `m = 2^k - 1`: the full product, then [`Self::reduce_mersenne`].
    #[inline(never)]
    fn mul_mersenne(&self, a: &Limbs<N, L>, b: &Limbs<N, L>) -> Limbs<N, L> {
        self.reduce_mersenne(&product(a, b))
    }

    /// `t mod m` for `t < m²` (`2·N` limbs) and `m = 2^k - 1` with `BITS·(N-1) < k ≤ BITS·N`:
    /// `lo + hi` where `lo` is the low `k` bits of `t` and `hi` the rest (as `2^k ≡ 1`).
    #[inline(always)]
    fn reduce_mersenne(&self, t: &Wide<L>) -> Limbs<N, L> {
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

    /// `a²·R⁻¹ mod m` (`a² mod m` for a Mersenne modulus). A product: a dedicated squaring
    /// (`N(N+1)/2` limb products instead of `N²`) was measured at 3–4 % of an ES256/ES512
    /// verification on wasm32 but cost about 7 KB of code, so it was left out.
    #[inline(always)]
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
    #[inline(always)]
    pub fn invert_plain_vartime(&self, a: &Limbs<N, L>) -> Option<Limbs<N, L>> {
        (self.inv_fn)(self, a)
    }

    /// [`Self::invert_plain_vartime`].
    #[inline(never)]
    fn invert_binary(&self, a: &Limbs<N, L>) -> Option<Limbs<N, L>> {
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

    /// `x·2⁻¹ mod m` in place. (Out of line: [`Self::invert_binary`] is built at
    /// `opt-level = 3`, which would otherwise unroll a copy of it at each of its uses.)
    #[inline(never)]
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

/// `a = (a >> 1) | (top << (BITS·N - 1))` (out of line, as [`Modulus::halve`]).
#[inline(never)]
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

    /// Which moduli get the sparse reduction, and that each listed form is its modulus.
    #[test]
    fn sparse_moduli_are_recognised() {
        assert_eq!(sparse_form(&w32::P256.p.m), Some(0));
        assert_eq!(sparse_form(&w32::P384.p.m), Some(1));
        for m in [&w32::P256.n.m[..], &w32::P384.n.m[..]] {
            assert_eq!(sparse_form(&<[u32; 8]>::try_from(&m[..8]).unwrap()), None);
        }
        assert_eq!(sparse_form(&w32::P384.n.m), None);
        assert_eq!(
            sparse_form(&w32::P521.p.m),
            None,
            "too wide (Mersenne path)"
        );
        assert_eq!(sparse_form(&[0xffff_ffffu32, 2, 0, 1]), None, "digit 2");
        assert_eq!(sparse_form(&[1u32, 0, 0, 1]), None, "m ≢ -1 mod 2^32");
        // The form's terms, summed, give back the modulus: m = Σ ±2^(32k) − 1.
        fn from_form<const N: usize>(form: &[(usize, i64)]) -> [u32; N] {
            let mut pos = [0u32; N];
            let mut neg = [0u32; N];
            neg[0] = 1;
            for &(k, sign) in form {
                if k == N {
                    continue; // 2^(32N): the wrap-around of the subtraction below
                }
                let v = if sign > 0 { &mut pos } else { &mut neg };
                v[k] += 1;
            }
            sub_in_place(&mut pos, &neg);
            pos
        }
        assert_eq!(from_form::<8>(SPARSE_FORMS[0]), w32::P256.p.m);
        assert_eq!(from_form::<12>(SPARSE_FORMS[1]), w32::P384.p.m);
    }

    /// The sparse reduction agrees with the generic Montgomery product (CIOS) on random and
    /// extreme operands, and gives known values.
    #[test]
    fn sparse_reduction_matches_the_generic_product() {
        fn agree<const N: usize>(m: &Modulus<N, u32>) {
            assert!(sparse_form(&m.m).is_some());
            let mut max = m.m;
            max[0] -= 1; // m - 1
            let mut all: alloc::vec::Vec<_> = values(m).collect();
            all.extend([[0; N], max, m.r2, m.to_mont(&max)]);
            for a in &all {
                for b in &all {
                    assert_eq!(m.mul(a, b), m.mul_cios(a, b));
                }
            }
        }
        agree(&w32::P256.p);
        agree(&w32::P384.p);
        // R mod p (the Montgomery form of 1), and the Montgomery form of 1/3.
        let hex = Modulus::<8, u32>::limbs_from_hex;
        let p = &w32::P256.p;
        assert_eq!(
            p.to_mont(&one()),
            hex("fffffffeffffffffffffffffffffffff000000000000000000000001")
        );
        let mut three = [0; 8];
        three[0] = 3;
        assert_eq!(
            p.invert(&p.to_mont(&three)),
            hex("55555554ffffffffffffffffffffffffaaaaaaaaaaaaaaaaaaaaaaab")
        );
        let p = &w32::P384.p;
        assert_eq!(
            p.to_mont(&one()),
            Modulus::<12, u32>::limbs_from_hex("100000000ffffffffffffffff00000001")
        );
        // The 64-bit limbs have no sparse form: the same constant through the generic path.
        assert_eq!(
            w64::P384.p.to_mont(&one()),
            Modulus::<6, u64>::limbs_from_hex("100000000ffffffffffffffff00000001")
        );
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
