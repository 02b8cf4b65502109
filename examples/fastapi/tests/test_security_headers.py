"""security_headers.py: the middleware on its own, in front of a tiny ASGI app."""

import asyncio
from typing import Any, Dict, List, MutableMapping

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from security_headers import HSTS, SecurityHeadersMiddleware


def tiny_app() -> FastAPI:
    app = FastAPI()

    @app.get("/plain")
    def plain() -> Dict[str, str]:
        return {"ok": "yes"}

    @app.get("/cached")
    def cached() -> JSONResponse:
        return JSONResponse({"ok": "yes"}, headers={"Cache-Control": "public, max-age=60"})

    return app


def test_adds_no_store_and_nosniff_over_http() -> None:
    response = TestClient(SecurityHeadersMiddleware(tiny_app())).get("/plain")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in response.headers


def test_adds_hsts_over_https_only() -> None:
    app = SecurityHeadersMiddleware(tiny_app())
    assert TestClient(app, base_url="https://api.example").get("/plain").headers["strict-transport-security"] == HSTS
    assert "strict-transport-security" not in TestClient(app, base_url="http://api.example").get("/plain").headers


def test_hsts_value_can_be_chosen() -> None:
    app = SecurityHeadersMiddleware(tiny_app(), hsts="max-age=600")
    assert TestClient(app, base_url="https://api.example").get("/plain").headers["strict-transport-security"] == "max-age=600"


def test_a_route_own_cache_control_wins_and_is_not_doubled() -> None:
    response = TestClient(SecurityHeadersMiddleware(tiny_app())).get("/cached")
    assert response.headers.get_list("cache-control") == ["public, max-age=60"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_each_header_is_sent_once() -> None:
    response = TestClient(SecurityHeadersMiddleware(tiny_app()), base_url="https://api.example").get("/plain")
    for name in ("cache-control", "x-content-type-options", "strict-transport-security"):
        assert len(response.headers.get_list(name)) == 1


def test_non_http_scopes_pass_through_untouched() -> None:
    seen: List[MutableMapping[str, Any]] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "lifespan.startup.complete"})

    async def send(message: MutableMapping[str, Any]) -> None:
        seen.append(message)

    async def receive() -> Dict[str, Any]:
        return {"type": "lifespan.startup"}

    asyncio.run(SecurityHeadersMiddleware(inner)({"type": "lifespan"}, receive, send))
    assert seen == [{"type": "lifespan.startup.complete"}]
