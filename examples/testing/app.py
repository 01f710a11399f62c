# app.py: a FastAPI backend behind a Better Auth app, built by a function so that tests can point
# it at a local issuer (run: uvicorn app:app).
import os

from fastapi import Depends, FastAPI
from edgejwt.fastapi import BetterAuth, User


def create_app(better_auth_url: str, **jwks_policy) -> FastAPI:
    auth = BetterAuth(better_auth_url, required_claims=["uuid"], **jwks_policy)
    app = FastAPI()

    @app.get("/me")
    def me(user: User = Depends(auth.user)):
        return {"id": user.id, "email": user.email, "uuid": user.uuid}

    @app.get("/users/{user_id}/tasks")
    def tasks(user_id: str, user: User = Depends(auth.owner("user_id"))):
        return {"owner": user.id, "tasks": []}

    return app


app = create_app(os.environ.get("BETTER_AUTH_URL", "http://localhost:3000"))
