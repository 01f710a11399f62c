//! Short-Weierstrass curves with `a = -3` (P-256, P-384, P-521): points, fixed-base tables and
//! the ECDSA verification equation.
//!
//! A verification computes `u₁·G + u₂·Q` and compares its x-coordinate with `r`. Both `G` and
//! the key `Q` are long-lived, so each gets a fixed-base table once (the caller decides when;
//! edgejwt builds them after a key's first few verifications, which use [`Curve::verify_untabled`]):
//! for every window position `i` of width `w`, the affine points `j·2^(w·i)·P` for
//! `j = 1..=2^(w-1)`. A scalar, recoded into signed base-2^w digits, is then a sum of one table
//! entry (or its negation) per position: no doublings at all, one mixed addition per non-zero
//! digit (43 per scalar on P-256 and 65 on P-384 with w = 6, 105 on P-521 with w = 5; tables of
//! 88 KB, 200 KB and 228 KB with 32-bit limbs; the same with 64-bit limbs except P-521's,
//! 242 KB, as 9 × 64 bits hold 576). The sum stays in Jacobian coordinates and is compared
//! with `r` as `X == r·Z²`, so no field inversion is needed per verification either.
//!
//! The generator's table exists once per process, not per key, so it may use a wider window
//! ([`Params::w_g`]): P-256's uses w = 8 (33 additions for `u₁` instead of 43; one table of
//! 270 KB instead of 88 KB, built once with the first key's table; ES256 verification −9.6 %
//! instructions on the 32-bit-limb proxy). The other curves keep their keys' width.
//!
//! Variable time throughout: every input is public (see [`crate::field`]).

use crate::field::{self, Limbs, Modulus};
use crate::limb::{limbs_for, Limb, Word};
use alloc::vec::Vec;

/// Curve constants (all big-endian hex at compile time). The point formulas (`is_on_curve`,
/// `double`) are those for `a = -3`; [`Curve::new`] refuses, at compile time, any curve whose
/// `a` is not `p - 3`.
pub struct Curve<const N: usize, L: Limb = Word> {
    /// JWK `crv`.
    pub name: &'static str,
    /// Field element size in bytes (the JWK coordinate and signature half length).
    pub len: usize,
    /// The field prime `p`.
    pub p: Modulus<N, L>,
    /// The group order `n` (prime; the cofactor is 1).
    pub n: Modulus<N, L>,
    /// Bit length of `n`.
    n_bits: usize,
    /// Window width `w` of the keys' tables: entries `j·2^(w·i)·P` for `j = 1..=2^(w-1)`.
    w: usize,
    /// Window width of the generator's table ([`Curve::generator_table`]).
    w_g: usize,
    /// [`Curve::add_affine_signed`], held as a pointer so that it is instantiated in this
    /// crate (built at `opt-level = 3`) rather than in the generic caller's (built for size);
    /// see [`crate::field::MulFn`]. Measured on wasm32 (native 32-bit-limb proxy): 7 % fewer
    /// instructions per ES256 verification than the same code built for size.
    add_fn: AddFn<N, L>,
    b: Limbs<N, L>,
    gx: Limbs<N, L>,
    gy: Limbs<N, L>,
}

/// `p ± q` for a Jacobian `p` and an affine `q` (`-q` when the flag is set).
type AddFn<const N: usize, L> =
    fn(&Curve<N, L>, &Jacobian<N, L>, &Affine<N, L>, bool) -> Jacobian<N, L>;

/// A curve's defining constants, as big-endian hex, independent of the limb type.
pub struct Params {
    /// JWK `crv`.
    pub name: &'static str,
    /// Field element size in bytes.
    pub len: usize,
    /// Bit length of the group order.
    pub n_bits: usize,
    /// Window width of the keys' tables (one table per key).
    pub w: usize,
    /// Window width of the generator's table: one per process, so it can be wider than a
    /// key's (fewer additions per verification for more memory, once).
    pub w_g: usize,
    /// Field prime.
    pub p: &'static str,
    /// Curve coefficient `a`: must be `p - 3` (see [`Curve`]).
    pub a: &'static str,
    /// Group order.
    pub n: &'static str,
    /// Curve coefficient `b`.
    pub b: &'static str,
    /// Generator x.
    pub gx: &'static str,
    /// Generator y.
    pub gy: &'static str,
}

/// The compile-time constructor, once per limb type (a `const fn` cannot call trait methods).
macro_rules! const_new {
    ($l:ty) => {
        impl<const N: usize> Curve<N, $l> {
            /// The curve with `params` over `N` limbs (evaluated at compile time). Panics (a
            /// compile error for a `static`) unless `a = p - 3`, the only `a` the formulas
            /// handle.
            pub const fn new(c: &Params) -> Self {
                assert!(
                    Self::is_p_minus_3(
                        &Modulus::<N, $l>::limbs_from_hex(c.a),
                        &Modulus::<N, $l>::limbs_from_hex(c.p)
                    ),
                    "edgejwt-math's curve formulas need a = -3 (a = p - 3)"
                );
                Curve {
                    name: c.name,
                    len: c.len,
                    p: Modulus::<N, $l>::from_hex(c.p),
                    n: Modulus::<N, $l>::from_hex(c.n),
                    n_bits: c.n_bits,
                    w: c.w,
                    w_g: c.w_g,
                    add_fn: Self::add_affine_signed,
                    b: Modulus::<N, $l>::limbs_from_hex(c.b),
                    gx: Modulus::<N, $l>::limbs_from_hex(c.gx),
                    gy: Modulus::<N, $l>::limbs_from_hex(c.gy),
                }
            }

            /// Whether `a == p - 3` (limbs little-endian).
            const fn is_p_minus_3(a: &[$l; N], p: &[$l; N]) -> bool {
                let mut borrow: $l = 3;
                let mut i = 0;
                while i < N {
                    if p[i].wrapping_sub(borrow) != a[i] {
                        return false;
                    }
                    borrow = if p[i] < borrow { 1 } else { 0 };
                    i += 1;
                }
                borrow == 0
            }
        }
    };
}

const_new!(u32);
const_new!(u64);

impl<const N: usize, L: Limb> Curve<N, L> {
    /// Decodes and validates a public key from its big-endian coordinates: both below `p`
    /// and `y² = x³ - 3x + b`. (The point at infinity has no affine encoding.)
    pub fn point(&self, x: &[u8], y: &[u8]) -> Option<Affine<N, L>> {
        let x = field::from_be_bytes::<N, L>(x)?;
        let y = field::from_be_bytes::<N, L>(y)?;
        if !field::lt(&x, &self.p.m) || !field::lt(&y, &self.p.m) {
            return None;
        }
        let point = Affine {
            x: self.p.to_mont(&x),
            y: self.p.to_mont(&y),
        };
        self.is_on_curve(&point).then_some(point)
    }

    fn is_on_curve(&self, pt: &Affine<N, L>) -> bool {
        let f = &self.p;
        let x3 = f.mul(&f.sqr(&pt.x), &pt.x);
        let three_x = f.add(&f.add(&pt.x, &pt.x), &pt.x);
        let rhs = f.add(&f.sub(&x3, &three_x), &f.to_mont(&self.b));
        f.sqr(&pt.y) == rhs
    }

    /// The generator `G`.
    pub fn generator(&self) -> Affine<N, L> {
        Affine {
            x: self.p.to_mont(&self.gx),
            y: self.p.to_mont(&self.gy),
        }
    }

    fn one(&self) -> Limbs<N, L> {
        let mut one = [L::ZERO; N];
        one[0] = L::ONE;
        self.p.to_mont(&one)
    }

    /// Table entries per position for window width `w`.
    fn half(w: usize) -> usize {
        1 << (w - 1)
    }

    /// Signed base-2^w digits of `k < 2^n_bits`, least significant first, each in
    /// `-half..=half`. `n_bits / w + 1` digits always suffice: the top window holds at most
    /// `w - 1` bits plus a carry.
    fn digits(&self, k: &Limbs<N, L>, w: usize) -> impl Iterator<Item = i32> + '_ {
        let k = *k;
        let mut carry = 0u32;
        (0..self.positions(w)).map(move |i| {
            let start = i * w;
            let bits = L::BITS as usize;
            let (limb, off) = (start / bits, start % bits);
            let mut v = if limb < N {
                (k[limb] >> off as u32).low_u32()
            } else {
                0
            };
            if off + w > bits && limb + 1 < N {
                v |= (k[limb + 1] << (bits - off) as u32).low_u32();
            }
            let d = (v & ((1 << w) - 1)) + carry;
            if d > Self::half(w) as u32 {
                carry = 1;
                d as i32 - (1 << w)
            } else {
                carry = 0;
                d as i32
            }
        })
    }

    fn positions(&self, w: usize) -> usize {
        self.n_bits / w + 1
    }

    /// Doubling in Jacobian coordinates for `a = -3` (dbl-2001-b: 3M + 5S).
    fn double(&self, p: &Jacobian<N, L>) -> Jacobian<N, L> {
        let f = &self.p;
        if field::is_zero(&p.z) {
            return *p;
        }
        let delta = f.sqr(&p.z);
        let gamma = f.sqr(&p.y);
        let beta = f.mul(&p.x, &gamma);
        let t = f.mul(&f.sub(&p.x, &delta), &f.add(&p.x, &delta));
        let alpha = f.add(&f.add(&t, &t), &t);
        let beta2 = f.add(&beta, &beta);
        let beta4 = f.add(&beta2, &beta2);
        let beta8 = f.add(&beta4, &beta4);
        let x = f.sub(&f.sqr(&alpha), &beta8);
        let z = f.sub(&f.sub(&f.sqr(&f.add(&p.y, &p.z)), &gamma), &delta);
        let g2 = f.sqr(&gamma);
        let g4 = f.add(&g2, &g2);
        let g8 = f.add(&g4, &g4);
        let y = f.sub(&f.mul(&alpha, &f.sub(&beta4, &x)), &f.add(&g8, &g8));
        Jacobian { x, y, z }
    }

    /// `p + q` for Jacobian `p` (possibly infinity) and affine `q` (8M + 3S), handling
    /// `p = ±q`.
    fn add_affine(&self, p: &Jacobian<N, L>, q: &Affine<N, L>) -> Jacobian<N, L> {
        let f = &self.p;
        if field::is_zero(&p.z) {
            return Jacobian {
                x: q.x,
                y: q.y,
                z: self.one(),
            };
        }
        let z1z1 = f.sqr(&p.z);
        let u2 = f.mul(&q.x, &z1z1);
        let s2 = f.mul(&q.y, &f.mul(&p.z, &z1z1));
        let h = f.sub(&u2, &p.x);
        let r = f.sub(&s2, &p.y);
        if field::is_zero(&h) {
            return if field::is_zero(&r) {
                self.double(p)
            } else {
                Jacobian::INFINITY
            };
        }
        let hh = f.sqr(&h);
        let hhh = f.mul(&h, &hh);
        let v = f.mul(&p.x, &hh);
        let x = f.sub(&f.sub(&f.sqr(&r), &hhh), &f.add(&v, &v));
        let y = f.sub(&f.mul(&r, &f.sub(&v, &x)), &f.mul(&p.y, &hhh));
        let z = f.mul(&p.z, &h);
        Jacobian { x, y, z }
    }

    /// `p + q`, or `p - q` if `negate`: the mixed addition every scalar multiplication here
    /// uses, through `add_fn`.
    #[inline(always)]
    fn add(&self, p: &Jacobian<N, L>, q: &Affine<N, L>, negate: bool) -> Jacobian<N, L> {
        (self.add_fn)(self, p, q, negate)
    }

    /// `p + q`, or `p - q` if `negate` (the table lookups' signed digits): [`Self::add_affine`]
    /// with `q`'s `y` negated first.
    #[inline(never)]
    fn add_affine_signed(
        &self,
        p: &Jacobian<N, L>,
        q: &Affine<N, L>,
        negate: bool,
    ) -> Jacobian<N, L> {
        let negated;
        let q = if negate {
            negated = Affine {
                x: q.x,
                y: self.p.neg(&q.y),
            };
            &negated
        } else {
            q
        };
        self.add_affine(p, q)
    }

    /// Jacobian → affine for many points with one inversion (Montgomery's trick).
    ///
    /// Every point must be finite. The callers only pass `j·2^k·P` for a valid point `P` and
    /// `0 < j·2^k < n`: `P` has prime order `n` (an [`Affine`] is only made by [`Curve::point`],
    /// which checks the curve equation, or [`Curve::generator`]; the cofactor is 1), so none of
    /// them is at infinity. Tests assert it (debug builds).
    fn normalize(&self, points: &[Jacobian<N, L>]) -> Vec<Affine<N, L>> {
        let f = &self.p;
        let mut prefix = Vec::with_capacity(points.len());
        let mut acc = self.one();
        for p in points {
            acc = f.mul(&acc, &p.z);
            prefix.push(acc);
        }
        debug_assert!(
            !field::is_zero(&acc),
            "{}: a point at infinity reached normalize",
            self.name
        );
        let mut inv = f.invert(&acc);
        let mut out = alloc::vec![Affine { x: [L::ZERO; N], y: [L::ZERO; N] }; points.len()];
        for i in (0..points.len()).rev() {
            let zinv = if i == 0 {
                inv
            } else {
                f.mul(&inv, &prefix[i - 1])
            };
            inv = f.mul(&inv, &points[i].z);
            let zinv2 = f.sqr(&zinv);
            out[i] = Affine {
                x: f.mul(&points[i].x, &zinv2),
                y: f.mul(&points[i].y, &f.mul(&zinv2, &zinv)),
            };
        }
        out
    }

    /// The fixed-base table of a valid point `p` (a key; see the module documentation).
    pub fn table(&self, p: &Affine<N, L>) -> Table<N, L> {
        self.table_with(p, self.w)
    }

    /// The fixed-base table of the generator, with its own (possibly wider) window.
    pub fn generator_table(&self) -> Table<N, L> {
        self.table_with(&self.generator(), self.w_g)
    }

    /// The fixed-base table of a valid point `p` with window width `w`.
    fn table_with(&self, p: &Affine<N, L>, w: usize) -> Table<N, L> {
        let positions = self.positions(w);
        let mut bases = Vec::with_capacity(positions);
        let mut b = Jacobian {
            x: p.x,
            y: p.y,
            z: self.one(),
        };
        for _ in 0..positions {
            bases.push(b);
            for _ in 0..w {
                b = self.double(&b);
            }
        }
        let half = Self::half(w);
        let mut entries = Vec::with_capacity(positions * half);
        // A valid point has prime order n > 2^(w·positions - w): no base is at infinity.
        let bases = self.normalize(&bases);
        for base in &bases {
            let mut j = Jacobian {
                x: base.x,
                y: base.y,
                z: self.one(),
            };
            entries.push(j);
            for _ in 1..half {
                j = self.add(&j, base, false);
                entries.push(j);
            }
        }
        Table {
            entries: self.normalize(&entries),
            w,
        }
    }

    /// `acc + k·P` where `table` is `P`'s table and `k < 2^n_bits`.
    fn mul_add(
        &self,
        mut acc: Jacobian<N, L>,
        table: &Table<N, L>,
        k: &Limbs<N, L>,
    ) -> Jacobian<N, L> {
        for (i, d) in self.digits(k, table.w).enumerate() {
            if d == 0 {
                continue;
            }
            let index = i * Self::half(table.w) + d.unsigned_abs() as usize - 1;
            let Some(e) = table.entries.get(index) else {
                return Jacobian::INFINITY;
            };
            acc = self.add(&acc, e, d < 0);
        }
        acc
    }

    /// ECDSA verification of `(r, s)` (big-endian, `len` bytes each) over the message digest
    /// `hash` (at most the order's length: SHA-256 for P-256, SHA-384 for P-384, SHA-512 for
    /// P-521), given the tables of `G` and of the key.
    pub fn verify(
        &self,
        g: &Table<N, L>,
        q: &Table<N, L>,
        hash: &[u8],
        r: &[u8],
        s: &[u8],
    ) -> bool {
        self.verify_equation(hash, r, s, |u1, u2| {
            self.mul_add(self.mul_add(Jacobian::INFINITY, g, u1), q, u2)
        })
    }

    /// The same verification without tables, for a key's first uses (building the tables
    /// costs several verifications, which a cold start should not pay): `u₁·G + u₂·Q` by
    /// interleaved 4-bit fixed windows over 15 multiples of each point (Shamir's trick).
    pub fn verify_untabled(&self, q: &Affine<N, L>, hash: &[u8], r: &[u8], s: &[u8]) -> bool {
        self.verify_equation(hash, r, s, |u1, u2| {
            let (tg, tq) = (self.multiples(&self.generator()), self.multiples(q));
            let per = L::BITS as usize / 4;
            let nibble = |k: &Limbs<N, L>, i: usize| {
                ((k[i / per] >> (4 * (i % per)) as u32).low_u32() & 15) as usize
            };
            let mut acc = Jacobian::INFINITY;
            for i in (0..self.n_bits.div_ceil(4)).rev() {
                for _ in 0..4 {
                    acc = self.double(&acc);
                }
                for (table, k) in [(&tg, u1), (&tq, u2)] {
                    let d = nibble(k, i);
                    if d != 0 {
                        let Some(p) = table.get(d - 1) else {
                            return Jacobian::INFINITY;
                        };
                        acc = self.add(&acc, p, false);
                    }
                }
            }
            acc
        })
    }

    /// `j·P` for `j = 1..=15`, affine.
    fn multiples(&self, p: &Affine<N, L>) -> Vec<Affine<N, L>> {
        let mut j = Jacobian {
            x: p.x,
            y: p.y,
            z: self.one(),
        };
        let mut all = Vec::with_capacity(15);
        all.push(j);
        for _ in 1..15 {
            j = self.add(&j, p, false);
            all.push(j);
        }
        self.normalize(&all)
    }

    /// Parses and range-checks `(r, s)`, computes `u₁ = e/s` and `u₂ = r/s`, lets `combine`
    /// compute `u₁·G + u₂·Q`, and compares its x-coordinate with `r`.
    fn verify_equation(
        &self,
        hash: &[u8],
        r: &[u8],
        s: &[u8],
        combine: impl FnOnce(&Limbs<N, L>, &Limbs<N, L>) -> Jacobian<N, L>,
    ) -> bool {
        let n = &self.n;
        let (Some(r), Some(s), Some(mut e)) = (
            field::from_be_bytes::<N, L>(r),
            field::from_be_bytes::<N, L>(s),
            field::from_be_bytes::<N, L>(hash),
        ) else {
            return false;
        };
        // 0 < r, s < n.
        if field::is_zero(&r) || field::is_zero(&s) || !field::lt(&r, &n.m) || !field::lt(&s, &n.m)
        {
            return false;
        }
        // The digest is shorter than n's bit length here, so e < 2^bits(n) < 2n.
        if !field::lt(&e, &n.m) {
            field::sub_in_place(&mut e, &n.m);
        }
        let Some(w) = n.invert_plain_vartime(&s) else {
            return false;
        };
        let u1 = n.mul_plain(&e, &w);
        let u2 = n.mul_plain(&r, &w);
        let sum = combine(&u1, &u2);
        if field::is_zero(&sum.z) {
            return false;
        }
        // x(sum) mod n == r  ⇔  x ∈ {r, r + n} (p < 2n), checked as X == x·Z².
        let f = &self.p;
        let zz = f.sqr(&sum.z);
        if f.mul(&f.to_mont(&r), &zz) == sum.x {
            return true;
        }
        let mut r_plus_n = r;
        let carry = field::add_in_place(&mut r_plus_n, &n.m);
        !carry && field::lt(&r_plus_n, &f.m) && f.mul(&f.to_mont(&r_plus_n), &zz) == sum.x
    }
}

/// An affine point, coordinates in Montgomery form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Affine<const N: usize, L: Limb = Word> {
    x: Limbs<N, L>,
    y: Limbs<N, L>,
}

/// A Jacobian point `(X/Z², Y/Z³)`, Montgomery form; `Z = 0` is the point at infinity.
#[derive(Clone, Copy)]
struct Jacobian<const N: usize, L: Limb = Word> {
    x: Limbs<N, L>,
    y: Limbs<N, L>,
    z: Limbs<N, L>,
}

impl<const N: usize, L: Limb> Jacobian<N, L> {
    const INFINITY: Self = Jacobian {
        x: [L::ZERO; N],
        y: [L::ZERO; N],
        z: [L::ZERO; N],
    };
}

/// A fixed-base table: `positions × 2^(w-1)` affine points.
pub struct Table<const N: usize, L: Limb = Word> {
    entries: Vec<Affine<N, L>>,
    /// Window width.
    w: usize,
}

/// P-256 (NIST SP 800-186 §3.2.1.3).
pub const P256_PARAMS: Params = Params {
    name: "P-256",
    len: 32,
    n_bits: 256,
    w: 6,
    w_g: 8,
    p: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    a: "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
    n: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    b: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
    gx: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
    gy: "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
};

/// P-384 (NIST SP 800-186 §3.2.1.4).
pub const P384_PARAMS: Params = Params {
    name: "P-384",
    len: 48,
    n_bits: 384,
    w: 6,
    w_g: 6,
    p: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
    a: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc",
    n: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
    b: "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
    gx: "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
    gy: "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
};

/// P-521 (NIST SP 800-186 §3.2.1.5).
pub const P521_PARAMS: Params = Params {
    name: "P-521",
    len: 66,
    n_bits: 521,
    w: 5,
    w_g: 5,
    p: "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    a: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
    n: "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    b: "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
    gx: "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
    gy: "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
};

/// Limbs of [`Word`] per P-256 element.
pub const P256_LIMBS: usize = limbs_for::<Word>(256);
/// Limbs of [`Word`] per P-384 element.
pub const P384_LIMBS: usize = limbs_for::<Word>(384);
/// Limbs of [`Word`] per P-521 element.
pub const P521_LIMBS: usize = limbs_for::<Word>(521);

/// P-256 over this target's [`Word`].
#[cfg(feature = "p256")]
pub static P256: Curve<P256_LIMBS> = Curve::<P256_LIMBS, Word>::new(&P256_PARAMS);
/// P-384 over this target's [`Word`].
#[cfg(feature = "p384")]
pub static P384: Curve<P384_LIMBS> = Curve::<P384_LIMBS, Word>::new(&P384_PARAMS);
/// P-521 over this target's [`Word`].
#[cfg(feature = "p521")]
pub static P521: Curve<P521_LIMBS> = Curve::<P521_LIMBS, Word>::new(&P521_PARAMS);

/// The curves over 32-bit limbs on every target (the wasm32 arithmetic), for tests that run
/// both limb widths.
pub mod w32 {
    use super::*;
    /// P-256, 8 × 32-bit limbs.
    pub static P256: Curve<8, u32> = Curve::<8, u32>::new(&P256_PARAMS);
    /// P-384, 12 × 32-bit limbs.
    pub static P384: Curve<12, u32> = Curve::<12, u32>::new(&P384_PARAMS);
    /// P-521, 17 × 32-bit limbs.
    pub static P521: Curve<17, u32> = Curve::<17, u32>::new(&P521_PARAMS);
}

/// The curves over 64-bit limbs on every target (the x86_64/aarch64 arithmetic), for tests
/// that run both limb widths.
pub mod w64 {
    use super::*;
    /// P-256, 4 × 64-bit limbs.
    pub static P256: Curve<4, u64> = Curve::<4, u64>::new(&P256_PARAMS);
    /// P-384, 6 × 64-bit limbs.
    pub static P384: Curve<6, u64> = Curve::<6, u64>::new(&P384_PARAMS);
    /// P-521, 9 × 64-bit limbs.
    pub static P521: Curve<9, u64> = Curve::<9, u64>::new(&P521_PARAMS);
}

#[cfg(all(test, feature = "p256", feature = "p384", feature = "p521"))]
mod tests {
    use super::*;

    fn check_curve<const N: usize, L: Limb>(c: &Curve<N, L>) {
        let f = &c.p;
        let g = c.generator();
        assert!(c.is_on_curve(&g), "{}: G on the curve", c.name);
        let mut off = g;
        off.y = f.add(&off.y, &c.one());
        assert!(!c.is_on_curve(&off), "{}: G + (0,1) is not", c.name);

        let gj = Jacobian {
            x: g.x,
            y: g.y,
            z: c.one(),
        };
        let table = c.table(&g);
        let affine = |p: &Jacobian<N, L>| c.normalize(core::slice::from_ref(p))[0];
        // 2G by doubling == G + G through the p = q branch of the mixed addition.
        let two_g = affine(&c.double(&gj));
        assert_eq!(affine(&c.add_affine(&gj, &g)), two_g, "{}", c.name);
        assert!(c.is_on_curve(&two_g));
        // 2·G and 3·G through the table.
        let k = |v: u64| {
            let mut k = [L::ZERO; N];
            k[0] = L::from_u64(v);
            k
        };
        assert_eq!(affine(&c.mul_add(Jacobian::INFINITY, &table, &k(2))), two_g);
        let three_g = affine(&c.add_affine(&c.double(&gj), &g));
        assert_eq!(
            affine(&c.mul_add(Jacobian::INFINITY, &table, &k(3))),
            three_g
        );
        // (n-1)·G = -G, and adding G gives the point at infinity (the p = -q branch).
        let mut n1 = c.n.m;
        field::sub_in_place(&mut n1, &k(1));
        let minus_g = c.mul_add(Jacobian::INFINITY, &table, &n1);
        assert_eq!(
            affine(&minus_g),
            Affine {
                x: g.x,
                y: f.neg(&g.y)
            },
            "{}",
            c.name
        );
        assert!(field::is_zero(&c.add_affine(&minus_g, &g).z), "{}", c.name);
        // a·G + b·G == (a+b)·G for scalars spread over the whole range (digit carries).
        let mut a = [L::from_u64(0x9e37_79b9_7f4a_7c15); N];
        a[N - 1] = L::ZERO;
        let mut b = [L::from_u64(0x7f4a_7c15_9e37_79b9); N];
        b[N - 1] = L::ONE;
        let sum = c.n.add(&a, &b);
        let lhs = c.mul_add(c.mul_add(Jacobian::INFINITY, &table, &a), &table, &b);
        assert_eq!(
            affine(&lhs),
            affine(&c.mul_add(Jacobian::INFINITY, &table, &sum))
        );
    }

    /// Signs with the curve's own arithmetic (d, k from a generator) and checks that the
    /// tabled and table-free verifications agree: both accept, and both reject a wrong digest,
    /// a wrong key, and swapped r/s.
    fn check_both_paths<const N: usize, L: Limb>(c: &Curve<N, L>, seed: u64) {
        let mut state = seed;
        let mut scalar = || {
            let mut k = [L::ZERO; N];
            for l in k.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *l = L::from_u64(state);
            }
            k[N - 1] = k[N - 1] & (c.n.m[N - 1] >> 1); // below n
            k
        };
        let g_table = c.generator_table();
        let affine = |p: &Jacobian<N, L>| c.normalize(core::slice::from_ref(p))[0];
        for round in 0..6 {
            let (d, k, mut e) = (scalar(), scalar(), scalar());
            if round == 0 {
                e = c.n.m; // e ≥ n: reduced mod n
                e[0] = e[0] | L::from_u64(5);
            }
            let q = affine(&c.mul_add(Jacobian::INFINITY, &g_table, &d));
            let big_r = affine(&c.mul_add(Jacobian::INFINITY, &g_table, &k));
            let mut r = c.p.leave_mont(&big_r.x);
            if !field::lt(&r, &c.n.m) {
                field::sub_in_place(&mut r, &c.n.m);
            }
            let mut e_red = e;
            if !field::lt(&e_red, &c.n.m) {
                field::sub_in_place(&mut e_red, &c.n.m);
            }
            let kinv = c.n.invert_plain_vartime(&k).unwrap();
            let s =
                c.n.mul_plain(&kinv, &c.n.add(&e_red, &c.n.mul_plain(&r, &d)));
            let bytes = L::BITS as usize / 8 * N;
            let to_be = field::to_be_bytes;
            let (rb, sb, eb) = (to_be(&r, c.len), to_be(&s, c.len), to_be(&e, bytes));
            let q_table = c.table(&q);
            assert!(
                c.verify(&g_table, &q_table, &eb, &rb, &sb),
                "{} tabled",
                c.name
            );
            assert!(c.verify_untabled(&q, &eb, &rb, &sb), "{} untabled", c.name);
            let mut wrong = eb.clone();
            wrong[bytes - 1] ^= 1;
            assert!(!c.verify(&g_table, &q_table, &wrong, &rb, &sb));
            assert!(!c.verify_untabled(&q, &wrong, &rb, &sb));
            assert!(!c.verify_untabled(&c.generator(), &eb, &rb, &sb));
            assert!(!c.verify_untabled(&q, &eb, &sb, &rb));
        }
    }

    #[test]
    fn tabled_and_untabled_verification_agree() {
        check_both_paths(&w32::P256, 1);
        check_both_paths(&w32::P384, 2);
        check_both_paths(&w32::P521, 3);
        check_both_paths(&w64::P256, 1);
        check_both_paths(&w64::P384, 2);
        check_both_paths(&w64::P521, 3);
    }

    #[test]
    fn group_law_and_tables() {
        check_curve(&w32::P256);
        check_curve(&w32::P384);
        check_curve(&w32::P521);
        check_curve(&w64::P256);
        check_curve(&w64::P384);
        check_curve(&w64::P521);
    }

    #[test]
    fn only_a_equal_to_p_minus_3_is_accepted() {
        type C32 = Curve<2, u32>;
        let p = [0xffff_ffff, 0x0000_0001];
        assert!(C32::is_p_minus_3(&[0xffff_fffc, 1], &p));
        assert!(!C32::is_p_minus_3(&[0xffff_fffd, 1], &p));
        assert!(!C32::is_p_minus_3(&[0xffff_fffc, 0], &p));
        // p - 3 with a borrow across limbs.
        assert!(C32::is_p_minus_3(&[0xffff_ffff, 0], &[2, 1]));
        assert!(!C32::is_p_minus_3(&[0, 0], &[2, 0]), "p < 3 has no p - 3");
        // The same over 64-bit limbs.
        type C64 = Curve<2, u64>;
        let p = [u64::MAX, 1];
        assert!(C64::is_p_minus_3(&[u64::MAX - 3, 1], &p));
        assert!(!C64::is_p_minus_3(&[u64::MAX - 2, 1], &p));
        assert!(C64::is_p_minus_3(&[u64::MAX, 0], &[2, 1]));
        assert!(!C64::is_p_minus_3(&[0, 0], &[2, 0]), "p < 3 has no p - 3");
    }

    #[test]
    fn p521_prime_is_a_mersenne_prime() {
        let mut p = [u32::MAX; 17];
        p[16] = 0x1ff;
        assert_eq!(w32::P521.p.m, p);
        let mut p = [u64::MAX; 9];
        p[8] = 0x1ff;
        assert_eq!(w64::P521.p.m, p);
        assert_eq!(
            w32::P521.p.mersenne,
            521,
            "P-521's field skips Montgomery form"
        );
        assert_eq!(w64::P521.p.mersenne, 521);
        assert_eq!(
            (
                w32::P256.p.mersenne,
                w32::P384.p.mersenne,
                w32::P521.n.mersenne
            ),
            (0, 0, 0)
        );
        assert_eq!(
            (
                w64::P256.p.mersenne,
                w64::P384.p.mersenne,
                w64::P521.n.mersenne
            ),
            (0, 0, 0)
        );
    }

    #[test]
    fn digits_recode_the_scalar() {
        let mut k = [0u32; 8];
        for (i, l) in k.iter_mut().enumerate() {
            *l = 0xdead_beefu32.rotate_left(i as u32 * 7) ^ (i as u32);
        }
        k[7] |= 0x8000_0000; // top bit set: the last digit takes the carry
                             // Σ dᵢ·2^(5i), split into the positive and negative digits' sums.
        let (mut pos, mut neg) = ([0u32; 9], [0u32; 9]);
        let c = &w32::P256;
        for (i, d) in c.digits(&k, c.w).enumerate() {
            assert!((-32..=32).contains(&d));
            let mut term = [0u32; 9];
            let (limb, off) = (c.w * i / 32, c.w * i % 32);
            let wide = u64::from(d.unsigned_abs()) << off;
            term[limb] = wide as u32;
            if limb + 1 < 9 {
                term[limb + 1] = (wide >> 32) as u32;
            }
            field::add_in_place(if d > 0 { &mut pos } else { &mut neg }, &term);
        }
        field::sub_in_place(&mut pos, &neg);
        assert_eq!(&pos[..8], &k[..], "digits sum back to k");
        assert_eq!(pos[8], 0);
        // The 64-bit limbs of the same scalar give the same digits.
        let k64: [u64; 4] =
            core::array::from_fn(|i| u64::from(k[2 * i]) | u64::from(k[2 * i + 1]) << 32);
        assert!(w64::P256.digits(&k64, 6).eq(c.digits(&k, 6)));
    }
}
