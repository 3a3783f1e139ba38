"""Free text from the public: HTML neutralised to plain text. Pure, stdlib only."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in ("br", "p", "div", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def plain_text(value: str) -> str:
    """Tags dropped (and the contents of scripts and styles), entities decoded,
    control characters removed; what is left is text a person typed."""
    if "<" not in value and "&" not in value:
        return _CONTROL.sub("", value).strip()
    stripper = _Stripper()
    stripper.feed(value)
    stripper.close()
    text = "".join(stripper.parts)
    # A lone "<" left by a broken tag must not survive to be rendered later.
    return _CONTROL.sub("", text.replace("<", "").replace(">", "")).strip()
