"""Who looked at a person's data: written with every read, shown to the person.

A row is written in the reader's transaction, so a read that fails leaves no
row and a row always means data left the database. A covert purpose's rows are
hidden from the person until ``disclose_after``; then they show with the
reason they were withheld.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from czrm.auth.subject import Subject
from czrm.errors import Forbidden
from czrm.kit.i18n import N_
from czrm.kit.time import utc_now
from czrm.people import repository as people_repository
from czrm.privacy import repository
from czrm.privacy.categories import DESCRIPTIONS, DataCategory
from czrm.privacy.models import ARTICLE_6, AccessAction, AccessLogEntry, LawfulBasis
from czrm.privacy.policy import Grant, grant_for


def log_access(
    session: Session,
    grant: Grant,
    person_ids: Iterable[uuid.UUID],
    *,
    action: AccessAction,
    what: str,
    categories: Iterable[DataCategory],
) -> int:
    """One row per person read; returns how many were written."""
    now = utc_now()
    disclose_after = None
    if grant.covert:
        disclose_after = now + timedelta(days=grant.disclosure_delay_days or 0)
    shown = sorted({c.value for c in categories})
    rows = [
        {
            "jurisdiction_id": grant.subject.jurisdiction_id,
            "person_id": person_id,
            "occurred_at": now,
            "staff_id": grant.subject.staff_id,
            "reader": grant.subject.display_name[:200],
            "departments": list(grant.department_codes),
            "purpose_code": grant.purpose_code,
            "lawful_basis": grant.lawful_basis,
            "categories": shown,
            "action": action.value,
            "what": what[:200],
            "covert": grant.covert,
            "disclose_after": disclose_after,
            "covert_reason": grant.covert_reason,
        }
        for person_id in dict.fromkeys(person_ids)
    ]
    if rows:
        # Core, on the session's connection: the rows are never read back as
        # objects in this transaction, so the ORM's bulk bookkeeping is skipped.
        session.connection().execute(insert(cast(Table, AccessLogEntry.__table__)), rows)
    return len(rows)


ACTION_TEXT = {
    AccessAction.VIEWED: N_("looked at your record"),
    AccessAction.LISTED: N_("found you in a search"),
    AccessAction.CASE_READ: N_("opened a request you made"),
    AccessAction.REVIEWED: N_("checked which records are yours"),
    AccessAction.EXPORTED: N_("prepared a copy of your data"),
}


def record_read(
    session: Session,
    subject: Subject,
    purpose: str | None,
    person_ids: Iterable[uuid.UUID | None],
    *,
    categories: Iterable[DataCategory],
    what: str,
    action: AccessAction = AccessAction.VIEWED,
) -> Grant:
    """For a read that shows whole categories of data (interactions, messages,
    consents): the purpose must allow every one of them (403 naming what it
    does not allow), and each person shown gets an access-log row."""
    grant = grant_for(session, subject, purpose)
    wanted = sorted(set(categories))
    refused = [c.value for c in wanted if not grant.allows(c)]
    if refused:
        raise Forbidden(
            f"the purpose {grant.purpose_code} does not allow reading {', '.join(refused)}"
        )
    shown = [p for p in person_ids if p is not None]
    log_access(session, grant, shown, action=action, what=what, categories=wanted)
    return grant


def _who(entry: AccessLogEntry, names: dict[str, str]) -> str:
    if not entry.departments:
        return "Council staff"
    return ", ".join(names.get(code, code.title()) for code in entry.departments)


def access_log_for_citizen(
    session: Session, person_id: uuid.UUID, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Display-ready rows for the person's own page, newest first.

    Shows the department (not the officer's name), the purpose and its lawful
    basis, what was seen; covert reads only once disclosed, then with why they
    were hidden and until when.
    """
    moment = now or utc_now()
    ids = [person_id, *people_repository.absorbed_into(session, person_id)]
    _, entries = repository.access_entries(session, ids, visible_at=moment)
    if not entries:
        return []
    jurisdiction_id = entries[0].jurisdiction_id
    names = repository.department_names(session, jurisdiction_id)
    purposes = repository.purposes(session, jurisdiction_id)
    rows = []
    for entry in entries:
        purpose = purposes.get(entry.purpose_code)
        rows.append(
            {
                "at": entry.occurred_at,
                "action": entry.action,
                "basis": entry.lawful_basis,
                "categories": list(entry.categories),
                "hidden_until": entry.disclose_after if entry.covert else None,
                "covert_reason": entry.covert_reason if entry.covert else None,
                "when": entry.occurred_at.isoformat(),
                "when_text": entry.occurred_at.strftime("%d %B %Y at %H:%M UTC"),
                "who": _who(entry, names),
                "did": ACTION_TEXT.get(AccessAction(entry.action), entry.action),
                "what": entry.what,
                "purpose": purpose.name if purpose else entry.purpose_code,
                "lawful_basis": ARTICLE_6.get(LawfulBasis(entry.lawful_basis), entry.lawful_basis),
                "data": [DESCRIPTIONS[DataCategory(c)] for c in entry.categories],
                "covert_note": _covert_note(entry) if entry.covert else None,
            }
        )
    return rows


def _covert_note(entry: AccessLogEntry) -> str:
    until = entry.disclose_after.strftime("%d %B %Y") if entry.disclose_after else "now"
    reason = entry.covert_reason or "telling you earlier could have prejudiced an investigation"
    return f"Hidden from you until {until}: {reason}"


def staff_row(entry: AccessLogEntry) -> dict[str, Any]:
    """The full entry, for the DPO: who exactly, and whether the person can see it yet."""
    now = utc_now()
    return {
        "id": entry.id,
        "person_id": entry.person_id,
        "occurred_at": entry.occurred_at,
        "staff_id": entry.staff_id,
        "reader": entry.reader,
        "departments": entry.departments,
        "purpose": entry.purpose_code,
        "lawful_basis": entry.lawful_basis,
        "categories": entry.categories,
        "action": entry.action,
        "what": entry.what,
        "covert": entry.covert,
        "disclose_after": entry.disclose_after,
        "visible_to_person": entry.disclose_after is None or entry.disclose_after <= now,
    }
