"""A user's code against edgejwt's types, checked by `mypy --strict` in npm test (the Python
counterpart of tests/runtimes/consumer.ts): every public name is used as documented, so a stub
that drifts from the API, or an API that loses its types, fails the check. Not run by pytest."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Dict, List, Optional

from fastapi import FastAPI, Security

import edgejwt
from edgejwt import KeyInfo, RemoteJWKSet, Selection, VerifiedToken, Verifier, errors
from edgejwt.fastapi import BetterAuth, User

remote = RemoteJWKSet("https://app.example/api/auth/jwks", cache_max_age=600, cooldown=timedelta(seconds=30), stale_if_error=3600)
policy: Dict[str, float] = remote.policy
verifier = Verifier(remote, issuer="https://app.example", audience=["https://app.example"], required_claims=["uuid"], better_auth=True)


def user_id(token: str) -> Optional[str]:
    try:
        result: VerifiedToken = verifier.verify(token, now=None)
    except errors.JWTExpired as e:
        status: int = e.status
        challenge: Optional[str] = e.bearer_error
        print(status, challenge, e.claim, e.hint)
        return None
    except errors.JOSEError as e:
        code: str = e.code
        print(code, e.message, e.reason)
        return None
    payload: Dict[str, Any] = result.payload
    sub = payload.get("sub")
    return sub if isinstance(sub, str) else None


def describe(token: str) -> List[str]:
    keys: List[KeyInfo] = verifier.keys()
    report: Selection = verifier.selection(token)
    lines = [f"{k['kid']}: {', '.join(p['id'] for p in k['problems'])}" for k in keys]
    lines += [v["verdict"] for v in report["keys"]]
    if report["selected"] is not None:
        lines.append(str(keys[report["selected"]]["bits"]))
    return lines


auth = BetterAuth("https://app.example", jwks_url="http://web:3000/api/auth/jwks", timeout=5)
CurrentUser = Annotated[User, Security(auth.user)]
app = FastAPI()


@app.get("/me")
def me(user: CurrentUser) -> Dict[str, Optional[str]]:
    return {"id": user.id, "email": user.email, "uuid": user.uuid}


@app.get("/users/{user_id}/tasks")
def tasks(user_id: str, user: Annotated[User, Security(auth.owner("user_id"))]) -> List[str]:
    return [user.id, user_id, edgejwt.__version__]
