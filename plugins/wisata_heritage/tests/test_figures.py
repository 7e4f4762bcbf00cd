"""The mayor's Smart Branding figures and the events open dataset."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from balai import toolkit as tk
from balai_wisata_heritage.figures import content
from heritage_rows import add_event, add_site
from test_walks import add_walk


def test_the_widgets_count_sites_events_and_route_views(client, city_run):
    city_run("malang", add_site("Tugu"))
    city_run("malang", add_site("Draf", status="draft"))
    city_run("malang", add_event("Festival", days=1))
    city_run("malang", add_event("Batal", days=2, status="cancelled"))
    city_run("malang", add_event("Draf", days=2, status="draft"))
    popular = city_run("malang", add_walk("Jelajah Kayutangan", []))
    quiet = city_run("malang", add_walk("Boulevard Ijen", []))
    for _ in range(3):
        client.get(f"/malang/wisata-heritage/jalan-kaki/{popular}")
    client.get(f"/malang/wisata-heritage/jalan-kaki/{quiet}")
    period = tk.Period(date.today() - timedelta(days=3), date.today() + timedelta(days=5))

    async def cards():
        return {w.key: w for w in await content.widgets(period)}

    found = city_run("malang", cards)
    assert found["wisata_heritage.sites"].value == 1
    assert found["wisata_heritage.events"].value == 2  # published and cancelled, not the draft
    assert sum(p.value for p in found["wisata_heritage.events_per_bucket"].points) == 2
    assert found["wisata_heritage.top_routes"].rows == (
        ("Jelajah Kayutangan", 3),
        ("Boulevard Ijen", 1),
    )


def test_the_branding_dimension_has_figures(client, login_as, city_run):
    city_run("malang", add_site("Tugu"))
    login_as("city_admin")
    page = client.get("/malang/dasbor/", params={"dimensi": "branding"})
    assert page.status_code == 200
    assert "Tempat heritage yang terbuka untuk umum" in page.text
    branding = page.text.split('id="dim-branding"', 1)[1].split("</section>", 1)[0]
    assert "Tempat heritage yang terbuka untuk umum" in branding
    assert "Belum ada angka" not in branding


def test_events_per_month_dataset(client, city_run):
    city_run("malang", add_event("Festival", days=1))
    city_run("malang", add_event("Jelajah", days=1, kind="guided_walk"))
    city_run("malang", add_event("Draf", days=1, status="draft"))
    city_run("semarang", add_event("Semarang", days=1))
    response = client.get("/malang/data/wisata-heritage-events-monthly.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted((r["kind"], r["events"]) for r in rows) == [
        ("festival", "1"),
        ("guided_walk", "1"),
    ]
