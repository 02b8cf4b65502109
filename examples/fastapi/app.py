"""FastAPI reference backend: the routes, CORS and security headers.

Run:  BETTER_AUTH_SECRET=... uvicorn app:app --port 8000
 or:  AUTH_PROFILE=jwks AUTH_JWKS_URL=http://localhost:3000/api/auth/jwks uvicorn app:app --port 8000
Without what the profile needs (the secret; the key set URL), importing this
module raises and the server does not start.

The checks are in verifier.py, the FastAPI dependencies in dependency.py, the
configuration in settings.py.
"""

import json
import math
import time
from typing import Any, Callable, Dict, Optional

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from dependency import current_claims, install_auth, require_role, user_claims
from keyset import KeySource
from security_headers import SecurityHeadersMiddleware
from settings import Settings
from verifier import Claims


def _json_safe(value: Any) -> Any:
    """Claims as JSON.stringify would write them: non-finite numbers become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


class ClaimsResponse(JSONResponse):
    """Echoes verified claims without ever failing on them (no 500).

    A signed payload may hold 1e400 (inf) or lone surrogates ("\\ud800"):
    Starlette's JSONResponse would raise on both, so non-finite numbers are
    written as null and the output is ASCII with \\u escapes.
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(_json_safe(content), ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode(
            "ascii"
        )


router = APIRouter()


@router.get("/healthz")
def healthz() -> Dict[str, str]:
    """Liveness probe, no authentication."""
    return {"status": "ok"}


@router.get("/api/me")
def me(claims: Claims = Depends(current_claims)) -> ClaimsResponse:
    """Any valid token: the verified claims."""
    # Returned as a Response so FastAPI does not re-encode (and re-check) the claims.
    return ClaimsResponse(claims)


@router.get("/api/users/{user_id}/tasks")
def user_tasks(user_id: str, claims: Claims = Depends(user_claims)) -> Dict[str, Any]:
    """Scoped to the token's user: {user_id} must equal sub (check user)."""
    return {
        "user_id": user_id,
        "tasks": [
            {"id": 1, "title": "Read the contract", "done": True},
            {"id": 2, "title": "Call the API with a bearer token", "done": False},
        ],
    }


@router.get("/api/admin/stats")
def admin_stats(claims: Claims = Depends(require_role("admin"))) -> Dict[str, Any]:
    """Needs role "admin" in the token's role claim (check role)."""
    return {"requested_by": claims["sub"], "users": 2, "tasks": 4}


def create_app(
    settings: Optional[Settings] = None,
    clock: Optional[Callable[[], float]] = None,
    keys: Optional[KeySource] = None,
) -> FastAPI:
    """Build the API. ``settings`` default to the environment, ``clock`` to time.time,
    ``keys`` (jwks and both profiles) to a key-set cache of ``settings.jwks_url``.

    Raises SettingsError when the profile's secret or key set URL is not configured
    (contract check 0, ``secret`` / ``key-source``, at start-up).
    """
    settings = settings if settings is not None else Settings.from_env()
    settings.validate()

    app = FastAPI(title="Better Auth JWT example API", version="1.0.0")
    install_auth(app, settings, clock or time.time, keys)
    app.include_router(router)
    # Preflight OPTIONS requests are answered here, without a token. Tokens are
    # not cookies, so no credentials; WWW-Authenticate is exposed so a browser
    # client can see error="invalid_token" on a cross-origin 401.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=["WWW-Authenticate"],
    )
    # Added last, so it wraps everything above: CORS answers and errors get the headers too.
    app.add_middleware(SecurityHeadersMiddleware)
    return app


app = create_app()
