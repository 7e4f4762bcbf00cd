"""The core's own features, each registered as a plugin through the same hooks.

Their slugs are reserved (:data:`balai.plugins.BUILTIN_SLUGS`) and they are
enabled in every city.
"""

from __future__ import annotations

from types import ModuleType


def builtin_plugins() -> dict[str, ModuleType]:
    """The built-in plugin modules by slug, the core first."""
    from balai import core_plugin
    from balai.audit import plugin as audit_plugin
    from balai.dashboard import plugin as dashboard_plugin
    from balai.documents import plugin as documents_plugin
    from balai.files import plugin as files_plugin
    from balai.imports import plugin as imports_plugin
    from balai.jobs import plugin as jobs_plugin
    from balai.notifications import plugin as notifications_plugin
    from balai.opendata import plugin as opendata_plugin
    from balai.partners import plugin as partners_plugin
    from balai.payments import plugin as payments_plugin
    from balai.payments.sandbox import plugin as payments_sandbox_plugin

    return {
        "core": core_plugin,
        "jobs": jobs_plugin,
        "files": files_plugin,
        "audit": audit_plugin,
        "notifications": notifications_plugin,
        "payments": payments_plugin,
        "payments_sandbox": payments_sandbox_plugin,
        "partners": partners_plugin,
        "dashboard": dashboard_plugin,
        "opendata": opendata_plugin,
        "imports": imports_plugin,
        "documents": documents_plugin,
    }
