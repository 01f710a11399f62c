"""PyJWT as the reference: the same tokens give the same payload and the same kind of
rejection; 8 threads verify at once correctly; 100,000 hostile tokens give only JOSEErrors."""

from __future__ import annotations

import base64
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import jwt  # PyJWT
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from edgejwt import Verifier, errors

ISS = "http://localhost:3000"
NOW = int(time.time())

PRIVATE = {
    "EdDSA": ed25519.Ed25519PrivateKey.generate(),
    "ES256": ec.generate_private_key(ec.SECP256R1()),
    "ES384": ec.generate_private_key(ec.SECP384R1()),
    "ES512": ec.generate_private_key(ec.SECP521R1()),
    "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
}
PRIVATE["PS256"] = PRIVATE["RS256"]
SECRET = b"s" * 32


def public_jwk(alg: str) -> dict:
    key = PRIVATE[alg].public_key()
    algo = jwt.get_algorithm_by_name(alg)
    d = json.loads(algo.to_jwk(key))
    d.update(kid=f"k-{alg}", alg=alg)
    return d


JWKS = {"keys": [public_jwk(a) for a in PRIVATE]}
OCT = {"keys": [{"kty": "oct", "k": base64.urlsafe_b64encode(SECRET).rstrip(b"=").decode(), "kid": "k-HS256", "alg": "HS256"}]}
ALGS = list(PRIVATE) + ["HS256"]


def sign(alg: str, claims: dict) -> str:
    key = SECRET if alg == "HS256" else PRIVATE[alg]
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": f"k-{alg}"})


def claims(**extra) -> dict:
    base = {"sub": "user_1", "iss": ISS, "aud": ISS, "iat": NOW - 10, "exp": NOW + 900, "uuid": "7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11", "name": "Zoë"}
    base.update(extra)
    return base


def pyjwt_key(alg: str):
    return SECRET if alg == "HS256" else PRIVATE[alg].public_key()


@pytest.mark.parametrize("alg", ALGS)
def test_same_payload_as_pyjwt(alg):
    token = sign(alg, claims(nested={"roles": ["admin"], "n": 2**70}))
    theirs = jwt.decode(token, pyjwt_key(alg), algorithms=[alg], audience=ISS, issuer=ISS)
    ours = Verifier(OCT if alg == "HS256" else JWKS, issuer=ISS, audience=ISS).verify(token).payload
    assert ours == theirs
    assert ours["nested"]["n"] == 2**70


@pytest.mark.parametrize(
    "case, extra, options, pyjwt_error, code, claim",
    [
        ("expired", {"exp": NOW - 60}, {}, jwt.ExpiredSignatureError, "ERR_JWT_EXPIRED", "exp"),
        ("wrong audience", {"aud": "other"}, {}, jwt.InvalidAudienceError, "ERR_JWT_CLAIM_VALIDATION_FAILED", "aud"),
        ("wrong issuer", {"iss": "http://evil"}, {}, jwt.InvalidIssuerError, "ERR_JWT_CLAIM_VALIDATION_FAILED", "iss"),
        ("not yet valid", {"nbf": NOW + 600}, {}, jwt.ImmatureSignatureError, "ERR_JWT_CLAIM_VALIDATION_FAILED", "nbf"),
    ],
)
def test_same_rejections_as_pyjwt(case, extra, options, pyjwt_error, code, claim):
    token = sign("ES256", claims(**extra))
    with pytest.raises(pyjwt_error):
        jwt.decode(token, pyjwt_key("ES256"), algorithms=["ES256"], audience=ISS, issuer=ISS)
    with pytest.raises(errors.JOSEError) as e:
        Verifier(JWKS, issuer=ISS, audience=ISS).verify(token)
    assert (e.value.code, e.value.claim) == (code, claim)


@pytest.mark.parametrize("alg", ALGS)
def test_tampered_payload_rejected_by_both(alg):
    token = sign(alg, claims())
    h, _, s = token.split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims(sub="admin")).encode()).rstrip(b"=").decode()
    bad = f"{h}.{forged}.{s}"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(bad, pyjwt_key(alg), algorithms=[alg], audience=ISS)
    with pytest.raises(errors.JWSSignatureVerificationFailed):
        Verifier(OCT if alg == "HS256" else JWKS).verify(bad)


def test_hs256_signed_with_the_public_key_is_refused():
    # The classic algorithm confusion: an RSA public key (PEM) as an HMAC secret.
    from cryptography.hazmat.primitives import serialization

    pem = PRIVATE["RS256"].public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    import hmac, hashlib

    h = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "kid": "k-RS256"}).encode()).rstrip(b"=")
    p = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=")
    sig = base64.urlsafe_b64encode(hmac.new(pem, h + b"." + p, hashlib.sha256).digest()).rstrip(b"=")
    with pytest.raises(errors.JWKSNoMatchingKey):
        Verifier(JWKS).verify((h + b"." + p + b"." + sig).decode())


def test_eight_threads_verify_at_once_correctly():
    verifier = Verifier(JWKS, issuer=ISS, audience=ISS)
    tokens = []
    for i in range(400):
        alg = ALGS[i % 6]  # asymmetric ones
        tokens.append((f"user_{i}", sign(alg, claims(sub=f"user_{i}"))))
    expired = sign("EdDSA", claims(sub="late", exp=NOW - 5))
    start = threading.Barrier(8)

    def work(k: int):
        start.wait()
        seen = []
        for sub, token in tokens[k::8]:
            seen.append(verifier.verify(token).payload["sub"] == sub)
            try:
                verifier.verify(expired)
                seen.append(False)
            except errors.JWTExpired:
                seen.append(True)
        return seen

    with ThreadPoolExecutor(8) as pool:
        results = [r for chunk in pool.map(work, range(8)) for r in chunk]
    assert len(results) == 800 and all(results)


def test_threads_run_in_parallel_with_the_gil_released():
    # Python code in another thread keeps running while verifications run: with the GIL held
    # for the whole verification, the counter would barely move.
    verifier = Verifier(JWKS)
    token = sign("RS256", claims())
    for _ in range(5):
        verifier.verify(token)
    stop = threading.Event()
    counter = [0]

    def count():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        t0 = time.perf_counter()
        n = 0
        while time.perf_counter() - t0 < 0.3:
            verifier.verify(token)
            n += 1
    finally:
        stop.set()
        t.join()
    assert n > 10
    assert counter[0] > 10_000


def hostile_tokens(n: int, seed: int = 1234):
    rng = random.Random(seed)
    good = [sign(a, claims()) for a in ALGS]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \x00é😀"
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    headers = [
        {"alg": "none"}, {"alg": "HS256", "kid": "k-RS256"}, {"alg": "ES256", "kid": ["x"]},
        {"alg": "EdDSA", "crit": ["b64"], "b64": False}, {"alg": 1}, {"alg": "RS256", "kid": "k-RS256" * 1000},
        {"alg": "ES256", "kid": "k-ES256", "x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]},
    ]
    for i in range(n):
        kind = i % 8
        g = good[i % len(good)]
        if kind == 0:  # flip one character
            j = rng.randrange(len(g))
            c = rng.choice([c for c in alphabet if c != g[j]])
            yield g[:j] + c + g[j + 1 :]
        elif kind == 1:  # truncate
            yield g[: rng.randrange(len(g))]
        elif kind == 2:  # random text
            yield "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 200)))
        elif kind == 3:  # hostile header, real payload and signature
            h = headers[rng.randrange(len(headers))]
            _, p, s = g.split(".")
            yield f"{b64(json.dumps(h).encode())}.{p}.{s}"
        elif kind == 4:  # random bytes as segments
            yield ".".join(b64(rng.randbytes(rng.randrange(0, 80))) for _ in range(rng.randrange(1, 6)))
        elif kind == 5:  # swapped segments
            h, p, s = g.split(".")
            yield rng.choice([f"{p}.{h}.{s}", f"{s}.{p}.{h}", f"{h}.{s}.{p}", f"{h}.{p}.{s}.{s}"])
        elif kind == 6:  # payload replaced by odd JSON
            h, _, s = g.split(".")
            odd = rng.choice([b"[]", b"null", b"1e999", b'{"exp":"x"}', b'{"a":' * 50 + b"1" + b"}" * 50, b"\xff\xfe", b'{"sub":"\\ud800"}'])
            yield f"{h}.{b64(odd)}.{s}"
        else:  # bytes that are not UTF-8, or huge
            yield rng.randbytes(rng.randrange(1, 64)) if rng.random() < 0.5 else "a" * 70_000 + "." + "b.c"


def test_100000_hostile_tokens_give_only_jose_errors():
    verifier = Verifier(JWKS, issuer=ISS, audience=ISS)
    oct_verifier = Verifier(OCT)
    codes = {}
    count = 0
    for token in hostile_tokens(100_000):
        for v in (verifier, oct_verifier) if count % 50 == 0 else (verifier,):
            try:
                v.verify(token)
            except errors.JOSEError as e:
                codes[e.code] = codes.get(e.code, 0) + 1
                # The class is the one for its code, and the code one the core raises.
                assert type(e) is errors.CLASSES[e.code] and e.code != "ERR_JOSE_GENERIC", (e.code, type(e))
                if isinstance(token, str) and len(token) > 40:
                    assert token not in str(e)
            # anything else (including a successful verification of a mutated token) fails the test
            else:
                # A one-character change may land in base64's unused trailing bits, but the
                # core rejects non-canonical base64url, so no mutation verifies.
                pytest.fail(f"a hostile token verified: {token!r}")
        count += 1
    # Every token raised: the verifications counted equal the tokens tried (and the oct verifier's).
    assert sum(codes.values()) == 100_000 + 100_000 // 50
    assert {"ERR_JWS_INVALID", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "ERR_JOSE_NOT_SUPPORTED", "ERR_JWKS_NO_MATCHING_KEY"} <= set(codes)
