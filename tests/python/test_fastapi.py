"""The README's FastAPI example (examples/fastapi/app.py), unchanged, under a real uvicorn on
127.0.0.1, driven with httpx; its JWKS and tokens come from edgejwt.testing's local issuer (the
kit users test their own apps with), which the test controls."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time

import httpx
import pytest

from conftest import ROOT
from edgejwt.testing import Issuer, user_uuid

APP_DIR = ROOT / "examples" / "fastapi"


class Uvicorn:
    """An app under a real uvicorn on 127.0.0.1 (port 0), stopped by PID; its log is kept."""

    def __init__(self, app_dir, module: str, env: dict) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", f"{module}:app", "--host", "127.0.0.1", "--port", "0", "--log-level", "info"],
            cwd=str(app_dir),
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.log: list = []
        port = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.proc.stdout:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.log.append(line)
            m = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            self.proc.kill()
            pytest.fail("uvicorn did not start:\n" + "".join(self.log))
        # Keep draining uvicorn's log so it never blocks on a full pipe.
        threading.Thread(target=lambda: self.log.extend(self.proc.stdout), daemon=True).start()
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20)

    def close(self) -> None:
        self.client.close()
        os.kill(self.proc.pid, 15)
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def stack():
    """One issuer and one uvicorn for the module (the app caches the JWKS, as in production)."""
    issuer = Issuer(kid="k1")
    app = Uvicorn(APP_DIR, "app", {"BETTER_AUTH_URL": issuer.base_url})
    try:
        yield issuer, app.client
    finally:
        app.close()
        issuer.close()


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


def assert_401(response: httpx.Response, code: str, token: str = "") -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == f'Bearer error="invalid_token", error_description="{code}"'
    body = response.json()
    assert body["detail"]["code"] == code and body["detail"]["error"] == "invalid_token"
    assert_never_shows(response, token)


def assert_no_credentials(response: httpx.Response) -> None:
    """RFC 6750 section 3.1: without credentials, a bare challenge (no error code)."""
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"]["code"] == "ERR_JWS_INVALID"


def assert_never_shows(response: httpx.Response, token: str) -> None:
    if token:
        assert token not in response.text
        for part in token.split("."):
            assert part not in response.text


def test_valid_token_gives_the_user_and_the_jwks_is_fetched_once(stack):
    issuer, client = stack
    token = issuer.token("user_1", email="ada@example.com")
    for _ in range(20):
        r = client.get("/me", headers=bearer(token))
        assert r.status_code == 200, r.text
        assert r.json() == {"id": "user_1", "email": "ada@example.com", "uuid": user_uuid("user_1")}
    assert issuer.requests == 1


def test_owner_gets_their_path_and_403_for_another_user_s(stack):
    issuer, client = stack
    token = issuer.token("user_1")
    r = client.get("/users/user_1/tasks", headers=bearer(token))
    assert r.status_code == 200 and r.json() == {"owner": "user_1", "tasks": []}
    r = client.get("/users/user_2/tasks", headers=bearer(token))
    assert r.status_code == 403
    assert r.json()["detail"]["error"] == "forbidden"
    # Without a token the path check is never reached: 401.
    assert_no_credentials(client.get("/users/user_1/tasks"))


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
        ("no sub", "ERR_JWT_CLAIM_VALIDATION_FAILED"),
        ("no exp", "ERR_JWT_CLAIM_VALIDATION_FAILED"),
        ("session-cache JWT as a bearer token", "ERR_JWT_CLAIM_VALIDATION_FAILED"),
    ],
)
def test_bad_requests_get_401_with_the_code(stack, case, code):
    issuer, client = stack
    token = ""
    headers = {}
    if case == "expired":
        token = issuer.token(expires_in=-60)
    elif case == "tampered":
        # user_1's header and signature on admin's payload.
        h, _, s = issuer.token().split(".")
        token = f"{h}.{issuer.token('admin').split('.')[1]}.{s}"
    elif case == "rotated-away kid":
        token = issuer.token(kid="rotated-away")
    elif case == "wrong issuer":
        token = issuer.token(iss="https://evil.example", aud="https://evil.example")
    elif case == "missing uuid claim":
        token = issuer.token(uuid=None)
    elif case == "signed by another key":
        with Issuer(kid=issuer.kid) as other:  # same kid, another key
            token = other.token(iss=issuer.base_url, aud=issuer.base_url)
    elif case == "session token instead of JWT":
        token = "Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e"
    elif case in ("no sub", "no exp"):
        token = issuer.token(**{case[3:]: None})
    elif case == "session-cache JWT as a bearer token":
        # What the jwt plugin's sessionCookieCache writes: same keys, not an access token (even
        # with the right audience).
        token = issuer.token(header={"typ": "better-auth.session-cache+jwt"})
    headers = bearer(token)
    r = client.get("/me", headers=headers)
    assert_401(r, code, token)
    detail = r.json()["detail"]
    if case == "session token instead of JWT":
        assert "session token" in detail["hint"]
    if case in ("no sub", "no exp"):
        assert detail["message"] == f'missing required "{case[3:]}" claim'
    if case == "session-cache JWT as a bearer token":
        assert "session-cache" in detail["message"]
    if case == "wrong issuer":
        assert detail["hint"].endswith(f"Expected {issuer.base_url!r} (base_url, which Better Auth uses for iss and aud).")


@pytest.mark.parametrize(
    "authorization, status, challenge",
    [
        (None, 401, "Bearer"),
        ("Basic dXNlcjpwYXNz", 401, "Bearer"),
        ("Bearer", 400, 'Bearer error="invalid_request", error_description="ERR_JWS_INVALID"'),
        ("Bearer a b", 400, 'Bearer error="invalid_request", error_description="ERR_JWS_INVALID"'),
    ],
)
def test_missing_and_malformed_credentials_follow_rfc_6750(stack, authorization, status, challenge):
    _, client = stack
    r = client.get("/me", headers={"authorization": authorization} if authorization else {})
    assert (r.status_code, r.headers["www-authenticate"]) == (status, challenge), r.text
    assert r.json()["detail"]["error"] == ("invalid_request" if status == 400 else "unauthorized")


@pytest.mark.parametrize("mode", ["fail", "garbage"])
def test_requests_are_served_when_the_jwks_endpoint_is_down(stack, mode):
    issuer, client = stack
    token = issuer.token()
    assert client.get("/me", headers=bearer(token)).status_code == 200
    with issuer.outage(mode):
        for _ in range(10):
            r = client.get("/me", headers=bearer(token))
            assert r.status_code == 200, r.text
        # An unknown kid while the endpoint is down: still a clean 401, never a 500.
        assert_401(client.get("/me", headers=bearer(issuer.token(kid="k9"))), "ERR_JWKS_NO_MATCHING_KEY")


def test_readme_shows_the_example_file_unchanged():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = (APP_DIR / "app.py").read_text(encoding="utf-8")
    assert f"<!-- example: examples/fastapi/app.py -->\n```python\n{source}```" in readme


def test_owner_compares_uuid_claims_as_uuids():
    from fastapi import Depends, FastAPI
    from fastapi.testclient import TestClient

    from edgejwt.fastapi import BetterAuth, User

    issuer = Issuer()
    issuer.close()  # only its keys are needed
    auth = BetterAuth(jwks=issuer.jwks(), issuer="https://app.example", audience="https://app.example")
    app = FastAPI()

    @app.get("/users/{user_uuid}/notes")
    def notes(user_uuid: str, user: User = Depends(auth.owner("user_uuid", claim="uuid"))):
        return {"uuid": user.uuid}

    client = TestClient(app)
    c = {"uuid": "7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11"}
    token = issuer.token(iss="https://app.example", aud="https://app.example", **c)
    for path in ("7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11", "7D1F0C3E-3C52-4C1B-9D0E-2F0A8E9B6C11", "7d1f0c3e3c524c1b9d0e2f0a8e9b6c11"):
        r = client.get(f"/users/{path}/notes", headers=bearer(token))
        assert r.status_code == 200, (path, r.text)
        assert r.json() == {"uuid": c["uuid"]}
    for path in ("8d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11", "not-a-uuid"):
        assert client.get(f"/users/{path}/notes", headers=bearer(token)).status_code == 403


def configurable_app(issuer: Issuer, **policy: str) -> Uvicorn:
    """tests/python/apps/configurable.py: iss and aud are the public URL, the JWKS comes from
    the test's issuer (an "internal" host, as behind docker compose)."""
    env = {"BETTER_AUTH_URL": PUBLIC_URL, "JWKS_URL": issuer.jwks_url, **policy}
    return Uvicorn(ROOT / "tests" / "python" / "apps", "configurable", env)


PUBLIC_URL = "https://app.example"


def assert_503(response: httpx.Response, issuer: Issuer, retry_after: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == retry_after
    assert "www-authenticate" not in response.headers
    assert response.json() == {
        "detail": {"error": "temporarily_unavailable", "message": "authentication is temporarily unavailable"}
    }
    assert issuer.base_url.split("//")[1] not in response.text


@pytest.mark.parametrize(
    "mode, logged_reason",
    [("fail", "HTTP 500"), ("garbage", "JSON Web Key Set malformed"), ("hang", "timed out")],
)
def test_a_jwks_outage_with_nothing_cached_is_503_with_retry_after_not_a_bad_token(better_auth, mode, logged_reason):
    app = configurable_app(better_auth, COOLDOWN="1", TIMEOUT="0.5")
    try:
        token = better_auth.token(iss=PUBLIC_URL, aud=PUBLIC_URL)
        with better_auth.outage(mode):
            for _ in range(3):
                assert_503(app.client.get("/me", headers=bearer(token)), better_auth, "1")
            # One fetch attempt per cooldown, however many requests fail.
            assert better_auth.requests == 1
            # Requests without credentials do not need the keys: still the bare 401.
            assert_no_credentials(app.client.get("/me"))
            # The operator gets the detail in the log (logger "edgejwt"), with the internal URL.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not any(logged_reason in line for line in app.log):
                time.sleep(0.05)
            logged = [line for line in app.log if "no usable JSON Web Key Set" in line]
            assert logged and logged_reason in logged[0], app.log
            assert f"from {better_auth.jwks_url}:" in logged[0], app.log
        # The auth app comes up: after the cooldown the next request fetches and passes.
        time.sleep(1.1)
        r = app.client.get("/me", headers=bearer(token))
        assert r.status_code == 200 and r.json() == {"id": "user_1"}, r.text
        assert better_auth.requests == 2
    finally:
        app.close()


def test_a_set_stale_past_stale_if_error_stops_serving_with_503(better_auth):
    app = configurable_app(better_auth, CACHE_MAX_AGE="0.5", STALE_IF_ERROR="1", COOLDOWN="0.2")
    try:
        token = better_auth.token(iss=PUBLIC_URL, aud=PUBLIC_URL)
        assert app.client.get("/me", headers=bearer(token)).status_code == 200
        with better_auth.outage("fail"):
            # Stale (past 0.5 s) but within stale_if_error: served while refreshes fail.
            time.sleep(0.8)
            assert app.client.get("/me", headers=bearer(token)).status_code == 200
            # Past 0.5 + 1 s: the set is no longer trusted.
            time.sleep(1.0)
            assert_503(app.client.get("/me", headers=bearer(token)), better_auth, "1")
        time.sleep(0.3)
        assert app.client.get("/me", headers=bearer(token)).status_code == 200
    finally:
        app.close()


def test_better_auth_needs_the_base_url_or_an_issuer_and_audience():
    from edgejwt.fastapi import BetterAuth

    with Issuer() as issuer:
        jwks = issuer.jwks()
    with pytest.raises(TypeError, match="BETTER_AUTH_URL"):
        BetterAuth(jwks=jwks)
    with pytest.raises(TypeError, match="audience="):
        BetterAuth(jwks=jwks, issuer="https://app.example")
    with pytest.raises(TypeError, match="BETTER_AUTH_URL"):
        BetterAuth()
    auth = BetterAuth("https://app.example/")
    assert auth.jwks.url == "https://app.example/api/auth/jwks"
    auth = BetterAuth("https://app.example", jwks_url="http://web:3000/api/auth/jwks")
    assert auth.jwks.url == "http://web:3000/api/auth/jwks"


def test_openapi_shows_the_bearer_scheme_on_protected_routes(stack):
    """/docs is built from /openapi.json: the Bearer scheme is declared and required where a
    route depends on auth.user or auth.owner."""
    _, client = stack
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    bearer = [name for name, s in schemes.items() if s == {"type": "http", "scheme": "bearer", "description": "A Better Auth JWT (GET /api/auth/token)"}]
    assert len(bearer) == 1, schemes
    for path in ("/me", "/users/{user_id}/tasks"):
        assert spec["paths"][path]["get"]["security"] == [{bearer[0]: []}], path
    assert "swagger-ui" in client.get("/docs").text
