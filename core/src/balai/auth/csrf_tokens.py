"""CSRF tokens bound to a session: derived from its id, in litestar's token format.

Used by the session middleware (a new token when the session id changes) and
by the CSRF middleware (``balai.web.csrf``: a session's requests must carry
its token).
"""

from __future__ import annotations

import hashlib
import hmac

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash


def session_token(secret: str, session_id: str) -> str:
    """The CSRF token of the session ``session_id``, in litestar's format (valid for its check)."""
    key = hmac.new(secret.encode(), b"balai-csrf-session:" + session_id.encode(), hashlib.sha256)
    part = key.hexdigest()[:CSRF_SECRET_LENGTH]
    return part + generate_csrf_hash(token=part, secret=secret)


def csrf_cookie(config: CSRFConfig, token: str) -> str:
    """The ``Set-Cookie`` value carrying ``token``, as litestar's middleware sets it."""
    return Cookie(
        key=config.cookie_name,
        value=token,
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    ).to_header(header="")
