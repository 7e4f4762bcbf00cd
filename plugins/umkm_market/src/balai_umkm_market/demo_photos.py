"""Photos of a handful of demo products, drawn by the seeding itself (nothing downloaded).

Each is a still life as a seller would take it with a phone: the product's
package on a wooden table before a plain wall, its name on the label, in the
colours of its category. They are drawn with Pillow and stored through the
toolkit's upload checks, exactly like a seller's own photos; the other demo
products show the drawing of their category instead (``static/illustrations``).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from balai import toolkit as tk
from PIL import Image, ImageDraw, ImageFont

from balai_umkm_market.tables import Product, ProductPhoto

WIDTH, HEIGHT = 800, 600
PHOTOGRAPHED_MERCHANTS = 6  # the first product on sale of each of the first six shops

# category -> (wall, package, label ink)
COLOURS: dict[str, tuple[str, str, str]] = {
    "sembako": ("#efe6d2", "#f4f1ea", "#4d7a2a"),
    "makanan": ("#f6e0d3", "#d9532f", "#8a2a12"),
    "minuman": ("#dfeeea", "#5a3a22", "#2f5d50"),
    "kerajinan": ("#eee2d6", "#b5643a", "#6b3317"),
    "fashion": ("#e3e7f3", "#2f4f8f", "#22386a"),
    "pertanian": ("#e2efd9", "#c99a4a", "#4f7a2b"),
    "kesehatan": ("#f2efd6", "#e9a93b", "#3f7a3f"),
    "jasa": ("#e4e9ef", "#c94a3a", "#4b5866"),
}


@dataclass
class DrawnPhoto:
    """A drawn JPEG handed to ``tk.save_upload`` as an upload would be."""

    filename: str
    data: bytes
    content_type: str = "image/jpeg"

    async def read(self, size: int = -1) -> bytes:
        """The bytes, as an upload's ``read`` gives them."""
        chunk = self.data if size < 0 else self.data[:size]
        self.data = self.data[len(chunk) :]
        return chunk


def draw(name: str, category: str) -> bytes:
    """A 800x600 JPEG of ``name``'s package on a table, in ``category``'s colours."""
    wall, package, ink = COLOURS.get(category, COLOURS["sembako"])
    image = Image.new("RGB", (WIDTH, HEIGHT), wall)
    pen = ImageDraw.Draw(image)
    table_top = int(HEIGHT * 0.64)
    # Light falls from the left: the wall darkens a little to the right.
    for x in range(0, WIDTH, 8):
        shade = int(18 * x / WIDTH)
        pen.rectangle((x, 0, x + 8, table_top), fill=_darker(wall, shade))
    pen.rectangle((0, table_top, WIDTH, HEIGHT), fill="#a9774a")
    for y in range(table_top + 38, HEIGHT, 46):
        pen.line((0, y, WIDTH, y + 6), fill="#8f5f36", width=3)
    # The package: a shadow, a pouch, its seal and a label with the name.
    left, right, top, bottom = 250, 550, 130, table_top + 60
    pen.ellipse((left - 30, bottom - 26, right + 50, bottom + 22), fill="#7d5130")
    pen.rounded_rectangle((left, top, right, bottom), radius=36, fill=package, outline=ink, width=4)
    pen.rectangle((left + 14, top + 14, right - 14, top + 38), fill=_darker(package, 25))
    pen.rounded_rectangle((left + 30, top + 90, right - 30, top + 300), radius=18, fill="#fffdf6")
    font = ImageFont.load_default(size=30)
    lines = textwrap.wrap(name, width=15)[:4]
    y = top + 110
    for line in lines:
        width = pen.textlength(line, font=font)
        pen.text(((WIDTH - width) / 2, y), line, fill=ink, font=font)
        y += 42
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def _darker(colour: str, amount: int) -> tuple[int, int, int]:
    """``colour`` (``#rrggbb``) with each channel lowered by ``amount``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return (max(red - amount, 0), max(green - amount, 0), max(blue - amount, 0))


async def photograph(products: list[tuple[int, str, str]]) -> int:
    """Draw, store and attach a photo to each ``(id, name, category)``.

    The demo's shops have no owner accounts, so the files are the city's own.
    Returns how many products got one.
    """
    for product_id, name, category in products:
        stored = await tk.save_upload(
            DrawnPhoto(f"{name}.jpg", draw(name, category)),
            kind=tk.FileKind.IMAGE,
            owner_id=None,
            visibility="public",
        )
        await ProductPhoto.insert(ProductPhoto(product=product_id, file_key=stored.id, position=0))
        await Product.update({Product.photo: stored.id}).where(Product.id == product_id)
    return len(products)
