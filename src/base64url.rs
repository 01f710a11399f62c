//! Strict base64url (RFC 4648 §5) as JWS requires: no padding, no `+`/`/`, no whitespace,
//! canonical trailing bits. Anything else is rejected rather than repaired.

use alloc::vec::Vec;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Decodes strict base64url. `None` for any deviation from the canonical unpadded form.
pub fn decode(input: &[u8]) -> Option<Vec<u8>> {
    // The engine rejects padding, foreign characters and non-zero trailing bits.
    URL_SAFE_NO_PAD.decode(input).ok()
}

/// Decodes strict base64url into `out`, returning the decoded length.
/// `None` when the input is not canonical base64url or does not fit.
pub fn decode_into(input: &[u8], out: &mut [u8]) -> Option<usize> {
    if decoded_len(input.len())? > out.len() {
        return None;
    }
    URL_SAFE_NO_PAD.decode_slice(input, out).ok()
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
    URL_SAFE_NO_PAD.encode(input)
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
}
