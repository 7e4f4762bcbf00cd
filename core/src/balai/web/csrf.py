"""CSRF protection: litestar's double-submit middleware with a shorter safe-method path.

Every page view is a safe request (``GET``/``HEAD``/``OPTIONS``). For those,
litestar's :class:`~litestar.middleware.csrf.CSRFMiddleware` builds a
``Request``, parses the content type and reads the token header and, for a
form body, the form, although a safe request is never checked: all it needs
is the ``balai_csrf`` cookie (or a fresh token when there is none) and the
cookie set on the response when the browser had none. :class:`CSRFMiddleware`
does exactly that from the already parsed cookies, and leaves every other
request to litestar's code unchanged: state-changing requests are verified
as before (token from the ``x-csrftoken`` header or the ``_csrf_token`` form
field, HMAC-signed, equal to the cookie's), and ``opt={"exclude_from_csrf":
True}`` routes are skipped as before.

The token is bound to the session: a browser with a session holds the token
:func:`session_token` derives from its session id (renewed in the response
that changes the id, see ``balai.auth.sessions``), and an unsafe request of a
session whose cookie holds any other token is refused, so a valid token from
another browser (planted in the victim's cookie) is worthless. Without a
session, the double-submit cookie alone is checked, as before.

Before the token, an unsafe request must come from the city's own pages: its
``Origin`` header (or, when a browser sends none, its ``Referer``) must name
the address the request was sent to (:func:`same_origin`). A request with
neither header (a script, an old browser) is left to the token.
"""

from __future__ import annotations

from hmac import compare_digest
from urllib.parse import urlsplit

from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRFMiddleware as LitestarCSRFMiddleware
from litestar.middleware.csrf import generate_csrf_token
from litestar.types import Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from balai.auth.csrf_tokens import session_token
from balai.auth.sessions import stored_session_id
from balai.web.tenancy import request_host


class CSRFMiddleware(LitestarCSRFMiddleware):
    """litestar's CSRF middleware; safe requests skip what only unsafe ones need."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI event."""
        config = self.config
        if (
            scope["type"] == "http"
            and scope["method"] not in config.safe_methods
            and not should_bypass_middleware(
                scope=scope,
                scopes=self.scopes,
                exclude_opt_key=config.exclude_from_csrf_key,
                exclude_path_pattern=self.exclude,
            )
            and not same_origin(scope)
        ):
            raise PermissionDeniedException("CSRF origin check failed: sent from another site")
        session_id = stored_session_id(scope) if scope["type"] == "http" else None
        if (
            session_id
            and scope["method"] not in config.safe_methods
            and not should_bypass_middleware(
                scope=scope,
                scopes=self.scopes,
                exclude_opt_key=config.exclude_from_csrf_key,
                exclude_path_pattern=self.exclude,
            )
            and not compare_digest(
                ASGIConnection(scope).cookies.get(config.cookie_name, ""),
                session_token(config.secret, session_id),
            )
        ):
            raise PermissionDeniedException("CSRF token verification failed: not this session's")
        if (
            scope["type"] != "http"
            or scope["method"] not in config.safe_methods
            or should_bypass_middleware(
                scope=scope,
                scopes=self.scopes,
                exclude_opt_key=config.exclude_from_csrf_key,
                exclude_path_pattern=self.exclude,
            )
        ):
            await super().__call__(scope, receive, send)
            return
        # The cookies were parsed by the session middleware already (kept in the scope state).
        csrf_cookie = ASGIConnection(scope).cookies.get(config.cookie_name)
        if session_id:
            token = session_token(config.secret, session_id)
            if csrf_cookie != token:  # issued before this session: give the session's own
                csrf_cookie = None
        else:
            token = csrf_cookie or generate_csrf_token(secret=config.secret)
        ScopeState.from_scope(scope).csrf_token = token
        if csrf_cookie is not None:  # litestar's send wrapper would only pass messages on
            await self.app(scope, receive, send)
        else:
            await self.app(
                scope, receive, self.create_send_wrapper(send=send, csrf_cookie=None, token=token)
            )


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def same_origin(scope: Scope) -> bool:
    """Whether the request's ``Origin`` (else ``Referer``) names the Host it was sent to.

    True when the browser sent neither; ``Origin: null`` (a sandboxed frame, a
    redirect across sites) is never the city's own.
    """
    headers = dict(scope.get("headers", []))
    sent = headers.get(b"origin") or headers.get(b"referer")
    if sent is None:
        return True
    parts = urlsplit(sent.decode("latin-1").strip())
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return False
    return _netloc(parts.scheme, parts.netloc) == _netloc(parts.scheme, request_host(scope).lower())


def _netloc(scheme: str, netloc: str) -> str:
    """``host[:port]`` lower-cased, without the scheme's default port."""
    netloc = netloc.lower()
    if ":" not in netloc or netloc.endswith("]"):  # no port (an IPv6 address is bracketed)
        return netloc
    host, _, port = netloc.rpartition(":")
    return host if port == _DEFAULT_PORTS[scheme] else netloc


def csrf_middleware(config: CSRFConfig) -> DefineMiddleware:
    """The middleware for ``Litestar(middleware=[...])``, in place of ``csrf_config``."""
    return DefineMiddleware(CSRFMiddleware, config=config)
