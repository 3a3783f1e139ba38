"""The one SMTP sender: a real relay on loopback, refusals, and the demo's file sink."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from czrm.config import Settings
from czrm.kit import mail
from tests.mailsink import RunningSink, free_port


def _settings(**overrides: object) -> Settings:
    return Settings(smtp_host="127.0.0.1", **overrides)  # type: ignore[arg-type]


def test_a_message_reaches_the_relay_with_its_headers() -> None:
    running = RunningSink()
    with running as sink:
        message = mail.new_message(to="ffion@example.org", subject="Eich cais", text="Diolch")
        mail.send(message, _settings(smtp_port=running.port))
    (received,) = sink.messages
    assert received["To"] == "ffion@example.org" and received["Subject"] == "Eich cais"
    assert received["Message-ID"] == message["Message-ID"] and received["Date"]
    assert received.get_content().strip() == "Diolch"


def test_a_refused_recipient_is_permanent_and_no_relay_is_temporary() -> None:
    running = RunningSink()
    with running as sink:
        sink.refuse["gone@example.org"] = "550 no such mailbox"
        with pytest.raises(mail.MailError) as refused:
            mail.send(
                mail.new_message(to="gone@example.org", subject="s", text="t"),
                _settings(smtp_port=running.port),
            )
    assert refused.value.permanent
    with pytest.raises(mail.MailError) as unreachable:
        mail.send(
            mail.new_message(to="a@example.org", subject="s", text="t"),
            _settings(smtp_port=free_port(), smtp_timeout_s=2.0),
        )
    assert not unreachable.value.permanent


def test_the_file_sink_keeps_each_message_as_an_eml(tmp_path: Path) -> None:
    message = mail.new_message(to="sam@example.org", subject="Your link", text="Open it")
    mail.send(message, _settings(comms_sink="file", data_dir=tmp_path))
    (written,) = (tmp_path / "outbox").glob("*.eml")
    again = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert again["To"] == "sam@example.org" and again["Subject"] == "Your link"
