//! The limb types the arithmetic is generic over, and the one the target uses.
//!
//! One algorithm, two limb widths: every routine in [`crate::field`], [`crate::curve`] and
//! [`crate::rsa`] is written once over a [`Limb`] and instantiated with
//!
//! * `u32` (products in `u64`) where the target has no fast 64×64→128 multiply: wasm32 has
//!   `i64.mul` (32×32→64) but no 128-bit product, and Rust lowers `u128` products there to
//!   slow `__multi3` calls;
//! * `u64` (products in `u128`) on x86_64 and aarch64, whose `mul`/`umulh` give the full
//!   128-bit product in one or two instructions: a quarter of the multiplications for the same
//!   modulus.
//!
//! [`Word`] is the target's choice. It is `u64` only on x86_64 and aarch64, the targets the
//! native (Python) builds ship for and where the gain was measured; every other target,
//! including wasm64 and other 64-bit architectures, keeps `u32`, which is correct everywhere.
//! The `force-32bit-limbs` feature selects `u32` on every target, so that the whole test suite
//! (Wycheproof, RFC vectors, differential tests in the root crate) can run the wasm32
//! arithmetic natively; the crate's own tests run both widths in every build.

use core::fmt::Debug;
use core::iter::Sum;
use core::ops::{Add, AddAssign, BitAnd, BitOr, Mul, Shl, Shr, ShrAssign};

/// The limb type of this target's arithmetic (see the module documentation).
#[cfg(all(
    any(target_arch = "x86_64", target_arch = "aarch64"),
    not(feature = "force-32bit-limbs")
))]
pub type Word = u64;

/// The limb type of this target's arithmetic (see the module documentation).
#[cfg(not(all(
    any(target_arch = "x86_64", target_arch = "aarch64"),
    not(feature = "force-32bit-limbs")
)))]
pub type Word = u32;

/// An unsigned limb with a double-width type for exact products: `u32`/`u64` or `u64`/`u128`.
pub trait Limb:
    Copy
    + Default
    + Eq
    + Ord
    + Debug
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + Shl<u32, Output = Self>
    + Shr<u32, Output = Self>
{
    /// Twice the width: holds `x + y·z + c` for limbs `x, y, z, c`.
    type Wide: Copy
        + Eq
        + From<Self>
        + Add<Output = Self::Wide>
        + Mul<Output = Self::Wide>
        + AddAssign
        + Shl<u32, Output = Self::Wide>
        + Shr<u32, Output = Self::Wide>
        + ShrAssign<u32>
        + BitOr<Output = Self::Wide>
        + Sum;
    /// Width in bits.
    const BITS: u32;
    /// Bits per limb in [`crate::rsa`]'s reduced-radix representation: the largest width for
    /// which a product-scanning column of the widest modulus still fits in `Wide` (see there).
    const RSA_BITS: u32;
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// The low half of `w`.
    fn lo(w: Self::Wide) -> Self;
    /// `self` widened.
    #[inline(always)]
    fn wide(self) -> Self::Wide {
        self.into()
    }
    /// `a - b` modulo `2^(2·BITS)`.
    fn wide_sub(a: Self::Wide, b: Self::Wide) -> Self::Wide;
    /// `self·rhs` modulo `2^BITS`.
    fn wrapping_mul(self, rhs: Self) -> Self;
    /// `self - rhs` modulo `2^BITS`.
    fn wrapping_sub(self, rhs: Self) -> Self;
    /// `-self` modulo `2^BITS`.
    fn wrapping_neg(self) -> Self;
    /// The low `BITS` bits of `x`.
    fn from_u64(x: u64) -> Self;
    /// The low 32 bits.
    fn low_u32(self) -> u32;
}

macro_rules! limb {
    ($l:ty, $w:ty, $rsa_bits:expr) => {
        impl Limb for $l {
            type Wide = $w;
            const BITS: u32 = <$l>::BITS;
            const RSA_BITS: u32 = $rsa_bits;
            const ZERO: Self = 0;
            const ONE: Self = 1;
            #[inline(always)]
            fn lo(w: $w) -> Self {
                w as $l
            }
            #[inline(always)]
            fn wide_sub(a: $w, b: $w) -> $w {
                a.wrapping_sub(b)
            }
            #[inline(always)]
            fn wrapping_mul(self, rhs: Self) -> Self {
                <$l>::wrapping_mul(self, rhs)
            }
            #[inline(always)]
            fn wrapping_sub(self, rhs: Self) -> Self {
                <$l>::wrapping_sub(self, rhs)
            }
            #[inline(always)]
            fn wrapping_neg(self) -> Self {
                <$l>::wrapping_neg(self)
            }
            #[inline(always)]
            fn from_u64(x: u64) -> Self {
                x as $l
            }
            #[inline(always)]
            fn low_u32(self) -> u32 {
                self as u32
            }
        }
    };
}

limb!(u32, u64, 27);
limb!(u64, u128, 59);

/// Limbs of `L` needed for `bits` bits.
pub const fn limbs_for<L: Limb>(bits: usize) -> usize {
    bits.div_ceil(L::BITS as usize)
}
