"""The desludging report (*berita acara penyedotan*): an official document per delivered visit.

Once the plant's gate logs the delivery that carried a visit, the core
documents service issues the report to the household owning the premises
(``tk.issue_document``): what was pumped, when, by which operator and truck,
and when the load reached the treatment plant. It waits in the signing
queue of the head of the environment department (role ``sipaldi.head``),
then appears signed among the household's documents, is listed for the
city's records officers, and anyone can check it by its QR code. One
report per visit (its reference), so logging cannot issue it twice.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk

from balai_sipaldi.tables import Operator, Premises, Truck
from balai_sipaldi.volumes import format_m3

HEAD = "sipaldi.head"
DESLUDGING_REPORT = tk.DocumentType(
    key="sipaldi.desludging_report",
    title=tk.N_("Desludging report"),
    template="sipaldi/documents/desludging_report.html",
    numbering=tk.ReferenceFormat("BALLTT"),
    required_data=(
        "address",
        "kelurahan",
        "day",
        "volume_m3",
        "operator",
        "licence",
        "plate",
        "delivered_on",
        "delivered_m3",
    ),
    signer_role=HEAD,
    signer_position="Kepala Dinas Lingkungan Hidup",
    department="Dinas Lingkungan Hidup",
    retention_years=10,  # unverified: the city's records schedule (JRA) was not checked
)


async def issue_reports(
    visits: list[dict[str, Any]],
    delivery: dict[str, Any],
    *,
    actor_id: int | None,
    request: Any,
) -> list[str]:
    """Issue the report of each delivered visit whose premises has an owner; their numbers."""
    owners = {
        p["id"]: p
        for p in await Premises.select().where(
            Premises.id.is_in([v["premises_id"] for v in visits])
        )
    }
    truck = await Truck.select().where(Truck.id == delivery["truck_id"]).first()
    operator = await Operator.select().where(Operator.id == truck["operator_id"]).first()
    numbers = []
    for visit in visits:
        premises = owners.get(visit["premises_id"])
        if premises is None or premises["owner_id"] is None:
            continue
        issued = await tk.issue_document(
            DESLUDGING_REPORT.key,
            data={
                "address": premises["address"],
                "kelurahan": premises["kelurahan"],
                "day": visit["day"].strftime("%d-%m-%Y"),
                "volume_m3": format_m3(visit["volume_litres"] or 0),
                "operator": operator["name"],
                "licence": operator["licence_number"],
                "plate": truck["plate"],
                "delivered_on": delivery["day"].strftime("%d-%m-%Y"),
                "delivered_m3": format_m3(delivery["volume_litres"]),
            },
            subject_id=premises["owner_id"],
            reference=f"visit:{visit['id']}",
            actor_id=actor_id,
            request=request,
        )
        numbers.append(issued.number)
    return numbers
