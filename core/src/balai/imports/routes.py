"""The import pages under ``/impor/<key>/`` (one set for every importer).

Every route requires a login; which importer a visitor may use is then
decided per importer: its permission (403 without it) and its access
callback (403 when it returns ``None``). A run is found only in the current
city, for its importer and for the context the callback returns now, so an
owner sees only their own runs and another city's run is a 404.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth.access import CurrentUser, current_user, require_login
from balai.i18n import current_locale
from balai.i18n import gettext as _
from balai.imports import reports, service
from balai.imports.catalog import UnknownImporterError
from balai.imports.parsing import SheetRejected, parse_upload, size_text
from balai.imports.tables import DONE
from balai.imports.types import Importer, import_url
from balai.plugins import resolve
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render

log = logging.getLogger("balai.imports")
SHOWN_ERRORS = 200
POLL_SECONDS = 3


class _Access:
    """The importer a request opened, who opened it and the context it may see."""

    def __init__(self, importer: Importer, user: CurrentUser, context: dict[str, Any]) -> None:
        self.importer = importer
        self.user = user
        self.context = context
        self.key = service.owner_key(importer, context)


async def open_importer(request: Request, key: str) -> _Access:
    """The importer ``key`` for this visitor.

    Raises:
        NotFoundException: no such importer in this city.
        PermissionDeniedException: the visitor lacks its permission, or its
            access callback refused them.
    """
    try:
        importer = service.active().catalog.get(key, current_city())
    except UnknownImporterError as exc:
        raise NotFoundException() from exc
    user = await current_user(request)
    if user is None:  # require_login ran first; kept for the type checker
        raise PermissionDeniedException("login required")
    if importer.permission is not None and not user.can(importer.permission):
        raise PermissionDeniedException(f"needs {importer.permission}")
    context: dict[str, Any] = {}
    if importer.access is not None:
        granted = await resolve(importer.access(request, user))
        if granted is None:
            raise PermissionDeniedException(f"importer {key} refused this account")
        context = _json_context(importer, granted)
    return _Access(importer, user, context)


def _json_context(importer: Importer, granted: Any) -> dict[str, Any]:
    """The access callback's answer as stored with a run (a JSON object).

    Raises:
        TypeError: the callback returned something that is not a
            JSON-serialisable mapping (a mistake in the plugin).
    """
    try:
        context = json.loads(json.dumps(dict(granted)))
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"importer {importer.key}: access() must return a JSON-serialisable dict or None"
        ) from exc
    return context


async def _upload_page(
    request: Request, access: _Access, errors: dict[str, str], status_code: int = 200
) -> Response:
    runs = await service.recent_runs(access.importer, access.key)
    importer = access.importer
    context = {
        "importer": importer,
        "runs": runs,
        "errors": errors,
        "base": _base(access),
        "max_rows": f"{importer.max_rows:,}".replace(",", "."),
        "max_size": size_text(importer.max_bytes),
    }
    return await render(request, "imports/upload.html", context, status_code=status_code)


def _base(access: _Access) -> str:
    return import_url(access.importer.key)


@get("/{key:str}/", guards=[require_login], name="imports-upload-form")
async def upload_form(request: Request, key: FromPath[str]) -> Response:
    """The upload form, the expected columns and the visitor's past runs."""
    access = await open_importer(request, key)
    return await _upload_page(request, access, {})


@post("/{key:str}/", guards=[require_login], name="imports-upload")
async def upload(request: Request, key: FromPath[str]) -> Response:
    """Check and store an uploaded file, queue its rows, go to the run's page."""
    access = await open_importer(request, key)
    importer = access.importer
    form = await request.form()
    upload_file = form.get("file")
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        return await _upload_page(
            request, access, {"file": _("Choose a CSV or XLSX file.")}, status_code=400
        )
    data = await upload_file.read(importer.max_bytes + 1)
    try:
        # Parsing a large workbook takes a while: off the event loop (the
        # thread gets a copy of the context, so messages keep the language).
        sheet = await asyncio.to_thread(
            parse_upload,
            data,
            importer.columns,
            max_rows=importer.max_rows,
            max_bytes=importer.max_bytes,
        )
    except SheetRejected as exc:
        log.info("import %s refused (%s)", importer.key, exc.reason)
        return await _upload_page(request, access, {"file": exc.message}, status_code=400)
    name = reports.upload_name(upload_file.filename)
    run_id = await service.start_run(
        current_city(),
        importer,
        sheet,
        user_id=access.user.id,
        context=access.context,
        file_name=name,
        language=current_locale(),
    )
    await audit_record(
        "imports.uploaded",
        actor_id=access.user.id,
        request=request,
        subject=f"import:{run_id}",
        detail={"importer": importer.key, "rows": len(sheet.rows), "kind": sheet.kind},
    )
    flash(request, _("%(name)s was received. Its rows are being imported.", name=name), "success")
    return Redirect(city_url(request, import_url(importer.key, run_id)), status_code=303)


@get("/{key:str}/templat.csv", guards=[require_login], name="imports-template")
async def template(request: Request, key: FromPath[str]) -> Response:
    """The importer's empty CSV template (the header row)."""
    access = await open_importer(request, key)
    filename = f"templat-{access.importer.key.replace('.', '-')}.csv"
    return Response(
        reports.template_csv(access.importer),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _run_of(access: _Access, run_id: int) -> dict[str, Any]:
    run = await service.find_run(access.importer, run_id, access.key)
    if run is None:
        raise NotFoundException()
    return run


def _progress(run: dict[str, Any]) -> dict[str, Any]:
    total = run["total"] or 0
    percent = 100 if not total else min(100, run["done"] * 100 // total)
    return {"run": run, "percent": percent, "finished": run["status"] == DONE}


@get("/{key:str}/{run_id:int}", guards=[require_login], name="imports-run")
async def run_page(request: Request, key: FromPath[str], run_id: FromPath[int]) -> Response:
    """A run: progress while it runs; counts and the row errors once done."""
    access = await open_importer(request, key)
    run = await _run_of(access, run_id)
    progress = _progress(run)
    problems: list[dict[str, Any]] = []
    if progress["finished"]:
        for item in await service.failed_rows(run_id, limit=SHOWN_ERRORS):
            for column, message in item["errors"]:
                problems.append({"line": item["line"], "column": column, "message": message})
    context = {
        **progress,
        "importer": access.importer,
        "base": _base(access),
        "problems": problems,
        "shown_limit": SHOWN_ERRORS,
        "unknown_columns": json.loads(run["unknown_columns"] or "[]"),
        "poll_seconds": POLL_SECONDS,
    }
    return await render(request, "imports/run.html", context)


@get("/{key:str}/{run_id:int}/progres", guards=[require_login], name="imports-progress")
async def run_progress(request: Request, key: FromPath[str], run_id: FromPath[int]) -> Response:
    """The progress fragment htmx polls; once the run is done it asks for a full reload."""
    access = await open_importer(request, key)
    run = await _run_of(access, run_id)
    progress = _progress(run)
    context = {**progress, "importer": access.importer, "base": _base(access)}
    response = await render(request, "imports/_progress.html", context)
    if progress["finished"] and request.headers.get("hx-request") == "true":
        response.headers["HX-Refresh"] = "true"
    return response


@get("/{key:str}/{run_id:int}/kesalahan.csv", guards=[require_login], name="imports-errors")
async def error_report(request: Request, key: FromPath[str], run_id: FromPath[int]) -> Response:
    """The failed rows as uploaded, with their line and reasons (CSV)."""
    access = await open_importer(request, key)
    run = await _run_of(access, run_id)
    failed = await service.failed_rows(run_id)
    await audit_record(
        "imports.report_downloaded",
        actor_id=access.user.id,
        request=request,
        subject=f"import:{run_id}",
        detail={"importer": access.importer.key, "rows": len(failed)},
    )
    filename = f"kesalahan-impor-{run_id}.csv"
    return Response(
        reports.error_report_csv(run, json.loads(run["header"] or "[]"), failed),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


PAGES = [upload_form, upload, template, run_page, run_progress, error_report]
