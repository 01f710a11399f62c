# test_app.py: the app's tests against a local Better Auth (pip install "edgejwt[testing]" httpx;
# the better_auth fixture comes with it: a new issuer on 127.0.0.1 per test). Run: pytest
import time

import pytest
from fastapi.testclient import TestClient

from app import create_app
from edgejwt.testing import user_uuid


@pytest.fixture
def client(better_auth):
    # The app trusts the issuer's URL. A short cooldown lets a rotated key be fetched at once
    # (by default at most one JWKS fetch starts per 30 s); a short timeout for the "hang" outage.
    return TestClient(create_app(better_auth.base_url, cooldown=0.1, timeout=0.5))


def test_a_valid_token_gives_the_user(client, better_auth):
    r = client.get("/me", headers=better_auth.headers("user_1", email="ada@example.com"))
    assert r.status_code == 200
    assert r.json() == {"id": "user_1", "email": "ada@example.com", "uuid": user_uuid("user_1")}


def test_another_user_s_resource_is_403(client, better_auth):
    headers = better_auth.headers("user_1")
    assert client.get("/users/user_1/tasks", headers=headers).status_code == 200
    r = client.get("/users/user_2/tasks", headers=headers)
    assert r.status_code == 403
    assert r.json()["detail"]["error"] == "forbidden"


def test_an_expired_token_is_401(client, better_auth):
    r = client.get("/me", headers=better_auth.headers(expires_in=-60))
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Bearer error="invalid_token", error_description="ERR_JWT_EXPIRED"'
    assert r.json()["detail"]["code"] == "ERR_JWT_EXPIRED"


def test_a_rotated_key_verifies_after_one_refetch(client, better_auth):
    assert client.get("/me", headers=better_auth.headers()).status_code == 200
    old_kid = better_auth.kid
    new_kid = better_auth.rotate()  # Better Auth's rotation: the old key stays listed
    assert better_auth.kids == [old_kid, new_kid]
    time.sleep(0.15)  # past the cooldown
    assert client.get("/me", headers=better_auth.headers()).status_code == 200
    assert better_auth.requests == 2  # the first fetch, and one refetch for the new kid


@pytest.mark.parametrize("mode", ["fail", "hang", "garbage"])
def test_an_outage_with_nothing_cached_is_503(client, better_auth, mode):
    with better_auth.outage(mode):  # 500, no answer at all, or an HTML page
        r = client.get("/me", headers=better_auth.headers())
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"  # the cooldown, rounded up
    assert r.json()["detail"]["error"] == "temporarily_unavailable"


@pytest.mark.parametrize("mode", ["fail", "hang", "garbage"])
def test_an_outage_is_served_from_the_cache(client, better_auth, mode):
    assert client.get("/me", headers=better_auth.headers()).status_code == 200
    with better_auth.outage(mode):
        r = client.get("/me", headers=better_auth.headers("user_2"))
    assert r.status_code == 200
    assert r.json()["id"] == "user_2"
    assert better_auth.requests == 1  # the key set cached before the outage
