"""The documents tests' fixtures: the ``surat`` plugin's app, city CA, TSA and officials."""

from documents_support import (  # noqa: F401 - fixtures for this folder's tests
    balai_app,
    balai_cities,
    balai_config,
    city_ca,
    official,
    tsa_server,
)
