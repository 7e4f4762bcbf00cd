"""Reviews: who may write one, the merchant's reply, the officer hiding an abusive one.

Rules:

* Only the buyer of a **completed** order reviews, **one review per order
  item** (a unique index per city backs the check, so two tabs posting at
  once still make one review), with a rating from 1 to 5 and an optional text.
* The merchant (the account that owns the business) replies once; the reply
  can be edited later.
* A market officer hides an abusive review with a reason; the hiding is
  recorded in the city's audit log in the same transaction. A hidden review
  no longer shows and no longer counts in the ratings.
* ``rating_sum``/``rating_count`` of the product and the merchant change in
  the same transaction as the review they follow.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.tables import (
    Merchant,
    OrderItem,
    OrderStatus,
    Product,
    Review,
)

MAX_TEXT = 2000
MAX_REPLY = 1000
MAX_REASON = 500


class ReviewRefused(Exception):
    """The action is not allowed; ``status`` is the HTTP status, the message is translated."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ReviewInput:
    """A checked review form."""

    rating: int
    text: str


_RATING = tk.N_("Choose a rating from 1 to 5 stars.")
_TOO_LONG = tk.N_("Keep it to %(max)s characters (it has %(count)s).")


class ReviewForm(tk.Form):
    """A buyer's review: 1 to 5 stars and an optional text."""

    rating = tk.ChoiceField(
        "Rating",
        choices=[(str(stars), str(stars)) for stars in range(1, 6)],
        translate=False,
        missing=_RATING,
        invalid=_RATING,
    )
    text = tk.TextField(
        "Review",
        max_length=MAX_TEXT,
        multiline=True,
        required=False,
        invalid=tk.N_("Keep the review to %(max)s characters (it has %(count)s)."),
    )


class ReplyForm(tk.Form):
    """The merchant's public reply to a review."""

    reply = tk.TextField(
        "Reply",
        max_length=MAX_REPLY,
        multiline=True,
        missing=tk.N_("Write your reply."),
        invalid=_TOO_LONG,
    )


class HideForm(tk.Form):
    """An officer's reason for hiding an abusive review."""

    reason = tk.TextField(
        "Reason",
        max_length=MAX_REASON,
        multiline=True,
        missing=tk.N_("Give the reason for hiding the review."),
        invalid=_TOO_LONG,
    )


def _is_duplicate(exc: Exception) -> bool:
    return isinstance(exc, sqlite3.IntegrityError) or type(exc).__name__ == "UniqueViolationError"


async def reviewable_item(order_item_id: int, user_id: int) -> dict[str, Any]:
    """The order item ``user_id`` may review now, with its order's and product's facts.

    Raises:
        ReviewRefused: 404 no such item in this city, 403 not the buyer,
            409 the order is not completed or the item is already reviewed.
    """
    item = (
        await OrderItem.select(
            OrderItem.id,
            OrderItem.product,
            OrderItem.product_name,
            OrderItem.quantity,
            OrderItem.order.id.as_alias("order_id"),
            OrderItem.order.number.as_alias("order_number"),
            OrderItem.order.buyer_id.as_alias("buyer_id"),
            OrderItem.order.buyer_name.as_alias("buyer_name"),
            OrderItem.order.status.as_alias("order_status"),
            OrderItem.order.merchant.as_alias("merchant_id"),
        )
        .where(OrderItem.id == order_item_id)
        .first()
    )
    if item is None:
        raise ReviewRefused(404, tk._("There is no such order item."))
    if item["buyer_id"] != user_id:
        raise ReviewRefused(403, tk._("Only the buyer of this order can review it."))
    if item["order_status"] != OrderStatus.COMPLETED.value:
        raise ReviewRefused(409, tk._("You can review this product once your order is completed."))
    if await Review.exists().where(Review.order_item == order_item_id):
        raise ReviewRefused(409, tk._("You have already reviewed this item of your order."))
    return item


async def _add_rating(product_id: int, merchant_id: int, rating: int, count: int) -> None:
    """Add ``rating`` (negative to take one away) to the product's and merchant's totals."""
    await Product.update(
        {
            Product.rating_sum: Product.rating_sum + rating,
            Product.rating_count: Product.rating_count + count,
        }
    ).where(Product.id == product_id)
    await Merchant.update(
        {
            Merchant.rating_sum: Merchant.rating_sum + rating,
            Merchant.rating_count: Merchant.rating_count + count,
        }
    ).where(Merchant.id == merchant_id)


async def add_review(item: dict[str, Any], review: ReviewInput, user_id: int) -> int:
    """Store the review of ``item`` (from :func:`reviewable_item`) and count its rating.

    Raises:
        ReviewRefused: 409 when the item was reviewed meanwhile.
    """
    try:
        async with Review._meta.db.transaction():
            rows = await Review.insert(
                Review(
                    order_item=item["id"],
                    order=item["order_id"],
                    product=item["product"],
                    merchant=item["merchant_id"],
                    buyer_id=user_id,
                    buyer_name=item["buyer_name"],
                    rating=review.rating,
                    text=review.text,
                    created_at=datetime.now(UTC),
                )
            )
            await _add_rating(item["product"], item["merchant_id"], review.rating, 1)
    except Exception as exc:
        if _is_duplicate(exc):
            raise ReviewRefused(
                409, tk._("You have already reviewed this item of your order.")
            ) from exc
        raise
    return rows[0]["id"]


async def owned_merchant_ids(user_id: int) -> list[int]:
    """The businesses the account runs in this city."""
    rows = await Merchant.select(Merchant.id).where(Merchant.owner_user_id == user_id)
    return [r["id"] for r in rows]


async def save_reply(review_id: int, user_id: int, reply: str) -> dict[str, Any]:
    """Set (or change) the merchant's reply to a review of their business.

    Raises:
        ReviewRefused: 404 no such review, 403 not the merchant's.
    """
    review = (
        await Review.select(Review.id, Review.merchant, Review.product)
        .where(Review.id == review_id)
        .first()
    )
    if review is None:
        raise ReviewRefused(404, tk._("There is no such review."))
    if review["merchant"] not in await owned_merchant_ids(user_id):
        raise ReviewRefused(403, tk._("Only the business that was reviewed can reply."))
    await Review.update({Review.reply: reply, Review.replied_at: datetime.now(UTC)}).where(
        Review.id == review_id
    )
    return review


async def hide_review(review_id: int, officer_id: int, reason: str, request: Any) -> None:
    """Hide an abusive review with ``reason``, take its rating out, and audit it.

    Raises:
        ReviewRefused: 404 no such review, 409 already hidden.
    """
    async with Review._meta.db.transaction():
        hidden = await (
            Review.update(
                {
                    Review.is_hidden: True,
                    Review.hidden_reason: reason,
                    Review.hidden_by: officer_id,
                    Review.hidden_at: datetime.now(UTC),
                }
            )
            .where((Review.id == review_id) & (Review.is_hidden == False))  # noqa: E712
            .returning(Review.id, Review.product, Review.merchant, Review.rating)
        )
        if not hidden:
            exists = await Review.exists().where(Review.id == review_id)
            if not exists:
                raise ReviewRefused(404, tk._("There is no such review."))
            raise ReviewRefused(409, tk._("This review is already hidden."))
        row = hidden[0]
        await _add_rating(row["product"], row["merchant"], -row["rating"], -1)
        await tk.audit_record(
            "umkm_market.review_hidden",
            actor_id=officer_id,
            request=request,
            subject=f"review:{review_id}",
            detail={"product": row["product"], "rating": row["rating"], "reason": reason},
        )
