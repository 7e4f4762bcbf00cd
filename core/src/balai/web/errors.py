"""Error pages: the right status, a clear message in the visitor's language, no trace.

HTML for pages, JSON for ``/api/``. A 401 on a page sends the visitor to the
login form and back. Server errors are logged with their traceback; the
visitor sees a generic page.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.background_tasks import BackgroundTask
from litestar.enums import MediaType
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_303_SEE_OTHER

from balai.i18n import LANGUAGES, current_locale
from balai.i18n import gettext as _
from balai.tenants import current_city_or_none
from balai.web.rendering import city_url, csrf_input, csrf_token, current_path, static_url

log = logging.getLogger("balai.web")


def _messages(status: int) -> tuple[str, str]:
    table = {
        400: (_("Bad request"), _("The request could not be understood. Check what you sent.")),
        401: (_("Please log in"), _("You need to log in to open this page.")),
        403: (
            _("Forbidden"),
            _("Your account does not have permission to open this page."),
        ),
        404: (_("Page not found"), _("The page you are looking for does not exist here.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        409: (
            _("Changed meanwhile"),
            _("Someone changed this meanwhile. Reload the page to see where it stands."),
        ),
        413: (_("Too large"), _("What you sent is larger than this site accepts.")),
        429: (_("Too many attempts"), _("Please wait a few minutes and try again.")),
    }
    if status in table:
        return table[status]
    if status >= 500:
        return (
            _("Something went wrong"),
            _("An error occurred on our side. It has been recorded; please try again later."),
        )
    return (_("Request refused"), _("The request could not be completed."))


def _wants_json(request: Request) -> bool:
    # litestar has already taken the city prefix (root_path) off the path.
    path, root = request.scope["path"], request.scope.get("root_path", "")
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _status_of(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, HTTPException):
        detail = exc.detail
        if isinstance(exc, ValidationException) and exc.extra:
            detail = f"{detail}: {exc.extra}"
        return exc.status_code, str(detail)
    return 500, ""


def _step_page(exc: Exception) -> tuple[str, str, str] | None:
    """The page that lifts a refusal (verify, enrol a second factor), with its message."""
    from balai.auth.access import SecondFactorRequired, VerificationRequired

    if isinstance(exc, VerificationRequired):
        return (
            "/akun/verifikasi",
            _("Verify your account first"),
            _("Confirm your email or phone number with the code we sent before you continue."),
        )
    if isinstance(exc, SecondFactorRequired):
        return (
            "/akun/dua-langkah",
            _("Set up two-step sign-in first"),
            _("The city requires a second sign-in step for your role. Set it up to continue."),
        )
    return None


def handle_exception(request: Request, exc: Exception) -> Response:
    """Turn any exception into a finished error response."""
    status, detail = _status_of(exc)
    path = request.scope["path"]
    if status >= 500:
        log.exception("server error on %s %s", request.method, path, exc_info=exc)
    else:
        log.info("%s on %s %s: %s", status, request.method, path, detail)
    if "csrf" in detail.lower():
        title = _("Form expired")
        message = _(
            "This form has expired or was sent from elsewhere. Reload the page and try again."
        )
    else:
        title, message = _messages(status)
        if getattr(exc, "shown", False):  # an exception whose detail is written for visitors
            message = detail
    audit = None
    record_denial = request.app.state.ui.record_denial  # the audit log's, set by create_app
    if status == 403 and "csrf" not in detail.lower() and record_denial is not None:
        audit = BackgroundTask(record_denial, request, detail)
    if _wants_json(request):
        body: dict[str, Any] = {"status": status, "error": title, "message": message}
        if status < 500 and isinstance(exc, ValidationException):
            body["detail"] = detail
        return Response(body, status_code=status, media_type=MediaType.JSON, background=audit)
    city = current_city_or_none()
    step = _step_page(exc)
    if step and city is not None:
        if request.method == "GET":
            target = city_url(request, step[0]) + "?next=" + quote(current_path(request), safe="/")
            return Response("", status_code=HTTP_303_SEE_OTHER, headers={"location": target})
        title, message = step[1], step[2]
    if status == 401 and city is not None and request.method == "GET":
        target = city_url(request, "/masuk") + "?next=" + quote(current_path(request), safe="/")
        return Response("", status_code=HTTP_303_SEE_OTHER, headers={"location": target})
    return Response(
        error_page(request, status, title, message),
        status_code=status,
        media_type=MediaType.HTML,
        background=audit,
    )


def error_page(request: Request, status: int, title: str, message: str) -> str:
    """Render the error template without touching the database."""
    ui = request.app.state.ui
    city = current_city_or_none()
    theme = city.theme if city else "default"
    token = csrf_token(request)
    context = {
        "request": request,
        "city": city,
        "lang": current_locale(),
        "languages": LANGUAGES,
        "status_code": status,
        "title": title,
        "message": message,
        "user": None,
        "nav": [],
        "office_nav": [],
        "flashes": [],
        "csrf_token": token,
        "csrf_input": csrf_input(token),
        "url": lambda p: city_url(request, p),
        "static": lambda p: static_url(request, theme, p),
        "static_root": static_url(request, "default", "").split("?")[0].rstrip("/"),
        "lang_switch_url": lambda code: city_url(request, f"/bahasa/{code}"),
    }
    try:
        return ui.themes.get(theme).get_template("errors/error.html").render(context)
    except Exception:  # the error page itself must never fail
        log.exception("error page failed to render")
        return (
            f"<!doctype html><title>{status}</title>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
        )
