"""Who is using the console: the staff member whose signed-in session this is.

A session counts only after the second factor; until then it holds a pending
sign-in that opens nothing but the two-factor pages.
"""

from __future__ import annotations

import uuid

from fastapi import Request
from sqlalchemy.orm import Session

from czrm.auth.models import StaffUser
from czrm.auth.service import subject_for
from czrm.auth.subject import Permission, Subject
from czrm.errors import NotAuthenticated
from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.org import service as org

STAFF_KEY = "staff"
PENDING_KEY = "staff_pending"
ENROL_KEY = "totp_enrol"
# The administration sections and who may use them; the console's Admin
# navigation shows a member of staff only their own.
ADMIN_SECTIONS: tuple[tuple[str, str, Permission], ...] = (
    ("/console/admin/services", N_("Services"), Permission.SERVICES_ADMIN),
    ("/console/admin/teams", N_("Teams and areas"), Permission.STAFF_ADMIN),
    ("/console/admin/staff", N_("Staff"), Permission.STAFF_ADMIN),
    ("/console/admin/api-keys", N_("API keys"), Permission.SERVICES_ADMIN),
    ("/console/admin/purposes", N_("Purposes register"), Permission.PRIVACY_ADMIN),
    ("/console/admin/jobs", N_("Jobs"), Permission.JOBS_ADMIN),
    ("/console/admin/audit", N_("Audit log"), Permission.AUDIT_READ),
)


def theme_for_staff(session: Session, staff: StaffUser) -> pages.Theme:
    info = next((j for j in org.jurisdictions(session) if j.id == staff.jurisdiction_id), None)
    if info is None:
        return pages.NEUTRAL_THEME
    return pages.Theme(
        name=info.name,
        slug=info.slug,
        timezone=info.timezone,
        contact_phone=info.contact_phone,
        contact_email=info.contact_email,
    )


def _active(session: Session, raw: object) -> StaffUser | None:
    try:
        staff_id = uuid.UUID(str(raw))
    except ValueError:
        return None
    staff = session.get(StaffUser, staff_id)
    return staff if staff is not None and staff.is_active else None


def console_subject(request: Request, session: Session) -> Subject:
    """The signed-in staff member (second factor passed), else 401 → the sign-in page."""
    staff = _active(session, request.session.get(STAFF_KEY))
    if staff is None:
        request.session.pop(STAFF_KEY, None)
        raise NotAuthenticated("sign in to the console")
    request.state.theme = theme_for_staff(session, staff)
    request.state.staff_name = staff.display_name
    pages.language_of(request)
    subject = subject_for(session, staff)
    request.state.admin_sections = [
        (href, label) for href, label, permission in ADMIN_SECTIONS if subject.can(permission)
    ]
    return subject


def pending_staff(request: Request, session: Session) -> StaffUser:
    """The member of staff who gave the right password and owes a second factor."""
    staff = _active(session, request.session.get(PENDING_KEY))
    if staff is None:
        raise NotAuthenticated("sign in to the console")
    request.state.theme = theme_for_staff(session, staff)
    pages.language_of(request)
    return staff
