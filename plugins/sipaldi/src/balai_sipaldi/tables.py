"""The tables of the ``sipaldi`` plugin (Piccolo app ``sipaldi``).

Volumes are whole litres (see :mod:`balai_sipaldi.volumes`), money whole
rupiah, days calendar dates in the city's zone, times UTC.
"""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import Boolean, Date, Integer, Timestamptz, Varchar


class TankType(enum.StrEnum):
    """How the tank is built (what the crew will find)."""

    SEALED = "sealed"  # tangki septik kedap (SNI 2398:2017)
    BIOFILTER = "biofilter"  # tangki biofilter pabrikan
    CESSPIT = "cesspit"  # cubluk, not sealed


class Premises(tk.CityTable, tablename="sipaldi_premises"):
    """A building with a septic tank on the city's desludging schedule.

    ``address`` and ``owner_id`` are personal data: shown to the owner and
    to DLH officers only. ``owner_id`` is ``None`` for a premises imported
    from the old registry that no household has claimed yet. ``nop`` is the
    PBB tax object number (18 digits) when the household gave it, else ``""``.
    ``next_due`` is ``None`` while the city has no schedule rule.
    """

    owner_id = Integer(null=True, default=None, index=True)
    address = Varchar(length=200)
    kelurahan = Varchar(length=60)
    kecamatan = Varchar(length=60)
    nop = Varchar(length=18, default="")
    tank_type = Varchar(length=20, choices=TankType, default=TankType.SEALED.value)
    tank_litres = Integer()
    year_built = Integer(null=True, default=None)
    hose_metres = Integer(default=0)
    last_desludged = Date(null=True, default=None)
    next_due = Date(null=True, default=None)
    created_at = Timestamptz()

    city_indexes = (("next_due",), ("kelurahan", "next_due"))


class Operator(tk.CityTable, tablename="sipaldi_operator"):
    """A licensed desludging firm: its own trucks, the areas it serves and its published fee.

    ``service_fee`` is the firm's own price for pumping one visit, in whole
    rupiah (shown on the booking; the city's disposal fee is separate).
    """

    name = Varchar(length=120)
    licence_number = Varchar(length=60)
    phone = Varchar(length=20, default="")
    service_fee = Integer(default=0)
    created_at = Timestamptz()

    city_unique = (("licence_number",),)


class Truck(tk.CityTable, tablename="sipaldi_truck"):
    """A vacuum truck of an operator: how much it carries and how often it can go to the plant.

    ``capacity_litres`` is what one trip carries; ``trips_per_day`` how many
    loads it can take to the plant in a day. ``plate`` is unique in the city.
    """

    operator_id = Integer(index=True)
    plate = Varchar(length=12)
    capacity_litres = Integer()
    trips_per_day = Integer(default=1)
    active = Boolean(default=True)

    city_unique = (("plate",),)


class ServiceArea(tk.CityTable, tablename="sipaldi_service_area"):
    """A kelurahan an operator serves (its trucks are planned there)."""

    operator_id = Integer(index=True)
    kelurahan = Varchar(length=60)
    kecamatan = Varchar(length=60)

    city_unique = (("operator_id", "kelurahan"),)


class VisitStatus(enum.StrEnum):
    """Where a visit stands (the moves are in :mod:`balai_sipaldi.planning.visits`)."""

    PROPOSED = "proposed"  # by the planner, not yet published
    SCHEDULED = "scheduled"  # published: the household is told
    CONFIRMED = "confirmed"  # the household will be home
    DECLINED = "declined"  # the household said no, with a reason
    CANCELLED = "cancelled"  # an officer took it out of the plan
    DONE = "done"  # pumped: volume and photo recorded
    NOT_HOME = "not_home"  # nobody home: a new visit is planned
    REFUSED = "refused"  # the household refused at the door: a new visit is planned


OPEN_VISIT = (
    VisitStatus.PROPOSED.value,
    VisitStatus.SCHEDULED.value,
    VisitStatus.CONFIRMED.value,
)


class Visit(tk.CityTable, tablename="sipaldi_visit"):
    """One truck's visit to one premises on one day, in a trip and a place in it.

    ``planned_litres`` is the tank's volume when planned (what the trip was
    sized for); ``volume_litres`` what the crew pumped. ``due_day`` is the
    premises' due day when the visit was planned (a visit done by then was on
    schedule). ``delivery_id`` is
    the plant delivery that carried it, once delivered. ``kind`` is
    ``scheduled`` (from the plan) or ``on_demand`` (asked by the household).
    """

    premises_id = Integer(index=True)
    truck_id = Integer(index=True)
    day = Date()
    trip = Integer(default=1)
    position = Integer(default=1)
    planned_litres = Integer()
    due_day = Date(null=True, default=None)
    status = Varchar(length=20, choices=VisitStatus, default=VisitStatus.PROPOSED.value, index=True)
    kind = Varchar(length=20, default="scheduled")
    volume_litres = Integer(null=True, default=None)
    photo = Varchar(length=300, default="")
    reason = Varchar(length=300, default="")
    notices_sent = Varchar(length=40, default="")
    delivery_id = Integer(null=True, default=None, index=True)
    done_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()

    city_indexes = (("day", "truck_id"), ("status", "day"))


class Delivery(tk.CityTable, tablename="sipaldi_delivery"):
    """A truck's load arriving at the treatment plant (IPLT), logged at the gate.

    ``volume_litres`` is what the plant measured; ``collected_litres`` what
    the crews recorded for the visits it carries (those visits point here
    through ``Visit.delivery_id``). ``day`` is the local day of arrival.
    """

    truck_id = Integer(index=True)
    day = Date()
    arrived_at = Timestamptz()
    volume_litres = Integer()
    collected_litres = Integer()
    logged_by = Integer(null=True, default=None)

    city_indexes = (("day", "truck_id"),)


class Fee(tk.CityTable, tablename="sipaldi_fee"):
    """A disposal fee (retribution) for septage delivered at the plant, billed through the ledger.

    Billed to the household (``visit_id``, ``owner_id``) or to the operator
    (``operator_id``, one per delivery), as the city sets. ``amount`` is
    ``litres`` × ``per_m3`` rounded half up (see :mod:`balai_sipaldi.fees.tariff`).
    ``invoice_number`` is the ledger invoice while one is open or paid.
    """

    delivery_id = Integer(index=True)
    visit_id = Integer(null=True, default=None, index=True)
    owner_id = Integer(null=True, default=None, index=True)
    operator_id = Integer(null=True, default=None)
    litres = Integer()
    per_m3 = Integer()
    amount = Integer()
    invoice_number = Varchar(length=40, default="")
    paid = Boolean(default=False)
    created_at = Timestamptz()
    paid_at = Timestamptz(null=True, default=None)


class Instalment(tk.CityTable, tablename="sipaldi_instalment"):
    """One monthly part of a disposal fee the household chose to pay in instalments.

    The parts add up to the fee exactly (the first takes the rupiah left
    over by the division); each is paid through its own ledger invoice, and
    the fee is paid when every part is.
    """

    fee_id = Integer(index=True)
    number = Integer()
    amount = Integer()
    due_day = Date()
    invoice_number = Varchar(length=40, default="")
    paid = Boolean(default=False)
    paid_at = Timestamptz(null=True, default=None)


class Staff(tk.CityTable, tablename="sipaldi_staff"):
    """An account working for an operator: its office (``truck_id`` ``None``) or a truck's crew.

    DLH officers link the account (which holds the ``sipaldi.operator`` or
    ``sipaldi.crew`` role) to the firm, and a crew account to its truck: the
    firm's office sees only the firm's deliveries and invoices, a crew only
    its truck's route. One link per account.
    """

    user_id = Integer(index=True)
    operator_id = Integer(index=True)
    truck_id = Integer(null=True, default=None)
    created_at = Timestamptz()

    city_unique = (("user_id",),)
