"""jose-signed fixtures for every algorithm, and the error-code table shared with the JS tests:
the same cases give the same verdict (payload, or code/claim/reason) as jose recorded."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from edgejwt import Verifier, errors

from conftest import load

JOSE = load("jose.json")
TABLE = load("crosscheck.json")

SNAKE = {
    "issuer": "issuer",
    "audience": "audience",
    "algorithms": "algorithms",
    "clockTolerance": "clock_tolerance",
    "maxTokenAge": "max_token_age",
    "subject": "subject",
    "typ": "typ",
    "requiredClaims": "required_claims",
}


def test_fixture_covers_every_algorithm_the_core_names():
    import edgejwt

    signed = {t["alg"] for t in JOSE["tokens"]}
    # Ed25519 is EdDSA's RFC 9864 name; jose signs EdDSA.
    assert set(edgejwt.algorithms()) - signed == {"Ed25519"}


@pytest.mark.parametrize("case", JOSE["tokens"], ids=lambda t: t["name"])
def test_jose_token_verifies_with_jose_s_payload(case: Dict[str, Any]):
    keys = JOSE["secret_jwks"] if case["alg"].startswith("HS") else JOSE["jwks"]
    verifier = Verifier(keys, issuer="http://localhost:3000", audience="http://localhost:3000")
    result = verifier.verify(case["token"], now=JOSE["now"])
    assert result.payload == case["payload"]
    assert result.header == {"alg": case["alg"], "kid": case["kid"]}
    assert result.alg == case["alg"]


@pytest.mark.parametrize("case", JOSE["tokens"], ids=lambda t: t["name"])
def test_jose_token_with_one_flipped_signature_byte_fails(case: Dict[str, Any]):
    keys = JOSE["secret_jwks"] if case["alg"].startswith("HS") else JOSE["jwks"]
    h, p, s = case["token"].split(".")
    flipped = s[:5] + ("A" if s[5] != "A" else "B") + s[6:]
    with pytest.raises(errors.JWSSignatureVerificationFailed) as e:
        Verifier(keys).verify(f"{h}.{p}.{flipped}", now=JOSE["now"])
    assert e.value.code == "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"


def verdict(case: Dict[str, Any]) -> Dict[str, Any]:
    options = {SNAKE[k]: v for k, v in case["options"].items()}
    try:
        result = Verifier(case.get("jwks", TABLE["jwks"]), **options).verify(case["token"], now=TABLE["now"])
    except errors.JOSEError as e:
        out: Dict[str, Any] = {"code": e.code}
        if e.claim is not None:
            out["claim"] = e.claim
        if e.reason is not None:
            out["reason"] = e.reason
        return out
    return {"ok": result.payload}


def test_shared_table_is_the_full_one():
    assert len(TABLE["cases"]) >= 40
    assert {c["jose"].get("code") for c in TABLE["cases"]} >= {
        "ERR_JWT_EXPIRED",
        "ERR_JWT_CLAIM_VALIDATION_FAILED",
        "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
        "ERR_JWKS_NO_MATCHING_KEY",
        "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
        "ERR_JOSE_ALG_NOT_ALLOWED",
        "ERR_JOSE_NOT_SUPPORTED",
        "ERR_JWS_INVALID",
        "ERR_JWT_INVALID",
        "ERR_JWKS_INVALID",
    }


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda c: c["name"])
def test_same_verdict_as_jose(case: Dict[str, Any]):
    assert verdict(case) == case["jose"]
