"""The contact decision, as pure logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from czrm.consent.models import ConsentKind, ConsentRecord, ContactChannel
from czrm.consent.rules import decide, in_force

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
EMAIL, SMS = ContactChannel.EMAIL, ContactChannel.SMS


def rec(
    kind: ConsentKind,
    purpose: str | None,
    channel: ContactChannel | None = None,
    *,
    active: bool = True,
    minutes: int = 0,
    n: int = 0,
) -> ConsentRecord:
    return ConsentRecord(
        id=n or minutes + 1,
        kind=kind,
        purpose=purpose,
        channel=channel,
        active=active,
        source="portal",
        recorded_at=T0 + timedelta(minutes=minutes),
    )


def test_service_updates_rest_on_public_task() -> None:
    assert decide([], "service_updates", EMAIL).allowed
    assert decide([], "service_updates", EMAIL).reason == "public task"


def test_promotional_purposes_need_consent_on_that_channel_or_all() -> None:
    assert (
        decide([], "marketing_events", EMAIL).reason == "no consent for marketing_events by email"
    )
    by_sms = [rec(ConsentKind.CONSENT, "marketing_events", SMS)]
    assert not decide(by_sms, "marketing_events", EMAIL).allowed
    assert decide(by_sms, "marketing_events", SMS).allowed
    everywhere = [rec(ConsentKind.CONSENT, "marketing_events")]
    assert decide(everywhere, "marketing_events", EMAIL).reason == "consent given"


def test_the_newest_statement_wins() -> None:
    history = [
        rec(ConsentKind.CONSENT, "consultation", minutes=0),
        rec(ConsentKind.CONSENT, "consultation", active=False, minutes=5),
    ]
    assert not decide(history, "consultation", EMAIL).allowed
    history.append(rec(ConsentKind.CONSENT, "consultation", minutes=9))
    assert decide(history, "consultation", EMAIL).allowed
    assert [r.recorded_at for r in in_force(history)] == [T0 + timedelta(minutes=9)]


def test_objections_restrictions_and_opt_outs_override_public_task() -> None:
    objection = [rec(ConsentKind.OBJECTION, "service_updates")]
    assert (
        decide(objection, "service_updates", EMAIL).reason
        == "the person objected to service_updates"
    )
    restriction = [rec(ConsentKind.RESTRICTION, "casework")]
    assert decide(restriction, "casework", SMS).reason == "processing for casework is restricted"
    sms_off = [rec(ConsentKind.OPT_OUT, None, SMS)]
    assert not decide(sms_off, "service_updates", SMS).allowed
    assert decide(sms_off, "service_updates", EMAIL).allowed
    lifted = [*sms_off, rec(ConsentKind.OPT_OUT, None, SMS, active=False, minutes=1)]
    assert decide(lifted, "service_updates", SMS).allowed


def test_an_opt_out_beats_a_consent() -> None:
    records = [
        rec(ConsentKind.CONSENT, "marketing_events"),
        rec(ConsentKind.OPT_OUT, "marketing_events", EMAIL, minutes=1),
    ]
    assert (
        decide(records, "marketing_events", EMAIL).reason == "the person opted out of email contact"
    )
    assert decide(records, "marketing_events", SMS).allowed
