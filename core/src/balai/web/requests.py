"""The request class of every Balai app: form text that no database can store is refused.

A NUL character cannot be stored in a PostgreSQL text column, and no one
types one into a form: a submitted field holding it (a probe, a forged
request) is answered 400 before any handler sees it, on both databases.
Uploaded files are bytes and may hold anything.
"""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.exceptions import HTTPException


class BalaiRequest(Request):
    """litestar's request; :meth:`form` refuses text fields holding a NUL character."""

    async def form(self) -> FormMultiDict:
        """The submitted form; raises a 400 when a text field holds a NUL character."""
        data = await super().form()
        for name, value in data.multi_items():
            if isinstance(value, str) and "\x00" in value:
                raise HTTPException(status_code=400, detail=f"NUL character in field {name!r}")
        return data
