"""RemoteJWKSet: the core's cache policy carried out with urllib (one fetch, refetch on an
unknown kid at most once per cooldown, last good set kept, no oct keys, coded failures, URLs
redacted, async verification off the event loop)."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from edgejwt import RemoteJWKSet, Verifier, errors

from jwks_server import JwksServer


def make_key(kid):
    private = ed25519.Ed25519PrivateKey.generate()
    jwk = json.loads(pyjwt.algorithms.OKPAlgorithm.to_jwk(private.public_key()))
    return private, {**jwk, "kid": kid, "alg": "EdDSA"}


def sign(private, kid, **claims):
    return pyjwt.encode({"sub": "u1", "exp": int(time.time()) + 600, **claims}, private, algorithm="EdDSA", headers={"kid": kid})


@pytest.fixture
def server():
    s = JwksServer()
    yield s
    s.close()


def test_one_fetch_then_served_from_the_cache(server):
    private, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    remote = RemoteJWKSet(f"{server.url}/api/auth/jwks")
    verifier = Verifier(remote)
    assert remote.jwks() is None and not remote.fresh
    for _ in range(100):
        assert verifier.verify(sign(private, "k1")).payload["sub"] == "u1"
    assert asyncio.run(verifier.verify_async(sign(private, "k1"))).payload["sub"] == "u1"
    assert server.requests == 1
    assert remote.fresh and remote.jwks() == {"keys": [jwk]}
    # A second verifier on the same set shares its cache.
    Verifier(remote, issuer=None).verify(sign(private, "k1"))
    assert server.requests == 1


def test_unknown_kid_refetches_at_most_once_per_cooldown(server):
    private, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks", cooldown=0.4))
    verifier.verify(sign(private, "k1"))
    forged = sign(private, "no-such-kid")
    for _ in range(50):
        with pytest.raises(errors.JWKSNoMatchingKey):
            verifier.verify(forged)
    assert server.requests == 1
    time.sleep(0.45)
    for _ in range(50):
        with pytest.raises(errors.JWKSNoMatchingKey):
            verifier.verify(forged)
    assert server.requests == 2


def test_rotation_is_picked_up_by_the_unknown_kid_refetch(server):
    old, old_jwk = make_key("k1")
    new, new_jwk = make_key("k2")
    server.jwks = {"keys": [old_jwk]}
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks", cooldown=0))
    verifier.verify(sign(old, "k1"))
    server.jwks = {"keys": [new_jwk, old_jwk]}
    assert verifier.verify(sign(new, "k2")).payload["sub"] == "u1"
    assert server.requests == 2
    assert {k["kid"] for k in verifier.keys()} == {"k1", "k2"}


def test_the_last_good_set_is_kept_when_the_endpoint_fails_or_serves_garbage(server):
    private, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    remote = RemoteJWKSet(f"{server.url}/api/auth/jwks", cache_max_age=0, cooldown=0)
    verifier = Verifier(remote)
    verifier.verify(sign(private, "k1"))
    for broken in ("down", b'{"keys":[null]}', b"not json", b'{"nokeys":1}'):
        if broken == "down":
            server.down = True
        else:
            server.down, server.raw = False, broken
        for _ in range(3):
            assert verifier.verify(sign(private, "k1")).payload["sub"] == "u1"
        with pytest.raises(errors.JOSEError):
            remote.reload()
        assert remote.jwks() == {"keys": [jwk]}


def test_nothing_cached_and_the_endpoint_down_is_a_coded_error_without_secrets(server):
    server.down = True
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks?token=s3cret"))
    with pytest.raises(errors.JOSEError) as e:
        verifier.verify("a.b.c")
    assert "503" in str(e.value) and "s3cret" not in str(e.value)
    # Userinfo is never shown either (urllib cannot use it: a failed fetch).
    with pytest.raises(errors.JOSEError) as e:
        Verifier(RemoteJWKSet(f"http://user:pa55word@{server.url[7:]}/api/auth/jwks")).verify("a.b.c")
    assert "pa55word" not in str(e.value)
    # Within the cooldown, the failure repeats without a new request.
    with pytest.raises(errors.JOSEError):
        verifier.verify("a.b.c")
    assert server.requests == 1


def test_a_slow_endpoint_times_out_with_jwks_timeout(server):
    _, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    server.delay = 1.0
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks", timeout=0.2))
    t0 = time.monotonic()
    with pytest.raises(errors.JWKSTimeout) as e:
        verifier.verify("a.b.c")
    assert e.value.code == "ERR_JWKS_TIMEOUT"
    assert time.monotonic() - t0 < 0.9


def test_oct_keys_from_a_remote_set_are_never_used(server):
    secret = b"k" * 32
    k = base64.urlsafe_b64encode(secret).rstrip(b"=").decode()
    server.jwks = {"keys": [{"kty": "oct", "k": k, "kid": "s1", "alg": "HS256"}]}
    token = pyjwt.encode({"sub": "attacker", "exp": int(time.time()) + 600}, secret, algorithm="HS256", headers={"kid": "s1"})
    assert Verifier(server.jwks).verify(token).payload["sub"] == "attacker"  # a local set may
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks"))
    with pytest.raises(errors.JOSEError) as e:
        verifier.verify(token)
    assert e.value.code in ("ERR_JWK_INVALID", "ERR_JWKS_NO_MATCHING_KEY")
    [info] = verifier.keys()
    assert info["usable"] is False and "oct" in info["reason"]


def test_eight_threads_on_a_cold_set_share_one_fetch(server):
    private, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    server.delay = 0.2
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks"))
    token = sign(private, "k1")
    barrier = threading.Barrier(8)

    def work(_):
        barrier.wait()
        return verifier.verify(token).payload["sub"]

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(work, range(8))) == ["u1"] * 8
    assert server.requests == 1


def test_verify_async_fetches_off_the_event_loop(server):
    private, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    server.delay = 0.3
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks"))
    token = sign(private, "k1")

    async def main():
        ticks = 0
        stop = False

        async def ticker():
            nonlocal ticks
            while not stop:
                ticks += 1
                await asyncio.sleep(0.01)

        t = asyncio.ensure_future(ticker())
        result = await verifier.verify_async(token)
        stop = True
        await t
        return result, ticks

    result, ticks = asyncio.run(main())
    assert result.payload["sub"] == "u1"
    assert ticks >= 10, "the event loop kept running during the fetch"


def test_bad_constructor_arguments():
    with pytest.raises(ValueError):
        RemoteJWKSet("file:///etc/passwd")
    with pytest.raises(TypeError):
        RemoteJWKSet(b"http://x")
    with pytest.raises(ValueError):
        RemoteJWKSet("http://x", timeout=0)
