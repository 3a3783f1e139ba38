"""FastAPI dependencies: the authenticated subject of a request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from czrm.auth.service import subject_from_token
from czrm.auth.subject import Subject
from czrm.errors import NotAuthenticated
from czrm.kit.web import DbSession

bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


def current_subject(
    request: Request,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Subject:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("send 'Authorization: Bearer <token>'")
    subject, token = subject_from_token(session, credentials.credentials)
    request.state.token = token
    return subject


CurrentSubject = Annotated[Subject, Depends(current_subject)]
