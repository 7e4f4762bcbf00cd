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
"""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.middleware import DefineMiddleware
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRFMiddleware as LitestarCSRFMiddleware
from litestar.middleware.csrf import generate_csrf_token
from litestar.types import Receive, Scope, Send
from litestar.utils.scope.state import ScopeState


class CSRFMiddleware(LitestarCSRFMiddleware):
    """litestar's CSRF middleware; safe requests skip what only unsafe ones need."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI event."""
        config = self.config
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
        token = csrf_cookie or generate_csrf_token(secret=config.secret)
        ScopeState.from_scope(scope).csrf_token = token
        if csrf_cookie is not None:  # litestar's send wrapper would only pass messages on
            await self.app(scope, receive, send)
        else:
            await self.app(
                scope, receive, self.create_send_wrapper(send=send, csrf_cookie=None, token=token)
            )


def csrf_middleware(config: CSRFConfig) -> DefineMiddleware:
    """The middleware for ``Litestar(middleware=[...])``, in place of ``csrf_config``."""
    return DefineMiddleware(CSRFMiddleware, config=config)
