//! EdDSA over Ed25519 (RFC 8037) with strict verification, as `ed25519-dalek`'s
//! `verify_strict`: `s` must be canonical (`s < ℓ`), `R` must decode to a point, and neither `R`
//! nor the public key may be of small order. The check is `[s]B - [k]A == R` with
//! `k = SHA-512(R || A || M) mod ℓ`, comparing encodings (so a non-canonical `R` never matches,
//! and a matching `R` is the canonical encoding of a point).
//!
//! Speed: both `B` and `-A` are fixed for the life of a key, so each gets a radix-16 fixed-base
//! [`Table`] (40 KB): the generator's built once per process, the key's after its first few
//! verifications (see [`LazyTable`]), which use a double-scalar multiplication instead. With the
//! tables, `[s]B + [k](-A)` is 128 point additions and 4 doublings in place of ~253 doublings.
//! Every input of a verification is public, so the tables are read in variable time, by index
//! (`curve25519-dalek`'s own fixed-base tables are constant-time: they scan all 8 entries of a
//! row per digit, which took a quarter of a verification). The verdicts are tested against
//! `ed25519-dalek`'s `verify_strict` (tests/differential.rs) and the Wycheproof vectors
//! (tests/wycheproof.rs); the table multiplication against `curve25519-dalek`'s (below).

use super::lazy_table::LazyTable;
use alloc::boxed::Box;
use alloc::sync::Arc;
use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity as _, VartimeMultiscalarMul as _};
use once_cell::race::OnceBox;
use sha2::{Digest as _, Sha512};

/// `j·256ⁱ·P` for `j` in 1..=8 and `i` in 0..32: row `i` serves the scalar's radix-16 digits
/// `2i` and `2i + 1` (the odd ones are added before the accumulator is multiplied by 16).
/// Extended points rather than `curve25519-dalek`'s affine Niels form, which is not public: an
/// addition costs 9 field multiplications instead of 7, and a row needs no inversion to build.
struct Table(Box<[[EdwardsPoint; 8]; 32]>);

impl Table {
    fn new(p: &EdwardsPoint) -> Table {
        let mut rows = Box::new([[EdwardsPoint::identity(); 8]; 32]);
        let mut base = *p;
        for row in rows.iter_mut() {
            row[0] = base;
            for j in 1..8 {
                row[j] = row[j - 1] + base;
            }
            // 256·base = 32·(8·base): 8·base is row[7], ×8 is the cofactor multiplication.
            let times64 = row[7].mul_by_cofactor();
            let times128 = times64 + times64;
            base = times128 + times128;
        }
        Table(rows)
    }
}

/// The scalar's 64 signed radix-16 digits, each in -8..8 (the top one in -8..=8), least
/// significant first. Needs `x < 2²⁵⁵`, which holds for every reduced scalar.
fn radix16(x: &Scalar) -> [i8; 64] {
    let bytes = x.as_bytes();
    let mut digits = [0i8; 64];
    for (i, b) in bytes.iter().enumerate() {
        digits[2 * i] = (b & 15) as i8;
        digits[2 * i + 1] = (b >> 4) as i8;
    }
    for i in 0..63 {
        let carry = (digits[i] + 8) >> 4;
        digits[i] -= carry << 4;
        digits[i + 1] += carry;
    }
    digits
}

/// `acc ± |digit|·256ⁱ·P` from row `i` of `P`'s table.
fn add_digit(acc: &mut EdwardsPoint, row: &[EdwardsPoint; 8], digit: i8) {
    match digit {
        0 => {}
        d if d > 0 => *acc += &row[d as usize - 1],
        d => *acc -= &row[d.unsigned_abs() as usize - 1],
    }
}

/// `[x]P + [y]Q` from `P`'s and `Q`'s tables, in variable time.
fn double_mul(p: &Table, x: &Scalar, q: &Table, y: &Scalar) -> EdwardsPoint {
    let (dx, dy) = (radix16(x), radix16(y));
    let mut acc = EdwardsPoint::identity();
    for i in (1..64).step_by(2) {
        add_digit(&mut acc, &p.0[i / 2], dx[i]);
        add_digit(&mut acc, &q.0[i / 2], dy[i]);
    }
    let times8 = acc.mul_by_cofactor();
    acc = times8 + times8;
    for i in (0..64).step_by(2) {
        add_digit(&mut acc, &p.0[i / 2], dx[i]);
        add_digit(&mut acc, &q.0[i / 2], dy[i]);
    }
    acc
}

/// A prepared Ed25519 public key: its encoding, `-A` decompressed once, and `-A`'s table
/// (built after the key's first uses, shared by clones).
#[derive(Clone)]
pub(crate) struct PublicKey(Arc<Key>);

struct Key {
    encoded: [u8; 32],
    minus_a: EdwardsPoint,
    table: LazyTable<Table>,
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Ed25519PublicKey")
    }
}

/// The generator's table, built the first time any Ed25519 key verifies.
static BASE: OnceBox<Table> = OnceBox::new();

/// Prepares a key from the JWK's `x` (32 bytes).
pub(crate) fn public_key(x: &[u8]) -> Result<PublicKey, &'static str> {
    let encoded: [u8; 32] = x.try_into().map_err(|_| "Ed25519 \"x\" must be 32 bytes")?;
    let a = CompressedEdwardsY(encoded)
        .decompress()
        .ok_or("Ed25519 \"x\" is not a valid point")?;
    if a.is_small_order() {
        return Err("Ed25519 \"x\" is a small-order point");
    }
    Ok(PublicKey(Arc::new(Key {
        encoded,
        minus_a: -a,
        table: LazyTable::new(),
    })))
}

/// Verifies a 64-byte signature over `message`.
pub(crate) fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    let Ok(signature) = <&[u8; 64]>::try_from(signature) else {
        return false;
    };
    let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
    r.copy_from_slice(&signature[..32]);
    s.copy_from_slice(&signature[32..]);
    let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s)) else {
        return false;
    };
    let key = &*key.0;
    let digest: [u8; 64] = Sha512::new()
        .chain_update(r)
        .chain_update(key.encoded)
        .chain_update(message)
        .finalize()
        .into();
    let k = Scalar::from_bytes_mod_order_wide(&digest);
    // A key's first verifications skip the tables (see `LazyTable`).
    let sum = match key.table.get(|| Table::new(&key.minus_a)) {
        Some(minus_a) => {
            let base = BASE.get_or_init(|| Box::new(Table::new(&ED25519_BASEPOINT_POINT)));
            double_mul(base, &s, minus_a, &k)
        }
        // Straus with tables computed per call: no static basepoint table in the module.
        None => {
            EdwardsPoint::vartime_multiscalar_mul([k, s], [key.minus_a, ED25519_BASEPOINT_POINT])
        }
    };
    // `R` itself is never decoded (a decoding costs a field exponentiation): an encoding equal
    // to `sum`'s is canonical and decodes to `sum`, so "R decodes to a point that is not of
    // small order" is, once the encodings match, "sum is not of small order".
    sum.compress().0 == r && !sum.is_small_order()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scalars that exercise every digit value, the carries, zero and the top of the range.
    fn scalars() -> alloc::vec::Vec<Scalar> {
        let mut out = alloc::vec![Scalar::ZERO, Scalar::ONE, -Scalar::ONE, Scalar::from(8u8)];
        out.push(Scalar::from_bytes_mod_order([0x88; 32]));
        out.push(Scalar::from_bytes_mod_order([0x77; 32]));
        let mut x = Scalar::from(0x1234_5678_9abc_def1u64);
        for _ in 0..40 {
            x = x * x + Scalar::from(7u8);
            out.push(x);
        }
        out
    }

    #[test]
    fn the_table_multiplication_is_curve25519_dalek_s() {
        let a = EdwardsPoint::mul_base(&Scalar::from(0xdead_beefu32));
        let (tb, ta) = (Table::new(&ED25519_BASEPOINT_POINT), Table::new(&a));
        let all = scalars();
        for (x, y) in all.iter().zip(all.iter().rev()) {
            let want = EdwardsPoint::mul_base(x) + a * y;
            assert_eq!(
                double_mul(&tb, x, &ta, y).compress(),
                want.compress(),
                "{x:?} {y:?}"
            );
        }
    }

    #[test]
    fn radix16_digits_are_in_range_and_sum_to_the_scalar() {
        for x in scalars() {
            let digits = radix16(&x);
            assert!(digits[..63].iter().all(|d| (-8..8).contains(d)));
            assert!((-8..=8).contains(&digits[63]));
            let back = digits.iter().rev().fold(Scalar::ZERO, |acc, &d| {
                let d = if d < 0 {
                    -Scalar::from(d.unsigned_abs())
                } else {
                    Scalar::from(d as u8)
                };
                acc * Scalar::from(16u8) + d
            });
            assert_eq!(back, x);
        }
    }
}
