"""What the mayor sees (Smart Living) and what is published as open data: aggregates only.

Dashboard: people enrolled this year against the quota, coverage of the
population (when the city sets it, with its source), median days from
application to active at BPJS, rejection reasons. Open data: people
registered per district (kecamatan) and month; a group under the city's
threshold is suppressed (its count withheld) so that no family can be
singled out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, time, timedelta

from balai import toolkit as tk

from balai_e_jkn.settings import EnrolmentSettings
from balai_e_jkn.tables import Enrolment, Member, MemberState, Status

SLUG = "e_jkn"
LIVING = tk.Dimension.LIVING
REASONS = {
    "documents": tk.N_("Documents unreadable or missing"),
    "not_resident": tk.N_("Not a resident"),
    "not_in_kk": tk.N_("Not in the family card"),
    "covered_elsewhere": tk.N_("Already covered elsewhere"),
    "bpjs_refused": tk.N_("Refused by BPJS"),
    "welfare_not_listed": tk.N_("Priority claim not confirmed by Dinsos"),
    "other": tk.N_("Other reason"),
}


def _settings(city: tk.City) -> EnrolmentSettings:
    return city.settings_for(SLUG) or EnrolmentSettings()


def _utc(city: tk.City, day, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time(), city.tz)
    return moment.astimezone(UTC)


async def enrolled_people() -> int:
    """People registered at BPJS by the city, whose cover is open."""
    return await Member.count().where(
        Member.state == MemberState.REGISTERED.value, Member.open_nik_index.is_not_null()
    )


async def median_days(city: tk.City, period: tk.Period) -> float | None:
    """Median whole days from application to active, for applications activated in ``period``."""
    rows = await Enrolment.select(Enrolment.created_at, Enrolment.active_at).where(
        Enrolment.active_at >= _utc(city, period.start),
        Enrolment.active_at < _utc(city, period.end, end=True),
    )
    days = [(r["active_at"] - r["created_at"]).total_seconds() / 86400 for r in rows]
    return round(statistics.median(days), 1) if days else None


async def rejection_reasons(city: tk.City, period: tk.Period) -> list[tuple[str, int]]:
    """How many applications decided in ``period`` were rejected, by reason, most first."""
    rows = await Enrolment.select(Enrolment.reason_code).where(
        Enrolment.status == Status.REJECTED.value,
        Enrolment.decided_at >= _utc(city, period.start),
        Enrolment.decided_at < _utc(city, period.end, end=True),
    )
    counts = Counter(r["reason_code"] or "other" for r in rows)
    return [(tk._(REASONS.get(code, REASONS["other"])), n) for code, n in counts.most_common()]


async def widgets(period: tk.Period) -> list[tk.Widget]:
    """The Smart Living cards of the health cover."""
    city = tk.current_city()
    settings = _settings(city)
    quota = settings.rules_on(period.end).annual_quota
    enrolled = await enrolled_people()
    cards = [
        tk.Widget.gauge(
            "e_jkn.enrolled",
            LIVING,
            tk._("People enrolled in JKN by the city"),
            enrolled,
            limit=quota,
            note=tk._("Against this year's quota of %(quota)s.", quota=tk.format_number(quota)),
            order=50,
        )
    ]
    if settings.population:
        cards.append(
            tk.Widget.gauge(
                "e_jkn.coverage",
                LIVING,
                tk._("Population covered by the city's JKN"),
                100 * enrolled / settings.population,
                unit="percent",
                note=settings.population_source,
                order=51,
            )
        )
    median = await median_days(city, period)
    cards.append(
        tk.Widget.figure(
            "e_jkn.median_days",
            LIVING,
            tk._("Median days from application to active"),
            median if median is not None else 0,
            note="" if median is not None else tk._("No application became active in this period."),
            order=52,
        )
    )
    reasons = await rejection_reasons(city, period)
    cards.append(
        tk.Widget.table(
            "e_jkn.rejections",
            LIVING,
            tk._("Why applications were rejected"),
            [tk._("Reason"), tk._("Applications")],
            reasons,
            note="" if reasons else tk._("No application was rejected in this period."),
            order=53,
        )
    )
    return cards


async def monthly_by_kecamatan(city: tk.City) -> list[dict]:
    """People registered per district and month of their start, small groups suppressed."""
    threshold = _settings(city).open_data_threshold
    districts = {
        r["id"]: r["kecamatan"] for r in await Enrolment.select(Enrolment.id, Enrolment.kecamatan)
    }
    members = await Member.select(Member.enrolment, Member.start_date).where(
        Member.state == MemberState.REGISTERED.value, Member.start_date.is_not_null()
    )
    counts = Counter(
        (m["start_date"].strftime("%Y-%m"), districts.get(m["enrolment"], "")) for m in members
    )
    return [
        {
            "month": month,
            "kecamatan": kecamatan,
            "enrolled": count if count >= threshold else None,
            "suppressed": count < threshold,
        }
        for (month, kecamatan), count in sorted(counts.items())
    ]


DATASETS = [
    tk.Dataset(
        slug="jkn-enrolments-monthly",
        title=tk.N_("City-paid JKN enrolments per district and month"),
        description=tk.N_(
            "People the city registered in JKN (PBPU Pemda), by district (kecamatan) and the"
            " month their cover started. Counts under the city's threshold are withheld"
            " (suppressed = true) so that no family can be recognised. Updated as BPJS"
            " registers people."
        ),
        dimension=LIVING,
        columns=(
            tk.DatasetColumn("month", "month", tk.N_("Month the cover started")),
            tk.DatasetColumn("kecamatan", "string", tk.N_("District (kecamatan)")),
            tk.DatasetColumn("enrolled", "integer", tk.N_("People enrolled (empty if suppressed)")),
            tk.DatasetColumn("suppressed", "boolean", tk.N_("Whether the count is withheld")),
        ),
        fetch=monthly_by_kecamatan,
        publisher="Dinkes",
    )
]
