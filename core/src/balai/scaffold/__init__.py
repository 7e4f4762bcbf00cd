"""Generating a new plugin package: what ``balai new-plugin`` writes.

The files come from ``template/`` beside this module. Each ``*.tmpl`` file
is copied without that suffix, with ``%%key%%`` markers replaced; the folder
and file names ``__package__``, ``__slug__``, ``__migration__`` and
``__index_migration__`` become the import package, the slug and the module
names of the first two migrations (tables, then their per-city indexes).
"""

from __future__ import annotations

import keyword
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from balai import __version__
from balai.i18n import gettext as _
from balai.types import Dimension

TEMPLATE_DIR = Path(__file__).parent / "template"
SUFFIX = ".tmpl"
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_MARKER = re.compile(r"%%([a-z_]+)%%")
_TITLE_FORBIDDEN = set('"\\%{}<>')
MAX_NAME = 40
MAX_TITLE = 60
# Slugs whose URL path would shadow the core's own pages, or that name the core.
RESERVED = frozenset(
    {
        "core",
        "balai",
        "kelola",
        "api",
        "static",
        "masuk",
        "daftar",
        "keluar",
        "akun",
        "cari",
        "bahasa",
        "healthz",
        "test",
        "tests",
    }
)


def built_in_names() -> set[str]:
    """Slugs of the built-in services and the URL segments they serve."""
    from balai.builtins import builtin_plugins

    names: set[str] = set()
    for slug, module in builtin_plugins().items():
        info = module.plugin_info()
        names.update({slug, info.url_path, info.url_path.replace("-", "_")})
    return names


class ScaffoldError(ValueError):
    """The plugin cannot be generated; the message says why."""


@dataclass(frozen=True)
class CreatedPlugin:
    """A generated plugin package.

    Attributes:
        root: The distribution's folder (``<dir>/balai-<name with dashes>``).
        files: Every file written, sorted.
    """

    root: Path
    files: list[Path]


def check_name(name: str) -> None:
    """Refuse a slug that is not usable as entry point, package and URL.

    Raises:
        ScaffoldError: naming the rule that ``name`` breaks.
    """
    if not _NAME.match(name) or len(name) > MAX_NAME:
        raise ScaffoldError(
            _(
                "%(name)r is not a valid plugin name: use 2 to %(max)s lower-case letters, digits "
                "and single underscores, starting with a letter (e.g. bank_sampah).",
                name=name,
                max=MAX_NAME,
            )
        )
    if len(name) < 2:
        raise ScaffoldError(_("%(name)r is too short: use at least 2 characters.", name=name))
    if name in RESERVED or name in built_in_names() or keyword.iskeyword(name):
        raise ScaffoldError(_("%(name)r is reserved by Balai; choose another name.", name=name))


def check_title(title: str) -> str:
    """A cleaned title, or :class:`ScaffoldError` when it cannot be used in the files."""
    cleaned = " ".join(title.split())
    if not cleaned or len(cleaned) > MAX_TITLE or not cleaned.isprintable():
        raise ScaffoldError(_("The title needs 1 to %(max)s printable characters.", max=MAX_TITLE))
    bad = sorted(_TITLE_FORBIDDEN.intersection(cleaned))
    if bad:
        raise ScaffoldError(_("The title must not contain %(chars)s.", chars=" ".join(bad)))
    return cleaned


def template_values(
    name: str, title: str, dimension: Dimension, now: datetime, title_id: str | None = None
) -> dict[str, str]:
    """The ``%%key%%`` values for plugin ``name`` (``title_id``: the Indonesian title)."""
    migration_id = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S:%f")
    index_migration_id = (
        (now + timedelta(seconds=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S:%f")
    )
    try:
        piccolo_version = version("piccolo")
    except PackageNotFoundError:  # pragma: no cover - piccolo is a dependency
        piccolo_version = "1.0.0"
    return {
        "slug": name,
        "package": f"balai_{name}",
        "dist": "balai-" + name.replace("_", "-"),
        "path": name.replace("_", "-"),
        "title": title,
        "title_id": title_id or title,
        "dimension": dimension.name,
        "migration_id": migration_id,
        "migration_module": f"{name}_" + re.sub(r"[^0-9a-z]", "_", migration_id.lower()),
        "index_migration_id": index_migration_id,
        "index_migration_module": f"{name}_"
        + re.sub(r"[^0-9a-z]", "_", index_migration_id.lower()),
        "ref_prefix": name.replace("_", "")[:3].upper(),
        "balai_version": __version__,
        "piccolo_version": piccolo_version,
    }


def _fill(text: str, values: dict[str, str], source: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise ScaffoldError(f"template {source.name}: unknown marker %%{key}%%")
        return values[key]

    return _MARKER.sub(replace, text)


def _target_name(part: str, values: dict[str, str]) -> str:
    part = part.removesuffix(SUFFIX)
    return (
        part.replace("__package__", values["package"])
        .replace("__slug__", values["slug"])
        .replace("__index_migration__", values["index_migration_module"])
        .replace("__migration__", values["migration_module"])
    )


def create_plugin(
    name: str,
    parent: str | Path = ".",
    *,
    title: str | None = None,
    title_id: str | None = None,
    dimension: Dimension = Dimension.GOVERNANCE,
    now: datetime | None = None,
) -> CreatedPlugin:
    """Write a new plugin ``<parent>/balai-<name>/`` and return what was written.

    The folder is named after the distribution (``balai-bank-sampah`` for
    ``bank_sampah``), as a plugin's own repository would be.

    The folder appears complete or not at all: the files are written into a
    temporary folder beside it, which is then renamed.

    Args:
        name: The plugin's slug (``bank_sampah``).
        parent: The folder to create the package in.
        title: Human title (an English gettext msgid); default from ``name``.
        title_id: The title in Indonesian, written into the catalog; default
            from ``name`` (slugs are usually Indonesian words).
        dimension: The smart-city dimension the plugin serves.
        now: The time that names the first migration (default: now).

    Raises:
        ScaffoldError: for a bad name or title, or an existing folder.
    """
    check_name(name)
    from_name = name.replace("_", " ").capitalize()
    title = check_title(title if title is not None else from_name)
    title_id = check_title(title_id if title_id is not None else from_name)
    parent = Path(parent)
    values = template_values(name, title, dimension, now or datetime.now(UTC), title_id)
    root = parent / values["dist"]  # the distribution's name: balai-bank-sampah/
    if root.exists():
        raise ScaffoldError(_("%(path)s already exists; choose another name or folder.", path=root))
    if parent.exists() and not parent.is_dir():
        raise ScaffoldError(_("%(path)s is not a folder.", path=parent))
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=parent))
    try:
        for source in sorted(TEMPLATE_DIR.rglob(f"*{SUFFIX}")):
            relative = source.relative_to(TEMPLATE_DIR)
            target = staging.joinpath(*(_target_name(p, values) for p in relative.parts))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                _fill(source.read_text(encoding="utf-8"), values, source), encoding="utf-8"
            )
        staging.chmod(0o755)  # mkdtemp made it private; a package folder is not
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return CreatedPlugin(root=root, files=files)
