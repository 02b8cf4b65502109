#!/usr/bin/env python3
"""What plain PyJWT, used the way most tutorials use it, does with the vectors.

Usage (from examples/fastapi): python -m tools.pyjwt_defaults path/to/vectors.json

For every vector that sends exactly one Authorization header (requests are
read as in verdict_request.py), the token is taken out the way FastAPI's
HTTPBearer does it (scheme "bearer" in any case, split at the first space)
and handed to

    jwt.decode(token, secret, algorithms=["HS256"], leeway=leeway,
               audience=<if configured>, issuer=<if configured>)

with PyJWT's clock frozen at the vector's ``now``. Output: JSON lines, first
{"pyjwt_version": ...}, then one line per vector:
{"name", "expected": "accept"|"reject", "pyjwt": "accept"|"reject", "error"}
where error is the exception class name (null when accepted, "HTTPBearer"
when the header is refused before PyJWT sees a token). An unexpected
exception is a result like any other: the script never stops on a vector.
"""

import json
import sys
import warnings
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterator, Optional

import jwt
import jwt.api_jwt

from tools.verdict_request import read_verdict_request


@contextmanager
def frozen_pyjwt_clock(now: float) -> Iterator[None]:
    """Make PyJWT's claim checks see ``now``.

    PyJWT 2.x reads the time in jwt.api_jwt through the module-level name
    ``datetime`` (``datetime.now(tz=timezone.utc)``; 2.6 then applies timegm,
    2.15 .timestamp()). That name is swapped for a subclass whose now() and
    utcnow() return the frozen instant; isinstance checks keep working.
    """
    real = jwt.api_jwt.datetime

    class FrozenDatetime(real):  # type: ignore[misc, valid-type]
        @classmethod
        def now(cls, tz: Any = None) -> datetime:
            return real.fromtimestamp(now, tz=tz)

        @classmethod
        def utcnow(cls) -> datetime:
            return real.fromtimestamp(now, tz=timezone.utc).replace(tzinfo=None)

    jwt.api_jwt.datetime = FrozenDatetime  # type: ignore[misc]
    try:
        yield
    finally:
        jwt.api_jwt.datetime = real  # type: ignore[misc]


def clock_freeze_works() -> bool:
    """Prove the freeze on this PyJWT: a token from 2001 is valid at its own time only."""
    key = "probe-key-0123456789abcdefghijklmnopqrstuvwxyz"
    probe = jwt.encode({"iat": 1_000_000_000, "exp": 1_000_000_010}, key, algorithm="HS256")
    try:
        with frozen_pyjwt_clock(1_000_000_005):
            jwt.decode(probe, key, algorithms=["HS256"], leeway=0)
    except jwt.InvalidTokenError:
        return False
    try:
        with frozen_pyjwt_clock(1_000_000_010):
            jwt.decode(probe, key, algorithms=["HS256"], leeway=0)
    except jwt.ExpiredSignatureError:
        return True
    return False


def bearer_token(value: str) -> Optional[str]:
    """The credentials as FastAPI's HTTPBearer extracts them (None: refused)."""
    scheme, _, credentials = value.strip(" \t").partition(" ")
    if not scheme or not credentials or scheme.lower() != "bearer":
        return None
    return credentials


def decode_options(settings: Any, algorithms: list) -> Dict[str, Any]:
    """jwt.decode's keyword arguments as tutorials pass them: the algorithms, the leeway, and iss/aud when configured."""
    options: Dict[str, Any] = {"algorithms": algorithms, "leeway": settings.leeway}
    if settings.audience:
        options["audience"] = settings.audience
    if settings.issuer:
        options["issuer"] = settings.issuer
    return options


def judge(vector: Dict[str, Any], decode: Callable[[str, Any], None]) -> Optional[Dict[str, Any]]:
    """One single-header vector through ``decode(token, request)``: accept when it returns, reject on any
    exception (recorded by name, never a crash). None when the vector does not send exactly one header."""
    request = read_verdict_request(vector["request"])
    if len(request.authorization) != 1:
        return None
    expected = "accept" if vector["expected"]["status"] == 200 else "reject"
    result: Dict[str, Any] = {"name": vector["name"], "expected": expected, "pyjwt": "reject", "error": None}
    try:
        token = bearer_token(request.authorization[0])
        if token is None:
            result["error"] = "HTTPBearer"
            return result
        decode(token, request)
        result["pyjwt"] = "accept"
    except Exception as exc:  # any exception is a result, never a crash
        result["error"] = type(exc).__name__
    return result


def run_vector(vector: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """PyJWT's answer to one vector, or None when it does not send exactly one header."""

    def decode(token: str, request: Any) -> None:
        with frozen_pyjwt_clock(request.now):
            jwt.decode(token, request.settings.secret, **decode_options(request.settings, ["HS256"]))

    return judge(vector, decode)


def main(argv: list) -> int:
    if len(argv) != 2:
        print("usage: python -m tools.pyjwt_defaults VECTORS_JSON", file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")  # e.g. PyJWT's short-key warning: stdout stays JSON
    if not clock_freeze_works():
        print(f"cannot freeze the clock of PyJWT {jwt.__version__}", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    print(json.dumps({"pyjwt_version": jwt.__version__}))
    for vector in document["vectors"]:
        result = run_vector(vector)
        if result is not None:
            print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
