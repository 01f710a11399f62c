"""The README's FastAPI example (examples/fastapi/app.py), unchanged, under a real uvicorn on
127.0.0.1, driven with httpx; its JWKS comes from a local HTTP server the test controls."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid

import httpx
import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from conftest import ROOT
from jwks_server import JwksServer

APP_DIR = ROOT / "examples" / "fastapi"


class Key:
    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.private = ed25519.Ed25519PrivateKey.generate()
        jwk = json.loads(pyjwt.algorithms.OKPAlgorithm.to_jwk(self.private.public_key()))
        self.jwk = {**jwk, "kid": kid, "alg": "EdDSA"}

    def sign(self, claims: dict, kid: str = "") -> str:
        return pyjwt.encode(claims, self.private, algorithm="EdDSA", headers={"kid": kid or self.kid})


@pytest.fixture(scope="module")
def stack():
    jwks = JwksServer()
    key = Key("k1")
    jwks.jwks = {"keys": [key.jwk]}
    env = {**os.environ, "BETTER_AUTH_URL": jwks.url, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", "0", "--log-level", "info"],
        cwd=str(APP_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    port = None
    log = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.stdout:
        line = proc.stdout.readline()
        if not line:
            break
        log.append(line)
        m = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        proc.kill()
        jwks.close()
        pytest.fail("uvicorn did not start:\n" + "".join(log))
    # Keep draining uvicorn's log so it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    try:
        yield jwks, key, client
    finally:
        client.close()
        os.kill(proc.pid, 15)
        proc.wait(timeout=10)
        jwks.close()


def claims(iss: str, **extra) -> dict:
    now = int(time.time())
    sub = extra.pop("sub", "user_1")
    return {"sub": sub, "iss": iss, "aud": iss, "iat": now, "exp": now + 900, "email": "ada@example.com",
            "name": "Ada", "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, sub)), **extra}


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


def assert_401(response: httpx.Response, code: str, token: str = "") -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == f'Bearer error="invalid_token", error_description="{code}"'
    body = response.json()
    assert body["detail"]["code"] == code and body["detail"]["error"] == "invalid_token"
    if token:
        assert token not in response.text
        for part in token.split("."):
            assert part not in response.text


def test_valid_token_gives_the_user_and_the_jwks_is_fetched_once(stack):
    jwks, key, client = stack
    c = claims(jwks.url)
    token = key.sign(c)
    for _ in range(20):
        r = client.get("/me", headers=bearer(token))
        assert r.status_code == 200, r.text
        assert r.json() == {"id": "user_1", "email": "ada@example.com", "uuid": c["uuid"]}
    assert jwks.requests == 1


def test_owner_gets_their_path_and_403_for_another_user_s(stack):
    jwks, key, client = stack
    token = key.sign(claims(jwks.url))
    r = client.get("/users/user_1/tasks", headers=bearer(token))
    assert r.status_code == 200 and r.json() == {"owner": "user_1", "tasks": []}
    r = client.get("/users/user_2/tasks", headers=bearer(token))
    assert r.status_code == 403
    assert r.json()["detail"]["error"] == "forbidden"
    # Without a token the path check is never reached: 401.
    assert_401(client.get("/users/user_1/tasks"), "ERR_JWS_INVALID")


@pytest.mark.parametrize(
    "case, code",
    [
        ("expired", "ERR_JWT_EXPIRED"),
        ("tampered", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"),
        ("rotated-away kid", "ERR_JWKS_NO_MATCHING_KEY"),
        ("wrong issuer", "ERR_JWT_CLAIM_VALIDATION_FAILED"),
        ("missing uuid claim", "ERR_JWT_CLAIM_VALIDATION_FAILED"),
        ("signed by another key", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"),
        ("session token instead of JWT", "ERR_JWS_INVALID"),
        ("not a bearer header", "ERR_JWS_INVALID"),
        ("no header", "ERR_JWS_INVALID"),
    ],
)
def test_bad_requests_get_401_with_the_code(stack, case, code):
    jwks, key, client = stack
    iss = jwks.url
    token = ""
    headers = {}
    if case == "expired":
        token = key.sign(claims(iss, exp=int(time.time()) - 60))
    elif case == "tampered":
        h, _, s = key.sign(claims(iss)).split(".")
        p = base64.urlsafe_b64encode(json.dumps(claims(iss, sub="admin")).encode()).rstrip(b"=").decode()
        token = f"{h}.{p}.{s}"
    elif case == "rotated-away kid":
        token = key.sign(claims(iss), kid="rotated-away")
    elif case == "wrong issuer":
        token = key.sign(claims("https://evil.example"))
    elif case == "missing uuid claim":
        c = claims(iss)
        del c["uuid"]
        token = key.sign(c)
    elif case == "signed by another key":
        token = Key("k1").sign(claims(iss))
    elif case == "session token instead of JWT":
        token = "Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e"
    if token:
        headers = bearer(token)
    if case == "not a bearer header":
        headers = {"authorization": "Basic dXNlcjpwYXNz"}
    r = client.get("/me", headers=headers)
    assert_401(r, code, token)
    if case == "session token instead of JWT":
        assert "session token" in r.json()["detail"]["hint"]


def test_requests_are_served_when_the_jwks_endpoint_is_down(stack):
    jwks, key, client = stack
    token = key.sign(claims(jwks.url))
    assert client.get("/me", headers=bearer(token)).status_code == 200
    jwks.down = True
    try:
        for _ in range(10):
            r = client.get("/me", headers=bearer(token))
            assert r.status_code == 200, r.text
        # An unknown kid while the endpoint is down: still a clean 401, never a 500.
        assert_401(client.get("/me", headers=bearer(key.sign(claims(jwks.url), kid="k9"))), "ERR_JWKS_NO_MATCHING_KEY")
    finally:
        jwks.down = False


def test_readme_shows_the_example_file_unchanged():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = (APP_DIR / "app.py").read_text(encoding="utf-8")
    assert f"<!-- example: examples/fastapi/app.py -->\n```python\n{source}```" in readme


def test_owner_compares_uuid_claims_as_uuids():
    from fastapi import Depends, FastAPI
    from fastapi.testclient import TestClient

    from edgejwt.fastapi import BetterAuth, User

    key = Key("k1")
    auth = BetterAuth(jwks={"keys": [key.jwk]}, issuer="https://app.example", audience="https://app.example")
    app = FastAPI()

    @app.get("/users/{user_uuid}/notes")
    def notes(user_uuid: str, user: User = Depends(auth.owner("user_uuid", claim="uuid"))):
        return {"uuid": user.uuid}

    client = TestClient(app)
    c = claims("https://app.example", uuid="7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11")
    token = key.sign(c)
    for path in ("7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11", "7D1F0C3E-3C52-4C1B-9D0E-2F0A8E9B6C11", "7d1f0c3e3c524c1b9d0e2f0a8e9b6c11"):
        r = client.get(f"/users/{path}/notes", headers=bearer(token))
        assert r.status_code == 200, (path, r.text)
        assert r.json() == {"uuid": c["uuid"]}
    for path in ("8d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11", "not-a-uuid"):
        assert client.get(f"/users/{path}/notes", headers=bearer(token)).status_code == 403
