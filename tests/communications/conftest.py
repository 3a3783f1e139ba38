from __future__ import annotations

from collections.abc import Iterator

import pytest

from czrm.config import get_settings
from tests.mailsink import RunningSink, Sink


@pytest.fixture
def smtp_sink(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sink]:
    """czrm's relay is a real SMTP server on a free loopback port."""
    running = RunningSink()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", running.port)
    monkeypatch.setattr(settings, "smtp_timeout_s", 5.0)
    monkeypatch.setattr(settings, "comms_sink", "smtp")
    with running as sink:
        yield sink
