"""wisata_heritage passes the plugin conformance suite (balai.testing.conformance)."""

from balai.testing.conformance import PluginConformance


class TestConformance(PluginConformance):
    plugin = "wisata_heritage"
