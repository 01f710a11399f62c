"""FastAPI dependencies for Better Auth: the signed-in user from a Bearer JWT (or the session
cookie cache), with per-user path isolation.

>>> from fastapi import Depends, FastAPI
>>> from edgejwt.fastapi import BetterAuth, User
>>> auth = BetterAuth(jwks_url="http://localhost:3000/api/auth/jwks",
...                   issuer="http://localhost:3000", audience="http://localhost:3000")
>>> @app.get("/users/{user_id}/tasks")
... def tasks(user_id: str, user: User = Depends(auth.owner("user_id"))): ...

- A missing or invalid token answers **401** with ``WWW-Authenticate: Bearer
  error="invalid_token", error_description="<jose code>"`` and the JSON body
  ``{"detail": {"error": "invalid_token", "code": ..., "message": ..., "hint": ...}}`` (never
  the token or its claims).
- ``auth.owner(param)``: **403** when the path parameter is not the user's id (or the given
  claim; ``uuid`` claims compare as UUIDs).
- The JWKS is fetched once per process (a :class:`edgejwt.RemoteJWKSet` created with the
  ``BetterAuth``), refetched when a token names an unknown ``kid`` (key rotation), at most once
  per cooldown; if the endpoint goes down, the last good set keeps serving.

Needs the ``fastapi`` extra: ``pip install "edgejwt[fastapi]"``.
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Sequence, Union

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyCookie, HTTPBearer

from . import RemoteJWKSet, Verifier, errors, get_bearer_token, read_session_cookie

__all__ = ["BetterAuth", "User"]

Seconds = Union[int, float, timedelta]


@dataclass(frozen=True)
class User:
    """The signed-in user: ``id`` is the token's ``sub`` (for a session cookie: ``user.id``),
    ``email``, ``name`` and ``uuid`` when the token has them, ``claims`` the whole verified
    payload (for a session cookie: the session data, ``{"session", "user", ...}``)."""

    id: str
    email: Optional[str] = None
    name: Optional[str] = None
    uuid: Optional[str] = None
    claims: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> "User":
        """The user of a verified JWT payload."""
        return cls(
            id=str(claims.get("sub", "")),
            email=_str_or_none(claims.get("email")),
            name=_str_or_none(claims.get("name")),
            uuid=_str_or_none(claims.get("uuid")),
            claims=dict(claims),
        )

    @classmethod
    def from_session(cls, data: Mapping[str, Any]) -> "User":
        """The user of Better Auth's session data (the cookie cache)."""
        user = data.get("user") or {}
        return cls(
            id=str(user.get("id", "")),
            email=_str_or_none(user.get("email")),
            name=_str_or_none(user.get("name")),
            uuid=_str_or_none(user.get("uuid")),
            claims=dict(data),
        )


def _str_or_none(v: Any) -> Optional[str]:
    return v if isinstance(v, str) else None


def _unauthorized(err: errors.JOSEError) -> HTTPException:
    detail: Dict[str, Any] = {"error": "invalid_token", "code": err.code, "message": err.message}
    if err.hint:
        detail["hint"] = err.hint
    # The code is a fixed ASCII identifier: safe inside the quoted header parameter.
    header = f'Bearer error="invalid_token", error_description="{err.code}"'
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": header})


class BetterAuth:
    """Verifies Better Auth JWTs (and optionally its session cookie cache) for FastAPI.

    ``BetterAuth(jwks_url=None, *, jwks=None, issuer=None, audience=None, algorithms=None,
    required_claims=(), clock_tolerance=0, max_token_age=None, cache_max_age=600, cooldown=30,
    timeout=5, secret=None, cookie_strategy="compact", cookie_prefix="better-auth",
    cookie_jwks=None)``

    ``jwks_url``: the app's ``/api/auth/jwks`` (fetched once, then cached; see
    :class:`edgejwt.RemoteJWKSet`), or ``jwks``: a key set you pass in. ``issuer`` and
    ``audience`` default, in Better Auth, to the app's ``BETTER_AUTH_URL``. ``secret``,
    ``cookie_*``: for :attr:`session` (Better Auth's ``session.cookieCache`` options).

    Dependencies: :attr:`user`, :meth:`owner`, :attr:`session`. Create one ``BetterAuth`` per
    process (module level), never per request.
    """

    def __init__(
        self,
        jwks_url: Optional[str] = None,
        *,
        jwks: Union[None, str, bytes, Mapping[str, Any], RemoteJWKSet] = None,
        issuer: Union[None, str, Sequence[str]] = None,
        audience: Union[None, str, Sequence[str]] = None,
        algorithms: Optional[Sequence[str]] = None,
        required_claims: Sequence[str] = (),
        clock_tolerance: Seconds = 0,
        max_token_age: Optional[Seconds] = None,
        cache_max_age: Seconds = 600,
        cooldown: Seconds = 30,
        timeout: Seconds = 5,
        secret: Optional[str] = None,
        cookie_strategy: str = "compact",
        cookie_prefix: str = "better-auth",
        cookie_jwks: Union[None, str, bytes, Mapping[str, Any]] = None,
    ) -> None:
        if (jwks_url is None) == (jwks is None):
            raise TypeError("BetterAuth needs exactly one of jwks_url and jwks")
        if jwks_url is not None:
            jwks = RemoteJWKSet(jwks_url, cache_max_age=cache_max_age, cooldown=cooldown, timeout=timeout)
        assert jwks is not None
        self.jwks = jwks
        self.verifier = Verifier(
            jwks,
            issuer=issuer,
            audience=audience,
            algorithms=algorithms,
            required_claims=required_claims,
            clock_tolerance=clock_tolerance,
            max_token_age=max_token_age,
        )
        self._cookie_options: Dict[str, Any] = {
            "strategy": cookie_strategy,
            "secret": secret,
            "jwks": cookie_jwks,
            "cookie_prefix": cookie_prefix,
        }
        bearer = HTTPBearer(auto_error=False, description="A Better Auth JWT (GET /api/auth/token)")
        cookie = APIKeyCookie(
            name=f"{cookie_prefix}.session_data",
            auto_error=False,
            description="Better Auth's session cookie cache",
        )

        async def user(request: Request, _scheme: Any = Depends(bearer)) -> User:
            """The user of the request's ``Authorization: Bearer <jwt>``; 401 otherwise."""
            try:
                token = get_bearer_token(request)
                result = await self.verifier.verify_async(token)
            except errors.JOSEError as e:
                raise _unauthorized(e) from None
            return User.from_claims(result.payload)

        async def session(request: Request, _scheme: Any = Depends(cookie)) -> User:
            """The user of the request's Better Auth session cookie cache; 401 otherwise."""
            try:
                data = read_session_cookie(request, **self._cookie_options)
            except errors.JOSEError as e:
                raise _unauthorized(e) from None
            if data is None:
                raise _unauthorized(
                    errors.JWTInvalid(
                        "no Better Auth session cookie",
                        hint="enable session.cookieCache in Better Auth and send the request with its cookies",
                    )
                )
            return User.from_session(data)

        #: Dependency: the :class:`User` of a valid Bearer JWT (401 otherwise).
        self.user: Callable[..., Awaitable[User]] = user
        #: Dependency: the :class:`User` of a valid session cookie cache (401 otherwise).
        self.session: Callable[..., Awaitable[User]] = session

    def owner(self, param: str, claim: str = "sub", *, source: str = "bearer") -> Callable[..., Awaitable[User]]:
        """Dependency: the user, who must own the path: path parameter ``param`` must equal the
        token's ``claim`` (``sub`` by default; ``uuid`` claims compare as UUIDs), or 403.
        ``source="session"`` reads the session cookie cache instead of the Bearer token (there,
        ``claim`` names a member of ``user``)."""
        dependency = self.user if source == "bearer" else self.session
        if source not in ("bearer", "session"):
            raise ValueError('source must be "bearer" or "session"')

        async def owner(request: Request, user: User = Depends(dependency)) -> User:
            if param not in request.path_params:
                raise RuntimeError(f"auth.owner({param!r}): the route has no path parameter {param!r}")
            wanted = str(request.path_params[param])
            claims = user.claims if source == "bearer" else (user.claims.get("user") or {})
            actual = claims.get(claim)
            if not _same(wanted, actual, as_uuid=claim == "uuid"):
                raise HTTPException(
                    status_code=403,
                    detail={"error": "forbidden", "message": f"this resource belongs to another user ({param} differs from the {claim} claim)"},
                )
            return user

        return owner


def _same(wanted: str, actual: Any, *, as_uuid: bool) -> bool:
    if isinstance(actual, bool) or not isinstance(actual, (str, int)):
        return False
    if as_uuid:
        try:
            return _uuid.UUID(wanted) == _uuid.UUID(str(actual))
        except ValueError:
            return False
    return wanted == str(actual)

