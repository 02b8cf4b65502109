"""Test helpers: mint HS256 tokens byte by byte, including hostile ones.

Everything here is test data. TEST_SECRET is a test secret, never a real one.
"""

import base64
import hashlib
import hmac
import json
from typing import Any, Dict, Optional, Union

TEST_SECRET = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # test secret only
NOW = 1767225600  # 2026-01-01T00:00:00Z
ISSUER = "http://localhost:3000"
AUDIENCE = "http://localhost:8000"
USER_ID = "user_123"

HEADER: Dict[str, Any] = {"alg": "HS256", "typ": "JWT"}
DELETE = object()  # marker: remove this claim / header parameter

Part = Union[Dict[str, Any], str, bytes]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def segment(part: Part) -> str:
    """A dict is JSON-encoded; a str is raw JSON text; bytes are used as is."""
    if isinstance(part, dict):
        part = json.dumps(part, separators=(",", ":"))
    if isinstance(part, str):
        part = part.encode("utf-8")
    return b64url(part)


def signature(header_segment: str, payload_segment: str, secret: Union[str, bytes] = TEST_SECRET) -> str:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    mac = hmac.new(key, f"{header_segment}.{payload_segment}".encode("ascii"), hashlib.sha256).digest()
    return b64url(mac)


def claims(**changes: Any) -> Dict[str, Any]:
    """Valid claims at NOW; keyword arguments replace claims, DELETE removes one."""
    base: Dict[str, Any] = {
        "sub": USER_ID,
        "email": "ada@example.com",
        "iat": NOW,
        "exp": NOW + 900,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "role": "user",
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not DELETE}


def header(**changes: Any) -> Dict[str, Any]:
    base = dict(HEADER)
    base.update(changes)
    return {key: value for key, value in base.items() if value is not DELETE}


def token(
    payload: Optional[Part] = None,
    head: Optional[Part] = None,
    secret: Union[str, bytes] = TEST_SECRET,
) -> str:
    """A token signed with ``secret`` over the exact segments given."""
    h = segment(HEADER if head is None else head)
    p = segment(claims() if payload is None else payload)
    return f"{h}.{p}.{signature(h, p, secret)}"


def bearer(tok: str) -> str:
    return "Bearer " + tok
