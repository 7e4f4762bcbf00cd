"""Demo data: reports in every state for the city's categories (data, in Indonesian)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_pengaduan.handling.workflow import FLOW, NUMBERS
from balai_pengaduan.settings import city_settings
from balai_pengaduan.tables import Member, Report

# (category index, state, kelurahan index, description, hours ago, steps after "new")
STORIES = (
    (0, "new", 0, "Lampu jalan mati sejak tiga malam, jalan jadi gelap.", 5, ()),
    (1, "assigned", 1, "Lubang besar di tengah jalan, berbahaya bagi motor.", 30, ("assigned",)),
    (
        2,
        "in_progress",
        2,
        "Sampah menumpuk di pinggir sungai dekat jembatan.",
        50,
        ("assigned", "in_progress"),
    ),
    (
        0,
        "resolved",
        3,
        "Dua lampu jalan padam di depan sekolah.",
        120,
        ("assigned", "in_progress", "resolved"),
    ),
    (1, "closed", 4, "Aspal mengelupas di tikungan.", 400, ("assigned", "resolved", "closed")),
    (2, "rejected", 0, "Tetangga membakar sampah (bukan wewenang dinas ini).", 200, ("rejected",)),
    (3, "new", 1, "Asap tebal dari gudang, belum ada api terlihat.", 1, ()),
)


async def seed(city: tk.City) -> tk.DemoReport:
    """Seven reports in every state, two of them by the city's demo citizen."""
    settings = city_settings()
    citizen = await tk.demo_user(f"warga@{city.slug}.test", "Warga Demo")
    officer = await tk.demo_user(
        f"petugas.pengaduan@{city.slug}.test", "Petugas Pengaduan", role="pengaduan.desk"
    )
    await Member.insert(
        *(Member(user_id=officer.id, department=d.code, head=True) for d in settings.departments)
    )
    kelurahan = settings.kelurahan or ("",)
    now = datetime.now(UTC)
    numbers = []
    for i, (cat, state, kel, text, hours, steps) in enumerate(STORIES):
        category = settings.categories[cat % len(settings.categories)]
        if state == "new" and cat == 3:
            category = next((c for c in settings.categories if c.emergency), category)
        made = now - timedelta(hours=hours)
        number = await NUMBERS.new_unique(Report.number)
        numbers.append(number)
        rows = await Report.insert(
            Report(
                number=number,
                category=category.code,
                department=category.department,
                urgent=category.emergency,
                description=f"{text} ({city.name})",
                kelurahan=kelurahan[kel % len(kelurahan)],
                address=f"Jl. Contoh No. {i + 1}",
                reporter_id=citizen.id if i < 4 else None,
                status=state,
                assignee_id=officer.id if steps else None,
                created_at=made,
                updated_at=made + timedelta(hours=len(steps)),
                response_due=made + timedelta(hours=category.first_response_hours),
                resolution_due=made + timedelta(hours=category.resolution_hours),
                first_response_at=made + timedelta(hours=1) if steps else None,
                resolved_at=made + timedelta(hours=len(steps)) if "resolved" in steps else None,
            )
        ).returning(Report.id)
        previous = "new"
        history = [
            {"record_id": rows[0]["id"], "transition": "submit", "to_state": "new", "at": made}
        ]
        for n, target in enumerate(steps, start=1):
            history.append(
                {
                    "record_id": rows[0]["id"],
                    "from_state": previous,
                    "to_state": target,
                    "transition": target,
                    "actor_id": officer.id,
                    "at": made + timedelta(hours=n),
                }
            )
            previous = target
        await FLOW.record_steps(history)
    return tk.DemoReport(
        accounts=[officer.account],
        summary=[f"{len(STORIES)} reports at /pengaduan/ ({', '.join(numbers[:2])}, …)"],
    )
