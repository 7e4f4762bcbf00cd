"""What the OpenAPI document says about the JSON API's error answers.

The document at ``/api/schema`` describes the JSON API only (routes given
as ``Routes.api``: open data, payment callbacks, any partner API), and for
each operation every status it can answer with its body. Errors outside a
handler's own answers (an unknown city or dataset, a refused guard, a body
too large) are written by :func:`balai.web.errors.handle_exception` as
:class:`ApiError`; a handler lists them with :func:`error_responses`::

    @get("/{slug:str}", opt=PUBLIC, responses=error_responses(400, 404))
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
from litestar.openapi.datastructures import ResponseSpec

# Answered by the platform before any handler runs, on every route of the API:
# a malformed request or a Host the instance does not serve.
COMMON_ERRORS = (400,)


class ApiError(msgspec.Struct, omit_defaults=True):
    """The body of an error answer on ``/api/``: status, title and message in the language asked."""

    status: int
    error: str
    message: str
    detail: str | None = None


def error_responses(*statuses: int, body: Any = ApiError) -> dict[int, ResponseSpec]:
    """Response specs for ``statuses`` (and :data:`COMMON_ERRORS`) with ``body`` as JSON.

    Args:
        statuses: The error statuses the handler's route can answer.
        body: The type of the JSON body (default :class:`ApiError`; a union
            when the handler writes its own errors beside the platform's).
    """
    return {
        status: ResponseSpec(
            data_container=body, description=HTTPStatus(status).phrase, generate_examples=False
        )
        for status in sorted({*statuses, *COMMON_ERRORS})
    }
