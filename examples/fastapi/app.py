# app.py: a FastAPI backend behind a Better Auth app, verifying its JWTs (run: uvicorn app:app).
import os
from typing import Annotated

from fastapi import FastAPI, Security
from edgejwt.fastapi import BetterAuth, User

BETTER_AUTH_URL = os.environ.get("BETTER_AUTH_URL", "http://localhost:3000")
# The JWKS comes from {BETTER_AUTH_URL}/api/auth/jwks (fetched once, then cached); iss and aud
# must equal BETTER_AUTH_URL, as Better Auth signs them; sub and exp are required.
auth = BetterAuth(BETTER_AUTH_URL, required_claims=["uuid"])
CurrentUser = Annotated[User, Security(auth.user)]  # /docs shows the Bearer scheme
app = FastAPI()

@app.get("/me")
def me(user: CurrentUser):  # 401 without a valid token, 503 if the JWKS is down
    return {"id": user.id, "email": user.email, "uuid": user.uuid}

@app.get("/users/{user_id}/tasks")
def tasks(user_id: str, user: Annotated[User, Security(auth.owner("user_id"))]):  # 403: another user's
    return {"owner": user.id, "tasks": []}
