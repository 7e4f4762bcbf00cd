"""Open311 answers in JSON or XML, and the specification's error body."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from litestar import Response

JSON = "application/json"
XML = "application/xml"


def split_format(name: str) -> tuple[str, str] | None:
    """``("lampu", "json")`` for ``lampu.json``; ``None`` without ``.json`` or ``.xml``."""
    stem, dot, fmt = name.rpartition(".")
    if not dot or not stem or fmt not in ("json", "xml"):
        return None
    return stem, fmt


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _xml_item(tag: str, item: dict[str, Any]) -> str:
    parts = []
    for key, value in item.items():
        if isinstance(value, list):
            inner = "".join(
                _xml_item(key.rstrip("s") if key != "values" else "value", v)
                if isinstance(v, dict)
                else f"<{key[:-1]}>{_xml_value(v)}</{key[:-1]}>"
                for v in value
            )
            parts.append(f"<{key}>{inner}</{key}>")
        else:
            parts.append(f"<{key}>{_xml_value(value)}</{key}>")
    return f"<{tag}>{''.join(parts)}</{tag}>"


def xml_document(root: str, item: str, items: list[dict[str, Any]]) -> str:
    """``<root><item>…</item>…</root>`` with an XML declaration."""
    body = "".join(_xml_item(item, i) for i in items)
    return f'<?xml version="1.0" encoding="utf-8"?><{root}>{body}</{root}>'


def answer(
    fmt: str, root: str, item: str, items: list[dict[str, Any]], status: int = 200
) -> Response:
    """A list answer (``services``/``service``, ``service_requests``/``request``)."""
    if fmt == "xml":
        return Response(xml_document(root, item, items), media_type=XML, status_code=status)
    return Response(items, media_type=JSON, status_code=status)


def single(fmt: str, root: str, item: dict[str, Any]) -> Response:
    """One object at the top (a service definition)."""
    if fmt == "xml":
        return Response(
            f'<?xml version="1.0" encoding="utf-8"?>{_xml_item(root, item)}',
            media_type=XML,
        )
    return Response(item, media_type=JSON)


def errors(fmt: str, status: int, *descriptions: str) -> Response:
    """The specification's error body: a list of ``{code, description}``."""
    items = [{"code": status, "description": d} for d in descriptions]
    return answer(fmt, "errors", "error", items, status)
