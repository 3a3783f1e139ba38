"""The console's second factor: time-based one-time passwords (RFC 6238).

A member of staff enrols by scanning a QR code (or typing the secret) shown
once, and confirms with a first code; only then does the secret count. Each
code works once (the last used time step is kept), one step of clock drift is
allowed either way, and ten single-use recovery codes (stored as digests) let
someone in who has lost their device.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.models import StaffUser
from czrm.auth.subject import Actor
from czrm.config import get_settings
from czrm.errors import Conflict, FieldError, ValidationFailed
from czrm.kit.time import utc_now

ISSUER = "czrm"
RECOVERY_CODES = 10
# The published secret of the demo council's fixed logins (never in production).
DEMO_SECRET = "CZRMDEMOCZRMDEMOCZRMDEMOCZRMDEMO"  # noqa: S105 - published for the demo


def _actor(staff: StaffUser) -> Actor:
    return Actor("staff", str(staff.id), staff.display_name)


def _digest(code: str) -> str:
    key = get_settings().secret_key.encode()
    normalised = code.replace("-", "").replace(" ", "").lower()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(staff: StaffUser, secret: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=staff.username, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code as an inline SVG document (no image request, no script)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff"))


def is_enrolled(staff: StaffUser) -> bool:
    return bool(staff.totp_secret and staff.totp_enrolled_at)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret)
    cleaned = code.replace(" ", "")
    if not (cleaned.isdigit() and len(cleaned) == totp.digits):
        return None
    step = int(now) // totp.interval
    for candidate in (step, step - 1, step + 1):
        expected = totp.generate_otp(candidate)
        if hmac.compare_digest(expected, cleaned):
            return candidate
    return None


def confirm_enrolment(
    session: Session, staff: StaffUser, secret: str, code: str, *, now: float | None = None
) -> list[str]:
    """Make ``secret`` the staff member's second factor once ``code`` proves they hold it;
    returns the recovery codes, shown once."""
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None:
        raise ValidationFailed([FieldError("code", "the code does not match", code="mismatch")])
    recovery = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    staff.totp_secret = secret
    staff.totp_enrolled_at = utc_now()
    staff.totp_last_step = step
    staff.totp_recovery_digests = [_digest(c) for c in recovery]
    session.flush()
    record(
        session,
        _actor(staff),
        action="totp_enrolled",
        entity_type="staff_user",
        entity_id=staff.id,
        jurisdiction_id=staff.jurisdiction_id,
    )
    return recovery


def verify(session: Session, staff: StaffUser, code: str, *, now: float | None = None) -> bool:
    """True once per valid code (a replayed or old code fails), or for an unused
    recovery code, which is then spent."""
    if not is_enrolled(staff) or staff.totp_secret is None:
        return False
    step = _matching_step(staff.totp_secret, code, time.time() if now is None else now)
    if step is not None:
        if staff.totp_last_step is not None and step <= staff.totp_last_step:
            return False
        staff.totp_last_step = step
        session.flush()
        return True
    digest = _digest(code)
    remaining = list(staff.totp_recovery_digests or [])
    if any(hmac.compare_digest(digest, d) for d in remaining):
        staff.totp_recovery_digests = [d for d in remaining if d != digest]
        session.flush()
        record(
            session,
            _actor(staff),
            action="totp_recovery_code_used",
            entity_type="staff_user",
            entity_id=staff.id,
            jurisdiction_id=staff.jurisdiction_id,
            details={"remaining": len(staff.totp_recovery_digests)},
        )
        return True
    return False


def reset(session: Session, actor: Actor, staff: StaffUser) -> None:
    """An administrator clears a lost second factor; the staff member enrols again."""
    if not is_enrolled(staff):
        raise Conflict("this account has no second factor to reset", code="not_enrolled")
    staff.totp_secret = None
    staff.totp_enrolled_at = None
    staff.totp_last_step = None
    staff.totp_recovery_digests = []
    session.flush()
    record(
        session,
        actor,
        action="totp_reset",
        entity_type="staff_user",
        entity_id=staff.id,
        jurisdiction_id=staff.jurisdiction_id,
    )


def enrol_demo(session: Session, staff: StaffUser) -> None:
    """The demo council's fixed logins share the published ``DEMO_SECRET``."""
    if get_settings().environment == "production":
        raise Conflict("the demo second factor is refused in production", code="demo_refused")
    staff.totp_secret = DEMO_SECRET
    staff.totp_enrolled_at = utc_now()
    staff.totp_last_step = None
    staff.totp_recovery_digests = []
    session.flush()
