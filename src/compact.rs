//! The door: size limits and the split of a compact JWS into its three segments. No JSON here.

use crate::Error;

/// The three base64url segments of a compact JWS, still encoded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Compact<'a> {
    pub header: &'a str,
    pub payload: &'a str,
    pub signature: &'a str,
    /// `header || '.' || payload`: the bytes the signature covers.
    pub signing_input: &'a [u8],
}

/// Splits `token` into its segments after checking its length against `max_len`.
pub(crate) fn split(token: &str, max_len: usize) -> Result<Compact<'_>, Error> {
    if token.len() > max_len {
        return Err(Error::JwsInvalid(
            "Compact JWS exceeds the maximum token length (maxTokenLength)",
        ));
    }
    let mut parts = token.splitn(4, '.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::JwsInvalid("Invalid Compact JWS"));
    };
    let signing_input = &token.as_bytes()[..header.len() + 1 + payload.len()];
    Ok(Compact {
        header,
        payload,
        signature,
        signing_input,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_three_segments_and_keeps_the_signing_input() {
        let c = split("aa.bb.cc", 100).unwrap();
        assert_eq!((c.header, c.payload, c.signature), ("aa", "bb", "cc"));
        assert_eq!(c.signing_input, b"aa.bb");
        let c = split("..", 100).unwrap();
        assert_eq!(c.signing_input, b".");
    }

    #[test]
    fn rejects_wrong_segment_counts_and_oversize_tokens() {
        for bad in ["", "a", "a.b", "a.b.c.d", "a.b.c.", "a.b.c.d.e"] {
            assert_eq!(
                split(bad, 100).unwrap_err(),
                Error::JwsInvalid("Invalid Compact JWS"),
                "{bad}"
            );
        }
        assert!(matches!(split("a.b.c", 4), Err(Error::JwsInvalid(_))));
    }
}
