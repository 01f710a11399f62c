//! Claim validation with jose `jwtVerify`'s options, order, codes, claim names and reasons.

use crate::json::{self, Val};
use crate::options::Options;
use crate::{Error, Reason};
use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The registered claims the checks read, pulled from the payload in one pass.
#[derive(Default)]
struct Registered<'a> {
    iss: Option<Val<'a>>,
    sub: Option<Val<'a>>,
    aud: Option<Val<'a>>,
    iat: Option<Val<'a>>,
    nbf: Option<Val<'a>>,
    exp: Option<Val<'a>>,
}

/// Validates `payload` (decoded JSON bytes, already signature-checked) and the header `typ`
/// against `options` at time `now` (seconds since the epoch), in jose's order.
pub(crate) fn validate(
    payload: &[u8],
    header_typ: Option<&str>,
    options: &Options,
    now: f64,
) -> Result<(), Error> {
    if !json::depth_within(payload, options.max_json_depth) {
        return Err(Error::JwtInvalid("JWT Claims Set is nested too deeply"));
    }
    let mut reg = Registered::default();
    let names = json::read_object(
        payload,
        |k| matches!(k, "iss" | "sub" | "aud" | "iat" | "nbf" | "exp"),
        |k, v| {
            let slot = match k {
                "iss" => &mut reg.iss,
                "sub" => &mut reg.sub,
                "aud" => &mut reg.aud,
                "iat" => &mut reg.iat,
                "nbf" => &mut reg.nbf,
                _ => &mut reg.exp,
            };
            *slot = Some(v);
        },
    )
    .ok_or(Error::JwtInvalid(
        "JWT Claims Set must be a top-level JSON object",
    ))?;
    if names.has_duplicates() {
        return Err(Error::JwtInvalid(
            "JWT Claims Set has duplicate member names",
        ));
    }
    // The payload parsed as JSON, so it is UTF-8.
    let text = || String::from_utf8_lossy(payload).into_owned();
    let failed = |claim: &str, reason: Reason, message: String| Error::ClaimInvalid {
        claim: claim.to_string(),
        reason,
        message,
        payload: Some(text()),
    };
    let unexpected = |claim: &str| {
        failed(
            claim,
            Reason::CheckFailed,
            format!("unexpected \"{claim}\" claim value"),
        )
    };

    if options.refuse_session_cache
        && header_typ
            .is_some_and(|t| normalize_typ(t) == normalize_typ(crate::options::SESSION_CACHE_TYP))
    {
        return Err(failed(
            "typ",
            Reason::CheckFailed,
            "a Better Auth session-cache JWT (the signed session cookie) is not an access token"
                .to_string(),
        ));
    }
    if let Some(want) = &options.typ {
        if !header_typ.is_some_and(|t| normalize_typ(t) == normalize_typ(want)) {
            return Err(failed(
                "typ",
                Reason::CheckFailed,
                "unexpected \"typ\" JWT header value".to_string(),
            ));
        }
    }

    // Presence, in jose's order: the option-implied claims (iss, sub, aud, iat) first, then the
    // required claims from last to first, each name once.
    let mut presence: Vec<&str> = Vec::new();
    if options.issuer.is_some() {
        presence.push("iss");
    }
    if options.subject.is_some() {
        presence.push("sub");
    }
    if options.audience.is_some() {
        presence.push("aud");
    }
    if options.max_token_age.is_some() {
        presence.push("iat");
    }
    for c in options.required_claims.iter().rev() {
        presence.push(c);
    }
    for (i, claim) in presence.iter().enumerate() {
        if presence[..i].contains(claim) {
            continue;
        }
        if !names.contains(claim) {
            return Err(failed(
                claim,
                Reason::Missing,
                format!("missing required \"{claim}\" claim"),
            ));
        }
    }

    if let Some(issuers) = &options.issuer {
        let iss = reg.iss.as_ref().and_then(Val::as_str);
        if !iss.is_some_and(|iss| issuers.iter().any(|i| i == iss)) {
            return Err(unexpected("iss"));
        }
    }
    if let Some(subject) = &options.subject {
        if reg.sub.as_ref().and_then(Val::as_str) != Some(subject.as_str()) {
            return Err(unexpected("sub"));
        }
    }
    if let Some(audiences) = &options.audience {
        let ok = match &reg.aud {
            Some(Val::Str(a)) => audiences.iter().any(|w| w == a),
            Some(Val::Arr { strings: list, .. }) => {
                audiences.iter().any(|w| list.iter().any(|a| a == w))
            }
            _ => false,
        };
        if !ok {
            return Err(unexpected("aud"));
        }
    }

    let tolerance = options.clock_tolerance;
    let number = |claim: &'static str, v: &Option<Val<'_>>| -> Result<Option<f64>, Error> {
        match v {
            None => Ok(None),
            Some(Val::Num(n)) => Ok(Some(*n)),
            Some(_) => Err(failed(
                claim,
                Reason::Invalid,
                format!("\"{claim}\" claim must be a number"),
            )),
        }
    };
    let iat = number("iat", &reg.iat)?;
    if let Some(nbf) = number("nbf", &reg.nbf)? {
        if nbf > now + tolerance {
            return Err(failed(
                "nbf",
                Reason::CheckFailed,
                "\"nbf\" claim timestamp check failed".to_string(),
            ));
        }
    }
    if let Some(exp) = number("exp", &reg.exp)? {
        if exp <= now - tolerance {
            return Err(Error::Expired {
                claim: "exp",
                message: "\"exp\" claim timestamp check failed",
                payload: Some(text()),
            });
        }
    }
    if let Some(max) = options.max_token_age {
        // Presence of iat was checked above, and its type just now.
        let age = now - iat.unwrap_or(f64::NAN);
        if age - tolerance > max {
            return Err(Error::Expired {
                claim: "iat",
                message: "\"iat\" claim timestamp check failed (too far in the past)",
                payload: Some(text()),
            });
        }
        if age < -tolerance {
            return Err(failed(
                "iat",
                Reason::CheckFailed,
                "\"iat\" claim timestamp check failed (it should be in the past)".to_string(),
            ));
        }
    }
    Ok(())
}

/// jose's `typ` normalisation: lower-case, and `application/` prepended when there is no `/`.
fn normalize_typ(t: &str) -> Cow<'_, str> {
    let lower = t.to_ascii_lowercase();
    if t.contains('/') {
        Cow::Owned(lower)
    } else {
        Cow::Owned(format!("application/{lower}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_000_000.0;

    fn validate_now(payload: &str, o: &Options) -> Result<(), Error> {
        validate(payload.as_bytes(), None, o, NOW)
    }

    fn claim_err(r: Result<(), Error>) -> (&'static str, String, Option<Reason>) {
        let e = r.unwrap_err();
        (e.code(), e.claim().unwrap_or("").to_string(), e.reason())
    }

    #[test]
    fn exp_is_exclusive_and_tolerance_applies() {
        let o = Options::default();
        assert!(validate_now(r#"{"exp":1000001}"#, &o).is_ok());
        let (code, claim, reason) = claim_err(validate_now(r#"{"exp":1000000}"#, &o));
        assert_eq!(
            (code, claim.as_str(), reason),
            ("ERR_JWT_EXPIRED", "exp", Some(Reason::CheckFailed))
        );
        assert!(validate_now(r#"{"exp":999995}"#, &o.clone().clock_tolerance(10.0)).is_ok());
    }

    #[test]
    fn nbf_in_the_future_fails() {
        let o = Options::default();
        assert!(validate_now(r#"{"nbf":1000000}"#, &o).is_ok());
        let (code, claim, _) = claim_err(validate_now(r#"{"nbf":1000001}"#, &o));
        assert_eq!(
            (code, claim.as_str()),
            ("ERR_JWT_CLAIM_VALIDATION_FAILED", "nbf")
        );
    }

    #[test]
    fn non_numeric_times_are_invalid() {
        for c in ["exp", "nbf", "iat"] {
            let p = format!(r#"{{"{c}":"1"}}"#);
            let (code, claim, reason) = claim_err(validate_now(&p, &Options::default()));
            assert_eq!(code, "ERR_JWT_CLAIM_VALIDATION_FAILED");
            assert_eq!(claim, c);
            assert_eq!(reason, Some(Reason::Invalid));
        }
    }

    #[test]
    fn issuer_audience_subject() {
        let o = Options::default()
            .issuers(["a", "b"])
            .audience("x")
            .subject("u1");
        assert!(validate_now(r#"{"iss":"b","aud":["y","x"],"sub":"u1"}"#, &o).is_ok());
        assert_eq!(
            claim_err(validate_now(r#"{"iss":"c","aud":"x","sub":"u1"}"#, &o)).1,
            "iss"
        );
        assert_eq!(
            claim_err(validate_now(r#"{"iss":1,"aud":"x","sub":"u1"}"#, &o)).1,
            "iss"
        );
        assert_eq!(
            claim_err(validate_now(r#"{"iss":"a","aud":"y","sub":"u1"}"#, &o)).1,
            "aud"
        );
        assert_eq!(
            claim_err(validate_now(r#"{"iss":"a","aud":[1],"sub":"u1"}"#, &o)).1,
            "aud"
        );
        assert_eq!(
            claim_err(validate_now(r#"{"iss":"a","aud":"x","sub":"u2"}"#, &o)).1,
            "sub"
        );
        // Missing claims are reported in jose's order: iss, sub, aud.
        let (_, claim, reason) = claim_err(validate_now(r#"{}"#, &o));
        assert_eq!((claim.as_str(), reason), ("iss", Some(Reason::Missing)));
        let (_, claim, _) = claim_err(validate_now(r#"{"iss":"a"}"#, &o));
        assert_eq!(claim, "sub");
    }

    #[test]
    fn required_claims_are_checked_last_to_first_after_option_claims() {
        let o = Options::default().required_claims(["uuid", "role"]);
        let (_, claim, reason) = claim_err(validate_now(r#"{}"#, &o));
        assert_eq!((claim.as_str(), reason), ("role", Some(Reason::Missing)));
        assert_eq!(claim_err(validate_now(r#"{"role":null}"#, &o)).1, "uuid");
        assert!(validate_now(r#"{"role":null,"uuid":"x"}"#, &o).is_ok());
    }

    #[test]
    fn max_token_age() {
        let o = Options::default().max_token_age(60.0);
        assert!(validate_now(r#"{"iat":999940}"#, &o).is_ok());
        let (code, claim, _) = claim_err(validate_now(r#"{"iat":999939}"#, &o));
        assert_eq!((code, claim.as_str()), ("ERR_JWT_EXPIRED", "iat"));
        let (code, claim, reason) = claim_err(validate_now(r#"{"iat":1000001}"#, &o));
        assert_eq!(
            (code, claim.as_str(), reason),
            (
                "ERR_JWT_CLAIM_VALIDATION_FAILED",
                "iat",
                Some(Reason::CheckFailed)
            )
        );
        let (_, claim, reason) = claim_err(validate_now(r#"{}"#, &o));
        assert_eq!((claim.as_str(), reason), ("iat", Some(Reason::Missing)));
    }

    #[test]
    fn typ_is_normalised_like_jose() {
        let o = Options::default().typ("at+jwt");
        let p = br#"{}"#;
        assert!(validate(p, Some("application/AT+JWT"), &o, NOW).is_ok());
        assert!(validate(p, Some("at+jwt"), &o, NOW).is_ok());
        let e = validate(p, Some("JWT"), &o, NOW).unwrap_err();
        assert_eq!(e.claim(), Some("typ"));
        assert!(validate(p, None, &o, NOW).is_err());
    }

    #[test]
    fn better_auth_requires_sub_and_exp_and_refuses_the_session_cache_jwt() {
        let o = Options::default().required_claims(["uuid"]).better_auth();
        assert_eq!(o.required_claims, ["uuid", "sub", "exp"]);
        let good = br#"{"sub":"u1","exp":2000000,"uuid":"x"}"#;
        assert!(validate(good, None, &o, NOW).is_ok());
        for (payload, claim) in [
            (&br#"{"exp":2000000,"uuid":"x"}"#[..], "sub"),
            (br#"{"sub":"u1","uuid":"x"}"#, "exp"),
        ] {
            let e = validate(payload, None, &o, NOW).unwrap_err();
            assert_eq!(
                (e.code(), e.claim(), e.reason()),
                (
                    "ERR_JWT_CLAIM_VALIDATION_FAILED",
                    Some(claim),
                    Some(Reason::Missing)
                )
            );
        }
        for typ in [
            "better-auth.session-cache+jwt",
            "application/Better-Auth.Session-Cache+JWT",
        ] {
            let e = validate(good, Some(typ), &o, NOW).unwrap_err();
            assert_eq!(
                (e.code(), e.claim()),
                ("ERR_JWT_CLAIM_VALIDATION_FAILED", Some("typ"))
            );
            // The plain options keep jose's behaviour: typ is not looked at.
            assert!(validate(good, Some(typ), &Options::default(), NOW).is_ok());
        }
        assert!(validate(good, Some("JWT"), &o, NOW).is_ok());
        // Applying it twice adds nothing twice.
        assert_eq!(
            o.clone().better_auth().required_claims,
            ["uuid", "sub", "exp"]
        );
    }

    #[test]
    fn payload_must_be_a_unique_member_object() {
        for bad in ["[]", "1", "\"x\"", "null", "{", "{\"exp\":1,\"exp\":2}"] {
            assert_eq!(
                validate_now(bad, &Options::default()).unwrap_err().code(),
                "ERR_JWT_INVALID"
            );
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(
            validate_now(&deep, &Options::default()).unwrap_err().code(),
            "ERR_JWT_INVALID"
        );
    }

    #[test]
    fn claim_errors_carry_the_payload() {
        let e = validate_now(r#"{"exp":1}"#, &Options::default()).unwrap_err();
        assert_eq!(e.payload(), Some(r#"{"exp":1}"#));
    }
}
