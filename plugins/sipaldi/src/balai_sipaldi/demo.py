"""Demo desludging bookings for the cities of the demo instance (made-up addresses)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_sipaldi.routes import today_in
from balai_sipaldi.tables import Booking, Status

# address, district (kecamatan), days from today, status
DEMO_BOOKINGS: dict[str, list[tuple[str, str, int, Status]]] = {
    "malang": [
        ("Jl. Candi Panggung No. 17, Mojolangu", "Lowokwaru", -6, Status.DONE),
        ("Jl. Janti Barat No. 4, Bandungrejosari", "Sukun", -2, Status.CANCELLED),
        ("Jl. Sulfat Agung No. 21, Bunulrejo", "Blimbing", 2, Status.SCHEDULED),
        ("Jl. Mayjen Sungkono No. 60, Buring", "Kedungkandang", 2, Status.SCHEDULED),
        ("Jl. Semeru No. 9, Kauman", "Klojen", 3, Status.REQUESTED),
        ("Jl. Bendungan Sutami No. 33, Sumbersari", "Lowokwaru", 5, Status.REQUESTED),
    ],
}


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo bookings of ``city`` (inside its scope), once.

    Dates are counted from today in the city, so that the demo always shows
    planned visits.
    """
    report = tk.DemoReport()
    rows = DEMO_BOOKINGS.get(city.slug, [])
    if not rows or await Booking.count() > 0:
        return report
    today = today_in(city)
    now = datetime.now(UTC).replace(microsecond=0)
    await Booking.insert(
        *(
            Booking(
                address=address,
                district=district,
                preferred_date=today + timedelta(days=days),
                status=status.value,
                created_at=now - timedelta(days=10 - number),
            )
            for number, (address, district, days, status) in enumerate(rows)
        )
    )
    report.summary.append(f"sipaldi: {len(rows)} desludging bookings")
    return report
