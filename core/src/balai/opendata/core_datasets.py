"""The core's own open dataset: accounts registered per month (counts only)."""

from __future__ import annotations

from balai.dashboard.core_widgets import ACCOUNTS
from balai.dashboard.metrics import metric_months
from balai.opendata.types import Dataset, DatasetColumn
from balai.tenants import City, city_scope
from balai.types import Dimension


async def accounts_per_month(city: City) -> list[dict]:
    """Accounts registered per calendar month, from the dashboard's daily aggregates."""
    with city_scope(city):
        months = await metric_months(ACCOUNTS)
    return [{"month": month, "accounts_registered": count} for month, count in months]


ACCOUNTS_MONTHLY = Dataset(
    slug="accounts-monthly",
    title="Accounts registered per month",
    description="How many accounts (citizens and officers) were registered on the city's portal "
    "each month. Counts only; updated every few minutes.",
    dimension=Dimension.GOVERNANCE,
    columns=(
        DatasetColumn("month", "month", "Calendar month (YYYY-MM), in the city's time zone."),
        DatasetColumn("accounts_registered", "integer", "Accounts registered during the month."),
    ),
    fetch=accounts_per_month,
    publisher="Diskominfo",
)
