"""``python -m bench.documents_sppt_run``: the yearly SPPT run, rendered and signed.

A fresh SQLite instance with the ``pajak`` plugin (Kota Malang's PBB-P2 rules
from ``examples/demo.toml``), the city's CA, its RFC 3161 timestamp
authority on loopback, the head of Bapenda with a certificate, and
``--notices`` tax objects (default 100,000) assessed for the year. Then:

* **issue**: the job ``pajak.issue_notices`` renders every notice (fpdf2,
  PDF/A-2b), stores it through the files service and records it;
* **sign**: the signing queue signs them in batches of ``--batch`` (the
  second factor is checked once per batch by the page; here the batches go
  straight to :func:`balai.documents.signing.queue.sign_after_second_factor`):
  PAdES B-LT with a timestamp from the TSA per document.

Both run in this one process, so the rates are per core; the report gives
documents per second of each phase and of the whole, and the projected
total for 100,000 notices on two cores (two such processes, each on its own
share of the year's bills). Target: under 60 minutes on a 2-core machine.
Written to ``bench/results/documents_sppt_run.json``. ``--check-only`` runs
three notices end to end and checks they are signed, without timing (for
CI); the numbers must be taken on a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
YEAR = 2025
TARGET = 100_000


async def run(notices: int, batch: int, folder: Path) -> dict:
    """Build the instance, issue and sign ``notices`` notices; the timings."""
    from balai.auth.access import CurrentUser
    from balai.auth.accounts import create_user
    from balai.documents.signing import authority, queue
    from balai.documents.signing.keystore import LocalKeystore
    from balai.documents.signing.tsa import CityStamper, TimestampServer
    from balai.documents.tables import Document
    from balai.tenants import city_scope
    from balai.testing import write_config
    from balai.web.app import create_app
    from balai_pajak.pbb import assessment_run
    from balai_pajak.pbb import notices as sppt_notices

    from bench.pbb_assessment_run import seed

    tsa = TimestampServer({}).start()
    try:
        demo = tomllib.loads((ROOT / "examples" / "demo.toml").read_text(encoding="utf-8"))
        config = write_config(
            folder,
            {"malang": ["pajak"]},
            instance={"development": False},
            city_options={
                "malang": {
                    "settings": {
                        "pajak": demo["cities"]["malang"]["settings"]["pajak"],
                        "documents": {"timestamp_url": tsa.url},
                    }
                }
            },
        )
        app = create_app(config, plugins=["pajak"])
        await app.ui.database.open()
        await app.ui.database.migrate()
        city = app.ui.config.cities["malang"]
        secret = app.ui.config.secret_key
        with city_scope(city):
            await authority.init_ca(secret)
            tsa.stampers["malang"] = CityStamper.of(await authority.open_authority(secret))
            head_id = await create_user(
                name="Kepala Bapenda",
                password="kata-sandi-bench-123",
                email="kepala.bapenda@contoh.id",
                roles=(sppt_notices.HEAD,),
            )
            await authority.issue_certificate(
                secret, user_id=head_id, holder_name="Kepala Bapenda", position="Kepala Bapenda"
            )
            await seed(notices)
            run_id = await assessment_run.start_run(YEAR, None)
            await assessment_run.perform(city, run_id)
            started = time.perf_counter()
            issued = await sppt_notices.issue_notices(city, year=YEAR)
            issue_seconds = time.perf_counter() - started
            head = CurrentUser(
                id=head_id,
                name="Kepala Bapenda",
                email="kepala.bapenda@contoh.id",
                phone=None,
                roles=frozenset({sppt_notices.HEAD}),
                permissions=frozenset(),
            )
            numbers = [r["number"] for r in await Document.select(Document.number)]
            started = time.perf_counter()
            signed = 0
            for start in range(0, len(numbers), batch):
                outcomes = await queue.sign_after_second_factor(
                    user=head,
                    numbers=numbers[start : start + batch],
                    keystore=LocalKeystore(secret),
                    secret_key=secret,
                )
                signed += sum(1 for o in outcomes if o.signed)
            sign_seconds = time.perf_counter() - started
        await app.ui.database.close()
    finally:
        tsa.stop()
    return {
        "notices": notices,
        "issued": issued,
        "signed": signed,
        "issue_seconds": issue_seconds,
        "sign_seconds": sign_seconds,
    }


def report(result: dict) -> dict:
    """Rates per core and the projection for the yearly run on two cores."""
    total = result["issue_seconds"] + result["sign_seconds"]
    per_core = result["notices"] / total if total else 0.0
    return {
        **result,
        "issue_per_second": result["notices"] / result["issue_seconds"],
        "sign_per_second": result["notices"] / result["sign_seconds"],
        "per_core_per_second": per_core,
        "projected_minutes_100k_two_cores": TARGET / (2 * per_core) / 60 if per_core else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the bench (or its check)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=TARGET)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args(argv)
    notices = 3 if args.check_only else args.notices
    with tempfile.TemporaryDirectory(prefix="balai-sppt-") as folder:
        result = asyncio.run(run(notices, args.batch, Path(folder)))
    if result["signed"] != notices or result["issued"] != notices:
        print(f"FAILED: {result}", file=sys.stderr)
        return 1
    if args.check_only:
        print(f"ok: {notices} notices issued and signed")
        return 0
    figures = report(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "documents_sppt_run.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
