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

from edgejwt import RemoteJWKSet, Verifier, decode_unverified, errors

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
    # Within the cooldown, the failure repeats without a new request.
    with pytest.raises(errors.JOSEError):
        verifier.verify("a.b.c")
    assert server.requests == 1
    # Userinfo is never shown (nor sent).
    with pytest.raises(errors.JOSEError) as e:
        Verifier(RemoteJWKSet(f"http://user:pa55word@{server.url[7:]}/api/auth/jwks")).verify("a.b.c")
    assert "pa55word" not in str(e.value) and "user@" not in str(e.value)
    assert "authorization" not in {k.lower() for k in server.seen_headers[-1]}


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
    # A set of only oct keys has no usable key: a failed fetch, nothing is committed.
    with pytest.raises(errors.JWKSInvalid) as e:
        verifier.verify(token)
    assert "no key to verify with" in e.value.message and e.value.status == 503
    assert verifier.keys() == []
    # Beside a usable key, the oct key is kept but unusable.
    _, jwk = make_key("k1")
    server.jwks = {"keys": [server.jwks["keys"][0], jwk]}
    verifier = Verifier(RemoteJWKSet(f"{server.url}/api/auth/jwks"))
    with pytest.raises(errors.JOSEError) as e:
        verifier.verify(token)
    assert e.value.code in ("ERR_JWK_INVALID", "ERR_JWKS_NO_MATCHING_KEY")
    info = verifier.keys()[0]
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


def test_redirects_are_failed_fetches_and_headers_never_reach_another_host(server):
    """Finding 2: urllib followed redirects, to any host, with the configured headers."""
    elsewhere = JwksServer()
    try:
        private, jwk = make_key("evil")
        elsewhere.jwks = {"keys": [jwk]}
        server.redirect_to = f"{elsewhere.url}/api/auth/jwks"
        remote = RemoteJWKSet(f"{server.url}/api/auth/jwks", headers={"authorization": "Bearer internal-s3cret"})
        verifier = Verifier(remote)
        with pytest.raises(errors.JOSEError) as e:
            verifier.verify(sign(private, "evil"))
        assert e.value.code == "ERR_JOSE_GENERIC" and e.value.status == 503
        assert "HTTP 302" in e.value.message and "redirects are not followed" in e.value.message
        assert elsewhere.requests == 0, "the redirect target was never asked"
        assert server.seen_headers[0]["authorization"] == "Bearer internal-s3cret"
        # With a good set cached, a redirect keeps it.
        good_private, good = make_key("k1")
        server.redirect_to = None
        server.jwks = {"keys": [good]}
        remote.reload()
        server.redirect_to = f"{elsewhere.url}/api/auth/jwks"
        with pytest.raises(errors.JOSEError, match="HTTP 302"):
            remote.reload()
        assert Verifier(remote).verify(sign(good_private, "k1")).payload["sub"] == "u1"
        assert elsewhere.requests == 0
    finally:
        elsewhere.close()


def test_the_timeout_bounds_the_whole_fetch_against_a_dripping_endpoint(server):
    """Finding 3: a body sent a byte every 0.25 s held a fetch with timeout=1 for 10 s."""
    _, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    server.drip = 0.25
    remote = RemoteJWKSet(f"{server.url}/api/auth/jwks", timeout=1)
    t0 = time.monotonic()
    with pytest.raises(errors.JWKSTimeout):
        Verifier(remote).verify("a.b.c")
    waited = time.monotonic() - t0
    assert waited < 2.0, waited
    # The fetch thread ends at the deadline too (no stuck threads pile up).
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(t.name == "edgejwt-jwks-fetch" for t in threading.enumerate()):
        time.sleep(0.05)
    assert not any(t.name == "edgejwt-jwks-fetch" for t in threading.enumerate())
    with pytest.raises(errors.JWKSTimeout):
        t0 = time.monotonic()
        remote.reload()
    assert time.monotonic() - t0 < 2.0


@pytest.mark.parametrize(
    "body",
    [
        {"keys": []},
        {"keys": [{"kty": "XYZ", "kid": "a"}, {"kty": "OKP", "crv": "X448", "kid": "b", "x": "AA"}]},
        {"keys": [{"kty": "oct", "kid": "hs", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ"}]},
    ],
)
def test_a_set_without_a_usable_key_never_replaces_the_last_good_one(server, body):
    """Finding 4: {"keys": []} (or unusable keys) replaced the cached set."""
    private, jwk = make_key("k1")
    server.jwks = {"keys": [jwk]}
    remote = RemoteJWKSet(f"{server.url}/api/auth/jwks")
    verifier = Verifier(remote)
    token = sign(private, "k1")
    assert verifier.verify(token).payload["sub"] == "u1"
    server.jwks = body
    with pytest.raises(errors.JWKSInvalid, match="no key to verify with"):
        remote.reload()
    assert remote.jwks() == {"keys": [jwk]}
    assert verifier.verify(token).payload["sub"] == "u1"


def test_no_deadlock_with_many_threads_and_the_endpoint_down():
    """Finding 1: the state lock was held while Python code ran (and taken with the GIL held):
    32 threads on a down endpoint froze the interpreter. In a child process with a timeout, so
    a hang fails the test instead of hanging CI."""
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down_url = f"http://127.0.0.1:{s.getsockname()[1]}/api/auth/jwks"  # nothing listens
    script = f"""
import sys, threading
sys.setswitchinterval(1e-6)
from edgejwt import RemoteJWKSet, Verifier, errors
codes = []
# Verifiers shared by all threads, each on a cold set whose endpoint is down (the case that
# froze: 32 threads on one set; 1 ms cooldown, so fetches and failures keep coming).
shared = [Verifier(RemoteJWKSet({down_url!r}, cooldown=0.001, timeout=0.5)) for _ in range(10)]
def work():
    for v in shared:
        for _ in range(20):
            try:
                v.verify("a.b.c")
            except errors.JOSEError as e:
                codes.append(e.code)
threads = [threading.Thread(target=work) for _ in range(32)]
for t in threads: t.start()
for t in threads: t.join()
print(len(codes), sorted(set(codes)))
"""
    # The landed code hung here on every run (checked: the child never finished in 60 s).
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    count, codes = proc.stdout.split(" ", 1)
    assert int(count) == 32 * 10 * 20
    assert codes.strip() == "['ERR_JOSE_GENERIC']", codes


def test_integers_python_cannot_represent_are_a_coded_error():
    """Finding 7: a 5,000-digit integer made json.loads raise ValueError."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    private, jwk = make_key("k1")
    header = b64(b'{"alg":"EdDSA","kid":"k1"}')
    payload = b64(b'{"sub":"u1","n":' + b"7" * 5000 + b"}")
    token = f"{header}.{payload}.{b64(private.sign(f'{header}.{payload}'.encode()))}"
    with pytest.raises(errors.JWTInvalid, match="cannot represent"):
        decode_unverified(token)
    with pytest.raises(errors.JWTInvalid, match="cannot represent"):
        Verifier({"keys": [jwk]}).verify(token)
    # A claim error whose payload cannot be represented keeps its code, without the payload.
    with pytest.raises(errors.JWTClaimValidationFailed) as e:
        Verifier({"keys": [jwk]}, issuer="https://app.example").verify(token)
    assert e.value.claim == "iss" and e.value.payload is None


def test_policy_checks_and_warnings(caplog):
    """Finding 7: timeout=0 could never fetch; cooldown=0 and plain http to another host are
    warned about once (logger "edgejwt")."""
    import edgejwt._remote as remote_module

    with pytest.raises(ValueError, match="timeout must be positive"):
        RemoteJWKSet("https://app.example/api/auth/jwks", timeout=0)
    remote_module._warned.clear()
    with caplog.at_level("WARNING", logger="edgejwt"):
        RemoteJWKSet("https://app.example/api/auth/jwks")
        RemoteJWKSet("http://localhost:3000/api/auth/jwks")
        assert caplog.records == []
        for _ in range(3):
            RemoteJWKSet("http://web:3000/api/auth/jwks?k=s3cret", cooldown=0)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert "cooldown is 0" in messages[0] and "plain http" in messages[1]
    assert all("http://web:3000/api/auth/jwks" in m and "s3cret" not in m for m in messages)
