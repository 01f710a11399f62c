# A FastAPI app for the tests, configured by the environment: BETTER_AUTH_URL (iss, aud),
# JWKS_URL (default: derived from it), and the remote set's policy in seconds.
import os

from fastapi import Depends, FastAPI

from edgejwt.fastapi import BetterAuth, User


def _seconds(name):
    value = os.environ.get(name)
    return float(value) if value else None


auth = BetterAuth(
    os.environ["BETTER_AUTH_URL"],
    jwks_url=os.environ.get("JWKS_URL") or None,
    cache_max_age=_seconds("CACHE_MAX_AGE"),
    cooldown=_seconds("COOLDOWN"),
    timeout=_seconds("TIMEOUT"),
    stale_if_error=_seconds("STALE_IF_ERROR"),
)
app = FastAPI()


@app.get("/me")
def me(user: User = Depends(auth.user)):
    return {"id": user.id}
