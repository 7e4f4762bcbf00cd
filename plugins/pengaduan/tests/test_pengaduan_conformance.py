"""``pengaduan`` passes Balai's plugin conformance suite.

Two cities seeded with the demo data; every route as every kind of visitor,
every form posted with bad values, the migrations both ways, the catalog.
See "The conformance suite" in Balai's plugin guide.
"""

from balai.testing.conformance import PluginConformance


class TestConformance(PluginConformance):
    plugin = "pengaduan"
