"""The FastAPI app over HTTP (TestClient): routes, dependencies, handler, CORS."""

import asyncio
import json
from typing import Any, Dict, List, MutableMapping, Optional, Tuple

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import create_app
from bearer_auth import AuthError, install_auth
from settings import Settings, SettingsError
from tokens import NOW, TEST_SECRET, USER_ID, b64url, bearer, claims, segment, signature, token

INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"'
SCOPE = 'Bearer realm="api", error="insufficient_scope"'


def auth(tok: str) -> Dict[str, str]:
    return {"Authorization": bearer(tok)}


def assert_error(response: Any, status: int, code: str, www: Optional[str]) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "code"} and body["code"] == code and body["detail"]
    assert response.headers.get("www-authenticate") == www


def asgi_get(app: FastAPI, path: str, headers: List[Tuple[str, str]]) -> Tuple[int, Dict[str, str], Dict[str, Any]]:
    """Call the ASGI app directly with these exact raw headers.

    Starlette < 0.27's TestClient joins repeated headers into one ("a, b"),
    so duplicate headers are sent this way to test both stacks the same.
    """
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("ascii"),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
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


# --- routes -------------------------------------------------------------------


def test_healthz_needs_no_token(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_me_returns_the_verified_claims(client: TestClient) -> None:
    payload = claims(role="admin,user")
    response = client.get("/api/me", headers=auth(token(payload)))
    assert response.status_code == 200
    assert response.json() == payload
    assert "www-authenticate" not in response.headers


def test_me_without_token(client: TestClient) -> None:
    response = client.get("/api/me")
    assert_error(response, 401, "missing_token", 'Bearer realm="api"')
    assert response.json()["detail"] == "Send an Authorization: Bearer <token> header."


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer   "])
def test_scheme_variants_over_http(client: TestClient, scheme: str) -> None:
    assert client.get("/api/me", headers={"Authorization": scheme + " " + token()}).status_code == 200


def test_basic_scheme_is_missing_token(client: TestClient) -> None:
    response = client.get("/api/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_error(response, 401, "missing_token", 'Bearer realm="api"')


def test_expired_token(client: TestClient) -> None:
    response = client.get("/api/me", headers=auth(token(claims(exp=NOW - 31))))
    assert_error(response, 401, "token_expired", INVALID_TOKEN)
    assert response.json() == {"detail": "The token has expired.", "code": "token_expired"}


def test_user_scoped_route(client: TestClient) -> None:
    response = client.get(f"/api/users/{USER_ID}/tasks", headers=auth(token()))
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == USER_ID and isinstance(body["tasks"], list) and body["tasks"]


def test_user_scoped_route_other_user(client: TestClient) -> None:
    response = client.get("/api/users/user_999/tasks", headers=auth(token()))
    assert_error(response, 403, "user_mismatch", SCOPE)


def test_user_scoped_route_checks_the_token_first(client: TestClient) -> None:
    response = client.get("/api/users/user_999/tasks", headers=auth(token(claims(aud="other"))))
    assert_error(response, 401, "wrong_audience", INVALID_TOKEN)


def test_admin_route(client: TestClient) -> None:
    response = client.get("/api/admin/stats", headers=auth(token(claims(role="user, admin"))))
    assert response.status_code == 200 and response.json()["requested_by"] == USER_ID


@pytest.mark.parametrize("role", ["user", "Admin", None])
def test_admin_route_without_role(client: TestClient, role: Optional[str]) -> None:
    payload = claims(role=role) if role is not None else {k: v for k, v in claims().items() if k != "role"}
    response = client.get("/api/admin/stats", headers=auth(token(payload)))
    assert_error(response, 403, "insufficient_role", SCOPE)


def test_admin_route_without_token(client: TestClient) -> None:
    assert_error(client.get("/api/admin/stats"), 401, "missing_token", 'Bearer realm="api"')


def test_huge_token_is_401(client: TestClient) -> None:
    h = segment({"alg": "HS256", "typ": "JWT"})
    p = segment(claims(blob="x" * (1 << 20)))
    response = client.get("/api/me", headers={"Authorization": f"Bearer {h}.{p}.{signature(h, p, 'wrong')}"})
    assert_error(response, 401, "bad_signature", INVALID_TOKEN)


def test_hostile_claims_render_without_500(client: TestClient) -> None:
    # A signed payload holding 1e400 and a lone surrogate: verified, then echoed safely.
    h = segment({"alg": "HS256", "typ": "JWT"})
    text = json.dumps(claims(), separators=(",", ":"))[:-1] + ',"x":1e400,"s":"\\ud800","n":[[[1]]]}'
    p = b64url(text.encode("utf-8"))
    response = client.get("/api/me", headers={"Authorization": f"Bearer {h}.{p}.{signature(h, p)}"})
    assert response.status_code == 200
    body = response.json()
    assert body["x"] is None and body["s"] == "\ud800" and body["n"] == [[[1]]]


# --- duplicate headers ---------------------------------------------------------


def test_duplicate_headers_are_400(settings: Settings) -> None:
    app = create_app(settings, clock=lambda: NOW)
    status, headers, body = asgi_get(app, "/api/me", [("authorization", bearer(token())), ("authorization", bearer(token()))])
    assert status == 400
    assert body == {"detail": "Send exactly one Authorization header.", "code": "duplicate_credentials"}
    assert headers["www-authenticate"] == 'Bearer realm="api", error="invalid_request"'


def test_duplicate_empty_headers_are_400(settings: Settings) -> None:
    app = create_app(settings, clock=lambda: NOW)
    status, _, body = asgi_get(app, f"/api/users/{USER_ID}/tasks", [("Authorization", ""), ("Authorization", "")])
    assert (status, body["code"]) == (400, "duplicate_credentials")


def test_single_header_through_raw_asgi(settings: Settings) -> None:
    app = create_app(settings, clock=lambda: NOW)
    status, _, body = asgi_get(app, "/api/me", [("authorization", bearer(token()))])
    assert status == 200 and body["sub"] == USER_ID


# --- clock, handler, start-up ---------------------------------------------------


def test_clock_is_injected(settings: Settings) -> None:
    tok = token(claims(iat=NOW, exp=NOW + 900))
    assert TestClient(create_app(settings, clock=lambda: NOW + 869)).get("/api/me", headers=auth(tok)).status_code == 200
    late = TestClient(create_app(settings, clock=lambda: NOW + 930)).get("/api/me", headers=auth(tok))
    assert_error(late, 401, "token_expired", INVALID_TOKEN)


def test_server_error_has_no_www_authenticate() -> None:
    app = FastAPI()
    install_auth(app, Settings(secret=TEST_SECRET))

    @app.get("/boom")
    def boom() -> None:
        raise AuthError.of("server_misconfigured")

    response = TestClient(app).get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "The server has no BETTER_AUTH_SECRET configured.", "code": "server_misconfigured"}
    assert "www-authenticate" not in response.headers


@pytest.mark.parametrize("secret", [None, "", b""])
def test_create_app_refuses_without_secret(secret: Any) -> None:
    with pytest.raises(SettingsError, match="BETTER_AUTH_SECRET"):
        create_app(Settings(secret=secret))


# --- CORS -----------------------------------------------------------------------


def test_preflight_needs_no_token(client: TestClient) -> None:
    response = client.options(
        "/api/me",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert "GET" in response.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in response.headers


def test_preflight_from_unknown_origin_is_refused(client: TestClient) -> None:
    response = client.options(
        "/api/me",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_cross_origin_401_exposes_www_authenticate(client: TestClient) -> None:
    response = client.get("/api/me", headers={"Origin": "http://localhost:3000", "Authorization": "Bearer x.y.z"})
    assert_error(response, 401, "malformed_token", INVALID_TOKEN)
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "www-authenticate" in response.headers["access-control-expose-headers"].lower()


def test_cors_origins_come_from_settings() -> None:
    app = create_app(Settings(secret=TEST_SECRET, cors_origins=("https://app.example",)), clock=lambda: NOW)
    response = TestClient(app).get("/api/me", headers={"Origin": "https://app.example", **auth(token())})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://app.example"


def test_openapi_documents_the_bearer_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    assert "/api/users/{user_id}/tasks" in schema["paths"]
    assert client.get("/docs").status_code == 200
