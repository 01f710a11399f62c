"""edgejwt.testing and its pytest plugin: the local issuer's tokens, JWKS, rotation, outages and
session cookies, checked against edgejwt's verifier, PyJWT and Better Auth's own getCookieCache."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple

import jwt as pyjwt
import pytest

from edgejwt import RemoteJWKSet, Verifier, decode_unverified, errors, read_session_cookie
from edgejwt.testing import ALGORITHMS, DEFAULT_SECRET, GARBAGE_BODY, Issuer, js_json, user_uuid

from better_auth import NODE_MODULES, BetterAuthServer, available
from conftest import ROOT

#: The public members of each key type in Better Auth's /jwks.
JWK_MEMBERS = {"OKP": {"alg", "crv", "x", "kty", "kid"}, "EC": {"alg", "crv", "x", "y", "kty", "kid"}, "RSA": {"alg", "e", "n", "kty", "kid"}}
KTY = {"EdDSA": "OKP", "ES256": "EC", "ES512": "EC", "RS256": "RSA", "PS256": "RSA"}
CRV = {"EdDSA": "Ed25519", "ES256": "P-256", "ES512": "P-521"}


def get(url: str, timeout: float = 5) -> Tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.headers["content-type"], r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["content-type"], e.read()


def verifier_for(issuer: Issuer, **options: Any) -> Verifier:
    return Verifier(RemoteJWKSet(issuer.jwks_url, cooldown=0.05), issuer=issuer.base_url, audience=issuer.base_url, better_auth=True, **options)


def payload_of(token: str) -> Dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def header_of(token: str) -> Dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))


# -- tokens and the JWKS ---------------------------------------------------------------------


@pytest.mark.parametrize("better_auth", ALGORITHMS, indirect=True)
def test_tokens_of_every_algorithm_are_shaped_like_the_plugin_s_and_verify(better_auth):
    alg = better_auth.alg
    assert better_auth.jwks_url == better_auth.base_url + "/api/auth/jwks"
    assert better_auth.base_url.startswith("http://127.0.0.1:")
    status, ctype, body = get(better_auth.jwks_url)
    assert (status, ctype) == (200, "application/json")
    jwks = json.loads(body)
    assert jwks == better_auth.jwks() and len(jwks["keys"]) == 1
    jwk = jwks["keys"][0]
    assert set(jwk) == JWK_MEMBERS[KTY[alg]]
    assert (jwk["alg"], jwk["kty"], jwk["kid"], jwk.get("crv")) == (alg, KTY[alg], better_auth.kid, CRV.get(alg))
    assert len(better_auth.kid) == 32 and better_auth.kid.isalnum()

    token = better_auth.token(sub="user_7", role="admin")
    assert header_of(token) == {"alg": alg, "kid": better_auth.kid}
    claims = payload_of(token)
    assert list(claims) == ["iat", "id", "createdAt", "updatedAt", "email", "emailVerified", "name", "uuid", "role", "sub", "exp", "iss", "aud"]
    assert claims["exp"] - claims["iat"] == 900 and abs(claims["iat"] - time.time()) < 5
    assert (claims["sub"], claims["id"], claims["uuid"], claims["email"], claims["role"]) == ("user_7", "user_7", user_uuid("user_7"), "user_7@example.com", "admin")
    assert claims["iss"] == claims["aud"] == better_auth.base_url

    result = verifier_for(better_auth, required_claims=["uuid"]).verify(token)
    assert (result.alg, result.payload) == (alg, claims)
    # An independent verifier agrees (PyJWT with the served JWK).
    key = pyjwt.PyJWK(jwk)
    decoded = pyjwt.decode(token, key.key, algorithms=[alg], audience=better_auth.base_url, issuer=better_auth.base_url)
    assert decoded == claims
    assert better_auth.requests == 2  # this test's GET, the verifier's one fetch


@pytest.mark.skipif(available() is not None, reason=str(available()))
@pytest.mark.parametrize("alg", ALGORITHMS)
def test_tokens_jwks_and_cookies_have_the_shape_of_a_real_better_auth_s(alg, better_auth_factory):
    """Side by side with a real Better Auth 1.7 server (jwt plugin with definePayload
    {...user, uuid, role}, compact cookie cache): same header, same claims in the same order,
    same JWK members, same session data layout."""
    issuer = better_auth_factory(alg=alg)
    with BetterAuthServer(alg=alg, session={"cookieCache": {"enabled": True}}) as ba:
        real_token, real_jwks, cookie = ba.info["token"], ba.info["jwks"], ba.info["cookie"]
    ours = issuer.token(role="member")
    assert header_of(ours).keys() == header_of(real_token).keys() == {"alg", "kid"}
    assert header_of(ours)["alg"] == header_of(real_token)["alg"] == alg
    assert list(payload_of(ours)) == list(payload_of(real_token))
    real_claims, our_claims = payload_of(real_token), payload_of(ours)
    assert {k: type(v) for k, v in our_claims.items() if k != "uuid"} == {k: type(v) for k, v in real_claims.items() if k != "uuid"}
    assert our_claims["exp"] - our_claims["iat"] == real_claims["exp"] - real_claims["iat"] == 900
    (real_jwk,) = real_jwks["keys"]
    (our_jwk,) = issuer.jwks()["keys"]
    assert set(our_jwk) == set(real_jwk)
    assert {k: v for k, v in our_jwk.items() if k in ("alg", "kty", "crv", "e")} == {k: v for k, v in real_jwk.items() if k in ("alg", "kty", "crv", "e")}
    assert len(our_jwk["kid"]) == len(real_jwk["kid"]) == 32
    for part in ("x", "y", "n"):
        if part in real_jwk:
            assert len(our_jwk[part]) == len(real_jwk[part]), part
    real_value = [c.split("=", 1)[1] for c in cookie.split("; ") if c.startswith("better-auth.session_data=")][0]
    our_value = issuer.session_cookie().split("better-auth.session_data=")[1]
    real, mine = (json.loads(base64.urlsafe_b64decode(v + "==")) for v in (real_value, our_value))
    assert list(mine) == list(real) == ["session", "expiresAt", "signature"]
    assert list(mine["session"]) == list(real["session"]) == ["session", "user", "updatedAt", "version"]
    assert list(mine["session"]["session"]) == list(real["session"]["session"])
    assert list(mine["session"]["user"]) == list(real["session"]["user"])
    # expiresAt: maxAge (300 s) after the data was made (the clock ticks between the two reads).
    for data in (mine, real):
        assert 300_000 <= data["expiresAt"] - data["session"]["updatedAt"] <= 300_050


def test_claims_lifetime_kid_and_header_are_overridable(better_auth):
    v = verifier_for(better_auth)
    assert payload_of(better_auth.token(uuid=None, email=None, name=None)).keys() == {"iat", "id", "createdAt", "updatedAt", "emailVerified", "sub", "exp", "iss", "aud"}
    t = better_auth.token(expires_in=60, iss="https://evil.example")
    c = payload_of(t)
    assert c["exp"] - c["iat"] == 60 and c["iss"] == "https://evil.example" and list(c)[-4:] == ["sub", "exp", "iss", "aud"]
    with pytest.raises(errors.JWTClaimValidationFailed) as e:
        v.verify(t)
    assert e.value.claim == "iss"
    with pytest.raises(errors.JWTExpired):
        v.verify(better_auth.token(expires_in=-60))
    with pytest.raises(errors.JWTClaimValidationFailed) as e:
        v.verify(better_auth.token(exp=None))
    assert e.value.message == 'missing required "exp" claim'
    with pytest.raises(errors.JWKSNoMatchingKey):
        v.verify(better_auth.token(kid="never-published"))
    assert payload_of(better_auth.token(None)).keys() == {"iat", "createdAt", "updatedAt", "emailVerified", "name", "exp", "iss", "aud"}
    with pytest.raises(errors.JWTClaimValidationFailed) as e:
        v.verify(better_auth.token(None))
    assert e.value.message == 'missing required "sub" claim'
    assert header_of(better_auth.token(header={"typ": "JWT"})) == {"alg": "EdDSA", "kid": better_auth.kid, "typ": "JWT"}
    assert better_auth.headers("user_2", role="x")["Authorization"].startswith("Bearer ey")
    assert v.verify(better_auth.headers("user_2")["Authorization"][7:]).payload["sub"] == "user_2"


@pytest.mark.better_auth(alg="ES512", expires_in=120, kid="fixed-kid")
def test_the_marker_configures_the_fixture(better_auth):
    assert (better_auth.alg, better_auth.kid) == ("ES512", "fixed-kid")
    c = payload_of(better_auth.token())
    assert c["exp"] - c["iat"] == 120


def test_the_factory_makes_independent_issuers(better_auth, better_auth_factory):
    other = better_auth_factory(alg="RS256")
    assert other.base_url != better_auth.base_url and other.alg == "RS256"
    with pytest.raises(errors.JWKSNoMatchingKey):
        verifier_for(better_auth).verify(other.token())
    # Same kid, another key: the signature fails.
    twin = better_auth_factory(kid=better_auth.kid)
    with pytest.raises(errors.JWSSignatureVerificationFailed):
        verifier_for(better_auth).verify(twin.token())


def test_close_stops_the_endpoint():
    issuer = Issuer()
    assert get(issuer.jwks_url)[0] == 200
    issuer.close()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(issuer.jwks_url, timeout=2)


def test_unknown_options_are_refused():
    with pytest.raises(ValueError, match="EdDSA, ES256, ES512, RS256, PS256"):
        Issuer(alg="HS256")
    with Issuer() as issuer:
        with pytest.raises(ValueError, match="fail, hang, garbage"):
            with issuer.outage("down"):
                pass
        with pytest.raises(ValueError, match='strategy="jwt"'):
            issuer.session_cookie(signed_by="jwks")
        with pytest.raises(KeyError):
            issuer.remove_key("nope")


# -- rotation --------------------------------------------------------------------------------


def test_rotation_keeps_the_old_key_listed_and_the_new_kid_verifies_after_one_refetch(better_auth):
    v = verifier_for(better_auth)
    old = better_auth.kid
    old_token = better_auth.token()
    assert v.verify(old_token).header["kid"] == old
    new = better_auth.rotate()
    assert new != old and better_auth.kid == new and better_auth.kids == [old, new]
    assert [k["kid"] for k in better_auth.jwks()["keys"]] == [new, old]  # newest first, like Better Auth
    time.sleep(0.1)  # past the verifier's cooldown (0.05 s)
    assert v.verify(better_auth.token()).header["kid"] == new
    assert better_auth.requests == 2
    assert v.verify(old_token).header["kid"] == old  # still listed (grace period)
    assert v.verify(better_auth.token(kid=old)).header["kid"] == old  # sign with a rotated key
    better_auth.remove_key(old)
    assert better_auth.kids == [new]
    time.sleep(0.1)
    assert v.verify(better_auth.token()).header["kid"] == new  # cached set: no fetch
    assert better_auth.requests == 2


def test_a_grace_period_removes_the_old_keys_when_it_ends(better_auth):
    first = better_auth.kid
    second = better_auth.rotate(grace_period=0.3)
    assert better_auth.kids == [first, second]
    time.sleep(0.35)
    assert better_auth.kids == [second]
    third = better_auth.rotate(grace_period=0, alg="PS256")
    assert better_auth.kids == [third] and better_auth.jwks()["keys"][0]["alg"] == "PS256"
    assert header_of(better_auth.token())["alg"] == "PS256"


# -- outages ---------------------------------------------------------------------------------


def test_outages_fail_hang_and_garbage_then_recover(better_auth):
    with better_auth.outage("fail"):
        assert get(better_auth.jwks_url)[0] == 500
    with better_auth.outage("garbage"):
        assert get(better_auth.jwks_url) == (200, "text/html", GARBAGE_BODY)
    with better_auth.outage("hang"):
        t0 = time.monotonic()
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            urllib.request.urlopen(better_auth.jwks_url, timeout=0.5)
        assert 0.45 < time.monotonic() - t0 < 3
    status, _, body = get(better_auth.jwks_url)
    assert (status, json.loads(body)) == (200, better_auth.jwks())
    assert better_auth.requests == 4


@pytest.mark.parametrize("mode, code", [("fail", "ERR_JOSE_GENERIC"), ("hang", "ERR_JWKS_TIMEOUT"), ("garbage", "ERR_JWKS_INVALID")])
def test_outages_give_the_remote_set_s_errors_with_nothing_cached_and_serve_the_cache_otherwise(better_auth, mode, code):
    v = Verifier(RemoteJWKSet(better_auth.jwks_url, timeout=0.5, cooldown=0.05, cache_max_age=0.1), issuer=better_auth.base_url, audience=better_auth.base_url)
    token = better_auth.token()
    with better_auth.outage(mode):
        with pytest.raises(errors.JOSEError) as e:
            v.verify(token)
        assert (e.value.code, e.value.status) == (code, 503)
    time.sleep(0.1)  # the failure is repeated, without a fetch, until the cooldown (0.05 s) ends
    assert v.verify(token).payload["sub"] == "user_1"
    time.sleep(0.2)  # stale now: served while the refresh fails
    with better_auth.outage(mode):
        for _ in range(3):
            assert v.verify(token).payload["sub"] == "user_1"


# -- session cookies -------------------------------------------------------------------------

NAME = 'Zoë "Q" Ñandú \\ 😀 \u0007 <tab>\t'
COOKIE_CASES = [("compact", "secret"), ("jwt", "secret"), ("jwt", "jwks")]


def better_auth_reads(cookie: str, issuer: Issuer, strategy: str, signed_by: str) -> Optional[Dict[str, Any]]:
    """Better Auth's getCookieCache on the cookie (tests/better-auth/get-cookie-cache.mjs)."""
    request = {"cookie": cookie, "secret": issuer.secret, "strategy": strategy, "jwks": issuer.jwks() if signed_by == "jwks" else None}
    out = subprocess.run(
        ["node", str(ROOT / "tests" / "better-auth" / "get-cookie-cache.mjs")],
        input=json.dumps(request), capture_output=True, text=True, timeout=60, check=True,
    )
    result: Optional[Dict[str, Any]] = json.loads(out.stdout)
    return result


def edgejwt_reads(cookie: str, issuer: Issuer, strategy: str, signed_by: str) -> Optional[Dict[str, Any]]:
    if signed_by == "jwks":
        return read_session_cookie(cookie, strategy=strategy, jwks=issuer.jwks())
    return read_session_cookie(cookie, strategy=strategy, secret=issuer.secret)


@pytest.mark.parametrize("strategy, signed_by", COOKIE_CASES)
def test_session_cookies_are_read_by_edgejwt(better_auth, strategy, signed_by):
    data = better_auth.session_data({"id": "user_9", "name": NAME, "uuid": user_uuid("user_9")}, session={"score": 1.5e21, "ratio": 0.1})
    cookie = better_auth.session_cookie(data=data, strategy=strategy, signed_by=signed_by)
    assert cookie.startswith("better-auth.session_token=") and "; better-auth.session_data=" in cookie
    read = edgejwt_reads(cookie, better_auth, strategy, signed_by)
    assert read is not None
    if strategy == "jwt":
        extra = {k: read.pop(k) for k in list(read) if k not in data}
        expected = {"iat", "exp"} | ({"iss", "aud", "sub", "sid"} if signed_by == "jwks" else set())
        assert set(extra) == expected
        assert extra["exp"] - extra["iat"] == 300
        if signed_by == "jwks":
            assert (extra["iss"], extra["aud"], extra["sub"], extra["sid"]) == (better_auth.base_url, "better-auth:session-cache", "user_9", data["session"]["token"])
            assert header_of(cookie.split("session_data=")[1]) == {"alg": "EdDSA", "kid": better_auth.kid, "typ": "better-auth.session-cache+jwt"}
    assert read == data
    assert read["user"]["name"] == NAME and read["session"]["userId"] == "user_9"
    # Expired and forged cookies are refused with codes.
    expired = better_auth.session_cookie("user_9", strategy=strategy, signed_by=signed_by, expires_in=-60)
    with pytest.raises(errors.JWTExpired):
        edgejwt_reads(expired, better_auth, strategy, signed_by)
    other = Issuer(secret="another-secret-0123456789abcdefghijklmnop")
    try:
        forged = other.session_cookie("user_9", strategy=strategy, signed_by=signed_by)
        with pytest.raises((errors.JWSSignatureVerificationFailed, errors.JWKSNoMatchingKey)):
            edgejwt_reads(forged, better_auth, strategy, signed_by)
    finally:
        other.close()


@pytest.mark.skipif(available() is not None, reason=str(available()))
def test_session_cookies_are_read_by_better_auth_s_get_cookie_cache(better_auth):
    """What the kit writes, Better Auth itself accepts (and refuses once expired or with another
    secret): getCookieCache of the installed better-auth, through a small Node script."""
    assert NODE_MODULES.exists()
    for strategy, signed_by in COOKIE_CASES:
        data = better_auth.session_data({"id": "user_9", "name": NAME}, session={"score": 1.5e21, "ratio": 0.1})
        cookie = better_auth.session_cookie(data=data, strategy=strategy, signed_by=signed_by)
        theirs = better_auth_reads(cookie, better_auth, strategy, signed_by)
        assert theirs is not None, (strategy, signed_by)
        ours = edgejwt_reads(cookie, better_auth, strategy, signed_by)
        assert theirs == ours, (strategy, signed_by)
        assert {k: theirs[k] for k in data} == data
        expired = better_auth.session_cookie(data=data, strategy=strategy, signed_by=signed_by, expires_in=-60)
        assert better_auth_reads(expired, better_auth, strategy, signed_by) is None, (strategy, signed_by)
        if signed_by == "secret":
            wrong = Issuer(secret="another-secret-0123456789abcdefghijklmnop")
            try:
                forged = wrong.session_cookie(data=data, strategy=strategy)
            finally:
                wrong.close()
            assert better_auth_reads(forged, better_auth, strategy, signed_by) is None, strategy


def test_session_cookie_names_prefix_and_secure():
    with Issuer(secret=DEFAULT_SECRET) as issuer:
        cookie = issuer.session_cookie("u", cookie_prefix="my-app", secure=True)
        names = [part.split("=", 1)[0] for part in cookie.split("; ")]
        assert names == ["__Secure-my-app.session_token", "__Secure-my-app.session_data"]
        assert read_session_cookie(cookie, secret=DEFAULT_SECRET, cookie_prefix="my-app")["user"]["id"] == "u"
        assert read_session_cookie(cookie, secret=DEFAULT_SECRET) is None


def test_user_uuid_is_pinned_and_equal_to_the_npm_kit_s():
    # tests/js/testing.test.mjs pins the same value for userUuid('user_1').
    assert user_uuid("user_1") == "6c969bb9-6a2c-5712-8440-1bc11d22d042"
    assert Issuer.__module__ == "edgejwt.testing"


def test_js_json_writes_what_javascript_writes():
    value = {"a": [1.5, 1e21, 1e-7, 0.1, 123456789012345680000.0, -0.0, 1e300, 5e-324, 2.0, -3.25e-9], "s": 'é\n\u2028\x7f"\\\x01', "n": None, "t": True}
    out = subprocess.run(["node", "-e", "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))))"], input=json.dumps(value), capture_output=True, text=True, check=True)
    assert js_json(value) == out.stdout
    assert js_json(value) == '{"a":[1.5,1e+21,1e-7,0.1,123456789012345680000,0,1e+300,5e-324,2,-3.25e-9],"s":"é\\n\u2028\x7f\\"\\\\\\u0001","n":null,"t":true}'


# -- the pytest plugin, from the installed package -------------------------------------------


def test_the_plugin_is_registered_by_entry_point_and_works_in_a_fresh_pytest(tmp_path):
    from importlib.metadata import entry_points

    eps = entry_points()
    group = eps.select(group="pytest11") if hasattr(eps, "select") else eps.get("pytest11", [])
    assert [(e.name, e.value) for e in group if e.name == "edgejwt"] == [("edgejwt", "edgejwt.pytest_plugin")]
    (tmp_path / "test_user_app.py").write_text(textwrap.dedent(
        """
        import urllib.request, json, pytest

        def test_fixture(better_auth):
            with urllib.request.urlopen(better_auth.jwks_url) as r:
                assert json.load(r)["keys"][0]["kid"] == better_auth.kid
            open("url.txt", "w").write(better_auth.jwks_url)

        @pytest.mark.parametrize("better_auth", [{"alg": "ES256"}], indirect=True)
        def test_param(better_auth):
            assert better_auth.alg == "ES256"
        """
    ))
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user_app.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout
    # The fixture stopped its server after the test.
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen((tmp_path / "url.txt").read_text(), timeout=2)
    assert decode_unverified  # the package's API is importable alongside


def test_the_verifying_code_never_imports_the_kit_and_the_plugin_loads_without_cryptography():
    script = textwrap.dedent(
        """
        import sys
        import edgejwt, edgejwt.fastapi, edgejwt.pytest_plugin
        loaded = sorted(m for m in sys.modules if m.startswith(("edgejwt.testing", "cryptography")))
        assert loaded == [], loaded
        sys.modules["cryptography"] = None  # as if the testing extra were not installed
        try:
            import edgejwt.testing
        except ImportError as e:
            print(e)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == 'edgejwt.testing signs tokens with cryptography: pip install "edgejwt[testing]"'
