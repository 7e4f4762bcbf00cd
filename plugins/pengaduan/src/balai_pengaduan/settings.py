"""What a city can set for the ``pengaduan`` plugin (Ngalam 112).

Categories, departments, kelurahan, the city's bounding box and the time
limits are data of the city, not code: each city lists its own in
``[cities.<city>.settings.pengaduan]``. The defaults below let a city enable
the plugin with no settings at all; their hours are examples, not a
regulation (belum diverifikasi / unverified).
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from balai import toolkit as tk

SLUG = "pengaduan"
MANAGE = "pengaduan.manage"  # officers: work their department's queue
ADMIN = "pengaduan.admin"  # the city's complaint desk: departments, API clients, photos

Code = Annotated[str, msgspec.Meta(pattern="^[a-z0-9][a-z0-9_-]{0,39}$")]
Hours = Annotated[int, msgspec.Meta(ge=1, le=24 * 365)]


class Category(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One kind of report (an Open311 *service*).

    Attributes:
        code: The ``service_code``, unique in the city.
        name: Shown to citizens (data: written in the city's language).
        department: The ``code`` of the department that handles it.
        emergency: Show the call button first, mark reports urgent.
        first_response_hours: Time allowed until an officer's first step.
        resolution_hours: Time allowed until the report is resolved.
        description: One line for the service list.
        group: The Open311 ``group``.
    """

    code: Code
    name: str
    department: Code
    emergency: bool = False
    first_response_hours: Hours = 24
    resolution_hours: Hours = 168
    description: str = ""
    group: str = ""


class Department(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A department whose officers work a queue."""

    code: Code
    name: str


class Bounds(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The city's bounding box in WGS 84 degrees; points outside are refused."""

    south: Annotated[float, msgspec.Meta(ge=-90, le=90)]
    west: Annotated[float, msgspec.Meta(ge=-180, le=180)]
    north: Annotated[float, msgspec.Meta(ge=-90, le=90)]
    east: Annotated[float, msgspec.Meta(ge=-180, le=180)]

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point lies in the box (edges included)."""
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def corners(self) -> tuple[float, float, float, float]:
        """``(south, west, north, east)``, as ``ui.map_picker`` opens the map on it."""
        return (self.south, self.west, self.north, self.east)


DEFAULT_DEPARTMENTS = (
    Department("pupr", "Dinas Pekerjaan Umum"),
    Department("dlh", "Dinas Lingkungan Hidup"),
    Department("damkar", "Pemadam Kebakaran"),
    Department("dinkes", "Dinas Kesehatan"),
)

DEFAULT_CATEGORIES = (
    Category("lampu", "Lampu jalan mati", "pupr", first_response_hours=24, resolution_hours=72),
    Category("jalan", "Jalan rusak", "pupr", first_response_hours=48, resolution_hours=336),
    Category("sampah", "Sampah menumpuk", "dlh", first_response_hours=24, resolution_hours=72),
    Category(
        "kebakaran",
        "Kebakaran",
        "damkar",
        emergency=True,
        first_response_hours=1,
        resolution_hours=24,
    ),
    Category(
        "medis",
        "Kedaruratan medis",
        "dinkes",
        emergency=True,
        first_response_hours=1,
        resolution_hours=24,
    ),
)


class Settings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Per-city settings, from ``[cities.<city>.settings.pengaduan]``.

    Attributes:
        categories: What can be reported.
        departments: Who handles it.
        kelurahan: The city's kelurahan, offered in the address form.
        bounds: The city's bounding box (``None``: any point is accepted).
        emergency_number: The number the call button dials.
        duplicate_radius_m: A report this close, same category, is offered as a duplicate.
        duplicate_days: ... when it is at most this many days old.
        confirm_days: How long the reporter may confirm or reopen a resolved report.
        per_page: Reports per page on the public board and the queues.
    """

    categories: tuple[Category, ...] = DEFAULT_CATEGORIES
    departments: tuple[Department, ...] = DEFAULT_DEPARTMENTS
    kelurahan: tuple[str, ...] = ()
    bounds: Bounds | None = None
    emergency_number: Annotated[str, msgspec.Meta(pattern="^[0-9]{3,15}$")] = "112"
    duplicate_radius_m: Annotated[int, msgspec.Meta(ge=10, le=5000)] = 150
    duplicate_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 30
    confirm_days: Annotated[int, msgspec.Meta(ge=1, le=90)] = 14
    per_page: Annotated[int, msgspec.Meta(ge=5, le=100)] = 20

    def __post_init__(self) -> None:
        departments = {d.code for d in self.departments}
        codes = [c.code for c in self.categories]
        if len(set(codes)) != len(codes):
            raise ValueError("two categories share a code")
        for category in self.categories:
            if category.department not in departments:
                raise ValueError(
                    f"category {category.code}: unknown department {category.department}"
                )

    def category(self, code: str) -> Category | None:
        """The category ``code`` of this city, if it has one."""
        return next((c for c in self.categories if c.code == code), None)

    def department(self, code: str) -> Department | None:
        """The department ``code`` of this city, if it has one."""
        return next((d for d in self.departments if d.code == code), None)


def city_settings() -> Settings:
    """The current city's settings (the defaults when it sets none)."""
    return tk.current_city().settings_for(SLUG) or Settings()
