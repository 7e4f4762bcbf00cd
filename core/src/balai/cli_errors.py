"""How ``balai`` commands report failure, shared by :mod:`balai.cli` and the services' groups.

The services' command groups (``balai audit`` ...) are registered on the
main command by :mod:`balai.cli`; they use these helpers from here, so that
neither module imports the other.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from balai.config import ConfigError
from balai.i18n import gettext as _


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` in red on standard error and exit with ``code``."""
    click.secho(message, fg="red", err=True)
    sys.exit(code)


def config_error(exc: ConfigError, code: int = 1) -> NoReturn:
    """Report a configuration error with its place in the file, then exit."""
    fail(_("Configuration error at %(path)s: %(reason)s", path=exc.path, reason=exc.reason), code)


def admin_app(config_path: Path, builder: Any) -> Any:
    """``builder(config_path)``, exiting with the reason when the instance cannot start."""
    from balai.web.app import StartupError

    try:
        return builder(config_path)
    except ConfigError as exc:
        config_error(exc)
    except StartupError as exc:
        fail(str(exc))
