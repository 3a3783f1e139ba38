"""Synthetic cases with consistent timelines, as rows ready for Core inserts.

Each case gets a planned life (a path of statuses spread over business time,
scaled to its service's SLA), which is then cut at ``now``: what has not
happened yet is dropped, and the case's status, timestamps, SLA fields and
assignee follow from what is left. Old cases are therefore mostly closed and
recent ones mostly open, without a separate rule for it.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import numpy as np
import shapely

from czrm.cases import workflow
from czrm.seed.answers import answers
from czrm.seed.names import LANDMARKS
from czrm.seed.texts import INTERNAL_NOTES, PUBLIC_UPDATES, SUB_STATUSES
from czrm.seed.world import JITTER_LAT, JITTER_LONG, ServiceInfo, StaffInfo, Street, TeamInfo, World

# The case workflow's closed statuses, as plain strings.
CLOSED_STATUSES = frozenset(str(s) for s in workflow.CLOSED)
CHANNELS: tuple[tuple[str, float], ...] = (
    ("web", 0.45),
    ("phone", 0.25),
    ("app", 0.10),
    ("open311", 0.05),
    ("email", 0.10),
    ("walk_in", 0.05),
)
# Logged by a contact-centre agent on the resident's behalf.
ASSISTED_CHANNELS = frozenset({"phone", "walk_in", "email"})
# Self-service reports by hour of day (local time).
HOUR_WEIGHTS = (
    0.6, 0.4, 0.3, 0.2, 0.2, 0.4, 1.2, 3.0, 5.5, 6.5, 6.5, 6.0,
    6.0, 5.8, 5.5, 5.2, 5.0, 5.2, 5.5, 5.5, 4.8, 3.8, 2.4, 1.2,
)  # fmt: skip
OUTCOMES: tuple[tuple[str, float], ...] = (
    ("fixed", 0.55),
    ("closed", 0.17),
    ("no_further_action", 0.09),
    ("duplicate", 0.06),
    ("not_responsible", 0.05),
    ("cancelled", 0.03),
    ("internal_referral", 0.02),
)
QUICK_OUTCOMES = frozenset({"duplicate", "not_responsible", "cancelled", "internal_referral"})
# How departments keep to their SLAs: a multiplier on time to resolve.
DEPARTMENT_PACE = {"WASTE": 0.8, "HOUSING": 1.25, "ENV_HEALTH": 1.15, "PARKS": 1.1}
ANONYMOUS_SHARE = 0.22
REOPEN_SHARE = 0.04
WAIT_SHARE = 0.10
STUCK_SHARE = 0.03
PUBLIC_UPDATE_CHANCE = {
    "acknowledged": 0.45,
    "investigating": 0.15,
    "in_progress": 0.15,
    "action_scheduled": 0.5,
    "waiting_on_citizen": 0.95,
    "reopened": 0.8,
}
TERMINAL_UPDATE_CHANCE = 0.75
MEDIA_SHARE = 0.3
SYSTEM_LABEL = "czrm"  # czrm.auth.subject.SYSTEM's label
_RESUMABLE = frozenset({"investigating", "in_progress", "action_scheduled"})
# Draws by position: 60% of worked cases get no internal note, 32% one, 8% two.
_NOTE_COUNTS = (0,) * 15 + (1,) * 8 + (2,) * 2
_PRIORITIES = ("normal",) * 41 + ("high",) * 5 + ("low",) * 4


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class _Draft:
    """A case after the first pass: what, where, by whom."""

    id: int
    opened: float
    channel: str
    service: ServiceInfo
    requester_id: uuid.UUID | None
    street: Street | None
    lat: float | None
    long: float | None
    team: TeamInfo | None = None


class _Event(NamedTuple):
    ts: float
    type: str
    public: bool = False
    from_status: str | None = None
    to_status: str | None = None
    body: str | None = None
    actor_id: uuid.UUID | None = None
    label: str = "czrm"
    data: dict[str, Any] = {}  # shared, never mutated


class _Sla(NamedTuple):
    status: str
    closed_at: float | None
    due: float
    paused_since: float | None
    paused_minutes: int
    breached_at: float | None
    escalated_to: uuid.UUID | None


class CaseFactory:
    def __init__(
        self,
        rng: random.Random,
        world: World,
        now: float,
        requesters: list[uuid.UUID],
        first_case_id: int,
        first_event_id: int,
    ) -> None:
        self.rng = rng
        self.world = world
        self.now = now
        self.requesters = requesters
        self.next_case_id = first_case_id
        self.next_event_id = first_event_id
        self.clock = world.clock
        self.tz = world.clock.tz
        self._channels = [c for c, _ in CHANNELS]
        self._channel_cw = _cumulative([w for _, w in CHANNELS])
        self._hour_cw = _cumulative(list(HOUR_WEIGHTS))
        self._outcomes = [o for o, _ in OUTCOMES]
        self._outcome_cw = _cumulative([w for _, w in OUTCOMES])
        self._service_cw = {
            month: _cumulative([s.weight * s.seasonal.get(month, 1.0) for s in world.services])
            for month in range(1, 13)
        }
        self._streets_by_ward: dict[str, list[Street]] = {}
        for street in world.streets:
            self._streets_by_ward.setdefault(street.ward_code, []).append(street)
        self._last_case_of_service: dict[uuid.UUID, int] = {}

    def _pick(self, items: list[Any], cumulative: list[float]) -> Any:
        i = bisect_right(cumulative, self.rng.random() * cumulative[-1])
        return items[min(i, len(items) - 1)]

    # --- When and how: the whole timeline is drawn first, then sorted, so ids
    # rise with opening time as they would in a live system.
    def opening_times(self, count: int, window_start: float) -> list[tuple[float, str]]:
        rng, clock = self.rng, self.clock
        b_low, b_high = clock.business(window_start), clock.business(self.now)
        start_day = utc(window_start).astimezone(self.tz).date()
        days = (utc(self.now).astimezone(self.tz).date() - start_day).days + 1
        midnights = [
            clock.midnight(start_day.fromordinal(start_day.toordinal() + d)) for d in range(days)
        ]
        hours = list(range(24))
        out: list[tuple[float, str]] = []
        for _ in range(count):
            channel = self._pick(self._channels, self._channel_cw)
            if channel in ("phone", "walk_in"):
                ts = clock.at(b_low + rng.random() * (b_high - b_low))
            else:
                hour = self._pick(hours, self._hour_cw)
                ts = midnights[rng.randrange(days)] + (hour + rng.random()) * 3600
            ts = min(max(ts, window_start), self.now - 60 - rng.random() * 600)
            out.append((ts, channel))
        out.sort()
        return out

    # --- First pass: service, requester and place.
    def draft(self, opened: float, channel: str) -> _Draft:
        rng = self.rng
        service: ServiceInfo = self._pick(
            self.world.services, self._service_cw[time.gmtime(opened).tm_mon]
        )
        if service.location == "none" and channel in ("app", "open311"):
            channel = "web"
        requester = None
        if self.requesters and not (service.allow_anonymous and rng.random() < ANONYMOUS_SHARE):
            requester = self.requesters[int(len(self.requesters) * rng.random() ** 1.5)]
        street = lat = long = None
        if service.location != "none":
            street = rng.choice(self.world.streets)
            lat = round(street.lat + rng.uniform(-JITTER_LAT, JITTER_LAT), 6)
            long = round(street.long + rng.uniform(-JITTER_LONG, JITTER_LONG), 6)
        case_id = self.next_case_id
        self.next_case_id += 1
        return _Draft(case_id, opened, channel, service, requester, street, lat, long)

    def route(self, drafts: list[_Draft]) -> None:
        """Team by area polygon (vectorised per batch), else the department's default."""
        pending: dict[uuid.UUID, list[_Draft]] = {}
        for d in drafts:
            d.team = self.world.default_team.get(d.service.department_id)
            if d.lat is not None and self.world.area_teams.get(d.service.department_id):
                pending.setdefault(d.service.department_id, []).append(d)
        for dept_id, group in pending.items():
            xs = np.array([d.long for d in group], dtype=float)
            ys = np.array([d.lat for d in group], dtype=float)
            unrouted = np.ones(len(group), dtype=bool)
            for team in self.world.area_teams[dept_id]:
                inside = shapely.contains_xy(team.area, xs, ys) & unrouted
                for i in np.flatnonzero(inside):
                    group[i].team = team
                unrouted &= ~inside

    # --- Second pass: the case's life, cut at now.
    def build(self, d: _Draft) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng, world, service = self.rng, self.world, d.service
        staff_pool = world.caseworkers.get(service.department_id) or []
        assignee = rng.choice(staff_pool) if staff_pool else None
        agent = None
        if d.channel in ASSISTED_CHANNELS and world.agents:
            agent = rng.choice(world.agents)
        outcome = self._pick(self._outcomes, self._outcome_cw)
        if outcome == "fixed" and not service.fixable:
            outcome = "closed"
        path = self._path(outcome)
        times = self._times(d.opened, service, outcome, len(path))
        events = self._planned_events(d, path, times, assignee, agent)
        sla = self._settle(d, path, times, events)
        events = sorted((e for e in events if e.ts <= self.now), key=lambda e: e.ts)
        assigned = any(e.type == "assigned" for e in events)
        duplicate_of = None
        if sla.status == "duplicate":
            duplicate_of = self._last_case_of_service.get(service.id)
        self._last_case_of_service[service.id] = d.id
        case_row = self._case_row(
            d,
            sla,
            assignee=assignee if assigned else None,
            agent=agent,
            updated=events[-1].ts,
            duplicate_of=duplicate_of,
        )
        event_rows = []
        for e in events:
            event_rows.append(
                {
                    "id": self.next_event_id,
                    "case_id": d.id,
                    "type": e.type,
                    "occurred_at": utc(e.ts),
                    "actor_staff_id": e.actor_id,
                    "actor_label": e.label,
                    "public": e.public,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "body": e.body,
                    "data": e.data,
                }
            )
            self.next_event_id += 1
        return case_row, event_rows

    def _planned_events(
        self,
        d: _Draft,
        path: list[str],
        times: list[float],
        assignee: StaffInfo | None,
        agent: StaffInfo | None,
    ) -> list[_Event]:
        """The whole life as planned, future included; the caller cuts it at now."""
        rng = self.rng
        opener = "Open311 client" if d.channel == "open311" else "citizen"
        events = [
            _Event(
                d.opened,
                "case_opened",
                public=True,
                to_status="new",
                actor_id=agent.id if agent else None,
                label=agent.display_name if agent else opener,
                data={"channel": d.channel},
            )
        ]
        team_name = d.team.name if d.team else "the team"
        for j, status in enumerate(path):
            # Residents withdraw their own requests and reopen them by saying
            # "it's not fixed"; staff make every other change.
            by_citizen = status in ("cancelled", "reopened")
            actor = None if by_citizen else assignee
            actor_id = actor.id if actor else None
            label = actor.display_name if actor else ("citizen" if by_citizen else SYSTEM_LABEL)
            events.append(
                _Event(
                    times[j],
                    "status_changed",
                    public=True,
                    from_status=path[j - 1] if j else "new",
                    to_status=status,
                    actor_id=actor_id,
                    label=label,
                )
            )
            if j == 0 and actor is not None:
                team_id = str(d.team.id) if d.team else None
                events.append(
                    _Event(
                        times[0] + 5,
                        "assigned",
                        actor_id=actor_id,
                        label=label,
                        data={"team_id": team_id, "assignee_id": str(actor.id)},
                    )
                )
            if status in CLOSED_STATUSES:
                chance = TERMINAL_UPDATE_CHANCE
            else:
                chance = PUBLIC_UPDATE_CHANCE.get(status, 0.0)
            if rng.random() < chance:
                gap = (times[j + 1] - times[j]) / 2 if j + 1 < len(times) else 1800.0
                body = rng.choice(PUBLIC_UPDATES.get(status) or PUBLIC_UPDATES["closed"])
                events.append(
                    _Event(
                        times[j] + min(rng.uniform(30, 900), gap),
                        "public_update",
                        public=True,
                        body=body.format(team=team_name),
                        actor_id=assignee.id if assignee else None,
                        label=assignee.display_name if assignee else SYSTEM_LABEL,
                    )
                )
        if assignee is not None:
            dept_notes = INTERNAL_NOTES.get(d.service.department_code)
            for _ in range(_NOTE_COUNTS[int(rng.random() * len(_NOTE_COUNTS))]):
                pool = dept_notes if dept_notes and rng.random() < 0.7 else INTERNAL_NOTES["*"]
                events.append(
                    _Event(
                        rng.uniform(times[0], times[-1]),
                        "internal_note",
                        body=rng.choice(pool),
                        actor_id=assignee.id,
                        label=assignee.display_name,
                    )
                )
        return events

    def _settle(self, d: _Draft, path: list[str], times: list[float], events: list[_Event]) -> _Sla:
        """Status and SLA fields as of now, as the case service would have kept
        them; adds the breach and escalation entries.

        The SLA clock stops while the case waits on the citizen: each finished
        pause adds its whole working minutes to the budget, moving the due time
        later (``czrm.kit.business_time.due_at``). A case is breached the first
        time its clock is running past the due time of that moment, and
        escalated to its team's manager then, as ``mark_breaches`` does.
        """
        clock, now = self.clock, self.now
        done = [j for j, t in enumerate(times) if t <= now]
        status = path[done[-1]] if done else "new"
        status_at = times[done[-1]] if done else d.opened
        closed_at = status_at if status in CLOSED_STATUSES else None
        until = closed_at if closed_at is not None else now
        b_budget = clock.business(d.opened) + round(d.service.sla_hours * 60) * 60
        paused_minutes = 0
        paused_since = None
        breached_at = None
        for j in done:
            if path[j] != "waiting_on_citizen":
                continue
            due = clock.at(b_budget + paused_minutes * 60)
            if breached_at is None and due < times[j]:
                breached_at = due
            if j + 1 in done:
                pause = clock.business(times[j + 1]) - clock.business(times[j])
                paused_minutes += int(pause // 60)
            else:
                paused_since = times[j]
        due = clock.at(b_budget + paused_minutes * 60)
        if breached_at is None and paused_since is None and due < until:
            breached_at = due
        escalated_to = None
        if breached_at is not None:
            events.append(
                _Event(breached_at, "sla_breached", data={"due_at": utc(breached_at).isoformat()})
            )
            manager = d.team.manager_id if d.team else None
            if manager is not None:
                escalated_to = manager
                events.append(_Event(breached_at, "escalated", data={"manager_id": str(manager)}))
        return _Sla(status, closed_at, due, paused_since, paused_minutes, breached_at, escalated_to)

    def _path(self, outcome: str) -> list[str]:
        rng = self.rng
        if outcome == "fixed":
            path = ["acknowledged"]
            if rng.random() < 0.4:
                path.append("investigating")
            path.append("in_progress")
            if rng.random() < 0.5:
                path.append("action_scheduled")
            path.append("fixed")
            if rng.random() < REOPEN_SHARE:
                path += ["reopened", "in_progress", "fixed"]
        elif outcome == "closed":
            path = ["acknowledged"]
            if rng.random() < 0.5:
                path.append("investigating")
            path += ["in_progress", "closed"]
        elif outcome == "no_further_action":
            path = ["acknowledged", "investigating", "no_further_action"]
        elif outcome in ("not_responsible", "internal_referral"):
            path = ["acknowledged", outcome]
        else:
            path = [outcome]
        if rng.random() < WAIT_SHARE:
            # Waiting on the citizen interrupts work in hand, then work resumes.
            working = [k for k in range(1, len(path)) if path[k - 1] in _RESUMABLE]
            if working:
                k = rng.choice(working)
                path[k:k] = ["waiting_on_citizen", path[k - 1]]
        return path

    def _times(self, opened: float, service: ServiceInfo, outcome: str, steps: int) -> list[float]:
        """When each status is reached: spread over business time, scaled to the SLA.

        A few cases get stuck part-way (waiting for a contractor, a part, a
        decision): they are acknowledged as usual, then stall for many times
        the SLA, which is what an old backlog looks like.
        """
        rng, clock = self.rng, self.clock
        pace = math.exp(rng.gauss(math.log(0.65), 0.65)) * DEPARTMENT_PACE.get(
            service.department_code, 1.0
        )
        if outcome in QUICK_OUTCOMES:
            pace *= 0.25
        duration = max(600.0, service.sla_hours * 3600 * pace)
        fractions = sorted(rng.random() for _ in range(steps - 1)) + [1.0]
        fractions[0] *= 0.3
        b_open = clock.business(opened)
        offsets = [duration * f for f in fractions]
        if steps > 1 and rng.random() < STUCK_SHARE:
            stall = duration * rng.uniform(3, 40)
            for i in range(rng.randrange(max(1, steps - 2), steps), steps):
                offsets[i] += stall
        times: list[float] = []
        previous = opened
        for offset in offsets:
            previous = max(clock.at(b_open + offset), previous + 60)
            times.append(previous)
        return times

    def _case_row(
        self,
        d: _Draft,
        sla: _Sla,
        *,
        assignee: StaffInfo | None,
        agent: StaffInfo | None,
        updated: float,
        duplicate_of: int | None,
    ) -> dict[str, Any]:
        rng, service = self.rng, d.service
        street = d.street
        ward_streets = self._streets_by_ward[street.ward_code] if street else self.world.streets
        other = rng.choice(ward_streets).name
        street_name = street.name if street else other
        description = rng.choice(service.templates).format(
            street=street_name, street2=other, landmark=rng.choice(LANDMARKS)
        )
        attributes = answers(
            rng,
            service.attributes,
            service.hints,
            opened=d.opened,
            tz=self.tz,
            street=street_name,
            street2=other,
        )
        address = postcode = address_id = None
        if street is not None:
            postcode = rng.choice(street.postcodes)
            number = rng.randint(1, 180)
            address_id = str(100_000_000_000 + street.index * 1000 + number)
            if service.location == "point" and rng.random() < 0.5:
                address = f"{street.name}, {self.world.town} {postcode}"
                address_id = None
            else:
                flat = f"Flat {rng.randint(1, 24)}, " if rng.random() < 0.12 else ""
                address = f"{flat}{number} {street.name}, {self.world.town} {postcode}"
        if service.sla_hours <= 8:
            priority = "urgent" if rng.random() < 0.4 else "high"
        else:
            priority = _PRIORITIES[int(rng.random() * len(_PRIORITIES))]
        media: list[str] = []
        if (
            d.channel in ("web", "app")
            and service.location != "none"
            and rng.random() < MEDIA_SHARE
        ):
            media = [f"https://media.northmere.example/cases/{d.id}/photo-1.jpg"]
        status = sla.status
        sub_pool = SUB_STATUSES.get(status)
        return {
            "id": d.id,
            "jurisdiction_id": self.world.jurisdiction_id,
            "service_id": service.id,
            "requester_id": d.requester_id,
            "channel": d.channel,
            "description": description,
            "attributes": attributes,
            "media_urls": media,
            "lat": d.lat,
            "long": d.long,
            "address": address,
            "address_id": address_id,
            "postcode": postcode,
            "status": status,
            "sub_status": rng.choice(sub_pool) if sub_pool and rng.random() < 0.5 else None,
            "priority": priority,
            "department_id": service.department_id,
            "team_id": d.team.id if d.team else None,
            "assignee_id": assignee.id if assignee else None,
            "duplicate_of_id": duplicate_of,
            "opened_at": utc(d.opened),
            "updated_at": utc(updated),
            "closed_at": utc(sla.closed_at) if sla.closed_at is not None else None,
            "due_at": utc(sla.due),
            "paused_since": utc(sla.paused_since) if sla.paused_since is not None else None,
            "paused_minutes": sla.paused_minutes,
            "breached_at": utc(sla.breached_at) if sla.breached_at is not None else None,
            "escalated_to_id": sla.escalated_to,
            # The case service issues tokens only for batch services; these are realtime.
            "open311_token": None,
            "created_by_id": agent.id if agent else None,
        }
