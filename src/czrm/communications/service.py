"""Queueing messages to citizens.

A message is rendered and queued in the transaction of the change that
caused it (the job row commits or rolls back with the change), in the
person's language, on the channel that suits them, or held for their digest.
Consent is asked now and again at send time. Delivery is in ``delivery``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from email.utils import parseaddr
from typing import Any, Literal

from sqlalchemy.orm import Session

from czrm.auth.subject import Permission, Subject
from czrm.cases.models import Case, CaseStatus
from czrm.catalogue.localise import localised
from czrm.catalogue.models import Service
from czrm.communications import providers, render, repository, workflow
from czrm.communications.models import Message, MessageStatus
from czrm.communications.repository import MessageFilters
from czrm.config import get_settings
from czrm.consent.models import ContactChannel, ContactPreference, DigestFrequency
from czrm.consent.service import consent_service
from czrm.errors import Conflict, NotFound
from czrm.interactions.models import Direction, Interaction, InteractionChannel
from czrm.interactions.service import NewInteraction, interaction_service
from czrm.jobs.service import enqueue
from czrm.kit.pagination import PageParams
from czrm.kit.time import utc_now
from czrm.org import service as org
from czrm.people import repository as people_repository
from czrm.people.models import CommunicationNeeds, ContactKind, Party

SERVICE_UPDATES = "service_updates"
RATED_OUTCOMES = frozenset({CaseStatus.FIXED, CaseStatus.CLOSED, CaseStatus.NO_FURTHER_ACTION})


def new_key() -> str:
    """A Message-ID that is also the message's key everywhere else."""
    domain = parseaddr(get_settings().mail_from)[1].rpartition("@")[2] or "czrm.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def note_history(message: Message, status: MessageStatus, detail: str | None = None) -> None:
    entry: dict[str, Any] = {"status": str(status), "at": utc_now().isoformat()}
    if detail:
        entry["detail"] = detail[:500]
    message.history = [*message.history, entry]
    message.status = status
    message.updated_at = utc_now()


def reach_of(
    session: Session,
    person: Party,
    needs: CommunicationNeeds | None | Literal["load"] = "load",
    prefs: ContactPreference | None = None,
) -> workflow.Reach:
    """How the person can be reached; pass ``needs`` and ``prefs`` when already read."""
    if needs == "load":
        needs = people_repository.needs(session, person.id)
    prefs = prefs or consent_service.preferences(session, person.id)
    now = utc_now()
    points = [
        c
        for c in people_repository.contact_points(session, [person.id])
        if c.valid_to is None or c.valid_to > now
    ]
    first = {kind: next((c.value for c in points if c.kind == kind), None) for kind in ContactKind}
    # Without a stated channel, the one kind of contact point the person marked
    # preferred (the portal's "how should we contact you") decides.
    marked = {str(c.kind) for c in points if c.preferred}
    preferred = str(prefs.preferred_channel) if prefs.preferred_channel else None
    if preferred is None and len(marked) == 1:
        preferred = {"email": "email", "phone": "sms", "postal": "letter"}.get(marked.pop())
    return workflow.Reach(
        email=first[ContactKind.EMAIL],
        phone=first[ContactKind.PHONE],
        postal=first[ContactKind.POSTAL],
        preferred=preferred,
        digitally_excluded=bool(needs and needs.digitally_excluded),
        prefers_human=bool(needs and needs.prefers_human),
    )


class CommunicationService:
    # ----- queueing -------------------------------------------------------------
    def case_event(
        self, session: Session, case: Case, event: str, *, note: str | None = None
    ) -> Message | None:
        """Tell the requester about a change to their case (nothing if anonymous)."""
        if case.requester_id is None:
            return None
        person = session.get(Party, case.requester_id)
        if person is None:
            return None
        settings = get_settings()
        base = settings.public_base_url.rstrip("/")
        service = session.get(Service, case.service_id)
        reference = case.reference
        context = {
            "reference": reference,
            "status_code": str(case.status),
            "note": note or "",
            "track_url": f"{base}/requests/{reference}",
            "rate_url": f"{base}/requests/{reference}/rate"
            if event == "closed" and case.status in RATED_OUTCOMES
            else "",
        }

        def in_language(language: str) -> dict[str, Any]:
            return {"service": localised(service, language).name if service else ""}

        return self.queue(
            session,
            person,
            event=event,
            purpose=SERVICE_UPDATES,
            case=case,
            context=context,
            in_language=in_language,
        )

    def queue(
        self,
        session: Session,
        person: Party,
        *,
        event: str,
        purpose: str,
        context: dict[str, Any],
        case: Case | None = None,
        may_hold: bool = True,
        in_language: Callable[[str], dict[str, Any]] | None = None,
    ) -> Message:
        """Render and queue one message; ``may_hold`` false sends it now even for a
        person on a digest (the digest itself). ``in_language`` gives the context's
        words that depend on the recipient's language (the service's name)."""
        now = utc_now()
        jurisdiction = org.jurisdiction_info(session, person.jurisdiction_id)
        needs = people_repository.needs(session, person.id)
        prefs = consent_service.preferences(session, person.id)
        reach = reach_of(session, person, needs, prefs)
        language = render.language_for(needs.language if needs else None, person.preferred_language)
        carriers = providers.available(session, person.jurisdiction_id)
        route = workflow.choose_route(reach, set(carriers))
        channel = route.channel if route else "none"
        rendered = render.render(
            event,
            language,
            {
                "name": person.display_name,
                "council": jurisdiction.name,
                "status": render.status_label(str(context.get("status_code", "")), language),
                **context,
                **(in_language(language) if in_language else {}),
            },
        )
        message = Message(
            jurisdiction_id=person.jurisdiction_id,
            person_id=person.id,
            case_id=case.id if case else None,
            event=event,
            purpose=purpose,
            channel=channel,
            provider=carriers.get(channel, "staff" if channel == "phone" else "none"),
            language=language,
            recipient=route.recipient if route else "",
            subject=rendered.subject,
            body=rendered.sms if channel == "sms" else rendered.body,
            key=new_key(),
            status=MessageStatus.QUEUED,
            attempts=0,
            created_at=now,
            updated_at=now,
            history=[],
        )
        decision = (
            consent_service.may_contact(
                session, person.id, purpose=purpose, channel=ContactChannel(channel)
            )
            if route
            else None
        )
        if route is None:
            message.last_error = "no way to reach this person on a channel the council can use"
            note_history(message, MessageStatus.FAILED, message.last_error)
        elif decision is not None and not decision.allowed:
            message.last_error = decision.reason
            note_history(message, MessageStatus.SUPPRESSED, decision.reason)
        elif channel == "phone":
            note_history(message, MessageStatus.CALL_TASK, "the person prefers a human: phone them")
        elif may_hold and prefs.digest != DigestFrequency.REALTIME:
            message.digest_due_at = workflow.digest_due(now, jurisdiction.timezone, prefs.digest)
            note_history(message, MessageStatus.HELD, f"for the {prefs.digest} digest")
        else:
            note_history(message, MessageStatus.QUEUED)
        session.add(message)
        session.flush()
        if message.status == MessageStatus.QUEUED:
            self._enqueue(session, message)
        return message

    def _enqueue(self, session: Session, message: Message, run_at: datetime | None = None) -> None:
        enqueue(
            session,
            "communications.deliver",
            {"message_id": message.id},
            key=f"message:{message.id}",
            run_at=run_at,
        )

    # ----- digests --------------------------------------------------------------
    def send_digests(self, session: Session, now: datetime | None = None) -> int:
        """Gather each person's held messages that are due into one digest per channel."""
        now = now or utc_now()
        held = repository.digests_due(session, now)
        groups: dict[tuple[uuid.UUID, str], list[Message]] = {}
        for message in held:
            groups.setdefault((message.person_id, message.channel), []).append(message)
        for (person_id, _channel), items in groups.items():
            person = session.get(Party, person_id)
            if person is None:
                continue
            prefs = consent_service.preferences(session, person_id)
            base = get_settings().public_base_url.rstrip("/")
            digest = self.queue(
                session,
                person,
                event="digest",
                purpose=SERVICE_UPDATES,
                context={
                    "items": [{"subject": m.subject, "body": m.body} for m in items],
                    "frequency": str(prefs.digest),
                    "track_url": f"{base}/requests",
                },
                may_hold=False,
            )
            for message in items:
                message.digest_id = digest.id
                note_history(message, MessageStatus.DIGESTED, f"in digest message {digest.id}")
        session.flush()
        return len(groups)

    # ----- delivery reports -----------------------------------------------------
    def mark_bounced(self, session: Session, key: str, detail: str) -> Message | None:
        message = repository.by_key(session, key)
        if message is None or message.status == MessageStatus.BOUNCED:
            return message
        message.last_error = detail[:2000]
        note_history(message, MessageStatus.BOUNCED, detail)
        session.flush()
        return message

    # ----- call tasks -----------------------------------------------------------
    def complete_call(
        self, session: Session, subject: Subject, message_id: int, *, summary: str, outcome: str
    ) -> tuple[Message, Interaction]:
        """Staff phoned a person instead of writing: the call is logged as an outbound
        interaction and the message counts as delivered by hand."""
        subject.require(Permission.INTERACTIONS_CREATE)
        message = self.get(session, subject, message_id)
        if message.status != MessageStatus.CALL_TASK:
            raise Conflict(
                f"message {message_id} is {message.status}, not a call to make", code="not_a_call"
            )
        case = session.get(Case, message.case_id) if message.case_id else None
        interaction = interaction_service.add(
            session,
            subject.actor,
            NewInteraction(
                jurisdiction_id=message.jurisdiction_id,
                channel=InteractionChannel.PHONE,
                direction=Direction.OUTBOUND,
                summary=summary.strip(),
                subject=message.subject,
                person_id=message.person_id,
                staff_id=subject.staff_id,
                case=case,
                outcome=outcome,
                data={"message_id": message.id},
            ),
        )
        message.sent_at = utc_now()
        note_history(
            message, MessageStatus.DELIVERED, f"phoned by {subject.display_name}: {outcome}"
        )
        session.flush()
        return message, interaction

    # ----- staff reads ----------------------------------------------------------
    def search(
        self, session: Session, subject: Subject, filters: MessageFilters, paging: PageParams
    ) -> tuple[int, list[Message]]:
        subject.require(Permission.MESSAGES_READ)
        total, rows = repository.page(
            session,
            repository.search_statement(subject, filters),
            offset=paging.offset,
            limit=paging.page_size,
        )
        return total, list(rows)

    def get(self, session: Session, subject: Subject, message_id: int) -> Message:
        subject.require(Permission.MESSAGES_READ)
        found = session.scalars(
            repository.readable_statement(subject).where(Message.id == message_id)
        ).first()
        if found is None:
            raise NotFound("message", message_id)
        return found

    def timeline_entries(self, session: Session, case_id: int) -> list[dict[str, Any]]:
        """The case's messages as timeline entries (the caller has already read the case)."""
        return [
            {
                "id": m.id,
                "occurred_at": m.created_at,
                "body": m.subject,
                "data": {
                    "message_id": m.id,
                    "event": m.event,
                    "channel": m.channel,
                    "language": m.language,
                    "status": str(m.status),
                    "history": m.history,
                },
            }
            for m in repository.for_case(session, case_id)
        ]


communication_service = CommunicationService()
