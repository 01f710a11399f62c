//! Strict base64url (RFC 4648 §5) as JWS requires: no padding, no `+`/`/`, no whitespace,
//! canonical trailing bits. Anything else is rejected rather than repaired.

use alloc::vec::Vec;

// A small codec of our own: the `base64` crate's general-purpose engine added about 5 KB of
// code to the wasm module, and tokens are a few hundred bytes (its wide decoding loop does not
// pay off here). Differentially tested against that crate (a dev-dependency) below.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const INVALID: u8 = 0xff;
/// Character → 6-bit value, [`INVALID`] outside the base64url alphabet.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes strict base64url. `None` for any deviation from the canonical unpadded form.
pub fn decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = alloc::vec![0; decoded_len(input.len())?];
    decode_into(input, &mut out)?;
    Some(out)
}

/// Decodes strict base64url into `out`, returning the decoded length.
/// `None` when the input is not canonical base64url or does not fit.
pub fn decode_into(input: &[u8], out: &mut [u8]) -> Option<usize> {
    let len = decoded_len(input.len())?;
    let out = out.get_mut(..len)?;
    // Whole groups of 4 characters give 3 bytes each. Fixed-size writes: a per-group
    // `copy_from_slice` of a variable length became a `memcpy` call per 3 bytes, which was a
    // third of an HS256 verification's time natively.
    let whole = input.len() / 4;
    let (groups, tail) = input.split_at(whole * 4);
    let (bytes, tail_out) = out.split_at_mut(whole * 3);
    for (chars, bytes) in groups.chunks_exact(4).zip(bytes.chunks_exact_mut(3)) {
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| DECODE[usize::from(chars[i])]);
        // Valid values are below 64; INVALID (0xff) sets the top bits.
        if (a | b | c | d) & 0xc0 != 0 {
            return None;
        }
        let acc = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        bytes[0] = (acc >> 16) as u8;
        bytes[1] = (acc >> 8) as u8;
        bytes[2] = acc as u8;
    }
    // A final group of 2 or 3 characters gives 1 or 2 bytes.
    if !tail.is_empty() {
        let mut acc = 0u32;
        for &c in tail {
            let v = DECODE[usize::from(c)];
            if v == INVALID {
                return None;
            }
            acc = acc << 6 | u32::from(v);
        }
        acc <<= 6 * (4 - tail.len()); // left-align the group in 24 bits
                                      // Canonical form: the bits past the last whole byte are zero.
        if acc & (0x00ff_ffff >> (8 * tail_out.len())) != 0 {
            return None;
        }
        for (i, byte) in tail_out.iter_mut().enumerate() {
            *byte = (acc >> (16 - 8 * i)) as u8;
        }
    }
    Some(len)
}

/// The exact decoded length of `len` base64url characters, `None` for an impossible length.
pub fn decoded_len(len: usize) -> Option<usize> {
    match len % 4 {
        1 => None,
        r => Some(len / 4 * 3 + r.saturating_sub(1)),
    }
}

/// Encodes without padding.
#[cfg(any(test, feature = "hmac"))]
pub fn encode(input: &[u8]) -> alloc::string::String {
    let mut out = alloc::string::String::with_capacity(input.len().div_ceil(3) * 4);
    for bytes in input.chunks(3) {
        let mut group = [0u8; 4];
        group[1..1 + bytes.len()].copy_from_slice(bytes);
        let acc = u32::from_be_bytes(group);
        // 1, 2 or 3 bytes give 2, 3 or 4 characters.
        for i in 0..=bytes.len() {
            out.push(char::from(ALPHABET[(acc >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_canonical_unpadded_input() {
        assert_eq!(decode(b"aGk").unwrap(), b"hi");
        assert_eq!(decode(b"").unwrap(), b"");
        assert_eq!(decode(b"-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn rejects_padding_standard_alphabet_whitespace_and_noncanonical_bits() {
        assert!(decode(b"aGk=").is_none());
        assert!(decode(b"+/8").is_none());
        assert!(decode(b"aG k").is_none());
        assert!(decode(b"aGk\n").is_none());
        // "aGl" decodes to "hi" only if the trailing bits were ignored: must be rejected.
        assert!(decode(b"aGl").is_none());
        assert!(decode(b"a").is_none());
    }

    #[test]
    fn decode_into_checks_capacity() {
        let mut buf = [0u8; 1];
        assert_eq!(decode_into(b"aGk", &mut buf), None);
        let mut buf = [0u8; 2];
        assert_eq!(decode_into(b"aGk", &mut buf), Some(2));
        assert_eq!(&buf, b"hi");
    }

    #[test]
    fn decoded_len_matches() {
        for n in 0..40usize {
            let enc = encode(&alloc::vec![7u8; n]);
            assert_eq!(decoded_len(enc.len()), Some(n));
        }
        assert_eq!(decoded_len(5), None);
    }

    /// The same answers as the `base64` crate's strict URL_SAFE_NO_PAD engine (what this module
    /// used before): every length up to 40, and every one-character change of those inputs.
    #[test]
    fn matches_the_base64_crate() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        let data: Vec<u8> = (0..40u32).map(|i| (i * 97 + 13) as u8).collect();
        let probes = [
            b'A', b'z', b'0', b'-', b'_', b'+', b'/', b'=', b' ', b'\n', 0x80, 0xff,
        ];
        for n in 0..=data.len() {
            let enc = URL_SAFE_NO_PAD.encode(&data[..n]);
            assert_eq!(encode(&data[..n]), enc);
            assert_eq!(decode(enc.as_bytes()).as_deref(), Some(&data[..n]));
            for pos in 0..enc.len() {
                for &p in &probes {
                    let mut bad = enc.clone().into_bytes();
                    bad[pos] = p;
                    let want = URL_SAFE_NO_PAD.decode(&bad).ok();
                    assert_eq!(decode(&bad), want, "{:?}", bad);
                    let mut buf = [0u8; 40];
                    let want = URL_SAFE_NO_PAD.decode_slice(&bad, &mut buf[..]).ok();
                    assert_eq!(decode_into(&bad, &mut buf), want);
                }
            }
            let mut extra = enc.clone();
            extra.push('A');
            assert_eq!(
                decode(extra.as_bytes()),
                URL_SAFE_NO_PAD.decode(&extra).ok()
            );
        }
    }
}
