"""The Welsh and Arabic catalogues are complete and keep every placeholder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from czrm.kit import i18n

LOCALE = Path(i18n.LOCALE_DIR)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _template_ids() -> set[object]:
    with (LOCALE / "messages.pot").open("rb") as source:
        return {m.id for m in read_po(source) if m.id}


@pytest.mark.parametrize("code", ["cy", "ar"])
def test_every_message_is_translated_with_its_placeholders(code: str) -> None:
    with (LOCALE / code / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=code)
    messages = {m.id: m for m in catalog if m.id}
    assert set(messages) == _template_ids()
    for msgid, message in messages.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{code}: no translation for {msgid!r}"
        source = msgid[-1] if isinstance(msgid, tuple) else msgid
        wanted = set(PLACEHOLDER.findall(source))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted, f"{code}: {msgid!r}"
        if not isinstance(msgid, tuple):
            assert set(PLACEHOLDER.findall(strings[0])) == wanted, f"{code}: {msgid!r}"


def test_negotiation() -> None:
    assert i18n.negotiate(chosen=None, preferred=None, accept_language="fr, cy;q=0.8") == "cy"
    assert i18n.negotiate(chosen=None, preferred="ar", accept_language="cy") == "ar"
    assert i18n.negotiate(chosen="en", preferred="ar", accept_language="cy") == "en"
    assert i18n.negotiate(chosen=None, preferred=None, accept_language="de, fr") == "en"
    assert i18n.negotiate(chosen=None, preferred="xx", accept_language=None) == "en"


def test_translation_and_right_to_left() -> None:
    assert i18n.gettext("cy", "Report a problem") == "Rhoi gwybod am broblem"
    assert i18n.gettext("ar", "Report a problem") == "الإبلاغ عن مشكلة"
    assert i18n.LANGUAGES["ar"].direction == "rtl"
    assert i18n.translations("ar").ngettext("%(count)s case", "%(count)s cases", 2) == "حالتان"
