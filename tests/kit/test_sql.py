"""``in_ids``: one statement text for any number of ids, the same rows as ``IN``."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from czrm.kit.sql import in_ids

things = Table("things", MetaData(), Column("id", Integer), Column("name", String))
STATEMENT = select(things.c.name).where(in_ids(things.c.id, "ids")).order_by(things.c.name)


def test_the_statement_text_does_not_depend_on_the_ids() -> None:
    for dialect, expected, placeholder in (
        (postgresql.dialect(), "WHERE things.id = ANY(%(ids)s::BIGINT[]) ORDER", "%(ids)s"),
        (sqlite.dialect(), "WHERE things.id IN (SELECT value FROM json_each(?)) ORDER", "?"),
    ):
        text = " ".join(str(STATEMENT.compile(dialect=dialect)).split())
        assert expected in text
        # The ids are bound as one value: no placeholder per id is rendered later.
        assert text.count(placeholder) == 1
        assert "POSTCOMPILE" not in text


def test_it_selects_exactly_the_rows_whose_id_is_listed(session: Session) -> None:
    connection = session.connection()
    things.create(connection)
    connection.execute(things.insert(), [{"id": n, "name": f"thing {n:02}"} for n in range(1, 21)])
    assert connection.scalars(STATEMENT, {"ids": [3, 17, 99]}).all() == ["thing 03", "thing 17"]
    assert connection.scalars(STATEMENT, {"ids": []}).all() == []
    many = list(range(2, 21, 2))
    assert connection.scalars(STATEMENT, {"ids": many}).all() == [f"thing {n:02}" for n in many]
