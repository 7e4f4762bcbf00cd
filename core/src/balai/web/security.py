"""Security headers on every response, including errors and static files."""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from balai.web.maps import POLICY_KEY

CSP_TEMPLATE = (
    "default-src 'self'; img-src 'self' data:{img}; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; "
    "frame-ancestors 'none'"
)
CSP = CSP_TEMPLATE.format(img="")
PERMISSIONS_TEMPLATE = "camera=({camera}), microphone=(), geolocation=({geolocation})"
STRICT_PERMISSIONS = PERMISSIONS_TEMPLATE.format(camera="", geolocation="")


class SecurityHeaders:
    """ASGI middleware adding CSP, nosniff, referrer policy and (in production) HSTS.

    A page may widen two things for itself only, through the scope's
    :data:`~balai.web.maps.POLICY_KEY` dict (set by ``map_setup`` when a page
    draws a map, or by :func:`allow_camera`): images from one tile host, the
    browser's location, the camera.
    """

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
        ]
        if hsts:
            headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
        self.headers = headers
        self.strict = [
            (b"content-security-policy", CSP.encode()),
            (
                b"permissions-policy",
                PERMISSIONS_TEMPLATE.format(camera="", geolocation="").encode(),
            ),
        ]
        self.names = {name for name, _ in headers} | {name for name, _ in self.strict}

    def _policy(self, additions: dict) -> list[tuple[bytes, bytes]]:
        if not additions:
            return self.strict
        origin = additions.get("img_origin", "")
        csp = CSP_TEMPLATE.format(img=f" {origin}" if origin else "")
        allowed = {k: "self" if additions.get(k) else "" for k in ("camera", "geolocation")}
        return [
            (b"content-security-policy", csp.encode()),
            (b"permissions-policy", PERMISSIONS_TEMPLATE.format(**allowed).encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI event."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        additions: dict = {}
        scope[POLICY_KEY] = additions  # type: ignore[literal-required]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = [h for h in message.get("headers", []) if h[0].lower() not in self.names]
                headers = [*existing, *self.headers, *self._policy(additions)]
                message = {**message, "headers": headers}  # type: ignore[typeddict-item]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def allow_camera(request: Any) -> None:
    """Let this page (only) use the camera, e.g. a gate page scanning QR codes."""
    policy = request.scope.get(POLICY_KEY)
    if isinstance(policy, dict):
        policy["camera"] = True
