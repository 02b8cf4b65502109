"""Shared fixtures. The module-level `app = create_app()` in app.py reads the
environment at import, so a test secret is put there before any test imports it."""

import os

from tokens import AUDIENCE, ISSUER, NOW, TEST_SECRET

os.environ["BETTER_AUTH_SECRET"] = TEST_SECRET  # test secret only
for _name in ("AUTH_ISSUER", "AUTH_AUDIENCE", "AUTH_LEEWAY_SECONDS", "CORS_ORIGINS", "AUTH_PROFILE", "AUTH_JWKS_URL", "AUTH_JWT_ALG"):
    os.environ.pop(_name, None)

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from app import create_app  # noqa: E402
from settings import Settings  # noqa: E402


@pytest.fixture
def settings() -> Settings:
    return Settings(secret=TEST_SECRET, issuer=ISSUER, audience=AUDIENCE, leeway=30)


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, clock=lambda: NOW))


@pytest.fixture
def key_server():  # type: ignore[no-untyped-def]
    """A key-set server on 127.0.0.1 (random port) serving TEST KEYs; closed after the test."""
    from jwks_server import KeySetServer

    server = KeySetServer()
    try:
        yield server
    finally:
        server.close()
