"""The FastAPI side of the verifier: dependencies that answer with the contract's responses.

- :func:`install_auth` puts the settings, the clock and the key source (jwks
  and both profiles) on the app and registers the handler that turns
  :class:`verifier.AuthError` into the contract's answer.
- :func:`current_claims` (any valid token), :func:`user_claims` (check ``user``)
  and :func:`require_role` (check ``role``) are the dependencies routes declare.

The checks themselves are in ``verifier.py`` (no FastAPI there).
"""

import time
from typing import Any, Callable, Optional

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer

from keyset import KeySetCache, KeySource
from settings import Settings
from verifier import AuthError, Claims, check_role, check_user, verify_authorization

Clock = Callable[[], float]

# Only documents the bearer scheme in OpenAPI (the "Authorize" button). Its
# result is ignored: HTTPBearer cannot see duplicate headers and answers
# differently across FastAPI versions, so current_claims reads the headers itself.
_openapi_bearer = HTTPBearer(auto_error=False)


def install_auth(
    app: FastAPI, settings: Settings, clock: Optional[Clock] = None, keys: Optional[KeySource] = None
) -> None:
    """Attach settings, clock, key source and the AuthError handler to ``app``.

    ``keys`` defaults, in the jwks and both profiles, to a :class:`keyset.KeySetCache`
    of ``settings.jwks_url`` (one per app: the cache lives as long as the app).
    """
    if keys is None and settings.uses_key_set and settings.jwks_url:
        keys = KeySetCache(settings.jwks_url)
    app.state.auth_settings = settings
    app.state.auth_clock = clock or time.time
    app.state.auth_keys = keys
    app.add_exception_handler(AuthError, auth_error_handler)


def get_auth_settings(request: Request) -> Settings:
    return request.app.state.auth_settings


def get_now(request: Request) -> float:
    """The current time in seconds; tests inject a fixed clock through install_auth."""
    return request.app.state.auth_clock()


def get_keys(request: Request) -> Optional[KeySource]:
    """The key source of the jwks and both profiles (None in hs256)."""
    return getattr(request.app.state, "auth_keys", None)


def current_claims(
    request: Request,
    settings: Settings = Depends(get_auth_settings),
    now: float = Depends(get_now),
    keys: Optional[KeySource] = Depends(get_keys),
    _doc: Any = Depends(_openapi_bearer),
) -> Claims:
    """Dependency: the verified claims of the request's bearer token (checks secret .. audience).

    A plain ``def``: FastAPI runs it in its thread pool, so a key-set fetch
    (jwks profile, at most once per 30 s) never blocks the event loop.
    """
    return verify_authorization(request.headers.getlist("authorization"), settings, now, keys)


def user_claims(user_id: str, claims: Claims = Depends(current_claims)) -> Claims:
    """Dependency for routes with a ``{user_id}`` path parameter (check ``user``)."""
    check_user(claims, user_id)
    return claims


def require_role(role: str) -> Callable[..., Claims]:
    """Dependency factory for routes that need ``role`` (check ``role``)."""

    def dependency(claims: Claims = Depends(current_claims)) -> Claims:
        check_role(claims, role)
        return claims

    return dependency


async def auth_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """AuthError -> JSON body {"detail", "code"} plus WWW-Authenticate (none for 500 and 503).

    Never an ``error_description``: the ``error`` attribute and the body's ``code``
    carry the machine signal (contract v1.1).
    """
    assert isinstance(exc, AuthError)
    headers = {"WWW-Authenticate": exc.www_authenticate} if exc.www_authenticate else None
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)
