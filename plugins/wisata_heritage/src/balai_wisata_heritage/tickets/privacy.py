"""What the ticket half holds about an account (the PDP right of access, ``personal_data``).

Ticket orders are kept when an account is erased: each is the record of a
payment in the city's ledger.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_wisata_heritage.tickets.rules import status_label
from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder

ORDERS_KEPT = tk.N_("Kept with the city's payment records: each order is a payment.")


async def ticket_data(user_id: int) -> list[tk.PersonalData]:
    """The account's ticket orders with their tickets (nothing when there are none)."""
    orders = (
        await TicketOrder.select(
            TicketOrder.id,
            TicketOrder.number,
            TicketOrder.status,
            TicketOrder.total,
            TicketOrder.buyer_name,
            TicketOrder.invoice_number,
            TicketOrder.created_at,
            TicketOrder.slot.starts_at.as_alias("starts_at"),
            TicketOrder.slot.product.title.as_alias("product"),
        )
        .where(TicketOrder.buyer_id == user_id)
        .order_by(TicketOrder.created_at)
    )
    if not orders:
        return []
    tickets = await Ticket.select(Ticket.purchase, Ticket.code).where(
        Ticket.purchase.is_in([order["id"] for order in orders])
    )
    codes: dict[int, list[str]] = {}
    for ticket in tickets:
        codes.setdefault(ticket["purchase"], []).append(ticket["code"])
    return [
        tk.PersonalData(
            tk.N_("Heritage ticket orders"),
            tuple(
                {
                    tk.N_("Order"): order["number"],
                    tk.N_("Visit"): order["product"],
                    tk.N_("Time slot"): order["starts_at"].isoformat(),
                    tk.N_("Tickets"): ", ".join(codes.get(order["id"], [])),
                    tk.N_("Total (Rp)"): str(order["total"]),
                    tk.N_("Status"): status_label(order["status"]),
                    tk.N_("Name"): order["buyer_name"],
                    tk.N_("Invoice"): order["invoice_number"],
                    tk.N_("Ordered on"): order["created_at"].isoformat(),
                }
                for order in orders
            ),
            ORDERS_KEPT,
        )
    ]
