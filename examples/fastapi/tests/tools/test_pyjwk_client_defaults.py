"""tools/pyjwk_client_defaults.py: PyJWKClient over key-set vectors, with a real local key-set server.

Every key here is a TEST KEY made by jwks_keys.py for this run. The sets hold only
keys PyJWT 2.6 can load (see test_one_unloadable_key for why that matters), so the
same assertions hold on PyJWT 2.6 (Debian) and 2.15 (the pinned one).
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import jwt
import pytest

from jwks_keys import make_key, public_jwk, signed
from tokens import AUDIENCE, DELETE, ISSUER, NOW, TEST_SECRET, bearer, claims, token
from tools import pyjwk_client_defaults

APP_DIR = Path(__file__).resolve().parents[2]
FIXTURE = APP_DIR / "tests" / "fixtures" / "vectors.sample.json"

ED = make_key("ed25519", "pyjwk-client-1")  # TEST KEY
ED_OTHER = make_key("ed25519", "pyjwk-client-2")  # TEST KEY
P256 = make_key("p256")  # TEST KEY
RSA_SMALL = make_key("rsa1024")  # TEST KEY, too short for the contract


def vector(
    name: str,
    tok: Optional[str],
    keys: Any,
    status: int = 200,
    code: Optional[str] = None,
    **request: Any,
) -> Dict[str, Any]:
    return {
        "name": name,
        "request": {
            "authorization": bearer(tok) if tok is not None else None,
            "secret": TEST_SECRET,
            "now": NOW,
            "issuer": ISSUER,
            "audience": AUDIENCE,
            "profile": "jwks",
            "keys": keys,
            **request,
        },
        "expected": {"status": status, "code": code, "wwwAuthenticate": None, "error": None},
    }


def key_set(*keys: Dict[str, Any]) -> Dict[str, Any]:
    return {"keys": list(keys)}


VECTORS: List[Dict[str, Any]] = [
    vector("valid", signed(ED, kid="k1"), key_set(public_jwk(ED, "k1", alg="EdDSA", use="sig"))),
    # The same kid with another key right after: passes only if nothing is cached from the vector before.
    vector("same-kid-new-key", signed(ED_OTHER, kid="k1"), key_set(public_jwk(ED_OTHER, "k1"))),
    vector("es256", signed(P256, alg="ES256", kid="p1"), key_set(public_jwk(P256, "p1")), algorithm="ES256"),
    # The configured algorithm is what decode allows, not the token's.
    vector("eddsa-token-es256-backend", signed(ED, kid="k1"), key_set(public_jwk(ED, "k1")), 401, "unsupported_alg", algorithm="ES256"),
    vector("ed25519-name", signed(ED, alg="Ed25519", kid="k1"), key_set(public_jwk(ED, "k1"))),
    vector("key-ops-sign", signed(ED, kid="k1"), key_set(public_jwk(ED, "k1", key_ops=["sign"])), 401, "unknown_key"),
    vector(
        "use-enc",
        signed(ED, kid="enc"),
        key_set(public_jwk(ED, "enc", use="enc"), public_jwk(ED_OTHER, "k2")),
        401,
        "unknown_key",
    ),
    vector("unknown-kid", signed(ED, kid="gone"), key_set(public_jwk(ED, "k1")), 401, "unknown_key"),
    vector("rsa-1024", signed(RSA_SMALL, alg="RS256", kid="r1"), key_set(public_jwk(RSA_SMALL, "r1")), 401, "unknown_key", algorithm="RS256"),
    vector(
        "embedded-jwk",
        signed(ED_OTHER, head={"alg": "EdDSA", "kid": "attacker", "jwk": public_jwk(ED_OTHER, "attacker")}),
        key_set(public_jwk(ED, "k1")),
        401,
        "unknown_key",
    ),
    vector("hs256-token", token(), key_set(public_jwk(ED, "k1")), 401, "unsupported_alg"),
    vector("expired", signed(ED, kid="k1", payload=claims(iat=NOW - 1000, exp=NOW - 100)), key_set(public_jwk(ED, "k1")), 401, "token_expired"),
    vector("missing-email", signed(ED, kid="k1", payload=claims(email=DELETE)), key_set(public_jwk(ED, "k1")), 401, "missing_claim"),
    vector("basic-scheme", None, key_set(public_jwk(ED, "k1")), 401, "missing_token", authorization="Basic abc"),
    # Not run: not the jwks profile, no key set, or not exactly one header.
    vector("unavailable", signed(ED, kid="k1"), "unavailable", 503, "keys_unavailable"),
    vector("no-keys", signed(ED, kid="k1"), None, 500, "server_misconfigured"),
    vector("both-profile", signed(ED, kid="k1"), key_set(public_jwk(ED, "k1")), profile="both"),
    vector("hs256-profile", token(), key_set(public_jwk(ED, "k1")), profile="hs256"),
    vector("two-headers", None, key_set(public_jwk(ED, "k1")), 400, "multiple_credentials", authorization=[bearer(signed(ED, kid="k1"))] * 2),
]


def run_script(path: Path) -> List[Dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "tools.pyjwk_client_defaults", str(path)],
        cwd=APP_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Dict[str, Any]]:
    path = tmp_path_factory.mktemp("vectors") / "vectors.json"
    path.write_text(json.dumps({"contract": "v1.1", "vectors": VECTORS}), encoding="utf-8")
    lines = run_script(path)
    assert lines[0] == {"pyjwt_version": jwt.__version__}
    return {line["name"]: line for line in lines[1:]}


def test_runs_only_single_header_jwks_vectors_with_a_key_set(results: Dict[str, Dict[str, Any]]) -> None:
    assert list(results) == [v["name"] for v in VECTORS[:14]]
    assert all(set(line) == {"name", "expected", "pyjwt", "error"} for line in results.values())
    assert all((line["pyjwt"] == "accept") == (line["error"] is None) for line in results.values())


def test_accepts_what_tutorials_accept(results: Dict[str, Dict[str, Any]]) -> None:
    # Accepted only because the clock is frozen at the vector's `now` (2026-01-01, exp 15 minutes later).
    assert results["valid"] == {"name": "valid", "expected": "accept", "pyjwt": "accept", "error": None}
    # A fresh client and the swapped document: the second key with the same kid is the one used.
    assert results["same-kid-new-key"]["pyjwt"] == "accept"
    assert results["es256"]["pyjwt"] == "accept"


def test_the_configured_algorithm_is_the_only_one_allowed(results: Dict[str, Dict[str, Any]]) -> None:
    assert results["eddsa-token-es256-backend"]["error"] == "InvalidAlgorithmError"
    # RFC 9864's name for the same algorithm is refused when the backend is configured for EdDSA.
    assert (results["ed25519-name"]["expected"], results["ed25519-name"]["error"]) == ("accept", "InvalidAlgorithmError")
    assert results["hs256-token"]["pyjwt"] == "reject"


def test_what_pyjwkclient_checks_in_the_key_set(results: Dict[str, Dict[str, Any]]) -> None:
    # key_ops is not looked at: a sign-only key verifies.
    assert (results["key-ops-sign"]["expected"], results["key-ops-sign"]["pyjwt"]) == ("reject", "accept")
    # use is: an "enc" key is not a signing key.
    assert results["use-enc"]["error"] == "PyJWKClientError"
    assert results["unknown-kid"]["error"] == "PyJWKClientError"
    # Nor is the key size: an RSA key of 1024 bits verifies.
    assert (results["rsa-1024"]["expected"], results["rsa-1024"]["pyjwt"]) == ("reject", "accept")
    # The token's own jwk is never used: its kid is looked up in the served set.
    assert results["embedded-jwk"]["error"] == "PyJWKClientError"


def test_claims_as_plain_decode_checks_them(results: Dict[str, Dict[str, Any]]) -> None:
    assert results["expired"]["error"] == "ExpiredSignatureError"
    assert (results["missing-email"]["expected"], results["missing-email"]["pyjwt"]) == ("reject", "accept")
    assert results["basic-scheme"] == {"name": "basic-scheme", "expected": "reject", "pyjwt": "reject", "error": "HTTPBearer"}


def test_fixture_has_no_key_set_vectors() -> None:
    assert run_script(FIXTURE) == [{"pyjwt_version": jwt.__version__}]


def test_one_fetch_per_vector_from_a_fresh_client() -> None:
    server = pyjwk_client_defaults.KeySetServer()
    try:
        for expected_requests, v in enumerate(VECTORS[:3], start=1):
            assert pyjwk_client_defaults.run_vector(v, server)["pyjwt"] == "accept"  # type: ignore[index]
            assert server.requests == expected_requests
        unavailable = next(v for v in VECTORS if v["name"] == "unavailable")
        assert pyjwk_client_defaults.run_vector(unavailable, server) is None  # not run, not fetched
        assert server.requests == 3
    finally:
        server.close()


def test_one_unloadable_key_in_the_set() -> None:
    """A set with an X25519 key next to the right one: PyJWT 2.6's PyJWKSet raises on it, later versions skip it."""
    server = pyjwk_client_defaults.KeySetServer()
    try:
        keys = key_set({"kty": "OKP", "crv": "X25519", "x": public_jwk(ED, "x")["x"], "kid": "x"}, public_jwk(ED, "k1"))
        result = pyjwk_client_defaults.run_vector(vector("mixed-set", signed(ED, kid="k1"), keys), server)
    finally:
        server.close()
    assert result is not None
    version = tuple(int(part) for part in jwt.__version__.split(".")[:2])
    if version <= (2, 6):
        assert (result["pyjwt"], result["error"]) == ("reject", "InvalidKeyError")
    elif version >= (2, 15):
        assert (result["pyjwt"], result["error"]) == ("accept", None)
