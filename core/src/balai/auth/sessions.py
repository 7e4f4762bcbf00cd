"""Server-side sessions: stored in the database, or in Redis when configured.

The session id is renewed at login (:func:`rotate_session`) so that an id
planted before login is worthless afterwards, and the data is deleted at
logout. Cookies are HttpOnly, SameSite=Lax, and Secure outside development.

Every answer that may depend on who asks is marked ``Cache-Control: private,
no-store`` here, in one place (:func:`private_answer`): the request came with
session data (a signed-in visitor, a cart, a flash message) or leaves some,
or its route is marked ``opt={"private": True}`` (pages opened with a secret
token in the link, such as an invoice or a receipt). Static files (routes
marked ``opt={"same_for_all": True}``) stay cacheable, and a handler's own
``Cache-Control`` is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.base import SessionMiddleware as LitestarSessionMiddleware
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message, Receive, Scope, ScopeSession, Send
from piccolo.querystring import QueryString
from piccolo.table import Table

from balai.auth.csrf_tokens import csrf_cookie, session_token
from balai.tables import SessionRecord


class FixedStatement:
    """A hand-written statement run on every page, compiled once per engine type.

    ``Table.raw`` parses its ``{}`` template and builds a query object on
    every call (about 25 µs per statement); the session and user reads of
    every logged-in page skip that and go straight to the table's engine, so
    they still run inside the current transaction and pass through the
    engine's ``run_querystring`` like any Piccolo query.
    """

    def __init__(self, template: str) -> None:
        self.template = template
        parts = template.split("{}")
        postgres = "".join(
            part + (f"${index}" if index < len(parts) else "")
            for index, part in enumerate(parts, 1)
        )
        self.compiled = {"sqlite": "?".join(parts), "postgres": postgres, "cockroach": postgres}

    async def fetch(self, table: type[Table], *args: Any) -> list[dict[str, Any]]:
        """Run the statement with ``args`` on ``table``'s engine; rows as dicts."""
        engine = table._meta.db
        rows = await engine.run_querystring(_BoundStatement(self, args), in_pool=True)
        return engine.transform_response_to_dicts(rows) if rows else []


class _BoundStatement(QueryString):
    """A :class:`FixedStatement` with its values, in the form engines run."""

    def __init__(self, statement: FixedStatement, args: tuple[Any, ...]) -> None:
        # QueryString.__init__ would re-check every argument for columns; these are plain values.
        self.template = statement.template
        self.query_type = "generic"
        self.table = None
        self._frozen_compiled_strings = None
        self._alias = None
        self.args = list(args)
        self.columns = []
        self._compiled = statement.compiled

    def compile_string(self, engine_type: str = "postgres") -> tuple[str, list[Any]]:
        """The SQL for ``engine_type`` and its values."""
        return self._compiled[engine_type], list(self.args)


_GET_SESSION = FixedStatement("SELECT data, expires_at FROM balai_session WHERE key = {} LIMIT 1")
# Encodes what msgspec handles natively, byte for byte as litestar's serialize_data
# does (its encoders are consulted only for other types); raises TypeError otherwise.
_PLAIN_JSON = msgspec.json.Encoder()
_LOADED = "balai.session_loaded"
_ROTATE = "balai.rotate_session"
_NEW_ID = "balai.new_session_id"
_SESSION_COOKIE = "balai_session"
PRIVATE_CACHE = b"private, no-store"


def _now() -> datetime:
    return datetime.now(UTC)


class DatabaseStore(Store):
    """A litestar :class:`Store` kept in the ``balai_session`` table."""

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        data = value.encode() if isinstance(value, str) else value
        if isinstance(expires_in, int):
            expires_in = timedelta(seconds=expires_in)
        expires_at = _now() + expires_in if expires_in else None
        updated = (
            await SessionRecord.update(
                {SessionRecord.data: data, SessionRecord.expires_at: expires_at}
            )
            .where(SessionRecord.key == key)
            .returning(SessionRecord.id)
        )
        if not updated:
            await SessionRecord.insert(SessionRecord(key=key, data=data, expires_at=expires_at))

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """The value under ``key``, or ``None`` when missing or expired."""
        rows = await _GET_SESSION.fetch(SessionRecord, key)
        if not rows:
            return None
        row = rows[0]
        expires_at = row["expires_at"]
        if expires_at is not None and expires_at.replace(tzinfo=expires_at.tzinfo or UTC) <= _now():
            await self.delete(key)
            return None
        if renew_for and expires_at is not None:
            if isinstance(renew_for, int):
                renew_for = timedelta(seconds=renew_for)
            await SessionRecord.update({SessionRecord.expires_at: _now() + renew_for}).where(
                SessionRecord.key == key
            )
        return bytes(row["data"])

    async def delete(self, key: str) -> None:
        """Forget ``key``."""
        await SessionRecord.delete().where(SessionRecord.key == key)

    async def delete_all(self) -> None:
        """Forget every session."""
        await SessionRecord.delete(force=True)

    async def delete_expired(self) -> int:
        """Remove expired sessions; returns how many."""
        gone = (
            await SessionRecord.delete()
            .where(SessionRecord.expires_at <= _now())
            .returning(SessionRecord.id)
        )
        return len(gone)

    async def exists(self, key: str) -> bool:
        """Whether an unexpired value is stored under ``key``."""
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        """Seconds until ``key`` expires, or ``None``."""
        row = (
            await SessionRecord.select(SessionRecord.expires_at)
            .where(SessionRecord.key == key)
            .first()
        )
        if row is None or row["expires_at"] is None:
            return None
        return max(0, int((row["expires_at"] - _now()).total_seconds()))


class RotatingSessionBackend(ServerSideSessionBackend):
    """Server-side sessions whose id can be renewed during a request."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        """The id to store under: a fresh one when the request asked to rotate."""
        if connection.scope.get(_ROTATE):
            new_id = connection.scope.get(_NEW_ID)
            if new_id is None:
                new_id = self.generate_session_id()
                connection.scope[_NEW_ID] = new_id  # type: ignore[typeddict-unknown-key]
            return new_id
        return super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        """Write the session, deleting the old record first when rotating.

        A visitor without session data gets no record and no cookie, so that
        anonymous page views never write to the store; a session emptied
        during the request (flash shown, unknown id) is deleted with its cookie.
        """
        old_id = connection.cookies.get(self.config.key)
        loaded = connection.scope.get(_LOADED)
        if (
            loaded is not None
            and not connection.scope.get(_ROTATE)
            and isinstance(scope_session, dict)
            and self._serialized(scope_session, connection.scope) == loaded
        ):
            return  # unchanged: no write, and the browser keeps its cookie
        if connection.scope.get(_ROTATE):
            if old_id:
                await self.delete(
                    old_id, store=self.config.get_store_from_app(connection.scope["app"])
                )
        elif isinstance(scope_session, dict) and not scope_session:
            if not old_id or old_id == "null":
                return
            scope_session = Empty
        if scope_session is Empty:
            await self._delete_with_cookie(message, connection)
            return
        await super().store_in_message(scope_session, message, connection)

    async def _delete_with_cookie(self, message: Message, connection: ASGIConnection) -> None:
        """Delete the stored session and the browser's cookie (``Max-Age=0``).

        litestar's own deletion sends ``null`` with a past ``Expires`` but the
        configured ``Max-Age``, which browsers obey over ``Expires``: the
        cookie would stay for the session's lifetime.
        """
        store = self.config.get_store_from_app(connection.scope["app"])
        await self.delete(self.get_session_id(connection), store=store)
        config = self.config
        cookie = Cookie(
            key=config.key,
            value="",
            max_age=0,
            path=config.path,
            domain=config.domain,
            secure=config.secure,
            httponly=config.httponly,
            samesite=config.samesite,
        )
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))

    def _serialized(self, session: dict[str, Any], scope: Any) -> bytes:
        """``serialize_data(session, scope)``, without looking up the route's encoders.

        A session read from the store holds JSON values only, which msgspec
        writes the same way whatever the route's type encoders; the per-route
        encoder lookup is needed only when a handler stored another type.
        """
        try:
            return _PLAIN_JSON.encode(session)
        except TypeError:
            return self.serialize_data(session, scope)

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        """Load the session, remembering its stored form to skip unchanged writes."""
        if session_id := connection.cookies.get(self.config.key):
            store = self.config.get_store_from_app(connection.scope["app"])
            data = await self.get(session_id, store=store)
            if data is not None:
                connection.scope[_LOADED] = data  # type: ignore[typeddict-unknown-key]
                return self.deserialize_data(data)
        return {}


def stored_session_id(scope: Scope) -> str | None:
    """The id of the session this request came with, when the store knew it (else ``None``)."""
    if scope.get(_LOADED) is None:
        return None
    return ASGIConnection(scope).cookies.get(_SESSION_COOKIE)


def _outgoing_session_id(message: Message) -> str | None:
    """The session id a response sets (``""`` when it deletes the cookie, ``None`` if untouched)."""
    for name, value in message.get("headers", []):
        if name.lower() == b"set-cookie" and value.startswith(_SESSION_COOKIE.encode() + b"="):
            return value.split(b";", 1)[0].split(b"=", 1)[1].decode("latin-1")
    return None


class SessionMiddleware(LitestarSessionMiddleware):
    """litestar's session middleware, step for step, with less around each step.

    litestar builds the request's connection as ``ASGIConnection[Any, Any,
    Any, Any](...)``, a call through ``typing``'s generic alias that costs a
    few microseconds on every request; this builds the plain class, and its
    send wrapper stores the session with the response's start message only,
    as litestar's does.
    """

    def __init__(self, app: Any, backend: Any, csrf: CSRFConfig | None = None) -> None:
        super().__init__(app, backend)
        self.csrf = csrf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Load the session, run the app, store the session with the response."""
        backend = self.backend
        connection: ASGIConnection = ASGIConnection(scope, receive=receive, send=send)
        scope["session"] = await backend.load_from_connection(connection)
        connection._connection_state.session_id = backend.get_session_id(connection)  # type: ignore[assignment]

        async def send_storing_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                await backend.store_in_message(scope.get("session"), message, connection)
                if private_answer(scope):
                    _mark_private(message)
                if self.csrf is not None:
                    self._renew_csrf_token(scope, message)
            await send(message)

        await self.app(scope, receive, send_storing_session)

    def _renew_csrf_token(self, scope: Scope, message: Message) -> None:
        """A new CSRF token when the session id changes (login, logout, a first session).

        The CSRF token is bound to the session (``balai.web.csrf``): a browser
        whose session id changes gets the token of the new one in the same
        response, or a fresh unbound one when its session ended.
        """
        outgoing = _outgoing_session_id(message)
        if outgoing is None or outgoing == stored_session_id(scope):
            return
        if outgoing.strip('"') in ("", "null") and scope.get("method") in ("GET", "HEAD"):
            # A page that emptied the session (a flash message shown to a visitor who is
            # not logged in) was rendered with the current token in its forms; a new one
            # here would make the form it shows fail. With no session left, that token
            # binds to nothing and is checked as any session-less token is.
            return
        config = self.csrf
        token = (
            session_token(config.secret, outgoing)
            if outgoing and outgoing != "null"
            else generate_csrf_token(secret=config.secret)
        )
        MutableScopeHeaders.from_message(message).add("Set-Cookie", csrf_cookie(config, token))


def private_answer(scope: Scope) -> bool:
    """Whether the answer to this request may depend on who is asking (see the module)."""
    handler = scope.get("route_handler")
    opt = handler.opt if handler is not None else {}
    if opt.get("private"):
        return True
    return not opt.get("same_for_all") and bool(scope.get(_LOADED) or scope.get("session"))


def _mark_private(message: Message) -> None:
    headers = message.setdefault("headers", [])  # type: ignore[typeddict-item]
    if not any(name.lower() == b"cache-control" for name, _ in headers):
        headers.append((b"cache-control", PRIVATE_CACHE))


class SessionConfig(ServerSideSessionConfig):
    """Session configuration using :class:`RotatingSessionBackend`."""

    _backend_class = RotatingSessionBackend

    @property
    def middleware(self) -> DefineMiddleware:
        """:class:`SessionMiddleware` with this configuration's backend."""
        return self.middleware_with(None)

    def middleware_with(self, csrf: CSRFConfig | None) -> DefineMiddleware:
        """:class:`SessionMiddleware` that also renews the CSRF token of ``csrf`` with the id."""
        return DefineMiddleware(
            SessionMiddleware, backend=self._backend_class(config=self), csrf=csrf
        )


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Give this browser a new session id when the response is sent (call at login)."""
    connection.scope[_ROTATE] = True  # type: ignore[typeddict-unknown-key]
