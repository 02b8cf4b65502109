"""Test helpers for HTTP-level tests: a raw ASGI call and the contract's error shape."""

import asyncio
import json
from typing import Any, Dict, List, MutableMapping, Optional, Tuple

INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"'
SCOPE = 'Bearer realm="api", error="insufficient_scope"'


def assert_error(response: Any, status: int, code: str, www: Optional[str]) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "code"} and body["code"] == code and body["detail"]
    assert response.headers.get("www-authenticate") == www
    # v1.1: never an error_description; error and code carry the signal.
    assert "error_description" not in (www or "")


def asgi_get(
    app: Any, path: str, headers: List[Tuple[str, str]], scheme: str = "http"
) -> Tuple[int, Dict[str, str], Dict[str, Any]]:
    """Call the ASGI app directly with these exact raw headers.

    Starlette < 0.27's TestClient joins repeated headers into one ("a, b"),
    so duplicate headers are sent this way to test both stacks the same.
    """
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode("ascii"),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443 if scheme == "https" else 80),
    }
    sent: List[MutableMapping[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    response_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}
    return start["status"], response_headers, json.loads(body)
