"""Rendering a document to PDF/A-2b with fpdf2: letterhead, body, QR code, signature space.

Why fpdf2 (a direct PDF library) and not WeasyPrint: on a typical one-page
notice it rendered 2.5 times faster (docs/architecture.md has the numbers),
and the yearly SPPT run renders 100,000 of them; its ``write_html`` still
lets the body be a Jinja template in the theme chain. PDF/A-2b needs every
font embedded: DejaVu Sans ships in ``fonts/`` (its licence beside it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FAMILY = "dejavu"
PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
MARGIN = 18.0
QR_SIZE = 30.0
SIG_W, SIG_H = 75.0, 32.0
# What the closing part needs below the body: place and date, position, the
# signature block, the signer's name and the QR code.
CLOSING_HEIGHT = 78.0
POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Letterhead:
    """The top of every page: the city's name and department, its logo from the theme."""

    city_name: str
    department: str
    logo: Path | None = None


@dataclass(frozen=True)
class Closing:
    """The closing part under the body.

    Attributes:
        place_and_date: ``Malang, 7 Desember 2026``.
        position: The signer's position (empty for an unsigned document).
        signer_label: The text in the signature space before signing
            (``Ditandatangani secara elektronik``) or empty for none.
        verify_url: The absolute URL the QR code leads to.
        verify_caption: The line printed beside the QR code.
    """

    place_and_date: str
    position: str
    signer_label: str
    verify_url: str
    verify_caption: str


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF and where its signature block goes (page index, box in PDF points)."""

    data: bytes
    sig_page: int
    sig_box: tuple[int, int, int, int]


class _Pdf(FPDF):
    def __init__(self, letterhead: Letterhead, number_line: str) -> None:
        super().__init__(format="A4", unit="mm", enforce_compliance="PDFA_2B")
        self.letterhead = letterhead
        self.number_line = number_line
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font(FAMILY, "I", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "BI", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 6)

    def header(self) -> None:
        head = self.letterhead
        top = 12.0
        text_x = MARGIN
        if head.logo is not None and head.logo.is_file():
            self.image(str(head.logo), x=MARGIN, y=top, w=20, h=20)
            text_x = MARGIN + 24
        self.set_xy(text_x, top + 1)
        self.set_font(FAMILY, "B", 14)
        self.cell(PAGE_W - MARGIN - text_x, 7, f"PEMERINTAH {head.city_name.upper()}")
        if head.department:
            self.set_xy(text_x, top + 9)
            self.set_font(FAMILY, "B", 11)
            self.cell(PAGE_W - MARGIN - text_x, 6, head.department.upper())
        self.set_line_width(0.8)
        self.line(MARGIN, top + 23, PAGE_W - MARGIN, top + 23)
        self.set_line_width(0.2)
        self.line(MARGIN, top + 24.2, PAGE_W - MARGIN, top + 24.2)
        self.set_y(top + 29)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FAMILY, "", 7)
        self.cell(0, 4, f"{self.number_line} · {self.page_no()}/{{nb}}", align="C")


def _qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=4, border=2)
    return out.getvalue()


def render_pdf(
    *,
    letterhead: Letterhead,
    title: str,
    number: str,
    number_label: str,
    body_html: str,
    closing: Closing,
    document_title: str = "",
) -> RenderedPdf:
    """The document as PDF/A-2b bytes, with room left for a visible signature.

    Args:
        letterhead: The city and department at the top of each page.
        title: The heading (upper-cased on the page).
        number: The document number, printed under the heading and in the footer.
        number_label: ``Nomor`` (translated).
        body_html: The rendered body template (fpdf2's HTML subset).
        closing: Place, date, signer's position, QR code.
        document_title: The PDF's metadata title (default: ``title number``).
    """
    pdf = _Pdf(letterhead, number)
    pdf.set_title(document_title or f"{title} {number}")
    pdf.set_author(letterhead.city_name)
    pdf.set_creator("Balai")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 6, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(0, 6, f"{number_label}: {number}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.write_html(body_html, font_family=FAMILY)
    if pdf.get_y() + CLOSING_HEIGHT > PAGE_H - MARGIN - 6:
        pdf.add_page()
    top = max(pdf.get_y() + 6, PAGE_H - MARGIN - 6 - CLOSING_HEIGHT)
    right_x = PAGE_W - MARGIN - SIG_W
    pdf.set_font(FAMILY, "", 10)
    pdf.set_xy(right_x, top)
    pdf.multi_cell(SIG_W, 5, closing.place_and_date, align="C", new_x="LEFT", new_y="NEXT")
    if closing.position:
        pdf.multi_cell(SIG_W, 5, closing.position, align="C", new_x="LEFT", new_y="NEXT")
    sig_top = pdf.get_y() + 2
    if closing.signer_label:
        pdf.set_draw_color(170, 170, 170)
        pdf.rect(right_x, sig_top, SIG_W, SIG_H)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_xy(right_x, sig_top + SIG_H / 2 - 2.5)
        pdf.set_font(FAMILY, "", 8)
        pdf.cell(SIG_W, 5, closing.signer_label, align="C")
    qr_top = sig_top - 6
    pdf.image(io.BytesIO(_qr_png(closing.verify_url)), x=MARGIN, y=qr_top, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(MARGIN, qr_top + QR_SIZE + 1)
    pdf.set_font(FAMILY, "", 7)
    pdf.multi_cell(right_x - MARGIN - 6, 3.5, f"{closing.verify_caption}\n{closing.verify_url}")
    page = pdf.page_no() - 1
    box = (
        round(right_x * POINTS_PER_MM),
        round((PAGE_H - sig_top - SIG_H) * POINTS_PER_MM),
        round((right_x + SIG_W) * POINTS_PER_MM),
        round((PAGE_H - sig_top) * POINTS_PER_MM),
    )
    return RenderedPdf(data=bytes(pdf.output()), sig_page=page, sig_box=box)
