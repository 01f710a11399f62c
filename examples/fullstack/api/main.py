"""The full-stack example's API: each user's tasks, FastAPI + SQLModel on SQLite.

Every request carries a Better Auth JWT (``Authorization: Bearer``, sent by the browser with
``edgejwt/client``); ``edgejwt.fastapi.BetterAuth`` verifies it against the web app's JWKS
(fetched once, refetched on an unknown ``kid``) and every query is filtered by its user.

    BETTER_AUTH_URL=http://127.0.0.1:3000 uvicorn main:app --port 8000   (npm run example does it)

Environment: ``BETTER_AUTH_URL`` (the web app: JWKS URL, ``iss`` and ``aud``), ``WEB_ORIGIN``
(the only origin CORS allows; default ``BETTER_AUTH_URL``), ``DATABASE_URL`` (SQLAlchemy URL,
default ``sqlite:///tasks.db``), ``JWKS_COOLDOWN`` (seconds between two JWKS fetches, default 30).
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Annotated, Iterator, List, Optional
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Response, Security, status
from fastapi.middleware.cors import CORSMiddleware
from sqlmodel import Field, Session, SQLModel, create_engine, select

from edgejwt.fastapi import BetterAuth, User

BETTER_AUTH_URL = os.environ.get("BETTER_AUTH_URL", "http://127.0.0.1:3000")
_web = urlsplit(os.environ.get("WEB_ORIGIN", BETTER_AUTH_URL))
WEB_ORIGIN = f"{_web.scheme}://{_web.netloc}"
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///tasks.db")

# iss and aud must equal BETTER_AUTH_URL; sub and exp are required; the JWKS comes from
# {BETTER_AUTH_URL}/api/auth/jwks and is cached (a new kid: one refetch per cooldown).
auth = BetterAuth(BETTER_AUTH_URL, cooldown=float(os.environ.get("JWKS_COOLDOWN", "30")))

engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})


class Task(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: str = Field(index=True)  # the token's sub: Better Auth's user id
    title: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


class TaskCreate(SQLModel):
    title: str = Field(min_length=1, max_length=200)


class TaskRead(SQLModel):
    id: int
    title: str
    created_at: datetime


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


DB = Annotated[Session, Depends(get_session)]
# The user of a valid token: 401 (invalid_token, or a bare Bearer challenge without a token),
# 400 for a malformed header, 503 with Retry-After when the JWKS cannot be had.
CurrentUser = Annotated[User, Security(auth.user)]


@asynccontextmanager
async def lifespan(_app: FastAPI):
    SQLModel.metadata.create_all(engine)
    yield


app = FastAPI(title="Tasks API (edgejwt full-stack example)", lifespan=lifespan)
# The browser calls the API from the web app's origin only. No cookies (credentials) cross: the
# token travels in the Authorization header. WWW-Authenticate is exposed so that the client sees
# `error="invalid_token"` and refreshes; Retry-After for 503s.
app.add_middleware(
    CORSMiddleware,
    allow_origins=[WEB_ORIGIN],
    allow_methods=["GET", "POST", "DELETE"],
    allow_headers=["Authorization", "Content-Type"],
    expose_headers=["WWW-Authenticate", "Retry-After"],
    allow_credentials=False,
    max_age=600,
)


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


# User isolation: every query below has `Task.user_id == user.id` in its WHERE clause, so another
# user's task is indistinguishable from a missing one (404, never 403, for ids).


@app.get("/tasks", response_model=List[TaskRead])
def list_tasks(user: CurrentUser, db: DB):
    return db.exec(select(Task).where(Task.user_id == user.id).order_by(Task.id)).all()


@app.post("/tasks", response_model=TaskRead, status_code=status.HTTP_201_CREATED)
def create_task(body: TaskCreate, user: CurrentUser, db: DB):
    task = Task(user_id=user.id, title=body.title)
    db.add(task)
    db.commit()
    db.refresh(task)
    return task


@app.delete("/tasks/{task_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_task(task_id: int, user: CurrentUser, db: DB) -> Response:
    task = db.exec(select(Task).where(Task.id == task_id, Task.user_id == user.id)).first()
    if task is None:
        raise HTTPException(status_code=404, detail={"error": "not_found", "message": "no such task"})
    db.delete(task)
    db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# The seeds' URL shape, /users/{user_id}/tasks: auth.owner answers 403 when user_id is not the
# token's sub, before the query runs (which is filtered by the token's user all the same).
@app.get("/users/{user_id}/tasks", response_model=List[TaskRead])
def user_tasks(user_id: str, user: Annotated[User, Security(auth.owner("user_id"))], db: DB):
    return db.exec(select(Task).where(Task.user_id == user.id).order_by(Task.id)).all()
