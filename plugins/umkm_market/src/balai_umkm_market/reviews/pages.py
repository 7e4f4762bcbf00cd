"""Review pages: the buyer's form, the merchant's replies, the officers' moderation.

* ``/umkm-market/ulasan/baru/<order_item_id>`` — the buyer reviews one item of
  a completed order (the order page links here).
* ``/umkm-market/ulasan/toko`` — the merchant's reviews, each with a reply form
  posting to ``/umkm-market/ulasan/<id>/balas``.
* ``/kelola/umkm-market/ulasan/`` — recent reviews for market officers, each
  with a hide form (reason required) posting to ``…/ulasan/<id>/sembunyikan``;
  ``/kelola/umkm-market/ulasan/tersembunyi`` — the log of hidden reviews.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_umkm_market.catalogue.pages import product_path, public_name
from balai_umkm_market.reviews.service import (
    HideForm,
    ReplyForm,
    ReviewForm,
    ReviewInput,
    ReviewRefused,
    add_review,
    hide_review,
    owned_merchant_ids,
    reviewable_item,
    save_reply,
)
from balai_umkm_market.tables import Review

MANAGE = "umkm_market.manage"
OFFICE_PAGE_SIZE = 50
MERCHANT_PAGE_SIZE = 50
MERCHANT_REVIEWS_PATH = "/umkm-market/ulasan/toko"
OFFICE_REVIEWS_PATH = "/kelola/umkm-market/ulasan/"


def review_path(order_item_id: int) -> str:
    """Where the buyer reviews an order item (inside the city; for the order page's link)."""
    return f"/umkm-market/ulasan/baru/{order_item_id}"


def rating_options() -> list[tuple[str, str]]:
    """The five ratings, labelled."""
    return [
        ("5", tk._("5 — very good")),
        ("4", tk._("4 — good")),
        ("3", tk._("3 — fair")),
        ("2", tk._("2 — poor")),
        ("1", tk._("1 — very poor")),
    ]


async def _user(request: Request) -> tk.CurrentUser:
    user = await tk.current_user(request)
    assert user is not None  # the route's guard requires a login
    return user


async def _refused(request: Request, refused: ReviewRefused) -> Response:
    if refused.status == 404:
        raise HTTPException(status_code=404, detail=refused.message)
    return await tk.render(
        request,
        "umkm_market/review_refused.html",
        {"message": refused.message},
        status_code=refused.status,
    )


@get("/ulasan/baru/{order_item_id:int}", guards=[tk.require_login], name="umkm_market:review-new")
async def review_form(request: Request, order_item_id: FromPath[int]) -> Response:
    """The buyer's review form for one item of their completed order."""
    user = await _user(request)
    try:
        item = await reviewable_item(order_item_id, user.id)
    except ReviewRefused as refused:
        return await _refused(request, refused)
    return await tk.render(
        request,
        "umkm_market/review_form.html",
        {
            "item": item,
            "values": {"rating": "", "text": ""},
            "errors": {},
            "ratings": rating_options(),
        },
    )


@post("/ulasan/baru/{order_item_id:int}", guards=[tk.require_login], name="umkm_market:review-add")
async def review_add(request: Request, order_item_id: FromPath[int]) -> Response:
    """Store the buyer's review and go to the product's page."""
    user = await _user(request)
    form = await request.form()
    try:
        item = await reviewable_item(order_item_id, user.id)
        review = ReviewForm(form)
        values, errors = review.values, review.errors
        if not await review.validate():
            return await tk.render(
                request,
                "umkm_market/review_form.html",
                {"item": item, "values": values, "errors": errors, "ratings": rating_options()},
                status_code=400,
            )
        review_id = await add_review(
            item, ReviewInput(int(review.clean["rating"]), review.clean["text"]), user.id
        )
    except ReviewRefused as refused:
        return await _refused(request, refused)
    tk.flash(request, tk._("Thank you: your review is published."), "success")
    target = tk.city_url(request, product_path(item["product"]))
    return Redirect(f"{target}#review-{review_id}", status_code=303)


async def _merchant_page(
    request: Request,
    merchant_ids: list[int],
    errors: dict[int, str] | None = None,
    drafts: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    rows = await (
        Review.select(
            Review.id,
            Review.product,
            Review.product.name.as_alias("product_name"),
            Review.buyer_name,
            Review.rating,
            Review.text,
            Review.reply,
            Review.replied_at,
            Review.is_hidden,
            Review.hidden_reason,
            Review.created_at,
        )
        .where(Review.merchant.is_in(merchant_ids))
        .order_by(Review.created_at, ascending=False)
        .order_by(Review.id, ascending=False)
        .limit(MERCHANT_PAGE_SIZE)
    )
    return await tk.render(
        request,
        "umkm_market/merchant_reviews.html",
        {
            "reviews": rows,
            "errors": errors or {},
            "drafts": drafts or {},
            "public_name": public_name,
            "product_path": product_path,
        },
        status_code=status_code,
    )


@get("/ulasan/toko", guards=[tk.require_login], name="umkm_market:merchant-reviews")
async def merchant_reviews(request: Request) -> Response:
    """The reviews of the visitor's business, newest first, with reply forms."""
    user = await _user(request)
    merchant_ids = await owned_merchant_ids(user.id)
    if not merchant_ids:
        raise HTTPException(status_code=403, detail=tk._("This page is for the city's merchants."))
    return await _merchant_page(request, merchant_ids)


@post("/ulasan/{review_id:int}/balas", guards=[tk.require_login], name="umkm_market:review-reply")
async def review_reply(request: Request, review_id: FromPath[int]) -> Response:
    """Save the merchant's reply (a new one or a changed one)."""
    user = await _user(request)
    form = await request.form()
    typed = ReplyForm(form)
    reply = typed.values["reply"]
    error = "" if await typed.validate() else typed.errors["reply"]
    merchant_ids = await owned_merchant_ids(user.id)
    if error:
        if not merchant_ids:
            raise HTTPException(status_code=403)
        return await _merchant_page(
            request, merchant_ids, {review_id: error}, {review_id: reply}, status_code=400
        )
    try:
        await save_reply(review_id, user.id, reply)
    except ReviewRefused as refused:
        return await _refused(request, refused)
    tk.flash(request, tk._("Your reply is published."), "success")
    return Redirect(
        f"{tk.city_url(request, MERCHANT_REVIEWS_PATH)}#review-{review_id}", status_code=303
    )


async def _office_page(
    request: Request,
    errors: dict[int, str] | None = None,
    drafts: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    rows = await (
        Review.select(
            Review.id,
            Review.product,
            Review.product.name.as_alias("product_name"),
            Review.merchant.name.as_alias("merchant_name"),
            Review.buyer_name,
            Review.rating,
            Review.text,
            Review.reply,
            Review.created_at,
        )
        .where(Review.is_hidden == False)  # noqa: E712
        .order_by(Review.created_at, ascending=False)
        .order_by(Review.id, ascending=False)
        .limit(OFFICE_PAGE_SIZE)
    )
    return await tk.render(
        request,
        "umkm_market/office_reviews.html",
        {
            "reviews": rows,
            "errors": errors or {},
            "drafts": drafts or {},
            "product_path": product_path,
        },
        status_code=status_code,
    )


@get("/ulasan/", guards=[tk.require_permission(MANAGE)], name="umkm_market:office-reviews")
async def office_reviews(request: Request) -> Response:
    """Recent visible reviews, each with a form to hide it."""
    return await _office_page(request)


@post(
    "/ulasan/{review_id:int}/sembunyikan",
    guards=[tk.require_permission(MANAGE)],
    name="umkm_market:review-hide",
)
async def review_hide(request: Request, review_id: FromPath[int]) -> Response:
    """Hide an abusive review with a reason (audited)."""
    user = await _user(request)
    form = await request.form()
    typed = HideForm(form)
    reason = typed.values["reason"]
    error = "" if await typed.validate() else typed.errors["reason"]
    if error:
        return await _office_page(request, {review_id: error}, {review_id: reason}, 400)
    try:
        await hide_review(review_id, user.id, reason, request)
    except ReviewRefused as refused:
        return await _refused(request, refused)
    tk.flash(request, tk._("The review is hidden; the reason is in the log."), "success")
    return Redirect(tk.city_url(request, OFFICE_REVIEWS_PATH + "tersembunyi"), status_code=303)


@get(
    "/ulasan/tersembunyi", guards=[tk.require_permission(MANAGE)], name="umkm_market:hidden-reviews"
)
async def hidden_reviews(request: Request) -> Response:
    """The log of hidden reviews: what was hidden, when, by whom, why."""
    rows: list[dict[str, Any]] = await (
        Review.select(
            Review.id,
            Review.product,
            Review.product.name.as_alias("product_name"),
            Review.merchant.name.as_alias("merchant_name"),
            Review.buyer_name,
            Review.rating,
            Review.text,
            Review.hidden_reason,
            Review.hidden_by,
            Review.hidden_at,
        )
        .where(Review.is_hidden == True)  # noqa: E712
        .order_by(Review.hidden_at, ascending=False)
        .order_by(Review.id, ascending=False)
        .limit(OFFICE_PAGE_SIZE)
    )
    return await tk.render(
        request,
        "umkm_market/office_hidden_reviews.html",
        {"reviews": rows, "product_path": product_path},
    )


PAGES = [review_form, review_add, merchant_reviews, review_reply]
OFFICE = [office_reviews, review_hide, hidden_reviews]
