"""`balai new-plugin`: the generated package is complete, valid and works in an app."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from balai import demo
from balai import toolkit as tk
from balai.asgi import connected
from balai.builtins import builtin_plugins
from balai.cli import main
from balai.notifications.tables import OutboxMessage
from balai.plugins import PluginRegistry
from balai.scaffold import ScaffoldError, create_plugin
from balai.testing import run_in_city, write_config
from balai.types import Dimension
from balai.web.app import create_app
from click.testing import CliRunner
from litestar.testing import TestClient

WHEN = datetime(2026, 11, 22, 23, 45, 1, 123456, tzinfo=UTC)


@pytest.fixture
def isolated_imports():
    """Forget modules and import paths a test adds (generated packages, their migrations)."""
    path_before = list(sys.path)
    modules_before = set(sys.modules)
    yield
    sys.path[:] = path_before
    for name in set(sys.modules) - modules_before:
        del sys.modules[name]
    importlib.invalidate_caches()


def test_generates_every_file_of_a_plugin_package(tmp_path):
    created = create_plugin("bank_sampah", tmp_path, title="Waste bank", now=WHEN)

    root = tmp_path / "balai-bank-sampah"
    assert created.root == root
    relative = {p.relative_to(root).as_posix() for p in created.files}
    package = "src/balai_bank_sampah"
    assert relative == {
        "pyproject.toml",
        "README.md",
        "tests/conftest.py",
        "tests/test_bank_sampah.py",
        "tests/test_bank_sampah_conformance.py",
        f"{package}/__init__.py",
        f"{package}/plugin.py",
        f"{package}/settings.py",
        f"{package}/tables.py",
        f"{package}/piccolo_app.py",
        f"{package}/routes.py",
        f"{package}/forms.py",
        f"{package}/workflow.py",
        f"{package}/migrations/__init__.py",
        f"{package}/migrations/bank_sampah_2026_11_22t23_45_01_123456.py",
        f"{package}/migrations/bank_sampah_2026_11_22t23_45_02_123456.py",
        f"{package}/templates/bank_sampah/index.html",
        f"{package}/templates/bank_sampah/office.html",
        f"{package}/templates/bank_sampah/office_request.html",
        f"{package}/templates/bank_sampah/request.html",
        f"{package}/templates/bank_sampah/request_form.html",
        f"{package}/templates/bank_sampah/_request.html",
        f"{package}/templates/bank_sampah/notifications/request_moved.id.txt",
        f"{package}/templates/bank_sampah/notifications/request_moved.en.txt",
        f"{package}/locale/id/LC_MESSAGES/messages.po",
    }
    for path in created.files:
        text = path.read_text()
        assert "%%" not in text, path
    project = tomllib.loads((root / "pyproject.toml").read_text())
    assert project["project"]["name"] == "balai-bank-sampah"
    assert project["project"]["entry-points"]["balai.plugins"] == {
        "bank_sampah": "balai_bank_sampah.plugin"
    }
    assert project["build-system"]["build-backend"] == "hatchling.build"
    assert any(dep.startswith("balai") for dep in project["project"]["dependencies"])
    migration = (
        root / package / "migrations/bank_sampah_2026_11_22t23_45_01_123456.py"
    ).read_text()
    assert 'ID = "2026-11-22T23:45:01:123456"' in migration
    assert 'app_name="bank_sampah"' in migration
    indexes = (root / package / "migrations/bank_sampah_2026_11_22t23_45_02_123456.py").read_text()
    assert 'ID = "2026-11-22T23:45:02:123456"' in indexes
    assert "ON bank_sampah_request (city, number)" in indexes
    assert 'NUMBERS = tk.ReferenceFormat("BAN")' in (root / package / "workflow.py").read_text()
    assert (
        '{% extends "base.html" %}'
        in (root / package / "templates/bank_sampah/index.html").read_text()
    )


def test_plugin_code_imports_nothing_from_balai_but_the_toolkit(tmp_path):
    created = create_plugin("bank_sampah", tmp_path)
    for path in created.files:
        if path.suffix != ".py" or "/tests/" in path.as_posix():
            continue
        for line in path.read_text().splitlines():
            stripped = line.strip()
            own = "balai_bank_sampah" in stripped
            if stripped.startswith(("from balai", "import balai")) and not own:
                assert stripped == "from balai import toolkit as tk", f"{path.name}: {stripped}"


def test_generated_python_compiles(tmp_path):
    created = create_plugin("kebun", tmp_path)
    for path in created.files:
        if path.suffix == ".py":
            compile(path.read_text(), str(path), "exec")


@pytest.mark.parametrize(
    "name",
    [
        "Bank",
        "1bank",
        "a",
        "bank-sampah",
        "bank__sampah",
        "bank_",
        "_bank",
        "bank sampah",
        "x" * 41,
        "core",
        "kelola",
        "payments",
        "dasbor",
        "class",
        "bänk",
    ],
)
def test_refuses_bad_names(tmp_path, name):
    with pytest.raises(ScaffoldError):
        create_plugin(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("title", ['Bank "sampah"', "50% off", "", " \n\t ", "{{ x }}", "y" * 61])
def test_refuses_titles_that_would_break_the_files(tmp_path, title):
    with pytest.raises(ScaffoldError):
        create_plugin("bank_sampah", tmp_path, title=title)


def test_refuses_an_existing_folder_and_leaves_it_alone(tmp_path):
    (tmp_path / "balai-bank-sampah").mkdir()
    (tmp_path / "balai-bank-sampah" / "mine.txt").write_text("keep")

    with pytest.raises(ScaffoldError, match="already exists"):
        create_plugin("bank_sampah", tmp_path)

    assert [p.name for p in (tmp_path / "balai-bank-sampah").iterdir()] == ["mine.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["balai-bank-sampah"]  # no staging folder left


def test_cli_creates_the_package_and_names_the_next_steps(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "new-plugin",
            "bank_sampah",
            "--dir",
            str(tmp_path),
            "--title",
            "Waste bank",
            "--dimension",
            "environment",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "pyproject.toml" in result.output
    assert "pip install -e" in result.output
    plugin_py = (tmp_path / "balai-bank-sampah/src/balai_bank_sampah/plugin.py").read_text()
    assert 'title="Waste bank"' in plugin_py
    assert "tk.Dimension.ENVIRONMENT" in plugin_py


def test_cli_refuses_a_bad_name_with_a_message(tmp_path):
    result = CliRunner().invoke(main, ["new-plugin", "Bank-Sampah", "--dir", str(tmp_path)])

    assert result.exit_code == 1
    assert "not a valid plugin name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_generated_plugin_migrates_seeds_and_serves_its_page(
    tmp_path, isolated_imports, balai_fast_passwords, monkeypatch
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    created = create_plugin(
        "kebun_kota", tmp_path / "src-tree", title="City gardens", dimension=Dimension.ENVIRONMENT
    )
    sys.path.insert(0, str(created.root / "src"))
    module = importlib.import_module("balai_kebun_kota.plugin")
    registry = PluginRegistry()
    for slug, builtin in builtin_plugins().items():  # audit and notifications: the workflow's
        registry.register(builtin, slug)
    registry.register(module, "kebun_kota")
    config = write_config(
        tmp_path / "instance",
        {"malang": ["kebun_kota"], "semarang": []},
        city_options={"malang": {"settings": {"kebun_kota": {"items_per_page": 2}}}},
    )
    app = create_app(config, registry=registry)

    seeds = asyncio.run(demo.prepare(app))

    assert asyncio.run(_pending(app)) == {}
    malang = next(s for s in seeds if s.city == "malang")
    assert malang.plugins["kebun_kota"][0] == "3 items at /kebun-kota/"
    assert malang.plugins["kebun_kota"][1].startswith("request KEB-")
    assert "kebun_kota.officer@malang.test" in [a.login for a in malang.accounts]
    with TestClient(app=app) as client:
        page = client.get("/malang/kebun-kota/")
        assert page.status_code == 200
        assert "Perpustakaan Kota" in page.text  # newest first, two per page (the setting)
        assert "Pasar Besar" not in page.text
        assert '<h1 class="page-title">Kebun kota</h1>' in page.text  # the Indonesian title
        assert 'href="/malang/kebun-kota/"' in client.get("/malang/").text
        assert client.get("/semarang/kebun-kota/").status_code == 404
        found = client.get("/malang/cari", params={"q": "alun"})
        assert "Alun-alun" in found.text
        subjects = run_in_city(app, "malang", _review_the_demo_request)
    number = malang.plugins["kebun_kota"][1].split()[1]
    assert subjects == [f"Permohonan {number}: Sedang diperiksa"]


async def _review_the_demo_request() -> list[str]:
    """Move the seeded request as an officer would; the requester is told (outbox)."""
    workflow = importlib.import_module("balai_kebun_kota.workflow")
    tables = importlib.import_module("balai_kebun_kota.tables")
    row = await tables.Request.select().first()
    officer = tk.Actor(None, frozenset({"kebun_kota.manage"}))
    await workflow.REVIEW.move(row, "review", officer)
    rows = await OutboxMessage.select(OutboxMessage.subject).where(
        OutboxMessage.kind == "kebun_kota.request_moved"
    )
    return [r["subject"] for r in rows]


async def _pending(app):
    async with connected(app) as database:
        return await database.pending()


def test_generated_plugins_own_tests_pass_with_the_core_fixtures(tmp_path):
    """Runs the generated tests/ in a subprocess, as the plugin's author would.

    The package is not installed (that would change this environment); a
    ``.dist-info`` folder on ``PYTHONPATH`` declares its entry point, which is
    all that discovery through ``importlib.metadata`` needs.
    """
    created = create_plugin("bank_sampah", tmp_path / "work", title="Waste bank")
    site = tmp_path / "site" / "balai_bank_sampah-0.1.0.dist-info"
    site.mkdir(parents=True)
    (site / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: balai-bank-sampah\nVersion: 0.1.0\n"
    )
    (site / "entry_points.txt").write_text(
        "[balai.plugins]\nbank_sampah = balai_bank_sampah.plugin\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(created.root / "src"), str(site.parent)]),
    }
    env.pop("DATABASE_URL", None)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-W", "ignore::DeprecationWarning"],
        cwd=created.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
    assert "failed" not in result.stdout
    # The conformance suite ran, and passed, for the generated plugin.
    for check in (
        "no_server_error",
        "forms_refuse_bad_values_and_write_nothing",
        "no_row_of_one_city_in_the_other",
        "routes_without_public_refuse_visitors_not_signed_in",
    ):
        assert f"test_bank_sampah_conformance.py::TestConformance::test_{check} PASSED" in (
            result.stdout
        )


def test_template_folder_holds_only_templates():
    root = Path(__import__("balai.scaffold").scaffold.__file__).parent / "template"
    files = [p for p in root.rglob("*") if p.is_file()]
    assert files and all(p.name.endswith(".tmpl") for p in files)


def test_generated_catalog_translates_every_message(tmp_path):
    created = create_plugin("bank_sampah", tmp_path, title="Waste bank", title_id="Bank sampah")

    result = subprocess.run(  # the installed checker, as an author outside the repository runs it
        [
            sys.executable,
            "-m",
            "balai.i18n_check",
            "check",
            str(created.root / "src" / "balai_bank_sampah"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    catalog = created.root / "src/balai_bank_sampah/locale/id/LC_MESSAGES/messages.po"
    assert 'msgid "Waste bank"\nmsgstr "Bank sampah"' in catalog.read_text()
