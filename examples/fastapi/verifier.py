"""The verifier: stateless bearer-token checks (contract v1.1), no web framework.

Pure functions: the Authorization header values + settings + ``now`` in, the
verified claims or the first failed check out. Nothing here imports FastAPI;
``dependency.py`` turns the results into HTTP answers.

- :func:`evaluate` returns a :class:`Verdict` (status, code, check id,
  ``WWW-Authenticate``, body, and the claims when every check passed).
- :func:`verify_authorization` returns the claims or raises :class:`AuthError`
  (checks ``secret`` .. ``audience``); :func:`check_user` and :func:`check_role`
  are the route-level checks ``user`` and ``role``.

Profiles (``settings.profile``): ``hs256`` verifies HS256 with the secret;
``jwks`` verifies the one configured asymmetric alg with a key from the key
set (``keys``, a key source from ``keyset.py``); ``both`` sends HS256 the
``hs256`` way and the configured alg the ``jwks`` way.

Checks run in the contract's order and are named by the contract's stable ids;
the signature is verified before any claim is looked at. PyJWT computes the
signature; everything strict (header parsing, canonical base64url, JSON rules,
``crit``, claim types, time checks, order, responses) is done here, because
PyJWT's defaults differ from the contract (see ``tools/pyjwt_defaults.py``).
"""

import base64
import hmac
import json
import math
import re
import time
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from jwt.algorithms import HMACAlgorithm

from keyset import KeySource, KeysUnavailable, UnknownKey, same_alg
from settings import JWT_ALGORITHMS, Settings, secret_bytes

Claims = Dict[str, Any]
Clock = Callable[[], float]

# --- Outcomes: status, WWW-Authenticate and fixed detail per code ------------

WWW_BEARER = 'Bearer realm="api"'
WWW_INVALID_REQUEST = WWW_BEARER + ', error="invalid_request"'
WWW_INVALID_TOKEN = WWW_BEARER + ', error="invalid_token"'
WWW_INSUFFICIENT_SCOPE = WWW_BEARER + ', error="insufficient_scope"'

# Every answer of the contract, in its order: (check id, code, status,
# WWW-Authenticate or None, detail). The detail is a fixed sentence (never the
# token, never a claim), the same as the site's verdict engine publishes in
# vectors.json; v1.1 sends no error_description: the error attribute and the
# body's code carry the signal. Check 0 has one id per profile: "secret" in
# hs256, "key-source" in jwks and both.
OUTCOME_TABLE: Tuple[Tuple[str, str, int, Optional[str], str], ...] = (
    ("secret", "server_misconfigured", 500, None, "The server has no BETTER_AUTH_SECRET configured."),
    (
        "key-source",
        "server_misconfigured",
        500,
        None,
        "The server has no key set URL (AUTH_JWKS_URL) or no BETTER_AUTH_SECRET configured.",
    ),
    ("single-credential", "duplicate_credentials", 400, WWW_INVALID_REQUEST, "Send exactly one Authorization header."),
    ("bearer", "missing_token", 401, WWW_BEARER, "Send an Authorization: Bearer <token> header."),
    (
        "structure",
        "malformed_token",
        401,
        WWW_INVALID_TOKEN,
        "The token is not a well-formed JWS (three base64url segments with JSON header and payload).",
    ),
    ("alg", "unsupported_alg", 401, WWW_INVALID_TOKEN, "The token is signed with an algorithm this API does not accept."),
    (
        "crit",
        "invalid_header",
        401,
        WWW_INVALID_TOKEN,
        "The token header is not acceptable (a crit parameter, or no key id on the key-set path).",
    ),
    # The key check runs on the jwks path only. No WWW-Authenticate on the 503: the token may be fine.
    (
        "key",
        "unknown_key",
        401,
        WWW_INVALID_TOKEN,
        "No key of the key set fits the token (unknown kid, or a key that cannot verify this algorithm).",
    ),
    ("key", "keys_unavailable", 503, None, "The key set cannot be fetched right now; try again later."),
    ("signature", "bad_signature", 401, WWW_INVALID_TOKEN, "The token signature does not match."),
    ("claims-present", "missing_claim", 401, WWW_INVALID_TOKEN, "The token lacks a required claim (sub, email, iat, exp)."),
    ("claim-types", "invalid_claim", 401, WWW_INVALID_TOKEN, "A token claim has the wrong type."),
    ("expiry", "token_expired", 401, WWW_INVALID_TOKEN, "The token has expired."),
    (
        "not-before",
        "token_not_yet_valid",
        401,
        WWW_INVALID_TOKEN,
        "The token is not valid yet (iat or nbf is in the future).",
    ),
    ("issuer", "wrong_issuer", 401, WWW_INVALID_TOKEN, "The token was issued by another issuer."),
    ("audience", "wrong_audience", 401, WWW_INVALID_TOKEN, "The token is meant for another audience."),
    ("user", "user_mismatch", 403, WWW_INSUFFICIENT_SCOPE, "The token's user may not access this user's resources."),
    ("role", "insufficient_role", 403, WWW_INSUFFICIENT_SCOPE, "The token lacks the role this route requires."),
)

# code -> (status, WWW-Authenticate or None, detail) and code -> check id, of the
# first (hs256) answer per code; DETAILS has the detail of every (code, check).
OUTCOMES: Dict[str, Tuple[int, Optional[str], str]] = {}
CHECKS: Dict[str, str] = {}
DETAILS: Dict[Tuple[str, str], str] = {}
for _check, _code, _status, _www, _detail in OUTCOME_TABLE:
    OUTCOMES.setdefault(_code, (_status, _www, _detail))
    CHECKS.setdefault(_code, _check)
    DETAILS[(_code, _check)] = _detail

# Answers only the key-set profiles give (jwks, both).
KEY_SET_CODES = ("keys_unavailable", "unknown_key")
KEY_SET_CHECKS = ("key-source", "key")


class AuthError(Exception):
    """A failed check: what the API answers (status, code, check id, WWW-Authenticate, detail)."""

    def __init__(
        self, status: int, code: str, www_authenticate: Optional[str], detail: str, check: Optional[str] = None
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.check = check if check is not None else CHECKS[code]
        self.www_authenticate = www_authenticate
        self.detail = detail

    @classmethod
    def of(cls, code: str, check: Optional[str] = None) -> "AuthError":
        """The contract's answer for ``code`` (``check`` picks among a code's checks, e.g. key-source)."""
        status, www_authenticate, detail = OUTCOMES[code]
        check = check or CHECKS[code]
        return cls(status, code, www_authenticate, DETAILS[(code, check)], check)

    def body(self) -> Dict[str, str]:
        return {"detail": self.detail, "code": self.code}


@dataclass(frozen=True)
class Verdict:
    """The answer to one request: the contract's verdict, plus the claims when it passed.

    ``code``, ``check``, ``www_authenticate`` and ``body`` are None for a 200.
    """

    status: int
    code: Optional[str] = None
    check: Optional[str] = None
    www_authenticate: Optional[str] = None
    body: Optional[Dict[str, str]] = None
    claims: Optional[Dict[str, Any]] = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @classmethod
    def failed(cls, err: AuthError) -> "Verdict":
        return cls(err.status, err.code, err.check, err.www_authenticate, err.body())

    def to_json(self) -> Dict[str, Any]:
        """The contract's verdict object (camelCase keys, as the engine and the vectors write it)."""
        return {
            "status": self.status,
            "code": self.code,
            "check": self.check,
            "wwwAuthenticate": self.www_authenticate,
            "body": self.body,
        }


# --- Token structure (check "structure") ----------------------------------------

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


# --- The pure verifier (checks "secret" .. "audience") ---------------------------

# HTTP optional whitespace (RFC 9110 OWS): SP and HTAB only. NBSP, newlines and
# other Unicode spaces are not whitespace here: inside the value they make the
# scheme unknown (missing_token) or the token malformed (malformed_token).
OWS = " \t"


def verify_authorization(
    authorization: Sequence[str],
    settings: Settings,
    now: float,
    keys: Optional[KeySource] = None,
) -> Claims:
    """Run the token checks (secret .. audience) on the Authorization header values of one request.

    ``authorization`` holds every Authorization header value received (empty
    when there is none; a lone str counts as one header). ``keys`` is the key
    source of the jwks and both profiles (None: no key set configured).
    Returns the verified claims or raises AuthError with the outcome of the
    first failed check.
    """
    if isinstance(authorization, str):
        authorization = [authorization]
    try:
        return _verify(authorization, settings, now, keys)
    except AuthError:
        raise
    except Exception as exc:  # pragma: no cover - defence in depth
        # No hostile input may turn into a 500: anything unforeseen while
        # reading the token is a malformed token.
        raise AuthError.of("malformed_token") from exc


def _verify(authorization: Sequence[str], settings: Settings, now: float, keys: Optional[KeySource]) -> Claims:
    # secret / key-source (0): what the profile verifies with is configured.
    # hs256: the secret (id "secret"). jwks: a key set and a key-set algorithm;
    # both: also the secret (id "key-source" in both profiles, whatever is missing).
    source_check = "key-source" if settings.uses_key_set else "secret"
    if settings.uses_secret and not settings.secret:
        raise AuthError.of("server_misconfigured", source_check)
    if settings.uses_key_set and (keys is None or settings.algorithm not in JWT_ALGORITHMS):
        raise AuthError.of("server_misconfigured", source_check)

    # single-credential (1): exactly one credential. Two or more headers fail, whatever they hold.
    if len(authorization) >= 2:
        raise AuthError.of("duplicate_credentials")

    # bearer (2): a header, scheme Bearer (ASCII case-insensitive), non-empty token.
    if not authorization:
        raise AuthError.of("missing_token")
    value = authorization[0].strip(OWS)  # surrounding SP and HTAB only
    scheme, _, rest = value.partition(" ")  # scheme and token: one or more SP (RFC 9110 1*SP)
    token = rest.lstrip(" ")
    if not (scheme.isascii() and scheme.lower() == "bearer") or not token:
        raise AuthError.of("missing_token")

    # structure (3): three canonical base64url segments; header and payload are JSON objects.
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

    # alg (4): the profile decides. hs256: exactly the string "HS256". jwks: the
    # configured asymmetric alg (EdDSA and Ed25519 are one), anything else,
    # HS256 included, is refused: a public key is never used as an HMAC secret.
    # both: HS256 goes the hs256 way, the configured alg the jwks way.
    alg = header.get("alg")
    if settings.uses_secret and alg == "HS256":
        key_set_path = False
    elif settings.uses_key_set and same_alg(alg, settings.algorithm):
        key_set_path = True
    else:
        raise AuthError.of("unsupported_alg")

    # crit (5): no crit parameter, whatever its value (even [] or null); on the
    # jwks path a non-empty string kid. jku, x5u, jwk, x5c, typ are never read
    # (and kid not on the hs256 path).
    if "crit" in header:
        raise AuthError.of("invalid_header")
    kid = header.get("kid")
    if key_set_path and not _is_nonempty_str(kid):
        raise AuthError.of("invalid_header")

    signing_input = f"{header_segment}.{payload_segment}".encode("ascii")
    if key_set_path:
        # key (6), jwks path only: a usable key for kid from the configured key set.
        assert keys is not None
        try:
            key = keys.get(kid, alg)
        except KeysUnavailable:
            raise AuthError.of("keys_unavailable") from None
        except UnknownKey:
            raise AuthError.of("unknown_key") from None
        # signature (7): the key's algorithm (ECDSA: raw r || s only).
        if not key.verify(signing_input, signature):
            raise AuthError.of("bad_signature")
    else:
        # signature (7): HMAC-SHA256 over the ASCII "header.payload", key = UTF-8 bytes of
        # the secret, compared in constant time. Nothing in the payload is trusted before this.
        assert settings.secret
        expected = HMACAlgorithm(HMACAlgorithm.SHA256).sign(signing_input, secret_bytes(settings.secret))
        if not hmac.compare_digest(expected, signature):
            raise AuthError.of("bad_signature")

    # claims-present (8): required claims present (a null value counts as present).
    for name in ("sub", "email", "iat", "exp"):
        if name not in payload:
            raise AuthError.of("missing_claim")

    # claim-types (9): claim types, in this order.
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

    # expiry (10): expired when now >= exp + leeway.
    if now_f >= float(payload["exp"]) + leeway:
        raise AuthError.of("token_expired")

    # not-before (11): not from the future: nbf (if present), then iat, <= now + leeway.
    if "nbf" in payload and float(payload["nbf"]) > now_f + leeway:
        raise AuthError.of("token_not_yet_valid")
    if float(payload["iat"]) > now_f + leeway:
        raise AuthError.of("token_not_yet_valid")

    # issuer (12): issuer, only when one is configured: iss must be that exact string.
    if settings.issuer:
        if payload.get("iss") != settings.issuer:
            raise AuthError.of("wrong_issuer")

    # audience (13): audience, only when configured: aud is that string, or an array
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
    """Check user (14): on a route scoped to a user, the path user id must equal sub exactly."""
    if claims.get("sub") != path_user_id:
        raise AuthError.of("user_mismatch")


def role_list(claims: Mapping[str, Any]) -> List[str]:
    """The role claim as a list: comma-separated, items trimmed of spaces."""
    role = claims.get("role")
    if not isinstance(role, str):
        return []
    return [item.strip(" ") for item in role.split(",")]


def check_role(claims: Mapping[str, Any], required_role: str) -> None:
    """Check role (15): the required role is one of the token's roles (exact, case-sensitive)."""
    if required_role not in role_list(claims):
        raise AuthError.of("insufficient_role")


def verify_request(
    authorization: Sequence[str],
    settings: Settings,
    now: float,
    path_user_id: Optional[str] = None,
    required_role: Optional[str] = None,
    keys: Optional[KeySource] = None,
) -> Claims:
    """Every check: a route scoped to ``path_user_id`` that needs ``required_role``.

    None or "" means the route is not scoped to a user / needs no role (as
    for the issuer and audience, and as the TypeScript engine reads it).
    """
    claims = verify_authorization(authorization, settings, now, keys)
    if path_user_id:
        check_user(claims, path_user_id)
    if required_role:
        check_role(claims, required_role)
    return claims


def evaluate(
    authorization: Sequence[str],
    settings: Settings,
    now: float,
    path_user_id: Optional[str] = None,
    required_role: Optional[str] = None,
    keys: Optional[KeySource] = None,
) -> Verdict:
    """Every check, as a result object: status, code, check id, WWW-Authenticate, body (and claims on 200)."""
    try:
        claims = verify_request(authorization, settings, now, path_user_id, required_role, keys)
    except AuthError as err:
        return Verdict.failed(err)
    return Verdict(200, claims=claims)


def verdict(
    authorization: Sequence[str],
    settings: Settings,
    now: float,
    path_user_id: Optional[str] = None,
    required_role: Optional[str] = None,
    keys: Optional[KeySource] = None,
) -> Dict[str, Any]:
    """The contract's verdict object: status, code, check, wwwAuthenticate, body."""
    return evaluate(authorization, settings, now, path_user_id, required_role, keys).to_json()
