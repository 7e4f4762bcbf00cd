"""``pengaduan`` passes Balai's plugin conformance suite.

Two cities seeded with the demo data; every route as every kind of visitor,
every form posted with bad values, the migrations both ways, the catalog.
See "The conformance suite" in Balai's plugin guide. The Open311 paths
name a file (``{id}.json``); the suite fills them from the rows' columns.
"""

from balai.testing.conformance import PluginConformance

from balai_pengaduan.tables import Report


class TestConformance(PluginConformance):
    plugin = "pengaduan"
    path_params = {"request_file": Report.number, "service_file": Report.category}  # noqa: RUF012
