//! wasm32 with SIMD128: the Montgomery products of [`super`] four columns at a time.
//!
//! Same numbers as the scalar [`Key::redc`] (27-bit limbs in `u32`, product scanning with the
//! reduction interleaved, dedicated squaring), summed differently:
//!
//! - **Two products per instruction.** `i64x2.extmul_{low,high}_i32x4_u` multiply two pairs of
//!   `u32` lanes into `u64` lanes. A column's terms are summed lazily in those lanes, as in the
//!   scalar accumulator (the bound in [`super::w`] is for a whole column, so any split of it fits).
//! - **Four columns per pass.** Column `k` pairs `aᵢ` with `bₖ₋ᵢ`. With `b` reversed and
//!   zero-padded (`rb[F + l-1-j] = b[j]`), the `b` limbs that four consecutive `aᵢ` meet in
//!   columns `k..k+4` are the four-limb *windows* of `rb` at four consecutive positions; every
//!   window of `rb` is stored as one vector ([`windows`]), so one pass over `a` (as vectors of
//!   four limbs, [`forward`]) loads one vector of `a` and four adjacent window vectors per step
//!   and feeds four column accumulators. The bookkeeping between passes (horizontal sums,
//!   Montgomery digits, carries, loop set-up) is then paid once per four columns: measured, it was
//!   most of the time when done per column. Terms outside a column's range meet the padding
//!   zeros, so the four columns share one range of `i`.
//! - **What the shared range misses**: in the reduction's first half, the digits `mⱼ` of the
//!   pass's own earlier columns (still 0 in the digit vectors when it ran) meet `n₁..n₃` in
//!   scalar code, at most six products per pass.
//! - **Squares** pass over `i < (k + c) / 2` only, against the windows of `2a`, so each cross
//!   product `aᵢ·aⱼ` is counted twice by one multiplication; the four columns' half-way points
//!   differ by up to 2, so the last one or two vectors of `a` are masked per column; the
//!   diagonal `aₖ/₂²` is added in scalar. With `2aⱼ < 2^28` a column still fits a `u64` at
//!   8192 bits (304 limbs): below `152·2^55 + 304·2^54 + 2^54 + 2^37 < 2^64`.
//!
//! Only safe code: every vector is a whole element of a `[v128]`, so loads are plain
//! `v128.load`s (vectors built from four `u32` of a slice cost four loads each: LLVM splits
//! them per half for `extmul_low`/`extmul_high`). The functions carry
//! `#[target_feature(enable = "simd128")]`, which WebAssembly allows on safe functions (an
//! engine without SIMD128 rejects the whole module when validating it, so this code never runs
//! without it); the rest of the module is compiled without SIMD128.
//!
//! Measured in Node 20 on a shared 2-core machine (`public_op` alone, 2048 bits, each variant
//! against the scalar code in the same process, CPU time): one column per pass 0.57–0.66× the
//! scalar time (0.9× when its vectors were built from `u32` slices), four columns per pass
//! 0.50–0.60×; valgrind counts 1.76 M instructions per operation for the scalar code, 1.15 M
//! for one column per pass, 0.88 M for this. Whole RS256/PS256 tokens: 0.58–0.63× the
//! scalar build's time (`npm run bench`, same conditions).

use super::{bytes_to_limbs_into, less_than, limbs_to_bytes, sub_in_place, w, Key};
use alloc::vec;
use alloc::vec::Vec;
use core::arch::wasm32::{
    i64x2_add, i64x2_extmul_high_u32x4, i64x2_extmul_low_u32x4, u32x4, u64x2_extract_lane,
    u64x2_splat, v128, v128_and,
};

/// `2^W - 1`.
const MASK: u32 = (1 << 27) - 1;
const _: () = assert!(w::<u32>() == 27);
/// Zero limbs before a reversed operand: in the second half of the columns a pass starts at a
/// vector boundary up to 3 limbs before the first column's range, and the pass's last column
/// starts 3 further back.
const FRONT: usize = 8;
/// Zero limbs after an operand: a pass rounds its range up to whole vectors, up to 3 limbs
/// past the range of its last column, which is 3 past the first's.
const BACK: usize = 8;

/// Vectors of four limbs of a forward operand with its zero padding.
fn vectors(l: usize) -> usize {
    (l + BACK).div_ceil(4)
}

/// Window vectors of a reversed operand with its zero padding.
fn window_count(l: usize) -> usize {
    FRONT + l + BACK
}

/// The key's reversed modulus and `R²` as windows, and the constants the products need.
#[derive(Clone, Debug)]
pub(super) struct Lanes {
    /// Windows of `n` reversed ([`windows`]).
    nw: Vec<v128>,
    /// `n[0..4]`: the Montgomery digits of a pass's earlier columns meet these.
    n_low: [u64; 4],
    /// `-n⁻¹ mod 2^W`.
    n0inv: u32,
    /// Windows of `R² mod n` reversed.
    rrw: Vec<v128>,
}

/// `KEEP[r]` keeps the first `r` lanes.
const KEEP: [v128; 5] = [
    u32x4(0, 0, 0, 0),
    u32x4(!0, 0, 0, 0),
    u32x4(!0, !0, 0, 0),
    u32x4(!0, !0, !0, 0),
    u32x4(!0, !0, !0, !0),
];

/// The masks of the last vectors of a square's pass: `TAIL[e + 1][c]` keeps the lanes below
/// `e + [0, 1, 1, 2][c]` (column `k + c`'s half-way point, `e` lanes into the vector).
const TAIL: [[v128; 4]; 5] = {
    const fn keep(r: usize) -> v128 {
        KEEP[if r > 4 { 4 } else { r }]
    }
    let mut t = [[KEEP[0]; 4]; 5];
    let mut i = 0;
    while i < 5 {
        // i = e + 1
        t[i] = [keep(i.saturating_sub(1)), keep(i), keep(i), keep(i + 1)];
        i += 1;
    }
    t
};

/// `x·y` for four lanes, summed pairwise into two `u64` lanes.
#[inline]
#[target_feature(enable = "simd128")]
fn mul4(x: v128, y: v128) -> v128 {
    i64x2_add(i64x2_extmul_low_u32x4(x, y), i64x2_extmul_high_u32x4(x, y))
}

/// One pass: `acc[c] += Σ_q x[q]·w[4q + 3 - c]` lane-wise, where `w` starts at the window
/// of the *last* column's first step (windows of later positions belong to earlier columns).
#[inline]
#[target_feature(enable = "simd128")]
fn pass(acc: &mut [v128; 4], x: &[v128], w: &[v128]) {
    let w = &w[..4 * x.len()];
    for (&x, w) in x.iter().zip(w.chunks_exact(4)) {
        acc[3] = i64x2_add(acc[3], mul4(x, w[0]));
        acc[2] = i64x2_add(acc[2], mul4(x, w[1]));
        acc[1] = i64x2_add(acc[1], mul4(x, w[2]));
        acc[0] = i64x2_add(acc[0], mul4(x, w[3]));
    }
}

/// The four-limb vectors of `x` (`out[g]` = limbs `4g..4g+4`), zero past `x`.
#[target_feature(enable = "simd128")]
fn forward(x: &[u32], out: &mut [v128]) {
    for (g, o) in out.iter_mut().enumerate() {
        let limb = |j: usize| x.get(4 * g + j).copied().unwrap_or(0);
        *o = u32x4(limb(0), limb(1), limb(2), limb(3));
    }
}

/// Every four-limb window of `x` reversed between [`FRONT`] and [`BACK`] zeros, each limb
/// times `scale` (1, or 2 for a square): `out[P]` holds positions `P..P+4` of
/// `0^FRONT · scale·x[l-1] … scale·x[0] · 0^(BACK+3)`.
#[target_feature(enable = "simd128")]
fn windows(x: &[u32], scale: u32, out: &mut [v128], rev: &mut [u32]) {
    let l = x.len();
    rev.fill(0);
    for (r, &v) in rev[FRONT..FRONT + l].iter_mut().zip(x.iter().rev()) {
        *r = scale * v;
    }
    for (o, w) in out.iter_mut().zip(rev.windows(4)) {
        *o = u32x4(w[0], w[1], w[2], w[3]);
    }
}

/// Scratch for one exponentiation.
struct Scratch {
    /// Forward vectors of the current left operand.
    a: Vec<v128>,
    /// The Montgomery digits as forward vectors.
    m: Vec<v128>,
    /// Room for [`windows`].
    rev: Vec<u32>,
}

impl Lanes {
    /// The windows and constants of a key.
    #[target_feature(enable = "simd128")]
    pub(super) fn new(key: &Key<u32>) -> Self {
        let l = key.n.len();
        let mut rev = vec![0; window_count(l) + 3];
        let mut nw = vec![u64x2_splat(0); window_count(l)];
        windows(&key.n, 1, &mut nw, &mut rev);
        let mut rrw = nw.clone();
        windows(&key.rr, 1, &mut rrw, &mut rev);
        let n = |i: usize| u64::from(key.n.get(i).copied().unwrap_or(0));
        Lanes {
            nw,
            n_low: [n(0), n(1), n(2), n(3)],
            n0inv: key.n0inv,
            rrw,
        }
    }

    /// Montgomery product `out = a·b·R⁻¹ mod n` (`a`, `b < n`; `n` = `key.n`), with `a` as forward
    /// vectors in `s.a` and `a` itself (scalar, used by squares) in `a`, and `b` as windows `bw`.
    /// `SQR`: `b = a` and `bw` are the windows of `2a`.
    #[inline]
    #[target_feature(enable = "simd128")]
    fn redc<const SQR: bool>(
        &self,
        n: &[u32],
        a: &[u32],
        bw: &[v128],
        s: &mut Scratch,
        out: &mut [u32],
    ) {
        let l = n.len();
        let out = &mut out[..l];
        s.m.fill(u64x2_splat(0));
        let mut acc = 0u64;
        let last = 2 * l - 2;
        for k in (0..=last).step_by(4) {
            // The shared range of i: from the first column's start rounded down to a vector, to
            // the last column's end (columns below l: m is zero from k on).
            let q0 = (k + 1).saturating_sub(l) / 4;
            let hi = (k + 4).min(l);
            let groups = hi.div_ceil(4) - q0;
            // Window of the last column (k + 3) at i = 4·q0.
            let p3 = FRONT + l + 4 * q0 - k - 4;
            let mut sums = [u64x2_splat(0); 4];
            if SQR {
                // Cross products aᵢ·2aₖ₊꜀₋ᵢ with i < (k + c) / 2 = h + [0, 1, 1, 2][c] (k is
                // a multiple of 4): whole vectors below h, then the vector holding h (and, if
                // h is its last lane, the next) masked per column.
                let h = k / 2;
                let full = h.saturating_sub(4 * q0) / 4;
                pass(&mut sums, &s.a[q0..q0 + full], &bw[p3..]);
                // Lanes of vector g below h: 0..=3, or negative once h is below the range.
                let e = h as isize - 4 * (q0 + full) as isize;
                let mut tail = |t: usize, keep: &[v128; 4]| {
                    let x = s.a[q0 + full + t];
                    let w = &bw[p3 + 4 * (full + t)..][..4];
                    for (c, sum) in sums.iter_mut().enumerate() {
                        *sum = i64x2_add(*sum, mul4(v128_and(x, keep[c]), w[3 - c]));
                    }
                };
                if e >= -1 {
                    tail(0, &TAIL[(e + 1) as usize]);
                }
                if e == 3 {
                    tail(1, &TAIL[0]);
                }
            } else {
                pass(&mut sums, &s.a[q0..q0 + groups], &bw[p3..]);
            }
            pass(&mut sums, &s.m[q0..q0 + groups], &self.nw[p3..]);
            let mut sums = sums.map(|v| u64x2_extract_lane::<0>(v) + u64x2_extract_lane::<1>(v));
            // This pass's Montgomery digits (the m·n pass read them as 0).
            let mut digits = [0u32; 4];
            for c in 0..4 {
                let kc = k + c;
                if kc > last {
                    break;
                }
                let mut col = sums[c];
                if SQR && kc % 2 == 0 {
                    let x = u64::from(a[kc / 2]);
                    col += x * x;
                }
                acc += col;
                if kc < l {
                    let mk = (acc as u32).wrapping_mul(self.n0inv) & MASK;
                    digits[c] = mk;
                    let mk = u64::from(mk);
                    acc = (acc + mk * self.n_low[0]) >> 27;
                    for d in 1..4 - c {
                        sums[c + d] += mk * self.n_low[d];
                    }
                } else {
                    out[kc - l] = acc as u32 & MASK;
                    acc >>= 27;
                }
            }
            if k < l {
                s.m[k / 4] = u32x4(digits[0], digits[1], digits[2], digits[3]);
            }
        }
        // The top limb may hold one bit above W (result < 2n); limbwise comparison still holds.
        out[l - 1] = acc as u32;
        if !less_than(out, n) {
            sub_in_place(out, n);
        }
    }

    /// RSAVP1 as [`Key::public_op`].
    #[target_feature(enable = "simd128")]
    pub(super) fn public_op<'o>(
        &self,
        key: &Key<u32>,
        signature: &[u8],
        out: &'o mut [u8],
    ) -> Option<&'o mut [u8]> {
        if signature.len() != key.k || signature >= key.n_be.as_slice() {
            return None;
        }
        let n = &key.n[..];
        let l = n.len();
        let zero = u64x2_splat(0);
        let mut s = Scratch {
            a: vec![zero; vectors(l)],
            m: vec![zero; vectors(l)],
            rev: vec![0; window_count(l) + 3],
        };
        let mut sw = vec![zero; window_count(l)];
        let (mut bw, mut sq) = (sw.clone(), sw.clone());
        let mut limbs = vec![0u32; 4 * l];
        let (sig, rest) = limbs.split_at_mut(l);
        let (base, rest) = rest.split_at_mut(l);
        let (acc, tmp) = rest.split_at_mut(l);
        bytes_to_limbs_into(signature, sig);
        windows(sig, 1, &mut sw, &mut s.rev);
        // base = s·R mod n (Montgomery form of s).
        forward(sig, &mut s.a);
        self.redc::<false>(n, sig, &self.rrw, &mut s, base);
        windows(base, 1, &mut bw, &mut s.rev);
        acc.copy_from_slice(base);
        // Left-to-right square-and-multiply; as in `Key::public_op`, the last multiplication
        // is by the plain `s`, which leaves Montgomery form.
        let top = 63 - key.e.leading_zeros();
        for i in (0..top).rev() {
            forward(acc, &mut s.a);
            windows(acc, 2, &mut sq, &mut s.rev);
            self.redc::<true>(n, acc, &sq, &mut s, tmp);
            if (key.e >> i) & 1 == 1 {
                forward(tmp, &mut s.a);
                self.redc::<false>(n, tmp, if i == 0 { &sw } else { &bw }, &mut s, acc);
            } else {
                acc.copy_from_slice(tmp);
            }
        }
        let out = &mut out[..key.k];
        limbs_to_bytes(acc, out);
        Some(out)
    }
}
