"""Extracting a package's messages, updating its catalogs and checking them.

The library behind ``tools/i18n.py`` (whose docstring is the plugin author's
guide), :func:`balai.testing.assert_catalog_complete` and
``python -m balai.i18n_check``, which works wherever ``balai`` is installed,
also for a plugin developed outside the Balai repository::

    python -m balai.i18n_check update path/to/balai_pasar   # add new msgids to locale/id, en
    python -m balai.i18n_check check path/to/balai_pasar    # exit 1 listing what is missing
    python -m balai.i18n_check check --package balai_pasar  # an installed package

Message ids are English; Indonesian (``id``) is every city's default
language, so every msgid needs an Indonesian translation, in the package's
own catalog or the core's. What is extracted: gettext calls (``_``,
``gettext``, ``ngettext``, ``pgettext``, ``npgettext``, ``N_``, so also
``tk._``) in Python and Jinja templates, and the literal msgids handed to the
core's typed values (:data:`MSGID_ARGUMENTS`).
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import importlib.util
import inspect
import io
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

#: Where messages are, relative to one package folder (the repository's
#: ``babel.cfg`` holds the same map for running ``pybabel`` by hand).
MAPPING = """\
[ignore: **/tests/**]
[ignore: **/migrations/**]
[ignore: **/scaffold/template/**]

[python: **.py]

[jinja2: **/templates/**.html]
silent = false
"""
LANGUAGES = ("id", "en")
SOURCE_LANGUAGE = "en"

#: Translation functions: ``tk._`` and ``tk.gettext`` match ``_`` and ``gettext``.
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}

#: Values the core translates where it shows them: for each call as written
#: (``NavItem(...)``, ``tk.Widget.figure(...)``), where the callable is defined
#: and which of its parameters hold msgids (a string, or a list of strings).
MSGID_ARGUMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "PluginInfo": ("balai.types:PluginInfo", ("title", "description")),
    "NavItem": ("balai.types:NavItem", ("label",)),
    "Role": ("balai.types:Role", ("title",)),
    "HomeTile": ("balai.types:HomeTile", ("title", "text")),
    "Widget": ("balai.dashboard.widgets:Widget", ("title", "note", "columns")),
    "Widget.figure": ("balai.dashboard.widgets:Widget.figure", ("title", "note")),
    "Widget.gauge": ("balai.dashboard.widgets:Widget.gauge", ("title", "note")),
    "Widget.chart": ("balai.dashboard.widgets:Widget.chart", ("title", "note")),
    "Widget.table": ("balai.dashboard.widgets:Widget.table", ("title", "note", "columns")),
    "Dataset": ("balai.opendata.types:Dataset", ("title", "description")),
    "DatasetColumn": ("balai.opendata.types:DatasetColumn", ("description",)),
    "Job": ("balai.jobs.types:Job", ("description",)),
    "Importer": ("balai.imports.types:Importer", ("title", "description")),
    "ImportColumn": ("balai.imports.types:ImportColumn", ("description",)),
    "TextField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "IntegerField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "RupiahField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "DateField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "ChoiceField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "CheckboxField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "EmailField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "PhoneField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "NikField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "KkField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "NopField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
    "FileField": ("balai.forms.fields:Field", ("label", "hint", "missing", "invalid")),
}

#: Babel guesses two plural forms for Indonesian; gettext uses one (no plural inflection).
PLURAL_FORMS = {"id": "nplurals=1; plural=0;"}

_PLACEHOLDER = re.compile(r"%\((\w+)\)")
_STRAY_PERCENT = re.compile(r"%(?!\()")


def _field_positions() -> dict[str, dict[str, int]]:
    """Position of each msgid parameter in its call, read from the callables' signatures."""
    positions: dict[str, dict[str, int]] = {}
    for written, (where, wanted) in MSGID_ARGUMENTS.items():
        module, _, qualname = where.partition(":")
        target: Any = importlib.import_module(module)
        for part in qualname.split("."):
            target = getattr(target, part)
        names = list(inspect.signature(target).parameters)
        positions[written] = {field: names.index(field) for field in wanted}
    return positions


def _call_names(func: ast.expr) -> list[str]:
    """How a call may be listed in MSGID_ARGUMENTS: ``Widget.figure``, then ``figure``."""
    if isinstance(func, ast.Name):
        return [func.id]
    if not isinstance(func, ast.Attribute):
        return []
    owner = func.value
    owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
    return [f"{owner_name}.{func.attr}", func.attr] if owner_name else [func.attr]


def _literals(node: ast.expr | None) -> Iterator[ast.Constant]:
    """String literals given as one value or as a list/tuple of them."""
    items = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    for item in items:
        if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value:
            yield item


def extract_typed_values(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for msgids passed to the core's typed values.

    Finds calls listed in :data:`MSGID_ARGUMENTS`, such as
    ``NavItem("Market", "/pasar/")`` or ``tk.Widget.figure("pasar.shops",
    dim, "Shops", n)``, and yields the string literals in their msgid
    parameters, as if each had been wrapped in ``gettext``.
    Before Python 3.12, babel's tokenizer sees an f-string as one token, so
    gettext calls inside one (``f"{_('login'):<10}"``) are found here too.

    Args:
        fileobj: The Python source, opened in binary mode.
        keywords: Babel's keyword map (for gettext calls inside f-strings).
        comment_tags: Translator comment tags (unused).
        options: Extractor options (unused).

    Yields:
        ``(lineno, "gettext", msgid, [])`` tuples.
    """
    del comment_tags, options
    try:
        tree = ast.parse(fileobj.read())
    except SyntaxError:
        return
    positions = _field_positions()
    if sys.version_info < (3, 12):
        yield from _calls_inside_fstrings(tree, keywords)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = next((n for n in _call_names(node.func) if n in positions), None)
        if name is None:
            continue
        for field, index in positions[name].items():
            value: ast.expr | None = node.args[index] if index < len(node.args) else None
            for keyword in node.keywords:
                if keyword.arg == field:
                    value = keyword.value
            for literal in _literals(value):
                yield literal.lineno, "gettext", literal.value, []


def _calls_inside_fstrings(
    tree: ast.AST, keywords: Mapping[str, Any]
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Gettext calls nested in f-string expressions, shaped like babel's results."""
    for fstring in ast.walk(tree):
        if not isinstance(fstring, ast.JoinedStr):
            continue
        for node in ast.walk(fstring):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in keywords:
                continue
            args = tuple(
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args
            )
            if args and any(args):
                yield node.lineno, name, args if len(args) > 1 else args[0], []


def extract_python_and_values(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Sequence[str],
    options: Any,
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel's Python extractor followed by :func:`extract_typed_values`."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    yield from extract_typed_values(io.BytesIO(source), keywords, comment_tags, options)


def load_mapping(path: Path | None = None) -> tuple[list[tuple[str, Any]], dict[str, Any]]:
    """The extraction map (:data:`MAPPING`, or a ``babel.cfg`` file), Python using our extractor."""
    if path is None:
        method_map, options_map = parse_mapping_cfg(io.StringIO(MAPPING), filename="MAPPING")
    else:
        with path.open(encoding="utf-8") as handle:
            method_map, options_map = parse_mapping_cfg(handle, filename=str(path))
    methods = [
        (pattern, extract_python_and_values if method == "python" else method)
        for pattern, method in method_map
    ]
    return methods, options_map


def extract(roots: Iterable[Path], project: str = "balai") -> Catalog:
    """Extract every msgid under ``roots`` into a template catalog.

    Args:
        roots: Package folders (and, for the core, the themes folder).
        project: The project name written in the catalog header.

    Returns:
        A catalog without translations; locations are ``<root name>/<path>``.
    """
    method_map, options_map = load_mapping()
    template = Catalog(project=project, fuzzy=False)
    for root in roots:
        found = extract_from_dir(
            root,
            method_map,
            options_map,
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            location = (f"{root.name}/{Path(filename).as_posix()}", lineno)
            existing = template.get(message, context)
            if existing is not None:
                existing.locations.append(location)
                existing.auto_comments.extend(
                    c for c in comments if c not in existing.auto_comments
                )
                continue
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def placeholders(text: str) -> set[str]:
    """The ``%(name)s`` placeholder names in ``text``."""
    return set(_PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, said so that a developer can fix it."""

    package: str
    msgid: str
    reason: str
    where: str = ""

    def __str__(self) -> str:
        """A one-line report."""
        where = f" (used in {self.where})" if self.where else ""
        return f"{self.package}: {self.reason}: {self.msgid!r}{where}"


def msgid_of(message: Message) -> str:
    """The msgid of ``message`` (the singular one for plural messages)."""
    return _ids(message)[0]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string or ""]


def placeholder_problem(message: Message) -> str | None:
    """Why ``message``'s translation does not fit its msgid's placeholders, if it does not.

    A singular translation must use exactly the msgid's placeholders. Each
    plural form may use any placeholder of the singular or plural msgid, and
    must keep those that both share.
    """
    ids = [placeholders(i) for i in _ids(message)]
    allowed = set().union(*ids)
    required = set.intersection(*ids)
    for text in _strings(message):
        if not text:
            continue
        used = placeholders(text)
        if len(ids) == 1 and used != allowed:
            return f"placeholders {sorted(used)} differ from the msgid's {sorted(allowed)}"
        if used - allowed or required - used:
            return f"placeholders {sorted(used)} do not fit the msgid's {sorted(allowed)}"
        if stray_percents(text) > max(stray_percents(i) for i in _ids(message)):
            return "a lone '%' (write '%%' for a percent sign; templates always format)"
    return None


def stray_percents(text: str) -> int:
    """How many ``%`` in ``text`` are neither ``%%`` nor the start of ``%(name)``."""
    return len(_STRAY_PERCENT.findall(text.replace("%%", "")))


def misused_calls(roots: Iterable[Path]) -> list[Problem]:
    """Gettext calls whose text is built before translation, so never translates.

    ``_(f"Hi {name}")``, ``_("Hi %s" % name)``, ``_("Hi {}".format(name))`` and
    ``_("Hi " + name)`` look up a msgid that no catalog has; pass variables
    as keywords instead: ``_("Hi %(name)s", name=name)``.
    """
    problems: list[Problem] = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if any(
                part in {"tests", "migrations"} or part.startswith((".", "_"))
                for part in relative.parts[:-1]
            ):
                continue
            tree = ast.parse(path.read_bytes(), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name not in KEYWORDS:
                    continue
                first = (
                    node.args[1]
                    if name in ("pgettext", "npgettext") and len(node.args) > 1
                    else node.args[0]
                )
                if _built_text(first):
                    where = f"{root.name}/{relative.as_posix()}:{node.lineno}"
                    problems.append(
                        Problem(root.name, ast.unparse(first), "text built before gettext", where)
                    )
    return problems


def _built_text(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return any(
            isinstance(side, ast.Constant | ast.JoinedStr) for side in (node.left, node.right)
        )
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    )


def _translated(catalog: Catalog | None, message: Message) -> bool:
    if catalog is None:
        return False
    found = catalog.get(message.id, message.context)
    return found is not None and not found.fuzzy and all(_strings(found))


def missing_translations(
    package: str,
    template: Catalog,
    catalog: Catalog | None,
    fallbacks: Sequence[Catalog] = (),
) -> list[Problem]:
    """Msgids of ``template`` that neither ``catalog`` nor a fallback translates.

    Args:
        package: The package's name, for the report.
        template: What :func:`extract` found in the package.
        catalog: The package's own Indonesian catalog (``None`` if it has none).
        fallbacks: Catalogs that may translate a msgid instead (the core's).

    Returns:
        One problem per untranslated (empty or fuzzy) msgid, in source order.
    """
    problems: list[Problem] = []
    for message in template:
        if not message.id:
            continue
        if _translated(catalog, message) or any(_translated(f, message) for f in fallbacks):
            continue
        where = ", ".join(path for path, _ in message.locations[:3])
        problems.append(Problem(package, _ids(message)[0], "no Indonesian translation", where))
    return problems


def placeholder_mismatches(package: str, catalog: Catalog | None) -> list[Problem]:
    """Translations in ``catalog`` whose ``%(name)s`` placeholders do not fit the msgid."""
    problems: list[Problem] = []
    for message in catalog or ():
        reason = placeholder_problem(message) if message.id else None
        if reason:
            language = catalog.locale_identifier if catalog else ""
            problems.append(Problem(package, _ids(message)[0], f"{language}: {reason}"))
    return problems


def shadowed_translations(package: str, catalog: Catalog | None, core: Catalog) -> list[Problem]:
    """A plugin's translations that are never shown because the core translates the msgid.

    Catalogs are merged with the core first and the core wins, so a plugin
    that means something else by the same English text needs a context
    (``tk.pgettext``) or the core's wording.
    """
    problems: list[Problem] = []
    for message in catalog or ():
        theirs = core.get(message.id, message.context) if message.id else None
        if (
            theirs is None
            or theirs.fuzzy
            or not all(_strings(theirs))
            or not all(_strings(message))
        ):
            continue
        if _strings(theirs) != _strings(message):
            reason = (
                f"the core's translation {_strings(theirs)[0]!r} wins over "
                f"{_strings(message)[0]!r}; use tk.pgettext for another meaning"
            )
            problems.append(Problem(package, msgid_of(message), reason))
    return problems


def check(
    package: str,
    template: Catalog,
    catalog: Catalog | None,
    fallbacks: Sequence[Catalog] = (),
) -> list[Problem]:
    """Everything wrong with a package's Indonesian catalog.

    Returns:
        :func:`missing_translations`, then :func:`placeholder_mismatches`.
    """
    return [
        *missing_translations(package, template, catalog, fallbacks),
        *placeholder_mismatches(package, catalog),
    ]


def read_catalog(po_file: Path, locale: str) -> Catalog | None:
    """Read ``po_file`` (``None`` when it does not exist)."""
    if not po_file.exists():
        return None
    with po_file.open("rb") as handle:
        return read_po(handle, locale=locale)


def catalog_path(locale_dir: Path, locale: str) -> Path:
    """Where the catalog of ``locale`` lives under a package's ``locale`` folder."""
    return locale_dir / locale / "LC_MESSAGES" / "messages.po"


def read_suggestions(files: Iterable[Path]) -> dict[str, str]:
    """Suggested translations from ``msgid<TAB>translation`` lines (``#`` comments)."""
    suggestions: dict[str, str] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#") or "\t" not in line:
                continue
            msgid, translation = line.split("\t", 1)
            if msgid and translation.strip():
                suggestions[msgid] = translation.strip()
    return suggestions


def _version(project: str) -> str:
    """The installed version of the distribution behind ``project``, if known."""
    for name in (project, project.replace("_", "-")):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "0"


def _without_placeholder_headers(po: bytes) -> bytes:
    """Drop header lines that babel fills with placeholders we have no value for."""
    lines = po.split(b"\n")
    return b"\n".join(line for line in lines if line != b'"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"')


def new_catalog(locale: str, project: str) -> Catalog:
    """An empty catalog of ``locale`` with a clean header."""
    name = {"id": "Indonesian", "en": "English"}.get(locale, locale)
    catalog = Catalog(
        locale=locale,
        project=project,
        version=_version(project),
        revision_date=datetime.now(UTC),
        header_comment=(
            f"# {name} translations of {project}.\n"
            "# Updated by balai.i18n_check; msgids are English, Indonesian is the default language."
        ),
        last_translator="Balai contributors",
        language_team=name,
        fuzzy=False,
    )
    if locale in PLURAL_FORMS:
        catalog.mime_headers = [
            *[(k, v) for k, v in catalog.mime_headers if k != "Plural-Forms"],
            ("Plural-Forms", PLURAL_FORMS[locale]),
        ]
    return catalog


def update(
    locale_dir: Path,
    template: Catalog,
    *,
    project: str,
    suggestions: Mapping[str, str] | None = None,
    languages: Sequence[str] = LANGUAGES,
) -> dict[str, int]:
    """Bring the ``.po`` files of ``languages`` in line with ``template``.

    Args:
        locale_dir: The package's ``locale`` folder.
        template: What :func:`extract` found.
        project: The project name for new catalogs' headers.
        suggestions: Indonesian translations to fill into empty ``id`` entries.
        languages: Which catalogs to write.

    Returns:
        For each language, how many of its msgids are still untranslated.
    """
    untranslated: dict[str, int] = {}
    for locale in languages:
        path = catalog_path(locale_dir, locale)
        catalog = read_catalog(path, locale) or new_catalog(locale, project)
        # update() adopts the template's message objects: give each language its own.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_creation_date=False)
        if locale == "id" and suggestions:
            for message in catalog:
                ids = _ids(message)
                if message.id and not any(_strings(message)) and ids[0] in suggestions:
                    text = suggestions[ids[0]]
                    message.string = (
                        tuple(text for _ in range(catalog.num_plurals)) if len(ids) > 1 else text
                    )
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, ignore_obsolete=True, include_lineno=False)
        path.write_bytes(_without_placeholder_headers(buffer.getvalue()))
        untranslated[locale] = sum(1 for m in catalog if m.id and not all(_strings(m)))
    return untranslated


@dataclass(frozen=True)
class Target:
    """A package to extract from and the catalogs that belong to it."""

    name: str
    roots: tuple[Path, ...]
    locale_dir: Path
    suggestion_files: tuple[Path, ...] = ()


def _walked_from(root: Path, folder: Path) -> bool:
    """Whether extracting from ``root`` reaches ``folder``.

    Babel skips folders whose names start with ``_`` or ``.``: in an installed
    wheel the themes live in ``balai/_bundled/themes`` and need a root of their own.
    """
    if root not in folder.parents:
        return False
    return not any(part.startswith(("_", ".")) for part in folder.relative_to(root).parts)


def core_target() -> Target:
    """The core: its package and every theme's templates (themes ship with it)."""
    from balai.web.themes import bundled_root

    package = Path(importlib.util.find_spec("balai").origin).parent  # type: ignore[arg-type,union-attr]
    themes = bundled_root("themes")
    roots = [package]
    if themes.is_dir() and not _walked_from(package, themes):
        roots.append(themes)
    suggestions = tuple(sorted(themes.glob("*/MSGIDS.txt"))) if themes.is_dir() else ()
    return Target("balai", tuple(roots), package / "locale", suggestions)


def package_target(import_name: str) -> Target:
    """An installed package, by import name (``balai_pajak``)."""
    spec = importlib.util.find_spec(import_name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"No installed package named {import_name!r}")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return Target(import_name, (folder,), folder / "locale")


def path_target(path: Path) -> Target:
    """A package folder, or a distribution folder with one package inside."""
    path = path.resolve()
    if (path / "__init__.py").exists():
        return Target(path.name, (path,), path / "locale")
    base = path / "src" if (path / "src").is_dir() else path
    packages = [p for p in sorted(base.iterdir()) if (p / "__init__.py").exists()]
    if len(packages) != 1:
        found = ", ".join(p.name for p in packages) or "none"
        raise SystemExit(f"Expected one package in {base}, found: {found}")
    return target_for(str(packages[0]))


def target_for(what: str | None, package: str | None = None) -> Target:
    """Resolve the command line's target: ``core``, a folder, or ``--package``."""
    if package:
        return package_target(package)
    if what in (None, "core", "balai"):
        return core_target()
    return path_target(Path(what))


def core_catalog() -> Catalog | None:
    """The core's Indonesian catalog (the fallback for plugins)."""
    return read_catalog(catalog_path(core_target().locale_dir, "id"), "id")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: ``update`` or ``check`` one package's catalogs."""
    parser = argparse.ArgumentParser(
        description="Extract msgids and update or check a Balai package's id/en catalogs."
    )
    parser.add_argument("command", choices=["update", "check"])
    parser.add_argument(
        "target",
        nargs="?",
        default="core",
        help="'core' (default), or a package/distribution folder",
    )
    parser.add_argument("--package", help="an installed package's import name instead of a folder")
    parser.add_argument(
        "--suggestions",
        type=Path,
        action="append",
        default=[],
        help="msgid<TAB>Indonesian lines used to fill empty translations (repeatable)",
    )
    args = parser.parse_args(argv)
    target = target_for(args.target, args.package)
    template = extract(target.roots, project=target.name)

    if args.command == "update":
        suggestions = read_suggestions([*target.suggestion_files, *args.suggestions])
        counts = update(target.locale_dir, template, project=target.name, suggestions=suggestions)
        print(f"{target.name}: {len(template)} msgids -> {target.locale_dir}")
        for locale, missing in counts.items():
            note = " (falls back to the msgid)" if locale == SOURCE_LANGUAGE else ""
            print(f"  {locale}: {missing} untranslated{note}")
        return 0

    own = read_catalog(catalog_path(target.locale_dir, "id"), "id")
    core = core_catalog() if target.name != "balai" else None
    problems = [
        *check(target.name, template, own, [core] if core is not None else []),
        *(shadowed_translations(target.name, own, core) if core is not None else []),
        *misused_calls(target.roots),
    ]
    for problem in problems:
        print(problem)
    print(f"{target.name}: {len(template)} msgids, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
