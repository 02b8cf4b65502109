"""tools/pyjwt_defaults.py: plain PyJWT over vectors, with its clock frozen."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import jwt
import pytest

from tokens import AUDIENCE, ISSUER, NOW, TEST_SECRET, b64url, bearer, claims, header, segment, signature, token
from tools import pyjwt_defaults

APP_DIR = Path(__file__).resolve().parents[2]
FIXTURE = APP_DIR / "tests" / "fixtures" / "vectors.sample.json"


def run_script(path: Path) -> List[Dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "tools.pyjwt_defaults", str(path)],
        cwd=APP_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_fixture_results() -> None:
    lines = run_script(FIXTURE)
    assert lines[0] == {"pyjwt_version": jwt.__version__}
    results = {line["name"]: line for line in lines[1:]}
    # Duplicate headers and a missing header are not single-header vectors.
    assert set(results) == {
        "valid-token",
        "aud-ignored-when-not-configured",
        "alg-none-lowercase",
        "role-missing-admin",
        "no-secret-configured",
    }
    assert all(set(line) == {"name", "expected", "pyjwt", "error"} for line in results.values())
    # Accepted only because the clock is frozen at the vector's `now` (2026-01-01).
    assert results["valid-token"] == {"name": "valid-token", "expected": "accept", "pyjwt": "accept", "error": None}
    # Where PyJWT's defaults differ from the contract:
    assert results["aud-ignored-when-not-configured"]["expected"] == "accept"
    assert results["aud-ignored-when-not-configured"]["pyjwt"] == "reject"
    assert results["aud-ignored-when-not-configured"]["error"] == "InvalidAudienceError"
    assert results["alg-none-lowercase"]["error"] == "InvalidAlgorithmError"
    assert (results["role-missing-admin"]["expected"], results["role-missing-admin"]["pyjwt"]) == ("reject", "accept")
    assert results["no-secret-configured"]["pyjwt"] == "reject" and results["no-secret-configured"]["error"]


def test_clock_freeze_works_on_this_pyjwt() -> None:
    assert pyjwt_defaults.clock_freeze_works()


def test_frozen_clock_is_restored() -> None:
    old = jwt.encode({"exp": 1_000_000_100}, TEST_SECRET, algorithm="HS256")
    with pyjwt_defaults.frozen_pyjwt_clock(1_000_000_000):
        assert jwt.decode(old, TEST_SECRET, algorithms=["HS256"]) == {"exp": 1_000_000_100}
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(old, TEST_SECRET, algorithms=["HS256"])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Bearer abc", "abc"),
        ("bearer abc", "abc"),
        ("  Bearer abc\t", "abc"),
        ("Bearer  abc", " abc"),  # HTTPBearer keeps the extra space
        ("Basic abc", None),
        ("Bearer", None),
        ("", None),
    ],
)
def test_bearer_token_like_httpbearer(value: str, expected: Any) -> None:
    assert pyjwt_defaults.bearer_token(value) == expected


def hostile_vector(name: str, authorization: Any, **request: Any) -> Dict[str, Any]:
    return {
        "name": name,
        "request": {
            "authorization": authorization,
            "secret": TEST_SECRET,
            "now": NOW,
            "issuer": ISSUER,
            "audience": AUDIENCE,
            **request,
        },
        "expected": {"status": 401, "code": "malformed_token", "wwwAuthenticate": None, "error": None},
    }


def raw(payload: bytes) -> str:
    h = segment({"alg": "HS256", "typ": "JWT"})
    p = b64url(payload)
    return f"{h}.{p}.{signature(h, p)}"


def test_never_crashes_on_hostile_vectors(tmp_path: Path) -> None:
    base = json.dumps(claims(), separators=(",", ":"))[:-1]
    vectors = [
        hostile_vector("nan", bearer(raw((base + ',"x":NaN}').encode()))),
        hostile_vector("deep", bearer(raw((base + ',"x":' + "[" * 5000 + "]" * 5000 + "}").encode()))),
        hostile_vector("utf8", bearer(raw(base.encode() + b',"x":"\xff"}'))),
        hostile_vector("iat-1e400", bearer(raw((base + ',"iat":1e400}').encode()))),
        hostile_vector("iat-bool", bearer(token(claims(iat=True)))),
        hostile_vector("huge", bearer("a" * (1 << 20))),
        hostile_vector("crit", bearer(token(head=header(crit=["exp"])))),
        hostile_vector("jwk-shaped-secret", bearer(token(secret='{"kty":"oct","k":"AA"}')), secret='{"kty":"oct","k":"AA"}'),
        hostile_vector("leeway-string", bearer(token()), leeway="30"),
        hostile_vector("one-header-list", [bearer(token())]),
        hostile_vector("two-headers", [bearer(token()), bearer(token())]),
    ]
    path = tmp_path / "vectors.json"
    path.write_text(json.dumps({"contract": "v1", "vectors": vectors}), encoding="utf-8")
    lines = run_script(path)
    results = {line["name"]: line for line in lines[1:]}
    assert set(results) == {v["name"] for v in vectors} - {"two-headers"}
    assert all(line["pyjwt"] in {"accept", "reject"} for line in results.values())
    # Contract differences that hold on PyJWT 2.6 and 2.15 alike:
    assert results["nan"]["pyjwt"] == "accept"  # Python's json reads the NaN literal
    assert results["iat-bool"]["pyjwt"] == "accept"  # true is an int to Python
    for name in ("deep", "utf8", "iat-1e400", "huge", "crit"):
        assert results[name]["pyjwt"] == "reject" and results[name]["error"], name
    assert results["one-header-list"]["pyjwt"] == "accept"
    assert results["leeway-string"]["pyjwt"] == "accept"  # read as the default 30, like the engine
