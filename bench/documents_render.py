"""``python -m bench.documents_render``: fpdf2 (the platform's renderer) against WeasyPrint.

Both render the same typical one-page notice (a PBB assessment notice: a
heading, an eight-row table, a paragraph; DejaVu Sans embedded; PDF/A-2b)
``--rounds`` times after one warm-up, and the mean milliseconds per page are
printed. WeasyPrint is not a dependency of the platform: run this with
``uv run --with weasyprint python -m bench.documents_render``; without it
only fpdf2 is timed. ``--check-only`` renders once with each and checks
that each output is a PDF, without timing (for CI).

The numbers recorded in docs/architecture.md were taken on a shared,
loaded 2-core machine; measure again on a quiet one.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable

from balai.documents.render import FAMILY, FONTS, Closing, Letterhead, render_pdf

NOTICE = """<h2>SURAT PEMBERITAHUAN PAJAK TERUTANG</h2><p>PAJAK BUMI DAN BANGUNAN TAHUN 2026</p>
<table width="100%">
<tr><td width="40%"><b>NOP</b></td><td width="60%">35.73.010.001.001-0001.0</td></tr>
<tr><td>Nama wajib pajak</td><td>Budi Santoso</td></tr>
<tr><td>Letak objek</td><td>Jl. Ijen No. 12, Klojen</td></tr>
<tr><td>Luas bumi</td><td>240 m²</td></tr><tr><td>Luas bangunan</td><td>120 m²</td></tr>
<tr><td>NJOP</td><td>Rp1.250.000.000</td></tr><tr><td>PBB terutang</td><td>Rp1.250.000</td></tr>
<tr><td>Jatuh tempo</td><td>31 Agustus 2026</td></tr></table>
<p>Pembayaran dapat dilakukan melalui bank persepsi atau kanal pembayaran daring kota.</p>"""


def with_fpdf2() -> bytes:
    """The notice through the platform's own renderer (letterhead, QR code, signature space)."""
    return render_pdf(
        letterhead=Letterhead("Kota Malang", "Badan Pendapatan Daerah"),
        title="Surat Pemberitahuan Pajak Terutang",
        number="SPPT-2026-7KQ4-M9TX-K",
        number_label="Nomor",
        body_html=NOTICE,
        closing=Closing(
            "Malang, 7 Desember 2026",
            "Kepala Badan Pendapatan Daerah",
            "Ditandatangani secara elektronik",
            "https://malang.example/dokumen/verifikasi/SPPT-2026-7KQ4-M9TX-K",
            "Pindai untuk memeriksa keaslian dokumen ini",
        ),
    ).data


def with_weasyprint() -> bytes:
    """The same notice's HTML through WeasyPrint, PDF/A-2b, the same font."""
    import weasyprint

    css = (
        f"@font-face{{font-family:{FAMILY};src:url('file://{FONTS}/DejaVuSans.ttf')}}"
        f"@page{{size:A4;margin:18mm}} body{{font-family:{FAMILY};font-size:10pt}}"
    )
    html = f"<html><head><style>{css}</style></head><body>{NOTICE}</body></html>"
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-2b")


def mean_ms(render: Callable[[], bytes], rounds: int) -> float:
    """Mean milliseconds of ``render`` over ``rounds`` calls after one warm-up."""
    render()
    started = time.perf_counter()
    for _ in range(rounds):
        render()
    return (time.perf_counter() - started) * 1000 / rounds


def main() -> None:
    """Time (or just check) both renderers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args()
    renderers = {"fpdf2": with_fpdf2}
    if importlib.util.find_spec("weasyprint") is not None:
        renderers["weasyprint"] = with_weasyprint
    for name, render in renderers.items():
        if args.check_only:
            assert render().startswith(b"%PDF-"), name
            print(f"{name}: ok")
        else:
            print(f"{name}: {mean_ms(render, args.rounds):.1f} ms per page")


if __name__ == "__main__":
    main()
