//! The arithmetic behind edgejwt's signature checks, kept in its own crate so that its
//! non-generic code (the RSA exponentiation) can be built at `opt-level = 3` while the rest of
//! the WebAssembly module is built for size. The curve code is generic over the limb count, so
//! most of it is instantiated, and optimised, in the calling crate; its hot kernels (the field
//! products, the mixed point addition and the scalar inversion) are reached through function
//! pointers held in the curve `static`s, which instantiates them here, at `opt-level = 3`
//! (see [`field::MulFn`]).
//!
//! * [`limb`]: the limb types everything is generic over, and the target's choice ([`limb::Word`]):
//!   32-bit limbs with 64-bit products on wasm32 (which multiplies 32×32→64 natively but has no
//!   64×64→128 multiply), 64-bit limbs with `u128` products on x86_64 and aarch64.
//! * [`field`]: arithmetic modulo an odd prime: in Montgomery form, except for a Mersenne prime
//!   (P-521's `2^521 - 1`), which is kept in plain form and reduced by folding. With 32-bit
//!   limbs, P-256's and P-384's primes get a Montgomery reduction without multiplications.
//! * [`curve`]: the NIST curves P-256, P-384 and P-521 and ECDSA verification with fixed-base
//!   tables for the generator and for each long-lived public key.
//! * [`rsa`]: RSAVP1 (`s^e mod n`) over reduced-radix limbs (27 bits in a `u32`, 59 in a `u64`)
//!   with product scanning and dedicated squaring; on wasm32 with SIMD128, four columns per pass.
//!
//! Everything here is **variable-time**: it is meant for signature *verification*, where every
//! input (key, signature, digest) is public. Do not use it with secrets.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;

pub mod curve;
pub mod field;
pub mod limb;
#[cfg(feature = "rsa")]
pub mod rsa;
