"""Templates and the pure choices about a message: no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from czrm.communications.render import EVENTS, LANGUAGES, STATUS_LABELS, language_for, render
from czrm.communications.workflow import Reach, Route, choose_route, digest_due

CONTEXT = {
    "name": "Ann Smith",
    "council": "Northmere City Council",
    "reference": "SR-2026-000123",
    "service": "Pothole",
    "status": "fixed",
    "status_code": "fixed",
    "note": "Filled on Tuesday.",
    "track_url": "https://council.example/requests/SR-2026-000123",
    "rate_url": "https://council.example/requests/SR-2026-000123/rate",
    "items": [{"subject": "One", "body": "First update"}],
    "frequency": "daily",
}
ENGLISH_WORDS = {"Dear", "request", "Thank", "progress", "reopened", "summary"}


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_event_renders_in_every_language(event: str, language: str) -> None:
    rendered = render(event, language, CONTEXT)
    assert rendered.subject and "\n" not in rendered.subject
    assert rendered.body and rendered.sms
    if event != "digest":
        assert "SR-2026-000123" in rendered.subject


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("language", ["cy", "ar"])
def test_welsh_and_arabic_are_translations_not_copies(event: str, language: str) -> None:
    english = render(event, "en", CONTEXT)
    other = render(event, language, CONTEXT)
    assert other.subject != english.subject and other.body != english.body
    words = set(other.body.replace(",", " ").replace(".", " ").split())
    assert not words & ENGLISH_WORDS
    if language == "ar":
        assert any("\u0600" <= ch <= "\u06ff" for ch in other.subject)


def test_the_closure_message_links_to_the_rating_page_only_when_given() -> None:
    assert CONTEXT["rate_url"] in render("closed", "cy", CONTEXT).body
    assert "/rate" not in render("closed", "en", {**CONTEXT, "rate_url": ""}).body


def test_status_labels_exist_for_every_language() -> None:
    assert STATUS_LABELS["en"].keys() == STATUS_LABELS["cy"].keys() == STATUS_LABELS["ar"].keys()


def test_missing_context_is_an_error_not_a_blank() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        render("request_received", "en", {"name": "Ann"})


@pytest.mark.parametrize(
    ("candidates", "language"),
    [(("cy-GB", "en"), "cy"), ((None, "ar"), "ar"), (("fr", "pl"), "en"), ((None, None), "en")],
)
def test_language_choice(candidates: tuple[str | None, str | None], language: str) -> None:
    assert language_for(*candidates) == language


EVERY = {"email", "sms", "letter"}


@pytest.mark.parametrize(
    ("reach", "available", "route"),
    [
        (Reach(email="a@x.org", phone="+4477"), EVERY, Route("email", "a@x.org")),
        (Reach(email="a@x.org", phone="+4477", preferred="sms"), EVERY, Route("sms", "+4477")),
        (
            Reach(email="a@x.org", phone="+4477", preferred="sms"),
            {"email"},
            Route("email", "a@x.org"),
        ),
        (Reach(phone="+4477"), {"email"}, Route("phone", "+4477")),
        (
            Reach(email="a@x.org", postal="1 High St", digitally_excluded=True),
            EVERY,
            Route("letter", "1 High St"),
        ),
        (
            Reach(email="a@x.org", phone="+4477", digitally_excluded=True),
            {"email"},
            Route("phone", "+4477"),
        ),
        (Reach(email="a@x.org", phone="+4477", prefers_human=True), EVERY, Route("phone", "+4477")),
        (
            Reach(email="a@x.org", postal="1 High St", prefers_human=True),
            EVERY,
            Route("letter", "1 High St"),
        ),
        (Reach(), EVERY, None),
        (Reach(email="a@x.org", prefers_human=True), EVERY, None),
    ],
)
def test_channel_choice(reach: Reach, available: set[str], route: Route | None) -> None:
    assert choose_route(reach, available) == route


def test_digests_go_at_eight_local_time() -> None:
    # 21:30 UTC on Wednesday 1 July 2026 is 22:30 in London (BST).
    now = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)
    assert digest_due(now, "Europe/London", "daily") == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)
    assert digest_due(now, "Europe/London", "weekly") == datetime(2026, 7, 6, 7, 0, tzinfo=UTC)
    early = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)  # a Monday, 06:00 GMT
    assert digest_due(early, "Europe/London", "weekly") == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
