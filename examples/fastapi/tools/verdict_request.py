"""Read the contract's verdict request (the format of the conformance vectors).

{"profile": "hs256" | "jwks" | "both", "authorization": "Bearer ..." | ["...", "..."] | null,
 "secret": "...", "keys": {"keys": [...]} | "unavailable", "algorithm": "EdDSA", "now": 1767225600,
 "leeway": 30, "issuer": "...", "audience": "...", "pathUserId": "...", "requiredRole": "..."}

Fields are read the way the TypeScript verdict engine reads them, so that both
answer the same request the same way: a list of two or more values is that
many headers (whatever they hold), a one-item list is one header, anything
else is no header; a secret that is not a string is "not configured"; a leeway
that is not a non-negative number is the default 30; optional strings that are
empty or not strings are "not set".

Contract v1.1 fields: a profile that is not "jwks" or "both" is "hs256"; an
algorithm that is not a string is the default "EdDSA" (a string the contract
does not offer, "HS256" say, is a misconfigured backend: 500, check key-source);
"keys" is the key set the backend holds after any refetch: a JWK Set object,
"unavailable" (no set can be had; anything else that is not a JWK Set counts
the same), absent or null when not configured. hs256 ignores keys. The HTTP
cache rules are the backend's, not the request's.
"""

import math
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional

from keyset import KeySource, StaticKeySet
from settings import DEFAULT_JWT_ALG, DEFAULT_LEEWAY_SECONDS, Settings
from verifier import verdict


@dataclass(frozen=True)
class VerdictRequest:
    authorization: List[str]
    settings: Settings
    now: float
    path_user_id: Optional[str]
    required_role: Optional[str]
    keys: Optional[KeySource] = None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def read_verdict_request(request: Mapping[str, Any]) -> VerdictRequest:
    raw = request.get("authorization")
    if isinstance(raw, str):
        authorization = [raw]
    elif isinstance(raw, list) and len(raw) >= 2:
        authorization = [item if isinstance(item, str) else repr(item) for item in raw]
    elif isinstance(raw, list) and len(raw) == 1 and isinstance(raw[0], str):
        authorization = [raw[0]]
    else:
        authorization = []

    def optional(key: str) -> Optional[str]:
        value = request.get(key)
        return value if isinstance(value, str) and value else None

    secret = request.get("secret")
    now = request.get("now")
    leeway = request.get("leeway")
    profile = request.get("profile")
    profile = profile if profile in ("jwks", "both") else "hs256"
    algorithm = request.get("algorithm")
    document = request.get("keys")
    return VerdictRequest(
        authorization=authorization,
        settings=Settings(
            secret=secret if isinstance(secret, str) else None,
            issuer=optional("issuer"),
            audience=optional("audience"),
            leeway=leeway if _is_number(leeway) and leeway >= 0 else DEFAULT_LEEWAY_SECONDS,
            profile=profile,
            algorithm=algorithm if isinstance(algorithm, str) else DEFAULT_JWT_ALG,
        ),
        now=now if _is_number(now) else time.time(),
        path_user_id=optional("pathUserId"),
        required_role=optional("requiredRole"),
        keys=StaticKeySet(document) if profile != "hs256" and document is not None else None,
    )


def verdict_for_request(request: Mapping[str, Any]) -> Dict[str, Any]:
    """The Python verifier's verdict for one verdict request (every check)."""
    r = read_verdict_request(request)
    return verdict(r.authorization, r.settings, r.now, r.path_user_id, r.required_role, r.keys)
