"""The console's tests run against a council that is also the portal's."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from czrm.config import get_settings
from tests.factories import World


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch) -> World:
    w = World(session)
    monkeypatch.setattr(get_settings(), "portal_jurisdiction", w.jurisdiction.slug)
    return w
