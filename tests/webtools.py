"""Helpers for page tests: the CSRF token of a rendered form, staff sign-in."""

from __future__ import annotations

import re
import time

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from czrm.auth.models import StaffUser
from czrm.kit.time import utc_now
from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient, url: str) -> str:
    page = client.get(url)
    found = TOKEN.search(page.text)
    assert found, f"no CSRF token on {url} ({page.status_code})"
    return found.group(1)


def enrol(session: Session, staff: StaffUser, secret: str | None = None) -> str:
    staff.totp_secret = secret or pyotp.random_base32()
    staff.totp_enrolled_at = utc_now()
    session.flush()
    return staff.totp_secret


def sign_in(client: TestClient, session: Session, staff: StaffUser) -> None:
    """Password, then the current TOTP code: a console session for ``staff``."""
    secret = staff.totp_secret or enrol(session, staff)
    token = csrf(client, "/console/sign-in")
    first = client.post(
        "/console/sign-in",
        data={"csrf_token": token, "username": staff.username, "password": PASSWORD},
        follow_redirects=False,
    )
    assert first.status_code == 303, first.text
    assert first.headers["location"] == "/console/two-factor"
    token = csrf(client, "/console/two-factor")
    done = client.post(
        "/console/two-factor",
        data={"csrf_token": token, "code": pyotp.TOTP(secret).at(time.time())},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def lang_attrs(html: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', html)
    assert found
    return found.group(1), found.group(2)
