"""The core's partners service passes the conformance suite, as plugins do.

Built-in services are not in a city's plugin list, so ``balai demo`` does not
call a ``seed_demo`` of theirs; the rows come from the test plugin ``mitra_uji``,
whose demo data signs one partner per city with the city's name in it.
"""

from typing import Any

from balai import toolkit as tk
from balai.partners import credentials, manage
from balai.testing import TEST_SECRET_KEY
from balai.testing.conformance import PluginConformance
from test_platform_uji_plugin import uji_registry

SLUG = "mitra_uji"


class MitraUjiPlugin:
    """A test plugin whose demo data adds a partner of the city."""

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug=SLUG, title="Mitra uji", dimension=tk.Dimension.GOVERNANCE, version="0.1"
        )

    @tk.hookimpl
    async def seed_demo(self, city: tk.City) -> tk.DemoReport:
        """One partner per city, named after the city (for the conformance suite)."""
        _private, public = credentials.new_key_pair("ec")
        settings = manage.PartnerSettings(
            name=f"Bank Sandbox {city.name}",
            services=("bills", "tickets"),
            public_key=public,
            fee_flat=2500,
        )
        await manage.create_partner(settings, instance_secret=TEST_SECRET_KEY)
        return tk.DemoReport(summary=["mitra_uji: 1 partner"])


def mitra_registry() -> Any:
    registry = uji_registry()
    registry.register(MitraUjiPlugin(), SLUG)
    return registry


class TestPartnersConformance(PluginConformance):
    plugin = "partners"
    companions = (SLUG,)

    @classmethod
    def plugin_registry(cls):
        return mitra_registry()
