"""The merchant portal's products (``/toko-saya/produk/``): list, add, change, photos, delete.

Only the owner of a verified merchant gets here, and only to that
merchant's products: another merchant's product answers 404, whatever its id.
A product that was ever ordered cannot be deleted (orders and reviews keep
pointing at it); the merchant deactivates it instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_umkm_market.catalogue import products_import
from balai_umkm_market.catalogue.product_rules import ProductPageForm
from balai_umkm_market.labels import UNITS, options, product_categories
from balai_umkm_market.merchants.application import is_chosen_file, verified_merchant
from balai_umkm_market.partner_channel import remember_removal
from balai_umkm_market.tables import OrderItem, Product, ProductPhoto

PAGE_SIZE = 50
MAX_PHOTOS = 5
BASE = "/umkm-market/toko-saya/produk/"
FIELDS = ("name", "description", "category", "price", "unit", "stock")


async def own_product(merchant: dict[str, Any], product_id: int) -> dict[str, Any]:
    """The merchant's product ``product_id``; 404 for anyone else's."""
    row = (
        await Product.select()
        .where((Product.id == product_id) & (Product.merchant == merchant["id"]))
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row


async def photos_of(product_id: int) -> list[dict[str, Any]]:
    """The product's photos in display order."""
    return (
        await ProductPhoto.select()
        .where(ProductPhoto.product == product_id)
        .order_by(ProductPhoto.position)
        .order_by(ProductPhoto.id)
    )


def _shown(form: ProductPageForm) -> dict[str, Any]:
    """What the form shows again: the typed text, the checkbox as ticked or not."""
    return {**form.values, "is_active": form.is_active.checked}


async def _render_form(
    request: Request,
    merchant: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    product: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    return await tk.render(
        request,
        "umkm_market/product_form.html",
        {
            "merchant": merchant,
            "product": product,
            "photos": await photos_of(product["id"]) if product else [],
            "max_photos": MAX_PHOTOS,
            "values": values,
            "errors": errors,
            "categories": options(product_categories()),
            "units": [(u, u) for u in UNITS],
        },
        status_code=status_code,
    )


class PhotoRefused(Exception):
    """A photo could not be stored; ``message`` says why (the whole change is rolled back)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def _save_photos(form: Any, product_id: int, user_id: int, already: int) -> None:
    """Store the uploaded photos (up to :data:`MAX_PHOTOS` in all).

    Raises:
        PhotoRefused: too many photos, or one failed the upload checks.
    """
    uploads = [u for u in form.getall("photos", []) if is_chosen_file(u)]
    if already + len(uploads) > MAX_PHOTOS:
        raise PhotoRefused(tk._("A product has at most %(n)s photos.", n=MAX_PHOTOS))
    position = already
    for upload in uploads:
        try:
            stored = await tk.save_upload(
                upload, kind=tk.FileKind.IMAGE, owner_id=user_id, visibility="public"
            )
        except tk.UploadRejected as exc:
            raise PhotoRefused(exc.message) from None
        await ProductPhoto.insert(
            ProductPhoto(product=product_id, file_key=stored.id, position=position)
        )
        if position == 0:
            await Product.update({Product.photo: stored.id}).where(Product.id == product_id)
        position += 1


@get("/toko-saya/produk/", guards=[tk.require_login], name="umkm_market:products")
async def product_list(request: Request, page: FromQuery[int | None] = None) -> Response:
    """The merchant's products, by name, with price, stock and whether they are on sale."""
    merchant = await verified_merchant(request)
    total = await Product.count().where(Product.merchant == merchant["id"])
    pages = max(1, -(-total // PAGE_SIZE))
    current = max(1, min(int(page or 1), pages))
    rows = (
        await Product.select(
            Product.id,
            Product.name,
            Product.category,
            Product.price,
            Product.unit,
            Product.stock,
            Product.is_active,
            Product.photo,
        )
        .where(Product.merchant == merchant["id"])
        .order_by(Product.name)
        .order_by(Product.id)
        .limit(PAGE_SIZE)
        .offset((current - 1) * PAGE_SIZE)
    )
    base = tk.city_url(request, BASE)

    def page_url(number: int) -> str:
        return f"{base}?page={number}"

    return await tk.render(
        request,
        "umkm_market/products.html",
        {
            "merchant": merchant,
            "products": rows,
            "total": total,
            "page": current,
            "pages": pages,
            "categories": product_categories(),
            "import_url": tk.import_url(products_import.KEY),
            "page_url": page_url,
        },
    )


@get("/toko-saya/produk/baru", guards=[tk.require_login], name="umkm_market:product-new")
async def product_new(request: Request) -> Response:
    """An empty product form."""
    merchant = await verified_merchant(request)
    values = {"category": "", "unit": "pcs", "stock": "0", "is_active": True}
    return await _render_form(request, merchant, values, {})


@post("/toko-saya/produk/baru", guards=[tk.require_login], name="umkm_market:product-create")
async def product_create(request: Request) -> Response:
    """Add a product (and its photos); bad input re-shows the form (400), nothing stored."""
    merchant = await verified_merchant(request)
    user = await tk.current_user(request)
    form = await request.form()
    product_form = ProductPageForm(form)
    if not await product_form.validate():
        errors = product_form.errors
        return await _render_form(request, merchant, _shown(product_form), errors, status_code=400)
    clean = product_form.clean
    now = datetime.now(UTC)
    try:
        async with Product._meta.db.transaction():
            product = Product(merchant=merchant["id"], created_at=now, updated_at=now, **clean)
            await product.save()
            await _save_photos(form, product.id, user.id, 0)
    except PhotoRefused as exc:
        errors = {"photos": exc.message}
        return await _render_form(request, merchant, _shown(product_form), errors, status_code=400)
    tk.flash(request, tk._("Product %(name)s added.", name=clean["name"]), "success")
    return Redirect(tk.city_url(request, BASE), status_code=303)


@get("/toko-saya/produk/{product_id:int}", guards=[tk.require_login], name="umkm_market:product")
async def product_edit(request: Request, product_id: FromPath[int]) -> Response:
    """The form of one of the merchant's products, with its photos."""
    merchant = await verified_merchant(request)
    product = await own_product(merchant, product_id)
    values = {f: str(product[f]) for f in FIELDS}
    values["is_active"] = product["is_active"]
    return await _render_form(request, merchant, values, {}, product)


@post(
    "/toko-saya/produk/{product_id:int}", guards=[tk.require_login], name="umkm_market:product-save"
)
async def product_save(request: Request, product_id: FromPath[int]) -> Response:
    """Change a product; new photos are added. Bad input re-shows the form (400)."""
    merchant = await verified_merchant(request)
    product = await own_product(merchant, product_id)
    user = await tk.current_user(request)
    form = await request.form()
    product_form = ProductPageForm(form)
    if not await product_form.validate():
        errors = product_form.errors
        return await _render_form(request, merchant, _shown(product_form), errors, product, 400)
    clean = product_form.clean
    photos = await photos_of(product["id"])
    try:
        async with Product._meta.db.transaction():
            await Product.update({**clean, "updated_at": datetime.now(UTC)}).where(
                Product.id == product["id"]
            )
            await _save_photos(form, product["id"], user.id, len(photos))
    except PhotoRefused as exc:
        errors = {"photos": exc.message}
        return await _render_form(request, merchant, _shown(product_form), errors, product, 400)
    tk.flash(request, tk._("Product %(name)s saved.", name=clean["name"]), "success")
    return Redirect(tk.city_url(request, BASE), status_code=303)


@post(
    "/toko-saya/produk/{product_id:int}/foto/{photo_id:int}/hapus",
    guards=[tk.require_login],
    name="umkm_market:product-photo-remove",
)
async def photo_remove(
    request: Request, product_id: FromPath[int], photo_id: FromPath[int]
) -> Response:
    """Remove one photo; the next one becomes the main photo."""
    merchant = await verified_merchant(request)
    product = await own_product(merchant, product_id)
    async with Product._meta.db.transaction():
        removed = await (
            ProductPhoto.delete()
            .where((ProductPhoto.id == photo_id) & (ProductPhoto.product == product["id"]))
            .returning(ProductPhoto.id)
        )
        if not removed:
            raise NotFoundException()
        rest = await photos_of(product["id"])
        await Product.update({Product.photo: rest[0]["file_key"] if rest else ""}).where(
            Product.id == product["id"]
        )
    tk.flash(request, tk._("Photo removed."), "success")
    return Redirect(tk.city_url(request, f"{BASE}{product['id']}"), status_code=303)


@post(
    "/toko-saya/produk/{product_id:int}/hapus",
    guards=[tk.require_login],
    name="umkm_market:product-delete",
)
async def product_delete(request: Request, product_id: FromPath[int]) -> Response:
    """Delete a product never ordered; an ordered one is deactivated instead."""
    merchant = await verified_merchant(request)
    product = await own_product(merchant, product_id)
    if await OrderItem.exists().where(OrderItem.product == product["id"]):
        await Product.update(
            {Product.is_active: False, Product.updated_at: datetime.now(UTC)}
        ).where(Product.id == product["id"])
        tk.flash(
            request,
            tk._(
                "%(name)s has orders, so it was taken off sale instead of deleted.",
                name=product["name"],
            ),
            "info",
        )
    else:
        async with Product._meta.db.transaction():
            await Product.delete().where(Product.id == product["id"])
            await remember_removal(product, merchant)
        tk.flash(request, tk._("Product %(name)s deleted.", name=product["name"]), "success")
    return Redirect(tk.city_url(request, BASE), status_code=303)


PAGES = [
    product_list,
    product_new,
    product_create,
    product_edit,
    product_save,
    photo_remove,
    product_delete,
]
