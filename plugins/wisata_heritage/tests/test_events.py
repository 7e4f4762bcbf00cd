"""Events: the calendar, an event's page and the city's iCalendar feed (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from balai_wisata_heritage.events import ical
from heritage_rows import add_event, add_site
from hypothesis import given
from hypothesis import strategies as st


def test_the_calendar_lists_coming_public_events_by_month(client, city_run):
    city_run("malang", add_event("Festival Kayutangan", days=3))
    city_run("malang", add_event("Jelajah Ijen", days=40, kind="guided_walk"))
    city_run("malang", add_event("Draf Rahasia", days=5, status="draft"))
    city_run("malang", add_event("Sudah Lewat", days=-10))
    city_run("malang", add_event("Batal", days=6, status="cancelled"))
    page = client.get("/malang/wisata-heritage/acara/").text
    assert page.index("Festival Kayutangan") < page.index("Jelajah Ijen")
    assert "Draf Rahasia" not in page and "Sudah Lewat" not in page
    assert "Batal" in page and "Dibatalkan" in page
    assert 'href="/malang/wisata-heritage/acara.ics"' in page
    only_walks = client.get("/malang/wisata-heritage/acara/?jenis=guided_walk").text
    assert "Jelajah Ijen" in only_walks and "Festival Kayutangan" not in only_walks


def test_an_event_page_shows_when_where_and_its_story(client, city_run):
    site = city_run("malang", add_site("Balai Kota", latitude=-7.977, longitude=112.634))
    event = city_run(
        "malang",
        add_event(
            "Malang Tempo Doeloe",
            site=site,
            summary="Festival kota lama.",
            description_id="**Pasar** lama <img src=x onerror=alert(1)>",
        ),
    )
    page = client.get(f"/malang/wisata-heritage/acara/{event}").text
    assert "Malang Tempo Doeloe" in page and "Festival kota lama." in page
    assert f'href="/malang/wisata-heritage/situs/{site}"' in page
    assert "<strong>Pasar</strong>" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("event_id", ["0", "99999999", "9223372036854775808", "x"])
def test_unknown_events_answer_404(client, event_id):
    assert client.get(f"/malang/wisata-heritage/acara/{event_id}").status_code == 404


def test_a_draft_event_has_no_page(client, city_run):
    event = city_run("malang", add_event("Draf", status="draft"))
    assert client.get(f"/malang/wisata-heritage/acara/{event}").status_code == 404


def test_the_feed_is_valid_icalendar_with_every_public_event(client, city_run):
    site = city_run("malang", add_site("Tugu", latitude=-7.977, longitude=112.634))
    city_run(
        "malang",
        add_event(
            "Festival; Kayutangan, malam",
            site=site,
            summary="Baris satu\nbaris dua — " + "panjang " * 20,  # folded, within 240
        ),
    )
    city_run("malang", add_event("Batal", status="cancelled"))
    city_run("malang", add_event("Draf", status="draft"))
    city_run("semarang", add_event("Semarang saja"))
    response = client.get("/malang/wisata-heritage/acara.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(raw)
    assert parsed["VERSION"] == "2.0" and parsed["PRODID"]
    events = {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {"Festival; Kayutangan, malam", "Batal"}
    festival = events["Festival; Kayutangan, malam"]
    assert str(festival["DESCRIPTION"]).startswith("Baris satu\nbaris dua — panjang")
    assert str(festival["LOCATION"]) == "Tugu"
    assert festival["DTSTART"].dt.tzinfo is not None
    assert festival["DTEND"].dt > festival["DTSTART"].dt
    assert festival.get("GEO") is not None
    assert str(events["Batal"]["STATUS"]) == "CANCELLED"
    assert len({str(e["UID"]) for e in events.values()}) == 2


def test_the_feed_exists_only_where_the_plugin_is_enabled(client):
    assert client.get("/semarang/wisata-heritage/acara.ics").status_code == 404


@given(st.text(max_size=300))
def test_any_text_survives_a_round_trip_through_the_feed(text):
    moment = datetime(2026, 12, 24, 12, 0, tzinfo=UTC)
    body = ical.calendar(
        "Uji",
        "Asia/Jakarta",
        [
            ical.vevent(
                uid="event-1@malang.localhost",
                stamp=moment,
                starts_at=moment,
                ends_at=moment,
                summary=text or "x",
                description=text,
            )
        ],
    )
    assert all(len(line) <= 75 for line in body.encode().split(b"\r\n"))
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]) == (expected or "x")
    if text:
        assert str(event["DESCRIPTION"]) == expected
