"""dependency.py: the FastAPI dependencies, the error handler, the injected clock.

Duplicate headers go through a direct ASGI call (asgi_client.asgi_get),
because the TestClient of Starlette before 0.27 (Debian's) joins repeated
headers into one.
"""

from typing import Dict

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from app import create_app
from asgi_client import INVALID_TOKEN, assert_error, asgi_get
from dependency import current_claims, install_auth, require_role, user_claims
from settings import Settings
from tokens import NOW, TEST_SECRET, USER_ID, bearer, claims, token
from verifier import AuthError, Claims


def auth(tok: str) -> Dict[str, str]:
    return {"Authorization": bearer(tok)}


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


# --- clock, handler -------------------------------------------------------------


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


def test_openapi_documents_the_bearer_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    assert "/api/users/{user_id}/tasks" in schema["paths"]
    assert client.get("/docs").status_code == 200


# --- the dependencies in an app of your own ------------------------------------


def own_app() -> FastAPI:
    """The README's "In your own FastAPI app" setup, without create_app."""
    app = FastAPI()
    install_auth(app, Settings(secret=TEST_SECRET), clock=lambda: NOW)

    @app.get("/projects")
    def projects(claims: Claims = Depends(current_claims)) -> Dict[str, str]:
        return {"sub": claims["sub"]}

    @app.get("/users/{user_id}/projects")
    def user_projects(user_id: str, claims: Claims = Depends(user_claims)) -> Dict[str, str]:
        return {"user_id": user_id}

    @app.delete("/projects/{project_id}")
    def delete_project(project_id: str, claims: Claims = Depends(require_role("admin"))) -> Dict[str, str]:
        return {"deleted": project_id}

    return app


def test_own_app_current_claims() -> None:
    client = TestClient(own_app())
    assert client.get("/projects", headers=auth(token())).json() == {"sub": USER_ID}
    assert_error(client.get("/projects"), 401, "missing_token", 'Bearer realm="api"')
    assert_error(client.get("/projects", headers=auth(token(claims(exp=NOW - 60)))), 401, "token_expired", INVALID_TOKEN)


def test_own_app_user_claims() -> None:
    client = TestClient(own_app())
    assert client.get(f"/users/{USER_ID}/projects", headers=auth(token())).status_code == 200
    response = client.get("/users/someone-else/projects", headers=auth(token()))
    assert_error(response, 403, "user_mismatch", 'Bearer realm="api", error="insufficient_scope"')


def test_own_app_require_role() -> None:
    client = TestClient(own_app())
    assert client.delete("/projects/p1", headers=auth(token(claims(role="user,admin")))).json() == {"deleted": "p1"}
    response = client.delete("/projects/p1", headers=auth(token(claims(role="user"))))
    assert_error(response, 403, "insufficient_role", 'Bearer realm="api", error="insufficient_scope"')


def test_missing_header_is_401_on_every_fastapi_version() -> None:
    # HTTPBearer(auto_error=True) answers 403 before FastAPI 0.122: the dependency must not.
    response = TestClient(own_app()).get("/projects", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_error(response, 401, "missing_token", 'Bearer realm="api"')


def test_no_error_description_in_any_challenge() -> None:
    client = TestClient(own_app())
    answers = [
        client.get("/projects"),
        client.get("/projects", headers={"Authorization": "Bearer x.y.z"}),
        client.get("/projects", headers=auth(token(claims(sub="")))),
        client.get("/users/other/projects", headers=auth(token())),
        client.delete("/projects/p1", headers=auth(token())),
    ]
    assert [r.status_code for r in answers] == [401, 401, 401, 403, 403]
    for response in answers:
        assert "error_description" not in response.headers["www-authenticate"]
        assert set(response.json()) == {"detail", "code"}
