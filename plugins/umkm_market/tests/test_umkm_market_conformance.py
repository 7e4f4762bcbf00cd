"""umkm_market passes the plugin conformance suite (balai.testing.conformance)."""

from balai.testing.conformance import PluginConformance


class TestConformance(PluginConformance):
    plugin = "umkm_market"
