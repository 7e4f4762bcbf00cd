"""The per-city hooks that pages call, seen through the ``uji`` test plugin."""

from __future__ import annotations

from balai import toolkit as tk
from test_platform_uji_plugin import CONTEXT_MARKER, NAV_LABEL, OFFICE_LABEL, UjiNote, UjiPlugin


async def _add_notes(*texts: str) -> None:
    await UjiNote.insert(*(UjiNote(text=t) for t in texts))


def test_startup_runs_once_when_the_app_starts(balai_app, client):
    plugin = balai_app.ui.registry.plugins["uji"].obj
    assert isinstance(plugin, UjiPlugin)
    assert plugin.started == 1


def test_search_answers_from_enabled_plugins_only(client, city_run):
    city_run("malang", _add_notes, "Jadwal posyandu Klojen", "Pasar Oro-Oro Dowo")
    city_run("semarang", _add_notes, "Jadwal posyandu Semarang")
    page = client.get("/malang/cari", params={"q": "posyandu"})
    assert page.status_code == 200
    assert "Jadwal posyandu Klojen" in page.text
    assert "Pasar Oro-Oro Dowo" not in page.text
    assert "Jadwal posyandu Semarang" not in page.text
    elsewhere = client.get("/semarang/cari", params={"q": "posyandu"})
    assert elsewhere.status_code == 200
    assert "Jadwal posyandu" not in elsewhere.text


def test_search_ignores_a_one_letter_query(client, city_run):
    city_run("malang", _add_notes, "a b c")
    page = client.get("/malang/cari", params={"q": "a"})
    assert page.status_code == 200
    assert "a b c" not in page.text


def test_office_navigation_follows_permissions(client, login_as):
    login_as("city_admin")
    office = client.get("/malang/kelola/")
    assert office.status_code == 200
    assert OFFICE_LABEL in office.text


def test_office_navigation_is_hidden_without_the_permission(client, login_as):
    login_as("audit.auditor")
    office = client.get("/malang/kelola/")
    assert office.status_code == 200
    assert OFFICE_LABEL not in office.text


def test_citizen_navigation_lists_the_enabled_plugin_only(client):
    assert NAV_LABEL in client.get("/malang/").text
    assert NAV_LABEL not in client.get("/semarang/").text


def test_template_context_reaches_every_page_of_the_city(client):
    answer = client.get("/malang/uji/konteks")
    assert answer.status_code == 200
    assert answer.json() == {"marker": CONTEXT_MARKER}


def test_built_in_services_declare_their_providers_and_channels(balai_app):
    registry = balai_app.ui.registry
    providers = {p.key for found in registry.declared("payment_providers").values() for p in found}
    assert {"cash", "va", "qris", "ewallet"} <= providers
    channels = {
        c.name for found in registry.declared("notification_channels").values() for c in found
    }
    assert "file" in channels


def test_toolkit_exports_what_the_guide_lists():
    for name in tk.__all__:
        assert hasattr(tk, name), name
