"""Pure pieces: HTML neutralising, repeated attribute keys, XML building, sniffing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from czrm.open311.formats import to_xml
from czrm.open311.forms import OpenForm
from czrm.open311.media import sniff
from czrm.open311.text import plain_text


def test_plain_text_drops_markup_and_scripts() -> None:
    assert plain_text("<p>Hole</p><script>alert('x')</script> &lt;b&gt; big") == "Hole b big"
    assert plain_text("just text\x00 here ") == "just text here"
    assert plain_text('<img src=x onerror="alert(1)">ok') == "ok"


def test_attributes_single_repeated_and_list_forms() -> None:
    form = OpenForm(
        items=[
            ("attribute[a]", "1"),
            ("attribute[b][]", "x"),
            ("attribute[b][]", "y"),
            ("attribute[c]", "p"),
            ("attribute[c]", "q"),
            ("attribute[d][]", "only"),
            ("attribute[bad", "z"),
        ]
    )
    assert form.attributes() == {"a": "1", "b": ["x", "y"], "c": ["p", "q"], "d": ["only"]}
    assert form.malformed_keys() == ["attribute[bad"]


def test_xml_builder_shapes_lists_nulls_and_odd_keys() -> None:
    body = to_xml("service_requests", [{"a": None, "ok": True, "x": {"1bad": ["p"]}}])
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<service_requests>')
    root = ET.fromstring(body)
    assert root.find("request/a") is not None and root.findtext("request/ok") == "true"
    item = root.find("request/x/item")
    assert item is not None and item.get("key") == "1bad" and item.findtext("value") == "p"
    assert (
        ET.fromstring(to_xml("errors", [{"code": 400, "description": "bad\x01"}])).findtext(
            "error/description"
        )
        == "bad"
    )


def test_sniffing_by_magic_bytes() -> None:
    assert sniff(b"\xff\xd8\xff\xe0rest") == "jpg"
    assert sniff(b"GIF89a....") == "gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff(b"<svg onload=alert(1)>") is None
