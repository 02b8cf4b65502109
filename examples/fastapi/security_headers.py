"""Security headers on every response of the API (the docs' security page prescribes them).

- ``Cache-Control: no-store``: answers carry claims and user data; no browser,
  proxy or CDN may keep a copy. A route that sets its own Cache-Control keeps it.
- ``X-Content-Type-Options: nosniff``: JSON is never sniffed into something else.
- ``Strict-Transport-Security`` only when the request came over HTTPS: browsers
  ignore it over plain HTTP, and sending it from ``http://localhost`` helps no one.

"Came over HTTPS" is the ASGI ``scope["scheme"]``. This middleware does not read
``X-Forwarded-Proto`` itself: any client can send that header. Behind a TLS
proxy, let the server rewrite the scheme from the proxy's header for trusted
proxy addresses only: uvicorn does that with ``--proxy-headers`` (on by default)
and ``--forwarded-allow-ips`` (default ``127.0.0.1``).

A pure ASGI middleware (no BaseHTTPMiddleware), so it also covers CORS
preflight answers and the error handler's responses, on old and new Starlette.
"""

from typing import Any, Awaitable, Callable, List, MutableMapping, Tuple

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HSTS = "max-age=31536000; includeSubDomains"
ALWAYS: Tuple[Tuple[bytes, bytes], ...] = (
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
)


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response (ones the app already set win)."""

    def __init__(self, app: ASGIApp, hsts: str = HSTS) -> None:
        self.app = app
        self.hsts = hsts.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra: List[Tuple[bytes, bytes]] = list(ALWAYS)
        if scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", self.hsts))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in extra if name not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
