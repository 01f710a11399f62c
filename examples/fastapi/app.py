# app.py: a FastAPI backend behind a Better Auth app, verifying its JWTs (run: uvicorn app:app).
import os

from fastapi import Depends, FastAPI
from edgejwt.fastapi import BetterAuth, User

BETTER_AUTH_URL = os.environ.get("BETTER_AUTH_URL", "http://localhost:3000")
# The JWKS comes from {BETTER_AUTH_URL}/api/auth/jwks (fetched once, then cached); iss and aud
# must equal BETTER_AUTH_URL, as Better Auth signs them; sub and exp are required.
auth = BetterAuth(BETTER_AUTH_URL, required_claims=["uuid"])
app = FastAPI()

@app.get("/me")
def me(user: User = Depends(auth.user)):  # 401 without a valid token, 503 if the JWKS is down
    return {"id": user.id, "email": user.email, "uuid": user.uuid}

@app.get("/users/{user_id}/tasks")
def tasks(user_id: str, user: User = Depends(auth.owner("user_id"))):  # 403 for another user
    return {"owner": user.id, "tasks": []}
