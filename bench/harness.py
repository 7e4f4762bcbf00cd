"""The bench run: set up, check, time in alternating rounds, summarise.

Per database backend: a fresh instance, the platform server (kept engine),
on SQLite also the platform with Piccolo's stock engine, and the twin. The
pages are checked (identical HTML with the CSRF token masked, the same fixed
number of queries) before any timing; a failed check stops that backend.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import checks, instance, measure, servers
from bench.stats import Spread, ratios

PAGE = f"/{instance.CITY}/"
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/balai_bench"
MAX_SPREAD = 0.15


@dataclass(frozen=True)
class Target:
    """A URL on one server, timed in every round."""

    name: str
    label: str
    server: str
    path: str


TARGETS = [
    Target("platform", "platform page", "platform", PAGE),
    Target("twin", "twin page", "twin", PAGE),
    Target("stock", "platform, stock SQLite engine", "stock", PAGE),
    Target("fixed", "control: template, fixed rows", "twin", "/fixed"),
    Target("plaintext", "control: plaintext", "twin", "/plaintext"),
]

# Ratios of CPU per request: (name, label, numerator target, denominator target).
RATIOS = [
    ("twin_over_platform", "twin ÷ platform (target ≥ 0.80)", "twin", "platform"),
    ("stock_over_kept", "stock engine ÷ kept engine", "stock", "platform"),
]


@dataclass
class Options:
    """How much to measure."""

    rounds: int = 5
    load: measure.Load = field(default_factory=measure.Load)
    warmup_seconds: int = 1
    max_attempts: int = 3
    check_only: bool = False
    pg_url: str | None = DEFAULT_PG_URL
    plugins: list[str] | None = None


@dataclass
class BackendResult:
    """Everything measured on one database backend."""

    backend: str
    plugins: list[str]
    checks: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rounds: list[dict[str, measure.Run]] = field(default_factory=list)
    attempts: int = 0
    skipped: str | None = None

    def figures(self, target: str, attr: str) -> list[float]:
        """One figure of ``target`` per round."""
        return [getattr(r[target], attr) for r in self.rounds if target in r]

    def app_cost(self, target: str, with_pg: bool) -> list[float]:
        """CPU µs per request per round: the server's, plus PostgreSQL's when asked."""
        app = self.figures(target, "cpu_us_per_request")
        if not with_pg:
            return app
        pg = self.figures(target, "pg_us_per_request")
        return [a + p for a, p in zip(app, pg, strict=True)]

    def ratio(self, numerator: str, denominator: str, with_pg: bool = False) -> Spread:
        """A CPU-per-request ratio over the rounds."""
        return Spread.of(
            ratios(self.app_cost(numerator, with_pg), self.app_cost(denominator, with_pg))
        )

    def worst_spread(self) -> float:
        """The largest relative spread among the ratios this backend reports."""
        spreads = [
            self.ratio(num, den).relative_spread
            for _, _, num, den in RATIOS
            if self.figures(num, "requests") and self.figures(den, "requests")
        ]
        return max(spreads, default=0.0)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        summary: dict[str, Any] = {}
        for target in TARGETS:
            if not self.figures(target.name, "requests"):
                continue
            summary[target.name] = {
                "cpu_us_per_request": Spread.of(
                    self.figures(target.name, "cpu_us_per_request")
                ).as_dict(),
                "pg_us_per_request": Spread.of(
                    self.figures(target.name, "pg_us_per_request")
                ).as_dict(),
                "rps": Spread.of(self.figures(target.name, "rps")).as_dict(),
                "p99_ms": Spread.of(self.figures(target.name, "p99_ms")).as_dict(),
            }
        ratio_summary = {}
        for key, _, num, den in RATIOS:
            if self.figures(num, "requests") and self.figures(den, "requests"):
                ratio_summary[key] = self.ratio(num, den).as_dict()
                if self.backend == "postgresql":
                    ratio_summary[key + "_with_pg"] = self.ratio(num, den, True).as_dict()
        return {
            "backend": self.backend,
            "plugins": self.plugins,
            "skipped": self.skipped,
            "checks": self.checks,
            "problems": self.problems,
            "attempts": self.attempts,
            "summary": summary,
            "ratios": ratio_summary,
            "rounds": [{k: v.as_dict() for k, v in r.items()} for r in self.rounds],
        }


def choose_plugins(requested: list[str] | None) -> tuple[list[str], list[str]]:
    """The plugins to load (installed, loadable, enabled by a demo city) and notes."""
    loadable, notes = instance.loadable_plugins()
    if requested is not None:
        missing = [p for p in requested if p not in loadable]
        notes += [f"{p}: requested but not installed or not loadable" for p in missing]
        return [p for p in requested if p in loadable], notes
    return loadable, notes


def _start_servers(
    inst: instance.Instance, backend: str, log_dir: Path
) -> dict[str, servers.Server]:
    env = inst.environ()
    wanted = {"platform": ("bench.serve_balai:build", {}), "twin": ("bench.twin_app:build", {})}
    if backend == "sqlite":
        wanted["stock"] = ("bench.serve_balai:build", {"BENCH_ENGINE": "stock"})
    launched = {
        name: servers.launch(f"{backend}-{name}", factory, {**env, **extra}, log_dir)
        for name, (factory, extra) in wanted.items()
    }
    try:
        for server in launched.values():
            servers.wait_ready(server)
    except Exception:
        for server in launched.values():
            servers.stop(server)
        raise
    return launched


def _check(result: BackendResult, running: dict[str, servers.Server], cookie: str) -> bool:
    pages = {name: checks.check_page(server, PAGE, cookie) for name, server in running.items()}
    reference = pages["platform"]
    RESULTS.mkdir(exist_ok=True)
    for name, page in pages.items():
        (RESULTS / f"{result.backend}-{name}.html").write_text(page.html)
    for name, page in pages.items():
        result.checks[name] = {"queries_per_request": page.counts, "statements": page.statements}
        if name != "platform":
            result.problems += [f"{name} vs platform: {p}" for p in checks.compare(reference, page)]
    result.problems += checks.check_controls(running["twin"], cookie)
    result.checks["identical_html"] = not any("HTML differs" in p for p in result.problems)
    result.checks["html_bytes"] = len(reference.html.encode())
    return not result.problems


def _round(
    result: BackendResult,
    running: dict[str, servers.Server],
    cookie: str,
    options: Options,
    order: list[Target],
) -> dict[str, measure.Run]:
    pg_db = _pg_database(options) if result.backend == "postgresql" else None
    runs = {}
    for target in order:
        server = running[target.server]
        run = measure.wrk(
            target.name, server.base + target.path, server.pid, options.load, cookie, pg_db
        )
        if run.errors:
            result.problems.append(f"{target.name}: {run.errors} failed requests in a round")
        runs[target.name] = run
    return runs


def _pg_database(options: Options) -> str:
    assert options.pg_url
    return options.pg_url.rsplit("/", 1)[1]


def _time(
    result: BackendResult, running: dict[str, servers.Server], cookie: str, options: Options
) -> None:
    targets = [t for t in TARGETS if t.server in running]
    warm = measure.Load(options.load.threads, options.load.connections, options.warmup_seconds)
    for target in targets:
        server = running[target.server]
        measure.wrk(target.name, server.base + target.path, server.pid, warm, cookie)
    for attempt in range(1, options.max_attempts + 1):
        result.attempts = attempt
        result.rounds = []
        for number in range(options.rounds):
            order = targets if number % 2 == 0 else list(reversed(targets))
            result.rounds.append(_round(result, running, cookie, options, order))
            print(f"    round {number + 1}/{options.rounds}: " + _round_line(result.rounds[-1]))
        spread = result.worst_spread()
        if spread <= MAX_SPREAD:
            return
        print(
            f"    spread {spread:.0%} > {MAX_SPREAD:.0%}: "
            + ("running the rounds again" if attempt < options.max_attempts else "giving up")
        )


def _round_line(runs: dict[str, measure.Run]) -> str:
    return ", ".join(f"{name} {run.cpu_us_per_request:.0f} µs" for name, run in runs.items())


def run_backend(backend: str, options: Options, plugins: list[str], work: Path) -> BackendResult:
    """Set up, check and (unless check-only) time one backend."""
    result = BackendResult(backend, plugins)
    database_url = None
    if backend == "postgresql":
        database_url = options.pg_url
        try:
            instance.recreate_pg(database_url)
        except Exception as exc:
            result.skipped = f"PostgreSQL not reachable at {database_url}: {exc}"
            print(f"  skipped: {result.skipped}")
            return result
    folder = work / backend
    inst = instance.new_instance(folder, database_url, plugins)
    running: dict[str, servers.Server] = {}
    try:
        try:
            instance.prepare(inst)
        except Exception as exc:
            if not plugins:
                raise
            print(f"  the instance does not build with plugins {plugins} ({exc}); using none")
            result.plugins = plugins = []
            if database_url:
                instance.recreate_pg(database_url)
            inst = instance.new_instance(work / f"{backend}-core", database_url, plugins)
            instance.prepare(inst)
        running = _start_servers(inst, backend, folder)
        try:
            cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        except (RuntimeError, OSError) as exc:
            raise RuntimeError(
                f"{exc}; the platform's log ends:\n{running['platform'].log_tail()}"
            ) from exc
        if not _check(result, running, cookie):
            print("  check FAILED:\n    " + "\n    ".join(result.problems))
            return result
        counts = result.checks["platform"]["queries_per_request"][0]
        print(
            f"  check ok: identical HTML ({result.checks['html_bytes']} bytes, CSRF masked), "
            f"{counts} queries per page on every side"
        )
        if not options.check_only:
            _time(result, running, cookie, options)
    finally:
        for server in running.values():
            servers.stop(server)
        if database_url:
            try:
                instance.drop_pg(database_url)
            except Exception as exc:
                print(f"  could not drop the bench database: {exc}")
    return result


def run(options: Options) -> list[BackendResult]:
    """Every backend, one after the other."""
    plugins, notes = choose_plugins(options.plugins)
    for note in notes:
        print(f"plugin not used: {note}")
    print(f"built into the core: {', '.join(instance.builtin_slugs())}")
    print(f"plugins loaded: {', '.join(plugins) or 'none (only the core)'}")
    backends = ["sqlite"] + (["postgresql"] if options.pg_url else [])
    results = []
    work = Path(tempfile.mkdtemp(prefix="balai-bench-"))
    try:
        for backend in backends:
            print(f"{backend}:")
            try:
                results.append(run_backend(backend, options, plugins, work))
            except Exception as exc:
                print(f"  FAILED: {exc}")
                failed = BackendResult(backend, plugins)
                failed.problems.append(f"the run failed: {exc}")
                results.append(failed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results
