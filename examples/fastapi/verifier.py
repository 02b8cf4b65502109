"""Stateless HS256 bearer-token verification (contract v1) and its FastAPI glue.

The core is :func:`verify_authorization`, a pure function: Authorization
header values + settings + ``now`` in, verified claims out, or an
:class:`AuthError` carrying the exact status, code, ``WWW-Authenticate`` and
detail of the first failed check. Checks run in contract order (0..12), the
route-level checks 13 (user) and 14 (role) are separate functions, and the
signature is verified before any claim is looked at.

PyJWT computes the HMAC; everything strict (header parsing, canonical
base64url, JSON rules, ``crit``, claim types, time checks, order, responses)
is done here, because PyJWT's defaults differ from the contract (see
``pyjwt_defaults.py``).
"""

import base64
import hmac
import json
import math
import re
import time
from itertools import accumulate
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from jwt.algorithms import HMACAlgorithm

from settings import Settings, secret_bytes

Claims = Dict[str, Any]
Clock = Callable[[], float]

# --- Outcomes: status, WWW-Authenticate and fixed detail per code ------------

WWW_BEARER = 'Bearer realm="api"'
WWW_INVALID_REQUEST = WWW_BEARER + ', error="invalid_request"'
WWW_INVALID_TOKEN = WWW_BEARER + ', error="invalid_token"'
WWW_INSUFFICIENT_SCOPE = WWW_BEARER + ', error="insufficient_scope"'

# code -> (status, WWW-Authenticate or None, detail), in contract order.
OUTCOMES: Dict[str, Tuple[int, Optional[str], str]] = {
    "server_misconfigured": (500, None, "The server has no BETTER_AUTH_SECRET configured."),
    "duplicate_credentials": (400, WWW_INVALID_REQUEST, "Send exactly one Authorization header."),
    "missing_token": (401, WWW_BEARER, "Send an Authorization: Bearer <token> header."),
    "malformed_token": (
        401,
        WWW_INVALID_TOKEN,
        "The token is not a well-formed JWS (three base64url segments with JSON header and payload).",
    ),
    "unsupported_alg": (401, WWW_INVALID_TOKEN, "The token must be signed with HS256."),
    "invalid_header": (
        401,
        WWW_INVALID_TOKEN,
        "The token header contains a parameter this API does not accept (crit).",
    ),
    "bad_signature": (401, WWW_INVALID_TOKEN, "The token signature does not match."),
    "missing_claim": (401, WWW_INVALID_TOKEN, "The token lacks a required claim (sub, email, iat, exp)."),
    "invalid_claim": (401, WWW_INVALID_TOKEN, "A token claim has the wrong type."),
    "token_expired": (401, WWW_INVALID_TOKEN, "The token has expired."),
    "token_not_yet_valid": (
        401,
        WWW_INVALID_TOKEN,
        "The token is not valid yet (iat or nbf is in the future).",
    ),
    "wrong_issuer": (401, WWW_INVALID_TOKEN, "The token was issued by another issuer."),
    "wrong_audience": (401, WWW_INVALID_TOKEN, "The token is meant for another audience."),
    "user_mismatch": (403, WWW_INSUFFICIENT_SCOPE, "The token's user may not access this user's resources."),
    "insufficient_role": (403, WWW_INSUFFICIENT_SCOPE, "The token lacks the role this route requires."),
}


class AuthError(Exception):
    """A failed check: what the API answers (status, code, WWW-Authenticate, detail)."""

    def __init__(self, status: int, code: str, www_authenticate: Optional[str], detail: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.www_authenticate = www_authenticate
        self.detail = detail

    @classmethod
    def of(cls, code: str) -> "AuthError":
        status, www_authenticate, detail = OUTCOMES[code]
        return cls(status, code, www_authenticate, detail)

    def body(self) -> Dict[str, str]:
        return {"detail": self.detail, "code": self.code}


# --- Token structure (check 3) -------------------------------------------------

_SEGMENT = re.compile(r"[A-Za-z0-9_-]*")
# A JSON string literal (unrolled loop: no backtracking blow-up on long input).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Deepest array/object nesting accepted in the header or payload. A real token
# nests 1-2 levels. Deeper JSON is malformed_token. The bound is explicit so
# the outcome does not depend on Python's recursion limit or the stack depth.
MAX_JSON_DEPTH = 256


class _Malformed(Exception):
    pass


def _decode_segment(segment: str) -> bytes:
    """Decode one canonical, unpadded base64url segment, or raise _Malformed."""
    if not _SEGMENT.fullmatch(segment) or len(segment) % 4 == 1:
        raise _Malformed
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    # Canonical: re-encoding gives the same text (rejects non-zero trailing bits).
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != segment:
        raise _Malformed
    return raw


def _json_depth(text: str) -> int:
    """Deepest nesting of arrays/objects in ``text`` (exact for valid JSON)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return 0  # cannot be deeper than the limit: skip the scan
    brackets = (_DEPTH_STEP[c] for c in _JSON_STRING.sub("", text) if c in _DEPTH_STEP)
    return max(accumulate(brackets), default=0)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity, -Infinity


def _parse_int(literal: str) -> Any:
    # Python refuses int literals over 4300 digits; JSON.parse reads them as a
    # double (Infinity past 1e308). Do the same instead of failing the parse.
    try:
        return int(literal)
    except ValueError:
        return float(literal)


def _decode_json_object(segment: str) -> Dict[str, Any]:
    """Segment -> JSON object, under RFC 8259 rules, or raise _Malformed."""
    if not segment:
        raise _Malformed
    raw = _decode_segment(segment)
    try:
        # Decode strictly ourselves: json.loads(bytes) would guess UTF-16/32.
        # A BOM is kept and makes the parse fail.
        text = raw.decode("utf-8")
        if _json_depth(text) > MAX_JSON_DEPTH:
            raise _Malformed
        value = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except (ValueError, RecursionError, MemoryError) as exc:
        raise _Malformed from exc
    if not isinstance(value, dict):
        raise _Malformed
    return value


# --- Claim helpers ------------------------------------------------------------


def _is_finite_number(value: Any) -> bool:
    """A JSON number (not a bool) whose double value is finite."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int too large for a double
        return False


def _is_nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and value != ""


# --- The pure verifier (checks 0..12) ----------------------------------------


def verify_authorization(
    authorization: Sequence[str],
    settings: Settings,
    now: float,
) -> Claims:
    """Run checks 0..12 on the Authorization header values of one request.

    ``authorization`` holds every Authorization header value received (empty
    when there is none; a lone str counts as one header). Returns the verified
    claims or raises AuthError with the outcome of the first failed check.
    """
    if isinstance(authorization, str):
        authorization = [authorization]
    try:
        return _verify(authorization, settings, now)
    except AuthError:
        raise
    except Exception as exc:  # pragma: no cover - defence in depth
        # No hostile input may turn into a 500: anything unforeseen while
        # reading the token is a malformed token.
        raise AuthError.of("malformed_token") from exc


def _verify(authorization: Sequence[str], settings: Settings, now: float) -> Claims:
    # Check 0: a secret is configured.
    if not settings.secret:
        raise AuthError.of("server_misconfigured")

    # Check 1: exactly one credential. Two or more headers fail, whatever they hold.
    if len(authorization) >= 2:
        raise AuthError.of("duplicate_credentials")

    # Check 2: a header, scheme Bearer (ASCII case-insensitive), non-empty token.
    if not authorization:
        raise AuthError.of("missing_token")
    value = authorization[0].strip(" \t")  # HTTP whitespace: SP and HTAB only
    scheme, _, rest = value.partition(" ")  # split at the first run of spaces
    token = rest.lstrip(" ")
    if not (scheme.isascii() and scheme.lower() == "bearer") or not token:
        raise AuthError.of("missing_token")

    # Check 3: three canonical base64url segments; header and payload are JSON objects.
    segments = token.split(".")
    if len(segments) != 3:
        raise AuthError.of("malformed_token")
    header_segment, payload_segment, signature_segment = segments
    try:
        header = _decode_json_object(header_segment)
        payload = _decode_json_object(payload_segment)
        signature = _decode_segment(signature_segment)  # may be empty
    except _Malformed:
        raise AuthError.of("malformed_token") from None

    # Check 4: alg is exactly the string "HS256" (kid, jku, x5u, jwk, typ... are ignored).
    if header.get("alg") != "HS256":
        raise AuthError.of("unsupported_alg")

    # Check 5: no crit parameter, whatever its value (even [] or null).
    if "crit" in header:
        raise AuthError.of("invalid_header")

    # Check 6: HMAC-SHA256 over the ASCII "header.payload", key = UTF-8 bytes of
    # the secret, compared in constant time. Nothing in the payload is trusted before this.
    signing_input = f"{header_segment}.{payload_segment}".encode("ascii")
    expected = HMACAlgorithm(HMACAlgorithm.SHA256).sign(signing_input, secret_bytes(settings.secret))
    if not hmac.compare_digest(expected, signature):
        raise AuthError.of("bad_signature")

    # Check 7: required claims present (a null value counts as present).
    for name in ("sub", "email", "iat", "exp"):
        if name not in payload:
            raise AuthError.of("missing_claim")

    # Check 8: claim types, in this order.
    if not (
        _is_nonempty_str(payload["sub"])
        and _is_nonempty_str(payload["email"])
        and _is_finite_number(payload["iat"])
        and _is_finite_number(payload["exp"])
        and ("nbf" not in payload or _is_finite_number(payload["nbf"]))
        and ("role" not in payload or isinstance(payload["role"], str))
    ):
        raise AuthError.of("invalid_claim")

    # Times compare as doubles, like JavaScript numbers.
    now_f = float(now)
    leeway = float(settings.leeway)

    # Check 9: expired when now >= exp + leeway.
    if now_f >= float(payload["exp"]) + leeway:
        raise AuthError.of("token_expired")

    # Check 10: not from the future: nbf (if present), then iat, <= now + leeway.
    if "nbf" in payload and float(payload["nbf"]) > now_f + leeway:
        raise AuthError.of("token_not_yet_valid")
    if float(payload["iat"]) > now_f + leeway:
        raise AuthError.of("token_not_yet_valid")

    # Check 11: issuer, only when one is configured: iss must be that exact string.
    if settings.issuer:
        if payload.get("iss") != settings.issuer:
            raise AuthError.of("wrong_issuer")

    # Check 12: audience, only when configured: aud is that string, or an array
    # of strings only, one of which is it. Unconfigured: aud is ignored.
    if settings.audience:
        aud = payload.get("aud")
        if isinstance(aud, list):
            ok = all(isinstance(item, str) for item in aud) and settings.audience in aud
        else:
            ok = aud == settings.audience
        if not ok:
            raise AuthError.of("wrong_audience")

    return payload


def check_user(claims: Mapping[str, Any], path_user_id: str) -> None:
    """Check 13: on a route scoped to a user, the path user id must equal sub exactly."""
    if claims.get("sub") != path_user_id:
        raise AuthError.of("user_mismatch")


def role_list(claims: Mapping[str, Any]) -> List[str]:
    """The role claim as a list: comma-separated, items trimmed of spaces."""
    role = claims.get("role")
    if not isinstance(role, str):
        return []
    return [item.strip(" ") for item in role.split(",")]


def check_role(claims: Mapping[str, Any], required_role: str) -> None:
    """Check 14: the required role is one of the token's roles (exact, case-sensitive)."""
    if required_role not in role_list(claims):
        raise AuthError.of("insufficient_role")


def verify_request(
    authorization: Sequence[str],
    settings: Settings,
    now: float,
    path_user_id: Optional[str] = None,
    required_role: Optional[str] = None,
) -> Claims:
    """Checks 0..14: a route scoped to ``path_user_id`` that needs ``required_role``.

    None or "" means the route is not scoped to a user / needs no role (as
    for the issuer and audience, and as the TypeScript engine reads it).
    """
    claims = verify_authorization(authorization, settings, now)
    if path_user_id:
        check_user(claims, path_user_id)
    if required_role:
        check_role(claims, required_role)
    return claims


def verdict(
    authorization: Sequence[str],
    settings: Settings,
    now: float,
    path_user_id: Optional[str] = None,
    required_role: Optional[str] = None,
) -> Dict[str, Any]:
    """The contract's verdict object: status, code, wwwAuthenticate, body."""
    try:
        verify_request(authorization, settings, now, path_user_id, required_role)
    except AuthError as err:
        return {"status": err.status, "code": err.code, "wwwAuthenticate": err.www_authenticate, "body": err.body()}
    return {"status": 200, "code": None, "wwwAuthenticate": None, "body": None}


# --- FastAPI glue -------------------------------------------------------------

# Only documents the bearer scheme in OpenAPI (the "Authorize" button). Its
# result is ignored: HTTPBearer cannot see duplicate headers and answers
# differently across FastAPI versions, so current_claims reads the headers itself.
_openapi_bearer = HTTPBearer(auto_error=False)


def install_auth(app: FastAPI, settings: Settings, clock: Optional[Clock] = None) -> None:
    """Attach settings, clock and the AuthError handler to ``app``."""
    app.state.auth_settings = settings
    app.state.auth_clock = clock or time.time
    app.add_exception_handler(AuthError, auth_error_handler)


def get_auth_settings(request: Request) -> Settings:
    return request.app.state.auth_settings


def get_now(request: Request) -> float:
    """The current time in seconds; tests inject a fixed clock through install_auth."""
    return request.app.state.auth_clock()


def current_claims(
    request: Request,
    settings: Settings = Depends(get_auth_settings),
    now: float = Depends(get_now),
    _doc: Any = Depends(_openapi_bearer),
) -> Claims:
    """Dependency: the verified claims of the request's bearer token (checks 0..12)."""
    return verify_authorization(request.headers.getlist("authorization"), settings, now)


def user_claims(user_id: str, claims: Claims = Depends(current_claims)) -> Claims:
    """Dependency for routes with a ``{user_id}`` path parameter (check 13)."""
    check_user(claims, user_id)
    return claims


def require_role(role: str) -> Callable[..., Claims]:
    """Dependency factory for routes that need ``role`` (check 14)."""

    def dependency(claims: Claims = Depends(current_claims)) -> Claims:
        check_role(claims, role)
        return claims

    return dependency


async def auth_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """AuthError -> JSON body {"detail", "code"} plus WWW-Authenticate (none for 500)."""
    assert isinstance(exc, AuthError)
    headers = {"WWW-Authenticate": exc.www_authenticate} if exc.www_authenticate else None
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)
