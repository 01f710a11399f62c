"""The Python API itself: option types (str or list, seconds or timedelta, now as a number or
an aware datetime), errors with their attributes, bytes tokens, decode_unverified, keys()."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import edgejwt
from edgejwt import Verifier, decode_unverified, errors

from conftest import load

JOSE = load("jose.json")
NOW = JOSE["now"]
TOKENS = {t["name"]: t for t in JOSE["tokens"]}
ED = TOKENS["EdDSA"]
ISS = "http://localhost:3000"


def test_jwks_as_dict_str_and_bytes_give_the_same_result():
    text = json.dumps(JOSE["jwks"])
    for jwks in (JOSE["jwks"], text, text.encode()):
        assert Verifier(jwks).verify(ED["token"], now=NOW).payload == ED["payload"]


def test_token_as_bytes():
    assert Verifier(JOSE["jwks"]).verify(ED["token"].encode(), now=NOW).payload["sub"] == ED["payload"]["sub"]


def test_now_as_aware_datetime_and_float():
    v = Verifier(JOSE["jwks"])
    exp = ED["payload"]["exp"]
    at = datetime.fromtimestamp(exp - 1, tz=timezone.utc)
    assert v.verify(ED["token"], now=at).payload["exp"] == exp
    assert v.verify(ED["token"], now=exp - 0.5).payload["exp"] == exp
    with pytest.raises(errors.JWTExpired):
        v.verify(ED["token"], now=datetime.fromtimestamp(exp, tz=timezone(timedelta(hours=5))))


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        Verifier(JOSE["jwks"]).verify(ED["token"], now=datetime(2026, 1, 1))


def test_default_now_is_the_clock():
    # The fixture's tokens expired in 2026-01-01; the clock is later.
    with pytest.raises(errors.JWTExpired) as e:
        Verifier(JOSE["jwks"]).verify(ED["token"])
    assert e.value.claim == "exp"


def test_expired_error_attributes_and_hint():
    with pytest.raises(errors.JWTExpired) as e:
        Verifier(JOSE["jwks"]).verify(ED["token"], now=ED["payload"]["exp"] + 1)
    err = e.value
    assert isinstance(err, errors.JOSEError) and isinstance(err, Exception)
    assert (err.code, err.claim, err.reason) == ("ERR_JWT_EXPIRED", "exp", "check_failed")
    assert err.message == str(err) == '"exp" claim timestamp check failed'
    assert "15 minutes" in err.hint
    assert err.payload == ED["payload"]
    assert ED["token"] not in repr(err) and ED["token"] not in str(err)


def test_clock_tolerance_as_seconds_and_timedelta():
    exp = ED["payload"]["exp"]
    for tolerance in (10, 10.0, timedelta(seconds=10)):
        assert Verifier(JOSE["jwks"], clock_tolerance=tolerance).verify(ED["token"], now=exp + 5).payload["exp"] == exp
    with pytest.raises(errors.JWTExpired):
        Verifier(JOSE["jwks"], clock_tolerance=timedelta(seconds=4)).verify(ED["token"], now=exp + 5)


def test_max_token_age_as_timedelta():
    iat = ED["payload"]["iat"]
    v = Verifier(JOSE["jwks"], max_token_age=timedelta(minutes=1))
    assert v.verify(ED["token"], now=iat + 60).payload["iat"] == iat
    with pytest.raises(errors.JWTExpired) as e:
        v.verify(ED["token"], now=iat + 61)
    assert e.value.claim == "iat"


def test_issuer_and_audience_as_str_or_list():
    for iss in (ISS, [ISS], ("https://x", ISS)):
        assert Verifier(JOSE["jwks"], issuer=iss, audience=iss).verify(ED["token"], now=NOW).payload["iss"] == ISS
    with pytest.raises(errors.JWTClaimValidationFailed) as e:
        Verifier(JOSE["jwks"], issuer=ISS + "/").verify(ED["token"], now=NOW)
    assert (e.value.claim, e.value.reason) == ("iss", "check_failed")
    assert "trailing slash" in e.value.hint


def test_required_claims_subject_typ_algorithms():
    v = Verifier(JOSE["jwks"], required_claims=["uuid", "email"], subject=ED["payload"]["sub"])
    assert v.verify(ED["token"], now=NOW).payload["uuid"] == ED["payload"]["uuid"]
    with pytest.raises(errors.JWTClaimValidationFailed) as e:
        Verifier(JOSE["jwks"], required_claims=["role"]).verify(ED["token"], now=NOW)
    assert (e.value.claim, e.value.reason) == ("role", "missing")
    with pytest.raises(errors.JWTClaimValidationFailed) as e:
        Verifier(JOSE["jwks"], typ="at+jwt").verify(ED["token"], now=NOW)
    assert e.value.claim == "typ"
    with pytest.raises(errors.JOSEAlgNotAllowed):
        Verifier(JOSE["jwks"], algorithms=["ES256"]).verify(ED["token"], now=NOW)
    assert Verifier(JOSE["jwks"], algorithms=["EdDSA"]).verify(ED["token"], now=NOW).alg == "EdDSA"


def test_misspelt_algorithm_is_coded_and_wrong_option_types_are_python_errors():
    # An unknown algorithm name is the core's coded error, as in the npm package.
    with pytest.raises(errors.JOSENotSupported, match='unknown algorithm "ES265" in the algorithms option'):
        Verifier(JOSE["jwks"], algorithms=["ES256", "ES265"])
    with pytest.raises(TypeError):
        Verifier(JOSE["jwks"], issuer=42)
    with pytest.raises(TypeError):
        Verifier(JOSE["jwks"], clock_tolerance="10s")
    with pytest.raises(TypeError):
        Verifier(JOSE["jwks"], ISS)  # options are keyword-only


@pytest.mark.parametrize("token", [None, 42, b"\xff\xfe", "", "a.b", "a.b.c"])
def test_bad_tokens_are_jws_invalid(token):
    with pytest.raises(errors.JWSInvalid) as e:
        Verifier(JOSE["jwks"]).verify(token, now=NOW)
    assert e.value.code == "ERR_JWS_INVALID"


def test_session_token_instead_of_jwt_gets_the_hint():
    with pytest.raises(errors.JWSInvalid) as e:
        Verifier(JOSE["jwks"]).verify("Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e", now=NOW)
    assert "session token" in e.value.hint


@pytest.mark.parametrize("jwks", [None, 42, [], "not json", {"keys": "x"}, b"\xff"])
def test_bad_jwks_is_jwks_invalid(jwks):
    with pytest.raises(errors.JWKSInvalid):
        Verifier(jwks)


def test_unknown_kid_lists_available_kids_with_rotation_hint():
    h, p, s = TOKENS["ES256"]["token"].split(".")
    only_ed = {"keys": [JOSE["jwks"]["keys"][0]]}
    with pytest.raises(errors.JWKSNoMatchingKey) as e:
        Verifier(only_ed).verify(TOKENS["ES256"]["token"], now=NOW)
    assert '"ed25519-1"' in e.value.message and "es256-1" in e.value.message
    assert "rotated" in e.value.hint


def test_every_error_class_has_its_code_and_derives_from_jose_error():
    # jose's classes and codes (jose src/util/errors.ts), written out, not read from the module.
    jose = {
        "JOSEError": "ERR_JOSE_GENERIC",
        "JWTClaimValidationFailed": "ERR_JWT_CLAIM_VALIDATION_FAILED",
        "JWTExpired": "ERR_JWT_EXPIRED",
        "JOSEAlgNotAllowed": "ERR_JOSE_ALG_NOT_ALLOWED",
        "JOSENotSupported": "ERR_JOSE_NOT_SUPPORTED",
        "JWSInvalid": "ERR_JWS_INVALID",
        "JWTInvalid": "ERR_JWT_INVALID",
        "JWKInvalid": "ERR_JWK_INVALID",
        "JWKSInvalid": "ERR_JWKS_INVALID",
        "JWKSNoMatchingKey": "ERR_JWKS_NO_MATCHING_KEY",
        "JWKSMultipleMatchingKeys": "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
        "JWSSignatureVerificationFailed": "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
        "JWKSTimeout": "ERR_JWKS_TIMEOUT",
        "JWEInvalid": "ERR_JWE_INVALID",
        "JWEDecryptionFailed": "ERR_JWE_DECRYPTION_FAILED",
    }
    assert errors.__all__ == [*jose, "JOSEErrorCode"]  # the classes, and the codes' Literal type
    for name, code in jose.items():
        cls = getattr(errors, name)
        assert cls.code == code, name
        assert issubclass(cls, errors.JOSEError)
        # The extension builds this class for this code.
        assert type(errors._from_core(code, "m", None, None, None, None, 401, "invalid_token")) is cls
    # jose's messages and attributes:
    assert errors.JWTExpired.code == "ERR_JWT_EXPIRED"
    assert errors.JWSSignatureVerificationFailed.code == "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
    assert errors.JWKSNoMatchingKey.code == "ERR_JWKS_NO_MATCHING_KEY"
    assert errors.JWKSNoMatchingKey().message == "no applicable key found in the JSON Web Key Set"


def test_decode_unverified():
    header, payload = decode_unverified(ED["token"])
    assert header == {"alg": "EdDSA", "kid": "ed25519-1"}
    assert payload == ED["payload"]
    with pytest.raises(errors.JWTInvalid):  # jose's decodeJwt says ERR_JWT_INVALID too
        decode_unverified("nope")


def test_unicode_and_big_numbers_round_trip_exactly():
    t = TOKENS["EdDSA-unicode"]
    payload = Verifier(JOSE["jwks"]).verify(t["token"], now=NOW).payload
    assert payload["name"] == "Zoë Ñandú 😀"
    assert payload["big"] == 9007199254740991 and isinstance(payload["big"], int)
    assert payload["neg"] == -1.5e-7


def test_keys_reports_each_key():
    keys = Verifier(JOSE["jwks"]).keys()
    assert [k["kid"] for k in keys] == [k["kid"] for k in JOSE["jwks"]["keys"]]
    rsa = next(k for k in keys if k["kid"] == "rsa3072-rs384")
    assert (rsa["kty"], rsa["bits"], rsa["usable"]) == ("RSA", 3072, True)


def test_weak_rsa_key_is_unusable_with_a_reason():
    import base64

    weak = dict(next(k for k in JOSE["jwks"]["keys"] if k["kid"] == "rsa2048-rs256"))
    n = base64.urlsafe_b64decode(weak["n"] + "==")
    weak["n"] = base64.urlsafe_b64encode(n[:128]).rstrip(b"=").decode()  # 1024 bits
    [info] = Verifier({"keys": [weak]}).keys()
    assert info["usable"] is False and "2048" in info["reason"]
    with pytest.raises(errors.JWKInvalid):
        Verifier({"keys": [weak]}).verify(TOKENS["RS256"]["token"], now=NOW)


def test_verify_async_on_a_static_set():
    import asyncio

    v = Verifier(JOSE["jwks"])
    assert asyncio.run(v.verify_async(ED["token"], now=NOW)).payload == ED["payload"]


def test_version_is_the_crate_s():
    assert edgejwt.__version__ == "0.1.0"


# ---- read_session_cookie: a compact cookie built here by hand (HMAC-SHA256 over the
# JSON.stringify text of {...session, expiresAt}), not with the code under test ----

import base64
import hashlib
import hmac

from edgejwt import read_session_cookie

SECRET = "a-better-auth-secret-of-32-chars!!"
COOKIE_NOW_MS = 1_767_225_600_000
SESSION = {
    "session": {"id": "s1", "token": "live-session-token", "userId": "u1", "expiresAt": "2026-12-02T00:00:00.000Z"},
    "user": {"id": "u1", "email": "ada@example.com", "name": "Ada"},
    "updatedAt": COOKIE_NOW_MS,
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _compact_cookie(data: dict, expires_at: int, secret: str) -> str:
    signed = json.dumps({**data, "expiresAt": expires_at}, separators=(",", ":"))
    sig = _b64(hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest())
    outer = json.dumps({"session": data, "expiresAt": expires_at, "signature": sig}, separators=(",", ":"))
    return _b64(outer.encode())


COOKIE = _compact_cookie(SESSION, COOKIE_NOW_MS + 300_000, SECRET)


def test_session_cookie_read_whole_and_in_chunks():
    assert read_session_cookie(f"better-auth.session_data={COOKIE}", secret=SECRET, now=COOKIE_NOW_MS / 1000) == SESSION
    half = len(COOKIE) // 2
    chunked = f"better-auth.session_data.1={COOKIE[half:]}; better-auth.session_data.0={COOKIE[:half]}"
    assert read_session_cookie(chunked, secret=SECRET, now=COOKIE_NOW_MS / 1000) == SESSION


def test_session_cookie_chunk_indices_are_strict():
    half = len(COOKIE) // 2
    # ".01" is not chunk 1: only chunk 0 is joined, and half a cookie does not verify.
    lenient = f"better-auth.session_data.0={COOKIE[:half]}; better-auth.session_data.01={COOKIE[half:]}"
    with pytest.raises(errors.JOSEError):
        read_session_cookie(lenient, secret=SECRET, now=COOKIE_NOW_MS / 1000)


def test_session_cookie_absent_is_none_and_missing_secret_is_a_coded_error():
    assert read_session_cookie("other=1", secret=SECRET) is None
    with pytest.raises(errors.JWKInvalid) as info:
        read_session_cookie(f"better-auth.session_data={COOKIE}", now=COOKIE_NOW_MS / 1000)
    assert "live-session-token" not in repr(info.value.__dict__) + str(info.value)


def test_session_cookie_errors_carry_no_session_data():
    for kwargs in ({"secret": "another-secret-of-thirty-two-chars"}, {"secret": SECRET, "now": COOKIE_NOW_MS / 1000 + 301}):
        with pytest.raises(errors.JOSEError) as info:
            read_session_cookie(f"better-auth.session_data={COOKIE}", **{"now": COOKIE_NOW_MS / 1000, **kwargs})
        assert info.value.payload is None
        assert "live-session-token" not in repr(info.value.__dict__) + str(info.value)


# ---- payloads come back as json.loads would give them: key order, types, exact big integers ----


def _hs256(payload_text: str, secret: bytes) -> str:
    h = _b64(b'{"alg":"HS256","kid":"hs"}')
    p = _b64(payload_text.encode())
    s = _b64(hmac.new(secret, f"{h}.{p}".encode(), hashlib.sha256).digest())
    return f"{h}.{p}.{s}"


@pytest.mark.parametrize(
    "text",
    [
        '{"z":1,"a":[1,{"y":true,"b":null}],"m":"\\u00e9\\ud83d\\ude00","neg":-5,"u":18446744073709551615}',
        '{"big":1180591620717411303424,"f":1.5,"e":1e3,"later":{"k":[0.25]}}',
    ],
)
def test_payload_equals_json_loads_with_key_order_and_exact_integers(text: str) -> None:
    secret = b"an-hs256-secret-of-32-bytes-long!"
    v = Verifier({"keys": [{"kty": "oct", "k": _b64(secret), "kid": "hs", "alg": "HS256"}]})
    payload = v.verify(_hs256(text, secret)).payload
    expected = json.loads(text)
    assert payload == expected
    assert json.dumps(payload) == json.dumps(expected)  # same key order, same types


def test_payload_member_names_stay_right_past_the_name_cache() -> None:
    # The extension reuses the Python strings of member names it has seen (a bounded cache):
    # 600 distinct names, escaped and non-ASCII ones among them, in two orders, must still come
    # back exactly as json.loads reads them, with the right value under each name.
    secret = b"an-hs256-secret-of-32-bytes-long!"
    v = Verifier({"keys": [{"kty": "oct", "k": _b64(secret), "kid": "hs", "alg": "HS256"}]})
    names = [f"claim_{i}" for i in range(600)] + ["caf\\u00e9", "naïve", "tab\\t", "sub"]
    for order in (names, names[::-1], names[::3]):
        text = "{" + ",".join(f'"{n}":{i}' for i, n in enumerate(order)) + "}"
        expected = json.loads(text)
        payload = v.verify(_hs256(text, secret)).payload
        assert json.dumps(payload) == json.dumps(expected)
        assert list(payload) == list(expected)
