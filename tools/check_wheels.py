"""Build every Balai distribution as a wheel and check it works when installed.

Run from anywhere: ``python3 tools/check_wheels.py`` (CI calls it from
``.ci/run``). It needs ``uv`` on PATH and uses only the standard library, so
it runs with any Python 3.11+.

Steps, each printing an ``OK`` or ``FAIL`` line:

1. ``uv build --wheel`` the core (``core/``) and every plugin (``plugins/*/``)
   straight from its source folder into a temporary folder.
2. Check each wheel holds every file of its package's source folder, among
   them templates, static files, ``.po`` catalogs and migrations, and that the
   core wheel bundles the themes (htmx included) and ``examples/demo.toml``.
3. Create a clean virtual environment outside the repository and install the
   wheels (not editable) with their dependencies from the package index.
4. From an empty folder, so nothing is imported from the source tree, run
   ``balai check`` on the bundled demo configuration, start ``balai demo`` on
   a free port and fetch ``/``, ``/malang/``, ``/semarang/``, ``/yogyakarta/``
   and the htmx file the Malang page links to.
5. Run ``balai new-plugin``, build and install the generated package, see it
   in ``balai plugins`` and run its own tests with the installed fixtures.

``--readme-demo`` instead starts the README's demo command
(``uv run --locked balai demo``) from the repository and fetches the same pages.

Exit status 0 when everything passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE_PACKAGE = "balai"
# Folders whose files must travel inside a wheel; file suffixes ignored there.
DATA_FOLDERS = ("templates", "static", "locale", "migrations")
IGNORED_SUFFIXES = (".pyc", ".pyo", ".mo")
CITY_PAGES = ("/", "/malang/", "/semarang/", "/yogyakarta/")
DEMO_TIMEOUT_SECONDS = 60
SCAFFOLD_SLUG = "bank_sampah"
# Variables that would make the demo leave its self-contained SQLite set-up.
DEMO_ENV_DROPPED = ("DATABASE_URL", "REDIS_URL", "BALAI_SECRET_KEY", "PYTHONPATH", "VIRTUAL_ENV")


class CheckFailed(Exception):
    """A check failed; the message says which and why."""


def ok(message: str) -> None:
    """Print a passed check."""
    print(f"OK   {message}", flush=True)


def fail_line(message: str) -> None:
    """Print a failed check."""
    print(f"FAIL {message}", flush=True)


@dataclass
class Distribution:
    """One buildable distribution of the repository."""

    source: Path
    wheel: Path | None = None
    packages: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The distribution's folder, relative to the repository."""
        return str(self.source.relative_to(REPO))


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run ``cmd``; return its output, or raise with the output when it fails."""
    result = subprocess.run(  # noqa: S603 (fixed commands, no shell)
        cmd, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )
    if result.returncode != 0:
        raise CheckFailed(
            f"`{' '.join(cmd)}` exited with {result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def find_distributions() -> list[Distribution]:
    """The core, then every plugin folder that has a ``pyproject.toml``."""
    sources = [REPO / "core"]
    sources += sorted(p.parent for p in (REPO / "plugins").glob("*/pyproject.toml"))
    missing = [s for s in sources if not (s / "pyproject.toml").is_file()]
    if missing:
        raise CheckFailed(f"no pyproject.toml in {', '.join(map(str, missing))}")
    return [Distribution(source) for source in sources]


def build_wheels(dists: list[Distribution], out_dir: Path) -> None:
    """Build each distribution's wheel straight from its source folder."""
    for dist in dists:
        before = set(out_dir.glob("*.whl"))
        run(["uv", "build", "--wheel", "--out-dir", str(out_dir), str(dist.source)], cwd=REPO)
        new = sorted(set(out_dir.glob("*.whl")) - before)
        if len(new) != 1:
            raise CheckFailed(f"{dist.label}: expected one new wheel, got {[w.name for w in new]}")
        dist.wheel = new[0]
        ok(f"built {dist.wheel.name} from {dist.label}/")


def top_level_packages(names: list[str]) -> list[str]:
    """Importable top-level packages in a wheel's file list."""
    return sorted(
        {
            n.split("/", 1)[0]
            for n in names
            if n.count("/") >= 1 and n.endswith("/__init__.py") and n.count("/") == 1
        }
    )


def source_package_dir(dist: Distribution, package: str) -> Path:
    """Where ``package`` lives in the distribution's source tree."""
    for candidate in (dist.source / "src" / package, dist.source / package):
        if (candidate / "__init__.py").is_file():
            return candidate
    raise CheckFailed(f"{dist.label}: cannot find the source of package {package!r}")


def package_files(package_dir: Path) -> list[str]:
    """Every file of a package's source folder (no caches, no compiled catalogs), relative."""
    found = []
    for path in package_dir.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in IGNORED_SUFFIXES:
            continue
        found.append(path.relative_to(package_dir).as_posix())
    return sorted(found)


def is_data_file(relative: str) -> bool:
    """Whether a package file lies under templates/, static/, locale/ or migrations/."""
    return any(part in DATA_FOLDERS for part in relative.split("/")[:-1])


def require(names: set[str], pattern: str, what: str, wheel: str) -> None:
    """Fail unless some file name in the wheel matches ``pattern``."""
    regex = re.compile(pattern)
    if not any(regex.fullmatch(n) for n in names):
        raise CheckFailed(f"{wheel}: no {what} (nothing matches {pattern})")


def check_wheel_contents(dist: Distribution) -> None:
    """Every file of the package's source is in the wheel; the essentials are there."""
    assert dist.wheel is not None
    with zipfile.ZipFile(dist.wheel) as archive:
        names = set(archive.namelist())
    dist.packages = top_level_packages(sorted(names))
    if not dist.packages:
        raise CheckFailed(f"{dist.wheel.name}: contains no Python package")
    for package in dist.packages:
        package_dir = source_package_dir(dist, package)
        expected = [f"{package}/{rel}" for rel in package_files(package_dir)]
        absent = [name for name in expected if name not in names]
        if absent:
            raise CheckFailed(
                f"{dist.wheel.name}: {len(absent)} source files missing, e.g. {absent[:5]}"
            )
        data = [name for name in expected if is_data_file(name)]
        p = re.escape(package)
        require(names, rf"{p}/(.+/)?migrations/[^/]+\.py", "migrations", dist.wheel.name)
        require(
            names,
            rf"{p}/(.+/)?locale/id/LC_MESSAGES/[^/]+\.po",
            "Indonesian catalog",
            dist.wheel.name,
        )
        if package != CORE_PACKAGE:
            require(names, rf"{p}/(.+/)?templates/.+\.html", "templates", dist.wheel.name)
        ok(
            f"{dist.wheel.name}: {package}/ has all {len(expected)} source files, "
            f"{len(data)} of them templates, static files, catalogs and migrations"
        )
    if CORE_PACKAGE in dist.packages:
        check_bundled(names, dist.wheel.name)


def check_bundled(names: set[str], wheel: str) -> None:
    """The core wheel carries every theme and example of the repository."""
    for folder in ("themes", "examples"):
        source_root = REPO / folder
        expected = [
            f"{CORE_PACKAGE}/_bundled/{folder}/{p.relative_to(source_root).as_posix()}"
            for p in source_root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        ]
        absent = [n for n in expected if n not in names]
        if not expected or absent:
            raise CheckFailed(f"{wheel}: bundled {folder}/ incomplete, missing e.g. {absent[:5]}")
        ok(f"{wheel}: bundles {len(expected)} files of {folder}/")
    for essential in (
        "themes/default/templates/base.html",
        "themes/default/static/vendor/htmx/htmx.min.js",
        "themes/malang/static/css/theme.css",
        "examples/demo.toml",
    ):
        if f"{CORE_PACKAGE}/_bundled/{essential}" not in names:
            raise CheckFailed(f"{wheel}: {essential} is not bundled")
    ok(f"{wheel}: default theme, htmx, Malang theme and examples/demo.toml are bundled")


def create_environment(root: Path, dists: list[Distribution]) -> Path:
    """A fresh venv under ``root`` with the wheels installed; returns its python."""
    venv = root / "venv"
    run(["uv", "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=root)
    python = venv / "bin" / "python"
    wheels = [str(d.wheel) for d in dists]
    run(["uv", "pip", "install", "--quiet", "--python", str(python), *wheels], cwd=root)
    ok(f"installed {len(wheels)} wheels and their dependencies into {venv}")
    return python


def installed_package_dir(python: Path, workdir: Path) -> Path:
    """Where the venv imports ``balai`` from; it must not be the repository."""
    out = run(
        [str(python), "-c", "import balai, pathlib; print(pathlib.Path(balai.__file__).parent)"],
        cwd=workdir,
        env=clean_env(),
    )
    where = Path(out.strip())
    if REPO in where.parents or not where.is_relative_to(python.parents[1]):
        raise CheckFailed(f"balai is imported from {where}, not from the clean environment")
    ok(f"balai is imported from the installed wheel at {where}")
    return where


def clean_env() -> dict[str, str]:
    """The environment for the installed commands, without repo or service settings."""
    env = {k: v for k, v in os.environ.items() if k not in DEMO_ENV_DROPPED}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 10) -> tuple[int, str]:
    """GET ``url``; the status and the body (errors give their status too)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def check_cli(balai: Path, package_dir: Path, workdir: Path) -> None:
    """``balai --help`` and ``balai check`` on the bundled demo configuration."""
    run([str(balai), "--help"], cwd=workdir, env=clean_env())
    ok("balai --help")
    demo_toml = package_dir / "_bundled" / "examples" / "demo.toml"
    out = run([str(balai), "check", "--config", str(demo_toml)], cwd=workdir, env=clean_env())
    ok(f"balai check --config {demo_toml}: {out.strip().splitlines()[-1] if out.strip() else ''}")


def check_demo(command: list[str], workdir: Path, log_path: Path, *, where: str) -> None:
    """Start ``command`` (a ``balai demo``) on a free port, fetch the city pages, stop it.

    Args:
        command: The demo command without ``--host``/``--port`` (added here).
        workdir: The folder to start it in (its ``balai-data/`` goes there).
        log_path: Where the demo's output is written (shown on failure).
        where: Where the files come from, for the messages (``"the wheel"``).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,
            env=clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(process, f"{base}/malang/", log_path)
        ok(f"`{' '.join(command)}` answers on {base} (pid {process.pid})")
        pages = {}
        for page in CITY_PAGES:
            status, pages[page] = fetch(base + page)
            if status != 200:
                raise CheckFailed(f"GET {page} gave {status}")
            ok(f"GET {page} -> 200 ({len(pages[page])} bytes)")
        if "Kota Malang" not in pages["/malang/"]:
            raise CheckFailed("the Malang page does not show 'Kota Malang'")
        ok("the Malang page shows 'Kota Malang'")
        match = re.search(r'src="([^"]*htmx[^"]*\.js[^"]*)"', pages["/malang/"])
        if not match:
            raise CheckFailed("the Malang page links no htmx script")
        status, _ = fetch(base + match.group(1).replace("&amp;", "&"))
        if status != 200:
            raise CheckFailed(f"GET {match.group(1)} gave {status}")
        ok(f"GET {match.group(1)} -> 200 (static files served from {where})")
    finally:
        stop(process)


def check_scaffold(python: Path, root: Path) -> None:
    """``balai new-plugin`` from the wheel gives a package that builds, installs and passes.

    The generated plugin is built as a wheel, installed beside the others,
    listed by ``balai plugins`` and its own tests run with pytest in the clean
    environment, using the fixtures of the installed ``balai`` (on SQLite).
    """
    balai = python.parent / "balai"
    workdir = root / "scaffold"
    workdir.mkdir()
    run(
        [str(balai), "new-plugin", SCAFFOLD_SLUG, "--dir", str(workdir)],
        cwd=workdir,
        env=clean_env(),
    )
    # The folder is named like the distribution: balai-bank-sampah/.
    plugin_dir = workdir / f"balai-{SCAFFOLD_SLUG.replace('_', '-')}"
    for needed in ("pyproject.toml", "tests"):
        if not (plugin_dir / needed).exists():
            raise CheckFailed(f"balai new-plugin made no {needed} in {plugin_dir}")
    ok(f"balai new-plugin {SCAFFOLD_SLUG} wrote {plugin_dir}")
    out_dir = root / "dist-scaffold"
    run(["uv", "build", "--wheel", "--out-dir", str(out_dir), str(plugin_dir)], cwd=workdir)
    wheels = sorted(out_dir.glob("*.whl"))
    if len(wheels) != 1:
        raise CheckFailed(f"building the new plugin gave {[w.name for w in wheels]}")
    run(
        ["uv", "pip", "install", "--quiet", "--python", str(python), str(wheels[0]), "pytest"],
        cwd=workdir,
    )
    ok(f"built and installed {wheels[0].name} (and pytest)")
    listed = run([str(balai), "plugins"], cwd=workdir, env=clean_env())
    if SCAFFOLD_SLUG not in listed:
        raise CheckFailed(f"balai plugins does not list {SCAFFOLD_SLUG}:\n{listed}")
    ok(f"balai plugins lists {SCAFFOLD_SLUG}")
    env = {k: v for k, v in clean_env().items() if not k.startswith("BALAI_TEST_")}
    out = run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=plugin_dir, env=env
    )
    summary = out.strip().splitlines()[-1] if out.strip() else "(no output)"
    if " passed" not in summary:
        raise CheckFailed(f"the new plugin's tests ran no test: {summary}")
    ok(f"the new plugin's own tests, with the installed balai fixtures: {summary}")


def check_readme_demo() -> int:
    """The README's first command, from the repository root: the demo starts and serves.

    Runs ``uv run --locked balai demo`` from the repository root, adding
    ``--data-dir`` (a temporary folder, so a developer's own ``balai-data/``
    is left alone), ``--host`` and ``--port``.
    """
    root = Path(tempfile.mkdtemp(prefix="balai-readme-demo-"))
    try:
        check_demo(
            ["uv", "run", "--locked", "balai", "demo", "--data-dir", str(root / "data")],
            REPO,
            root / "demo.log",
            where="the source tree",
        )
    except CheckFailed as exc:
        fail_line(str(exc))
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("OK   the README's demo command serves the three cities", flush=True)
    return 0


def wait_until_up(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    """Poll ``url`` until it answers 200; fail if the demo exits or times out."""
    deadline = time.monotonic() + DEMO_TIMEOUT_SECONDS
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(
                f"balai demo exited with {process.returncode}:\n{log_path.read_text()[-4000:]}"
            )
        try:
            status, _ = fetch(url, timeout=2)
            if status == 200:
                return
            last = f"status {status}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.5)
    raise CheckFailed(
        f"{url} did not answer 200 within {DEMO_TIMEOUT_SECONDS}s ({last}):\n"
        f"{log_path.read_text()[-4000:]}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the demo's process group (it was started in its own session)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """Run every check; 0 when all passed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--readme-demo",
        action="store_true",
        help="only start the README's demo command from the repository and fetch its pages",
    )
    args = parser.parse_args(argv)
    if shutil.which("uv") is None:
        fail_line("uv is not on PATH (pip install uv)")
        return 1
    if args.readme_demo:
        return check_readme_demo()
    root = Path(tempfile.mkdtemp(prefix="balai-wheels-"))
    print(f"Working in {root}", flush=True)
    try:
        dists = find_distributions()
        build_wheels(dists, root / "dist")
        for dist in dists:
            check_wheel_contents(dist)
        python = create_environment(root, dists)
        workdir = root / "empty"
        workdir.mkdir()
        package_dir = installed_package_dir(python, workdir)
        balai = python.parent / "balai"
        check_cli(balai, package_dir, workdir)
        check_demo([str(balai), "demo"], workdir, root / "demo.log", where="the wheel")
        check_scaffold(python, root)
    except CheckFailed as exc:
        fail_line(str(exc))
        print(f"Files kept in {root}", flush=True)
        return 1
    if args.keep:
        print(f"Files kept in {root}", flush=True)
    else:
        shutil.rmtree(root, ignore_errors=True)
    print("OK   all wheel checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
