"""The subject access export: everything held about a person, machine-readable
(JSON) and readable (HTML), found by walking every link (``privacy.graph``).

Each table comes with the category of each column. Covert access-log entries
not yet disclosed are left out, as the law allows while an investigation runs;
everything else is included.
"""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jinja2 import Environment, select_autoescape
from sqlalchemy.orm import Session

from czrm.kit.registry import Base
from czrm.kit.time import utc_now
from czrm.org.models import Jurisdiction
from czrm.people import repository as people_repository
from czrm.privacy import graph, repository
from czrm.privacy.access_log import access_log_for_citizen
from czrm.privacy.categories import DESCRIPTIONS, DataCategory, spec_for
from czrm.privacy.models import ARTICLE_6, LawfulBasis

FORMAT = "czrm-subject-access/1"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _visible(table: str, row: dict[str, Any], now: datetime) -> bool:
    if table == "access_log":
        after = row.get("disclose_after")
        return after is None or after <= now
    return True


def subject_access(
    session: Session, jurisdiction_id: uuid.UUID, person_id: uuid.UUID
) -> dict[str, Any]:
    """The export document; the caller checks the reader and records the access."""
    now = utc_now()
    ids = [person_id, *people_repository.absorbed_into(session, person_id)]
    held = graph.holdings(session, ids)
    tables: dict[str, Any] = {}
    for name in sorted(held.rows):
        table = Base.metadata.tables[name]
        spec = spec_for(table)
        rows = [_plain(r) for r in held.rows[name].values() if _visible(name, r, now)]
        if not rows:
            continue
        tables[name] = {
            "categories": {
                column.name: (spec.columns.get(column.name) if spec else None)
                for column in table.columns
            },
            "rows": rows,
        }
    jurisdiction = session.get(Jurisdiction, jurisdiction_id)
    purposes = repository.purposes(session, jurisdiction_id)
    return {
        "format": FORMAT,
        "generated_at": now.isoformat(),
        "controller": jurisdiction.name if jurisdiction else "",
        "person_id": str(person_id),
        "person_ids": [str(i) for i in ids],
        "summary": {name: len(body["rows"]) for name, body in tables.items()},
        "categories": {c.value: DESCRIPTIONS[c] for c in DataCategory},
        "purposes": [
            {
                "purpose": p.name,
                "lawful_basis": ARTICLE_6[LawfulBasis(p.lawful_basis)],
                "special_category_condition": p.special_condition,
                "retention": p.retention,
            }
            for p in sorted(purposes.values(), key=lambda p: p.code)
            if not p.covert
        ],
        "who_looked": access_log_for_citizen(session, person_id, now=now),
        "tables": tables,
    }


_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
HTML = _env.from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Your data held by {{ doc.controller }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;margin:0 0 1.5rem;font-size:.9rem}th,td{border:1px solid #999;
padding:.25rem .5rem;text-align:left;vertical-align:top}caption{text-align:left;font-weight:bold}
</style></head><body>
<h1>Your data held by {{ doc.controller }}</h1>
<p>Prepared {{ doc.generated_at }}. This is a copy of everything we hold about you, in
every system linked to you, and a list of who looked at it and why.</p>
<h2>Who looked at your data</h2>
{% if doc.who_looked %}<table><tr><th>When</th><th>Who</th><th>What they did</th>
<th>Why</th><th>Lawful basis</th><th>What they saw</th></tr>
{% for r in doc.who_looked %}<tr><td>{{ r.when_text }}</td><td>{{ r.who }}</td>
<td>{{ r.did }} ({{ r.what }})</td><td>{{ r.purpose }}{% if r.covert_note %}<br>
<em>{{ r.covert_note }}</em>{% endif %}</td><td>{{ r.lawful_basis }}</td>
<td>{{ r.data | join("; ") }}</td></tr>{% endfor %}</table>
{% else %}<p>No one has looked at your data.</p>{% endif %}
<h2>Why we hold your data</h2><table><tr><th>Purpose</th><th>Lawful basis</th>
<th>How long we keep it</th></tr>{% for p in doc.purposes %}<tr><td>{{ p.purpose }}</td>
<td>{{ p.lawful_basis }}{% if p.special_category_condition %}; {{ p.special_category_condition }}
{% endif %}</td><td>{{ p.retention }}</td></tr>{% endfor %}</table>
<h2>The data</h2>
{% for name, body in doc.tables.items() %}<table><caption>{{ name | replace("_", " ") }}
({{ body.rows | length }})</caption><tr>{% for column in body.categories %}<th>{{ column }}
</th>{% endfor %}</tr>{% for row in body.rows %}<tr>{% for column in body.categories %}
<td>{{ row[column] if row[column] is not none else "" }}</td>{% endfor %}</tr>{% endfor %}
</table>{% endfor %}
</body></html>
"""
)


def as_html(doc: dict[str, Any]) -> str:
    return HTML.render(doc=doc)
