"""Better Auth 1.3-1.7 conformance, Python side: edgejwt (the package in .venv) against what each
release produced and how it judged it (corpus.mjs, .tmp/better-auth-releases/<minor>.json), with
the same expectations as the JS side (expected.json), plus key rotation followed live through
edgejwt.RemoteJWKSet against the release's server (driver.mjs, a Node subprocess on 127.0.0.1).

Run by tests/better-auth/releases/run.sh, which writes the corpus first:
    .venv/bin/python -m pytest -q -p no:cacheprovider tests/better-auth/releases/test_conformance.py
"""

from __future__ import annotations

import json
import pathlib
import sys
import time
from typing import Any, Dict

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "python"))  # tests/python: the shared Node driver

from node_driver import NodeDriver  # noqa: E402
from edgejwt import RemoteJWKSet, Verifier, decode_unverified, errors, read_session_cookie

ROOT = HERE.parents[2]
CORPUS = ROOT / ".tmp" / "better-auth-releases"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
RELEASES = EXPECTED["releases"]
TOKEN_ERRORS = EXPECTED["tokenErrors"]
COOKIE_ERRORS = EXPECTED["cookieErrors"]
SECRET = "edgejwt-test-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # release.mjs
NAME = 'Zoë "Q" Ñandú \\ 😀 <tab>\t'  # corpus.mjs

_corpora: Dict[str, Dict[str, Any]] = {}


def corpus(minor: str) -> Dict[str, Any]:
    if minor not in _corpora:
        path = CORPUS / f"{minor}.json"
        assert path.exists(), f"{path} is missing: run tests/better-auth/releases/run.sh (it writes the corpus first)"
        _corpora[minor] = json.loads(path.read_text(encoding="utf-8"))
    return _corpora[minor]


def label(cookie: Dict[str, Any]) -> str:
    return "jwt-plugin" if cookie["plugin"] else cookie["strategy"]


def raises_coded(fn, code: str, claim=None, what: str = "") -> None:
    with pytest.raises(errors.JOSEError) as e:
        fn()
    assert e.value.code == code, f"{what}: {e.value}"
    if claim is not None:
        assert e.value.claim == claim, what


@pytest.mark.parametrize("minor", list(RELEASES))
def test_release_and_its_features(minor):
    c, expected = corpus(minor), RELEASES[minor]
    assert c["version"] == expected["version"]
    assert c["features"] == expected["features"]
    assert [t["alg"] for t in c["tokens"]] == expected["features"]["algs"]
    assert [label(k) for k in c["cookies"]] == expected["cookies"]


TOKEN_CASES = [(m, alg) for m, r in RELEASES.items() for alg in r["features"]["algs"]]


@pytest.mark.parametrize("minor,alg", TOKEN_CASES, ids=[f"{m}-{a}" for m, a in TOKEN_CASES])
def test_jwts_verify_as_jose_does(minor, alg):
    c = corpus(minor)
    t = next(t for t in c["tokens"] if t["alg"] == alg)
    at = c["generatedAt"] / 1000
    url = t["baseURL"]
    verifier = Verifier(t["jwks"], issuer=url, audience=url, algorithms=[alg], required_claims=["uuid"])
    assert [g["source"] for g in t["good"]] == ["GET /api/auth/token", "get-session set-auth-jwt"]
    for g in t["good"]:
        assert "payload" in g["jose"], f"{g['source']}: jose verified it"
        result = verifier.verify(g["token"], now=at)
        assert result.payload == g["jose"]["payload"], g["source"]
        assert result.header == g["jose"]["protectedHeader"], g["source"]
        assert result.alg == alg and result.header["kid"] == t["jwks"]["keys"][0]["kid"]
        assert result.payload["sub"] == t["userId"] and result.payload["uuid"] == f"uuid-{t['userId']}"
        assert result.payload["iss"] == url
    token = t["good"][0]["token"]
    exp = verifier.verify(token, now=at).payload["exp"]
    assert verifier.verify(token, now=exp - 1).payload["exp"] == exp
    assert [b["case"] for b in t["bad"]] == list(TOKEN_ERRORS)
    for b in t["bad"]:
        code, *claim = TOKEN_ERRORS[b["case"]]
        assert b["jose"] == ({"code": code, "claim": claim[0]} if claim else {"code": code}), f"{b['case']}: jose's verdict"
        v = Verifier(t["jwks"], issuer=b["issuer"], audience=url)
        when = b.get("at", c["generatedAt"]) / 1000
        raises_coded(lambda: v.verify(b["token"], now=when), code, claim[0] if claim else None, b["case"])


COOKIE_CASES = [(m, k) for m, r in RELEASES.items() for k in r["cookies"]]


@pytest.mark.parametrize("minor,kind", COOKIE_CASES, ids=[f"{m}-{k}" for m, k in COOKIE_CASES])
def test_cookie_cache_reads_as_get_cookie_cache(minor, kind):
    c = corpus(minor)
    k = next(k for k in c["cookies"] if label(k) == kind)
    options: Dict[str, Any] = (
        {"strategy": "jwt", "jwks": k["jwks"]} if k["plugin"] else {"strategy": k["strategy"], "secret": SECRET}
    )
    at = c["generatedAt"] / 1000
    theirs = k["theirs"]
    assert theirs is not None and theirs["user"]["name"] == NAME
    assert k["server"]["fresh"] is not None and k["server"]["fresh"]["user"]["id"] == theirs["user"]["id"]
    assert read_session_cookie(k["header"], now=at, **options) == theirs
    assert read_session_cookie({"cookie": k["header"]}, now=at, **options) == theirs

    # Expired: the release's get-session no longer accepts it; edgejwt says why.
    code, claim = COOKIE_ERRORS["expired"][kind]
    assert k["server"]["expired"] is None
    checks = RELEASES[minor]["getCookieCacheChecksExpiry"][kind]
    assert k["expired"]["theirs"] == (None if checks else theirs)
    raises_coded(lambda: read_session_cookie(k["header"], now=k["expired"]["at"] / 1000, **options), code, claim, "expired")

    # Tampered: getCookieCache gives None, edgejwt the code for it.
    assert k["tampered"]["theirs"] is None
    raises_coded(lambda: read_session_cookie(k["tampered"]["header"], now=at, **options), COOKIE_ERRORS["tampered"][kind], None, "tampered")


class RotatingServer(NodeDriver):
    """driver.mjs: one release with rotationInterval 1 s, as a Node subprocess stopped by PID."""

    def __init__(self, minor: str) -> None:
        super().__init__([str(HERE / "driver.mjs"), minor], HERE, f"Better Auth {minor}")


ROTATING = [m for m, r in RELEASES.items() if r["features"]["rotation"]]


@pytest.mark.parametrize("minor", ROTATING)
def test_rotation_through_remote_jwks_set_with_one_refetch(minor):
    server = RotatingServer(minor)
    try:
        assert server.info["version"] == RELEASES[minor]["version"]
        url = server.info["baseURL"]
        remote = RemoteJWKSet(f"{url}/api/auth/jwks", cooldown=1)
        verifier = Verifier(remote, issuer=url, audience=url)
        first = server.info["token"]
        for _ in range(5):
            assert verifier.verify(first).payload["email"] == "ada@example.com"
        assert server.command("hits")["jwksHits"] == 1, "one fetch for the first key"
        time.sleep(1.5)
        rotated = server.command("token")["token"]
        old_kid, new_kid = (decode_unverified(t)[0]["kid"] for t in (first, rotated))
        assert new_kid != old_kid, "Better Auth rotated its key"
        result = verifier.verify(rotated)
        assert result.header["kid"] == new_kid
        assert result.payload["sub"] == verifier.verify(first).payload["sub"]
        assert server.command("hits")["jwksHits"] == 2, "exactly one refetch for the unknown kid"
        assert {k["kid"] for k in verifier.keys()} == {old_kid, new_kid}
    finally:
        server.stop()
