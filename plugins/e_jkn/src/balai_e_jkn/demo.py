"""Demo enrolments for the cities of the demo instance (made-up names)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_e_jkn.routes import start_of_year
from balai_e_jkn.tables import Enrolment, Status

# applicant, status, days before seeding
DEMO_ENROLMENTS: dict[str, list[tuple[str, Status, int]]] = {
    "malang": [
        ("Siti Aminah", Status.APPROVED, 40),
        ("Nur Hidayati", Status.APPROVED, 33),
        ("Agus Salim", Status.REJECTED, 28),
        ("Dewi Lestari", Status.VERIFIED, 12),
        ("Bambang Sutrisno", Status.SUBMITTED, 3),
        ("Yohanes Purnomo", Status.SUBMITTED, 1),
    ],
}


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo enrolments of ``city`` (inside its scope), once.

    Times are counted back from now but kept inside the current year, so
    that the demo's figures for "this year" are never empty.
    """
    report = tk.DemoReport()
    rows = DEMO_ENROLMENTS.get(city.slug, [])
    if not rows or await Enrolment.count() > 0:
        return report
    now = datetime.now(UTC).replace(microsecond=0)
    earliest = start_of_year(city)
    await Enrolment.insert(
        *(
            Enrolment(
                applicant_name=name,
                status=status.value,
                created_at=max(now - timedelta(days=days), earliest),
            )
            for name, status, days in rows
        )
    )
    report.summary.append(f"e_jkn: {len(rows)} enrolments")
    return report
