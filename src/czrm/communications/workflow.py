"""Pure choices about a message: which channel, and when a digest goes. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DIGEST_HOUR = time(8, 0)


@dataclass(frozen=True)
class Reach:
    """What is known about reaching one person."""

    email: str | None = None
    phone: str | None = None
    postal: str | None = None
    preferred: str | None = None  # email | sms | letter | phone
    digitally_excluded: bool = False
    prefers_human: bool = False


@dataclass(frozen=True)
class Route:
    channel: str  # email | sms | letter | phone (a call task for staff)
    recipient: str


def choose_route(reach: Reach, available: set[str]) -> Route | None:
    """The channel a message takes, or None when the person cannot be reached.

    Someone who prefers a human is phoned by staff (a call task), or written
    to when there is no number; someone digitally excluded gets a letter, or
    a call when no letter can be sent. Everyone else gets their preferred
    channel when it can be used, then e-mail, SMS, letter, in that order, and
    a call task when only a phone number is known and no SMS can be sent.
    """
    letter = Route("letter", reach.postal) if reach.postal and "letter" in available else None
    call = Route("phone", reach.phone) if reach.phone else None
    if reach.prefers_human:
        return call or letter
    if reach.digitally_excluded:
        return letter or call
    options = {
        "email": Route("email", reach.email) if reach.email and "email" in available else None,
        "sms": Route("sms", reach.phone) if reach.phone and "sms" in available else None,
        "letter": letter,
        "phone": call,
    }
    order = ["email", "sms", "letter", "phone"]
    if reach.preferred in options:
        order.insert(0, reach.preferred)
    for channel in order:
        if options[channel] is not None:
            return options[channel]
    return None


def digest_due(now: datetime, timezone: str, frequency: str) -> datetime:
    """The next 08:00 local time (daily), or the next Monday's 08:00 (weekly)."""
    local = now.astimezone(ZoneInfo(timezone))
    candidate = datetime.combine(local.date(), DIGEST_HOUR, tzinfo=local.tzinfo)
    if candidate <= local:
        candidate += timedelta(days=1)
    if frequency == "weekly":
        candidate += timedelta(days=(7 - candidate.weekday()) % 7)
    return candidate.astimezone(now.tzinfo)
