"""The core's documents service passes the conformance suite, as plugins do.

Its rows come from the test plugin ``surat``'s demo letters in both cities.
"""

from balai.documents.tables import Document
from balai.testing.conformance import PluginConformance
from documents_support import SLUG, surat_registry


class TestDocumentsConformance(PluginConformance):
    plugin = "documents"
    companions = (SLUG,)
    path_params = {"name": Document.number, "number": Document.number}

    @classmethod
    def plugin_registry(cls):
        return surat_registry()
