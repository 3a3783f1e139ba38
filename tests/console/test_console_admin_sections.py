"""The console's Admin section: every page renders for an administrator, is a
403 page for a caseworker, and the navigation shows only what one may use."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import World
from tests.webtools import csrf, sign_in


def pages_of(world: World) -> list[str]:
    return [
        "/console/admin",
        "/console/admin/services",
        "/console/admin/services/new",
        "/console/admin/services/POTHOLE",
        "/console/admin/teams",
        "/console/admin/teams/new?department=highways",
        f"/console/admin/teams/{world.west.id}",
        "/console/admin/staff",
        "/console/admin/staff/new",
        f"/console/admin/staff/{world.manager.id}",
        "/console/admin/api-keys",
        "/console/admin/purposes",
        "/console/admin/purposes/new",
        "/console/admin/purposes/casework",
        "/console/admin/jobs",
        "/console/admin/audit",
    ]


def nav_links(html: str) -> list[str]:
    found = re.search(r'<nav class="czrm-admin-nav"(.*?)</nav>', html, re.S)
    assert found
    return re.findall(r'href="([^"]+)"', found.group(1))


def test_every_admin_page_renders_for_an_administrator(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    for path in pages_of(world):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<h1" in response.text, path
    assert nav_links(client.get("/console/admin").text) == [
        "/console/admin/services",
        "/console/admin/teams",
        "/console/admin/staff",
        "/console/admin/api-keys",
        "/console/admin/purposes",
        "/console/admin/jobs",
        "/console/admin/audit",
    ]


def test_a_caseworker_gets_the_forbidden_page_and_no_admin_link(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.caseworker)
    assert 'href="/console/admin"' not in client.get("/console/queue").text
    for path in pages_of(world) + [
        "/console/admin/purposes/record.json",
        "/console/admin/purposes/record.csv",
    ]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "text/html" in response.headers["content-type"], path
    token = csrf(client, "/console/queue")
    writes = [
        "/console/admin/services/new",
        "/console/admin/services/POTHOLE",
        "/console/admin/services/POTHOLE/active",
        "/console/admin/teams/new",
        f"/console/admin/teams/{world.west.id}",
        "/console/admin/staff/new",
        f"/console/admin/staff/{world.manager.id}",
        f"/console/admin/staff/{world.manager.id}/active",
        "/console/admin/api-keys",
        "/console/admin/purposes/new",
        "/console/admin/purposes/casework",
    ]
    for path in writes:
        response = client.post(path, data={"csrf_token": token, "name": "x", "active": "0"})
        assert response.status_code == 403, path
    assert world.pothole.active and world.manager.is_active


def test_a_dpo_sees_only_the_privacy_sections(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.dpo)
    page = client.get("/console/queue")
    assert 'href="/console/admin"' in client.get("/console/admin/purposes").text
    assert nav_links(client.get("/console/admin").text) == [
        "/console/admin/purposes",
        "/console/admin/audit",
    ]
    assert page.status_code == 403  # a DPO works no cases
    assert client.get("/console/admin/services").status_code == 403


def test_admin_pages_and_their_errors_are_translated(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, session, world.admin)
    page = client.get("/console/admin/services?lang=cy").text
    assert '<h1 class="govuk-heading-l">Gwasanaethau</h1>' in page
    assert nav_links(page)[1] == "/console/admin/teams" and "Timau ac ardaloedd" in page
    token = csrf(client, f"/console/admin/teams/{world.west.id}")
    response = client.post(
        f"/console/admin/teams/{world.west.id}?lang=ar",
        data={"csrf_token": token, "name": "", "area": "{"},
    )
    assert response.status_code == 422
    assert "أدخل اسم الفريق" in response.text and "المنطقة ليست JSON صالحًا" in response.text
