"""Everything the ``e_jkn`` plugin contributes to Balai, in one place.

Enrolment of residents in the national health cover (JKN) paid for by the
city, run by Dinkes: residents apply for their family, Dinkes checks with
Dukcapil and BPJS, a job registers the verified at BPJS.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_e_jkn import __version__, demo, insights, routes
from balai_e_jkn.enrolment import routes as enrolment_routes
from balai_e_jkn.erasure import applicant_data, erase_applicant
from balai_e_jkn.identity import CARD_PURPOSE, KK_PURPOSE, NIK_PURPOSE
from balai_e_jkn.membership import routes as membership_routes
from balai_e_jkn.membership.document import HEAD, MEMBERSHIP_LETTER
from balai_e_jkn.office import routes as office_routes
from balai_e_jkn.registration import REGISTER_JOB
from balai_e_jkn.roll import ROLL_IMPORTER
from balai_e_jkn.settings import EnrolmentSettings
from balai_e_jkn.tables import Enrolment, Member
from balai_e_jkn.welfare import routes as welfare_routes
from balai_e_jkn.workflow import WELFARE

SLUG = "e_jkn"
DEPARTMENT = "Dinkes"
MANAGE = routes.MANAGE
# Words (Indonesian and English) that lead the site-wide search to this service.
# Enrolments themselves are personal data and are never searched.
SEARCH_WORDS = frozenset(
    {"jkn", "bpjs", "kis", "uhc", "kesehatan", "berobat", "asuransi", "health", "insurance"}
)


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is."""
    return tk.PluginInfo(
        slug=SLUG,
        title="Health cover",
        dimension=tk.Dimension.LIVING,
        version=__version__,
        description="Enrol in the national health cover (JKN), paid for by the city.",
        department=DEPARTMENT,
    )


@tk.hookimpl
def settings_schema() -> type[EnrolmentSettings]:
    """What a city can set: this year's quota of places."""
    return EnrolmentSettings


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """The enrolments table and its migrations."""
    return ["balai_e_jkn.piccolo_app"]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """The public figures and the officers' list."""
    return tk.Routes(
        pages=[*routes.PAGES, *enrolment_routes.PAGES, *membership_routes.PAGES],
        office=[*routes.OFFICE, *office_routes.OFFICE, *welfare_routes.OFFICE],
    )


@tk.hookimpl
def scheduled_jobs() -> list[tk.Job]:
    """Registering verified people at BPJS, one batch every ten minutes."""
    return [REGISTER_JOB]


@tk.hookimpl
def sealed_fields() -> list[tk.SealedField]:
    """The sealed NIK, KK and card numbers, for ``balai keys rotate``."""
    return [
        tk.SealedField(Member, "nik_sealed", NIK_PURPOSE, indexes=("nik_index", "open_nik_index")),
        tk.SealedField(Enrolment, "kk_sealed", KK_PURPOSE, indexes=("kk_index",)),
        tk.SealedField(Member, "card_sealed", CARD_PURPOSE),
    ]


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Handling enrolments (personal data); Dinsos's welfare check of priority claims."""
    return [
        tk.Permission(MANAGE, "Check and decide health cover enrolments"),
        tk.Permission(WELFARE, "Check health cover priority claims in the welfare registry"),
    ]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """Dinkes's health cover officers and head, Dinsos's welfare officers."""
    return [
        tk.Role("e_jkn.officer", "Health cover officer", (MANAGE,), department=DEPARTMENT),
        tk.Role("e_jkn.welfare_officer", "Welfare check officer", (WELFARE,), department="Dinsos"),
        tk.Role(
            HEAD,
            "Head of Dinkes (signs letters of membership)",
            (MANAGE,),
            department=DEPARTMENT,
        ),
    ]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """The health cover in the citizens' menu."""
    return [tk.NavItem("Health cover", "/e-jkn/", order=50, icon="health")]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """The enrolments list, for health cover officers; the welfare checks, for Dinsos."""
    return [
        tk.NavItem("Enrolments", "/kelola/e-jkn/", order=50, permission=MANAGE),
        tk.NavItem("Welfare checks", "/kelola/e-jkn/dinsos/antrean", order=51, permission=WELFARE),
    ]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile leading to the health cover."""
    return [
        tk.HomeTile(
            title="Health cover",
            text="Free JKN health cover for residents, paid for by the city.",
            href="/e-jkn/",
            icon="health",
            order=50,
        )
    ]


@tk.hookimpl
def search(request, query: str) -> list[tk.SearchResult]:
    """Health-cover words find the service page; enrolments are never searched."""
    if not SEARCH_WORDS.intersection(query.lower().split()):
        return []
    return [
        tk.SearchResult(
            title=tk._("Health cover"),
            href="/e-jkn/",
            snippet=tk._("Free JKN health cover for residents, paid for by the city."),
            kind=tk._("Service"),
        )
    ]


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """A few enrolments at every stage."""
    return await demo.seed(city)


@tk.hookimpl
async def dashboard_widgets(request, period: tk.Period) -> list[tk.Widget]:
    """Enrolled against the quota, coverage, median days to active, rejection reasons."""
    return await insights.widgets(period)


@tk.hookimpl
def open_datasets(city: tk.City) -> list[tk.Dataset]:
    """People registered per district and month, small groups suppressed."""
    return list(insights.DATASETS)


@tk.hookimpl
async def user_deleted(city: tk.City, user_id: int) -> None:
    """Delete the account's pending and rejected applications; unlink the active ones."""
    await erase_applicant(user_id)


@tk.hookimpl
def document_types() -> list[tk.DocumentType]:
    """The letter of JKN membership, signed by the head of Dinkes."""
    return [MEMBERSHIP_LETTER]


@tk.hookimpl
def spreadsheet_importers() -> list[tk.Importer]:
    """The member roll, for health cover officers."""
    return [ROLL_IMPORTER]


@tk.hookimpl
async def personal_data(city: tk.City, user_id: int) -> list[tk.PersonalData]:
    """The account's applications in full (NIK, KK, card numbers), and which are kept."""
    return await applicant_data(user_id)
