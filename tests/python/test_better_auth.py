"""A real Better Auth server (Node subprocess): its JWTs for every algorithm of its jwt plugin,
a key rotation followed through RemoteJWKSet, and its session cookies for every strategy, read
to the same result as Better Auth's own getCookieCache."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie

import jwt as pyjwt
import pytest

from edgejwt import RemoteJWKSet, Verifier, errors, read_session_cookie

from better_auth import BetterAuthServer, available

pytestmark = pytest.mark.skipif(available() is not None, reason=str(available()))

NAME = 'Zoë "Q" Ñandú \\ 😀 <tab>\t'


@pytest.mark.parametrize("alg", ["EdDSA", "ES256", "ES512", "RS256", "PS256"])
def test_better_auth_jwt_verifies_like_pyjwt(alg):
    with BetterAuthServer(alg=alg) as ba:
        token, jwks, url = ba.info["token"], ba.info["jwks"], ba.url
        result = Verifier(jwks, issuer=url, audience=url, required_claims=["uuid"]).verify(token)
        assert result.alg == alg
        assert result.header["kid"] == jwks["keys"][0]["kid"]
        claims = result.payload
        assert claims["email"] == "ada@example.com" and claims["name"] == "Ada Lovelace"
        assert claims["uuid"] == f"uuid-{claims['sub']}" and claims["role"] == "member"
        assert claims["exp"] - claims["iat"] == 900
        # PyJWT, with the same JWKS, as the reference:
        key = pyjwt.PyJWK(jwks["keys"][0]).key
        assert claims == pyjwt.decode(token, key, algorithms=[alg], audience=url, issuer=url)
        # The other server's key set does not verify it, with a coded error.
        with pytest.raises(errors.JOSEError):
            Verifier({"keys": []}).verify(token)
        with pytest.raises(errors.JWTClaimValidationFailed) as e:
            Verifier(jwks, issuer=url + "/").verify(token)
        assert e.value.claim == "iss"


def test_rotation_is_followed_through_remote_jwks_set():
    with BetterAuthServer(jwks={"rotationInterval": 1, "gracePeriod": 3600}) as ba:
        remote = RemoteJWKSet(f"{ba.url}/api/auth/jwks", cooldown=0)
        verifier = Verifier(remote, issuer=ba.url, audience=ba.url)
        first = ba.info["token"]
        for _ in range(50):
            assert verifier.verify(first).payload["email"] == "ada@example.com"
        assert len(verifier.keys()) == 1
        time.sleep(1.5)
        rotated = ba.command("token")["token"]
        kid = lambda t: pyjwt.get_unverified_header(t)["kid"]  # noqa: E731
        assert kid(rotated) != kid(first), "Better Auth rotated its key"
        assert verifier.verify(rotated).payload["sub"] == verifier.verify(first).payload["sub"]
        assert {k["kid"] for k in verifier.keys()} == {kid(first), kid(rotated)}


def cookie_header(set_cookies, rename=lambda n: n):
    pairs = []
    for c in set_cookies:
        name, _, value = c.split(";")[0].partition("=")
        pairs.append(f"{rename(name)}={value}")
    return "; ".join(pairs)


@pytest.mark.parametrize("strategy", ["compact", "jwt", "jwe"])
def test_session_cookie_reads_like_get_cookie_cache(strategy):
    with BetterAuthServer(session={"cookieCache": {"enabled": True, "maxAge": 300, "strategy": strategy}}) as ba:
        secret = ba.info["secret"]
        signed = ba.command("signIn", email="zoe@example.com", name=NAME)
        theirs = signed["cookieCache"]
        assert theirs is not None, "Better Auth reads its own cookie"
        header = signed["cookie"]
        ours = read_session_cookie(header, strategy=strategy, secret=secret)
        assert ours == theirs
        assert ours["user"]["name"] == NAME and ours["user"]["email"] == "zoe@example.com"

        # A Starlette request and a headers mapping work the same.
        from starlette.requests import Request

        scope = {"type": "http", "headers": [(b"cookie", header.encode("latin-1"))]}
        assert read_session_cookie(Request(scope), strategy=strategy, secret=secret) == theirs
        assert read_session_cookie({"cookie": header}, strategy=strategy, secret=secret) == theirs

        # Tampered: one character of the cookie value changed.
        jar = SimpleCookie()
        jar.load(header)
        value = jar["better-auth.session_data"].value
        i = len(value) // 2
        tampered = header.replace(value, value[:i] + ("A" if value[i] != "A" else "B") + value[i + 1 :])
        with pytest.raises(errors.JOSEError) as e:
            read_session_cookie(tampered, strategy=strategy, secret=secret)
        assert value not in str(e.value) and NAME not in str(e.value)
        assert e.value.payload is None

        # Expired (cookie maxAge 300 s), and still good before that.
        later = datetime.now(timezone.utc) + timedelta(seconds=400)
        with pytest.raises(errors.JWTExpired) as e:
            read_session_cookie(header, strategy=strategy, secret=secret, now=later)
        assert e.value.payload is None, "cookie errors never carry the session data"
        assert ours["session"]["token"] not in repr(e.value.__dict__)
        assert read_session_cookie(header, strategy=strategy, secret=secret, now=time.time() + 200) == theirs

        # Wrong secret.
        wrong = {"jwe": errors.JWEDecryptionFailed}.get(strategy, errors.JWSSignatureVerificationFailed)
        with pytest.raises(wrong) as e:
            read_session_cookie(header, strategy=strategy, secret="not-the-secret-not-the-secret-123")
        assert e.value.hint

        # Absent.
        assert read_session_cookie("other=1", strategy=strategy, secret=secret) is None
        assert read_session_cookie("", strategy=strategy, secret=secret) is None
        assert read_session_cookie(None, strategy=strategy, secret=secret) is None

        # __Secure- prefixed.
        secure = cookie_header(signed["setCookies"], lambda n: f"__Secure-{n}")
        assert read_session_cookie(secure, strategy=strategy, secret=secret) == theirs
        assert read_session_cookie(secure, strategy=strategy, secret=secret, is_secure=False) is None

        # Version.
        with pytest.raises(errors.JWTClaimValidationFailed) as e:
            read_session_cookie(header, strategy=strategy, secret=secret, version="2")
        assert e.value.claim == "version"


def test_chunked_cookie_with_custom_prefix():
    with BetterAuthServer(
        session={"cookieCache": {"enabled": True, "maxAge": 300, "strategy": "compact"}},
        advanced={"cookiePrefix": "myapp"},
        userFields={"bio": {"type": "string", "required": False}},
    ) as ba:
        bio = "é" * 3000
        signed = ba.command("signIn", email="big@example.com", name="Big Cookie", extra={"bio": bio})
        names = [c.split("=")[0] for c in signed["setCookies"]]
        assert "myapp.session_data.0" in names and "myapp.session_data.1" in names
        header = cookie_header(list(reversed(signed["setCookies"])))
        ours = read_session_cookie(header, secret=ba.info["secret"], cookie_prefix="myapp")
        assert ours == signed["cookieCache"]
        assert ours["user"]["bio"] == bio
        assert read_session_cookie(header, secret=ba.info["secret"]) is None


def test_jwt_cookie_signed_by_the_jwt_plugin_keys():
    with BetterAuthServer(
        session={"cookieCache": {"enabled": True, "maxAge": 300, "strategy": "jwt"}}, sessionCookieCache=True
    ) as ba:
        jwks = ba.info["jwks"]
        header = ba.info["cookie"]
        ours = read_session_cookie(header, strategy="jwt", jwks=jwks)
        assert ours == ba.info["cookieCache"]
        assert ours["sub"] == ours["user"]["id"] and ours["sid"] == ours["session"]["token"]
        with pytest.raises(errors.JOSEError):
            read_session_cookie(header, strategy="jwt", secret=ba.info["secret"])
        with pytest.raises(errors.JWTClaimValidationFailed) as e:
            read_session_cookie(header, strategy="jwt", jwks=jwks, issuer="https://other.example")
        assert e.value.claim == "iss"


def test_fastapi_session_and_uuid_owner_with_a_real_better_auth_app():
    from fastapi import Depends, FastAPI
    from fastapi.testclient import TestClient

    from edgejwt.fastapi import BetterAuth, User

    with BetterAuthServer(session={"cookieCache": {"enabled": True, "maxAge": 300, "strategy": "compact"}}) as ba:
        auth = BetterAuth(jwks=ba.info["jwks"], issuer=ba.url, audience=ba.url, secret=ba.info["secret"])
        app = FastAPI()

        @app.get("/session")
        def session(user: User = Depends(auth.session)):
            return {"id": user.id, "email": user.email}

        @app.get("/u/{user_uuid}")
        def by_uuid(user_uuid: str, user: User = Depends(auth.owner("user_uuid", claim="uuid"))):
            return {"uuid": user.uuid}

        @app.get("/users/{user_id}/notes")
        def notes(user_id: str, user: User = Depends(auth.owner("user_id", source="session"))):
            return {"id": user.id}

        client = TestClient(app)
        cookie = ba.info["cookie"]
        user_id = ba.info["cookieCache"]["user"]["id"]
        r = client.get("/session", headers={"cookie": cookie})
        assert r.status_code == 200 and r.json() == {"id": user_id, "email": "ada@example.com"}
        # owner(source="session") compares with the session's user.id (it compared a "sub"
        # claim that session data never has, so it always answered 403).
        r = client.get(f"/users/{user_id}/notes", headers={"cookie": cookie})
        assert r.status_code == 200 and r.json() == {"id": user_id}, r.text
        assert client.get("/users/someone-else/notes", headers={"cookie": cookie}).status_code == 403
        r = client.get("/session")
        assert r.status_code == 401 and r.json()["detail"]["code"] == "ERR_JWT_INVALID"
        forged = cookie.replace("better-auth.session_data=", "better-auth.session_data=x")
        r = client.get("/session", headers={"cookie": forged})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith('Bearer error="invalid_token"')

        # The JWT's uuid claim is "uuid-<id>" (server.mjs), not a UUID: the path never matches.
        token = ba.info["token"]
        r = client.get(f"/u/uuid-{user_id}", headers={"authorization": f"Bearer {token}"})
        assert r.status_code == 403
