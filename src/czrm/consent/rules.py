"""The contact decision as pure logic: no database, no clock.

Service updates about a person's own request (``service_updates``) and work
on their case (``casework``) rest on public task: they are sent unless the
person objected, processing is restricted, or they opted out of the channel.
Every other purpose (consultations, events, anything promotional) needs a
consent given for that purpose, on that channel or on all channels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from czrm.consent.models import ConsentKind, ConsentRecord, ContactChannel

PUBLIC_TASK_PURPOSES = frozenset({"service_updates", "casework"})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def in_force(records: Iterable[ConsentRecord]) -> list[ConsentRecord]:
    """The newest record per (kind, purpose, channel), keeping only the active ones."""
    latest: dict[tuple[str, str | None, str | None], ConsentRecord] = {}
    for rec in sorted(records, key=lambda r: (r.recorded_at, r.id or 0)):
        latest[(rec.kind, rec.purpose, rec.channel)] = rec
    return [rec for rec in latest.values() if rec.active]


def _covers(rec: ConsentRecord, purpose: str, channel: ContactChannel) -> bool:
    return rec.purpose in (None, purpose) and rec.channel in (None, channel)


def decide(records: Iterable[ConsentRecord], purpose: str, channel: ContactChannel) -> Decision:
    standing = [r for r in in_force(records) if _covers(r, purpose, channel)]
    kinds = {r.kind for r in standing}
    if ConsentKind.RESTRICTION in kinds:
        return Decision(False, f"processing for {purpose} is restricted")
    if ConsentKind.OBJECTION in kinds:
        return Decision(False, f"the person objected to {purpose}")
    if ConsentKind.OPT_OUT in kinds:
        return Decision(False, f"the person opted out of {channel} contact")
    if purpose in PUBLIC_TASK_PURPOSES:
        return Decision(True, "public task")
    if ConsentKind.CONSENT in kinds:
        return Decision(True, "consent given")
    return Decision(False, f"no consent for {purpose} by {channel}")
