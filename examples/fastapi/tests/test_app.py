"""The FastAPI app over HTTP (TestClient): routes, CORS, security headers, start-up."""

import json
from typing import Any, Dict, Optional

import pytest
from fastapi.testclient import TestClient

from app import create_app
from asgi_client import INVALID_TOKEN, SCOPE, asgi_get, assert_error
from settings import Settings, SettingsError
from tokens import NOW, TEST_SECRET, USER_ID, b64url, bearer, claims, segment, signature, token


def auth(tok: str) -> Dict[str, str]:
    return {"Authorization": bearer(tok)}


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


# --- start-up -------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "path, tok, status",
    [("/api/me", None, 200), ("/api/users/user_999/tasks", None, 403), ("/api/me", "x.y.z", 401)],
)
def test_every_cross_origin_answer_exposes_www_authenticate(client: TestClient, path: str, tok: Any, status: int) -> None:
    response = client.get(path, headers={"Origin": "http://localhost:3000", **auth(tok or token())})
    assert response.status_code == status
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert [h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")] == ["www-authenticate"]
    assert "access-control-allow-credentials" not in response.headers


# --- security headers on every answer ---------------------------------------------

SECURITY = {"cache-control": "no-store", "x-content-type-options": "nosniff"}


def assert_security_headers(headers: Any, https: bool) -> None:
    for name, value in SECURITY.items():
        assert headers.get(name) == value, name
    if https:
        assert headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains"
    else:
        assert "strict-transport-security" not in headers


def every_kind_of_answer(client: TestClient) -> Dict[str, Any]:
    preflight = {
        "Origin": "http://localhost:3000",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
    }
    return {
        "200": client.get("/api/me", headers=auth(token())),
        "healthz": client.get("/healthz"),
        "401-missing": client.get("/api/me"),
        "401-invalid": client.get("/api/me", headers={"Authorization": "Bearer x.y.z"}),
        "403": client.get("/api/admin/stats", headers=auth(token())),
        "404": client.get("/nowhere"),
        "405": client.post("/api/me", headers=auth(token())),
        "preflight": client.options("/api/me", headers=preflight),
        "preflight-refused": client.options("/api/me", headers={**preflight, "Origin": "http://evil.example"}),
    }


def test_security_headers_over_http(settings: Settings) -> None:
    client = TestClient(create_app(settings, clock=lambda: NOW))
    answers = every_kind_of_answer(client)
    assert {name: r.status_code for name, r in answers.items()} == {
        "200": 200, "healthz": 200, "401-missing": 401, "401-invalid": 401, "403": 403,
        "404": 404, "405": 405, "preflight": 200, "preflight-refused": 400,
    }  # fmt: skip
    for name, response in answers.items():
        assert_security_headers(response.headers, https=False)


def test_security_headers_over_https_add_hsts(settings: Settings) -> None:
    client = TestClient(create_app(settings, clock=lambda: NOW), base_url="https://testserver")
    for response in every_kind_of_answer(client).values():
        assert response.url.scheme == "https"
        assert_security_headers(response.headers, https=True)


def test_duplicate_headers_answer_has_security_headers(settings: Settings) -> None:
    app = create_app(settings, clock=lambda: NOW)
    two = [("authorization", bearer(token())), ("authorization", bearer(token()))]
    status, headers, _ = asgi_get(app, "/api/me", two, scheme="https")
    assert status == 400
    assert_security_headers(headers, https=True)


def test_x_forwarded_proto_alone_is_not_trusted(settings: Settings) -> None:
    # Any client can send X-Forwarded-Proto; only the server's scheme counts.
    client = TestClient(create_app(settings, clock=lambda: NOW))
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert_security_headers(response.headers, https=False)


def test_x_forwarded_proto_from_a_trusted_proxy_via_uvicorn(settings: Settings) -> None:
    # uvicorn's --proxy-headers rewrites the scheme for trusted proxy addresses (--forwarded-allow-ips).
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    app = ProxyHeadersMiddleware(create_app(settings, clock=lambda: NOW), trusted_hosts="*")
    response = TestClient(app).get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert_security_headers(response.headers, https=True)


# --- the key-set profiles over HTTP (a real key-set server on 127.0.0.1) --------------

from jwks_keys import make_key, public_jwk, public_key_bytes, signed  # noqa: E402
from jwks_server import KeySetServer, closed_port_url  # noqa: E402
from keyset import KeySetCache  # noqa: E402
from tokens import header  # noqa: E402

ED = make_key("ed25519")  # TEST KEY
KID = "test-key-1"


def jwks_settings(url: str, profile: str = "jwks", **changes: Any) -> Settings:
    secret = TEST_SECRET if profile == "both" else None
    return Settings(secret=secret, issuer=None, audience=None, profile=profile, jwks_url=url, **changes)


def jwks_client(url: str, profile: str = "jwks", cache_clock: Any = None, **changes: Any) -> TestClient:
    keys = KeySetCache(url, clock=cache_clock, timeout=2.0) if cache_clock else None
    return TestClient(create_app(jwks_settings(url, profile, **changes), clock=lambda: NOW, keys=keys))


def test_jwks_profile_accepts_the_apps_tokens(key_server: KeySetServer) -> None:
    key_server.serve({"keys": [public_jwk(ED, KID, alg="EdDSA", use="sig")]})
    client = jwks_client(key_server.url)  # the default cache, as uvicorn app:app builds it
    assert client.get("/api/me", headers=auth(signed(ED))).json()["sub"] == USER_ID
    assert client.get(f"/api/users/{USER_ID}/tasks", headers=auth(signed(ED))).status_code == 200
    admin = client.get("/api/admin/stats", headers=auth(signed(ED, payload=claims(role="admin"))))
    assert admin.status_code == 200
    assert key_server.requests == 1


def test_jwks_profile_refuses_hs256_even_signed_with_the_public_key(key_server: KeySetServer) -> None:
    key_server.serve({"keys": [public_jwk(ED, KID)]})
    client = jwks_client(key_server.url)
    for tok in (token(), token(head=header(kid=KID), secret=public_key_bytes(ED))):
        response = client.get("/api/me", headers=auth(tok))
        assert_error(response, 401, "unsupported_alg", INVALID_TOKEN)
    assert key_server.requests == 0  # refused before any key was needed


def test_both_profile_sends_hs256_the_secret_way(key_server: KeySetServer) -> None:
    key_server.serve({"keys": [public_jwk(ED, KID)]})
    client = jwks_client(key_server.url, profile="both")
    assert client.get("/api/me", headers=auth(token())).status_code == 200
    assert key_server.requests == 0
    assert client.get("/api/me", headers=auth(signed(ED))).status_code == 200
    assert key_server.requests == 1
    forged = client.get("/api/me", headers=auth(token(head=header(kid=KID), secret=public_key_bytes(ED))))
    assert_error(forged, 401, "bad_signature", INVALID_TOKEN)


def test_key_server_down_is_503_without_a_challenge() -> None:
    client = jwks_client(closed_port_url())
    response = client.get("/api/me", headers={"Origin": "http://localhost:3000", **auth(signed(ED))})
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The key set cannot be fetched right now; try again later.",
        "code": "keys_unavailable",
    }
    assert "www-authenticate" not in response.headers
    assert_security_headers(response.headers, https=False)
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    # Checks before the key still answer as usual.
    assert_error(client.get("/api/me"), 401, "missing_token", 'Bearer realm="api"')
    assert_error(client.get("/api/me", headers=auth("x.y.z")), 401, "malformed_token", INVALID_TOKEN)


def test_unknown_kid_is_401_unknown_key(key_server: KeySetServer) -> None:
    key_server.serve({"keys": [public_jwk(ED, KID)]})
    response = jwks_client(key_server.url).get("/api/me", headers=auth(signed(ED, kid="rotated-away")))
    assert_error(response, 401, "unknown_key", INVALID_TOKEN)


def test_rotation_over_http(key_server: KeySetServer) -> None:
    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    new_key = make_key("ed25519", "rotated")  # TEST KEY
    key_server.serve({"keys": [public_jwk(ED, KID)]})
    client = jwks_client(key_server.url, cache_clock=clock)
    assert client.get("/api/me", headers=auth(signed(ED))).status_code == 200
    key_server.serve({"keys": [public_jwk(new_key, "test-key-2"), public_jwk(ED, KID)]})
    assert_error(client.get("/api/me", headers=auth(signed(new_key, kid="test-key-2"))), 401, "unknown_key", INVALID_TOKEN)
    clock.now += 30
    assert client.get("/api/me", headers=auth(signed(new_key, kid="test-key-2"))).status_code == 200
    assert key_server.requests == 2


@pytest.mark.parametrize(
    "body",
    [
        b"<html>oops</html>",
        b'{"keys": [{"kid": "test-key-1", "kty": "OKP", "crv": "Ed25519", "x": 12}]}',
        b'{"keys": [{"kid": "test-key-1", "kty": "RSA", "n": "' + b"A" * 5000 + b'", "e": "AQAB"}]}',
        b'{"keys": {"kid": "test-key-1"}}',
        b"[" * 50000,
        json.dumps({"keys": [public_jwk(ED, f"k{i}") for i in range(3000)]}).encode(),
    ],
    ids=["html", "x-number", "huge-rsa-n", "keys-object", "deep-json", "3000-keys"],
)
def test_hostile_key_sets_never_500(key_server: KeySetServer, body: bytes) -> None:
    key_server.serve(body)
    client = jwks_client(key_server.url)
    for tok in (signed(ED), signed(ED, kid="k7"), signed(ED, head={"alg": "EdDSA", "kid": KID, "jwk": public_jwk(ED, KID)})):
        response = client.get("/api/me", headers=auth(tok))
        assert response.status_code in {200, 401, 503}
        assert response.json()["code"] if response.status_code != 200 else True


def test_slow_key_server_is_503_not_a_hang(key_server: KeySetServer) -> None:
    import time

    key_server.serve({"keys": [public_jwk(ED, KID)]})
    key_server.delay = 3.0
    app = create_app(jwks_settings(key_server.url), clock=lambda: NOW, keys=KeySetCache(key_server.url, timeout=0.5))
    started = time.monotonic()
    response = TestClient(app).get("/api/me", headers=auth(signed(ED)))
    assert response.status_code == 503 and response.json()["code"] == "keys_unavailable"
    assert time.monotonic() - started < 2.5


def test_create_app_jwks_refuses_without_url() -> None:
    with pytest.raises(SettingsError, match="AUTH_JWKS_URL"):
        create_app(Settings(secret=None, profile="jwks"))
