"""The module Piccolo reads its engine and apps from (``PICCOLO_CONF``).

Balai sets ``DB`` and ``APP_REGISTRY`` here at start-up from the instance
configuration, so that Piccolo's own migration machinery sees the same
engine and the same apps as the running application.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

DB: Engine | None = None
APP_REGISTRY: AppRegistry = AppRegistry(apps=[])
