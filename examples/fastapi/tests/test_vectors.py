"""Cross-implementation check against the conformance vectors.

public/vectors.json (generated from the TypeScript verdict engine) is run
through the pure Python verifier, vector by vector, whenever it exists. The
small fixture in tests/fixtures/ always runs, so the loader itself is tested
even before the real file exists. With REQUIRE_VECTORS=1 (CI) a missing
public/vectors.json is a failure. VECTORS_PATH overrides the file's location.
"""

import json
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from tools.verdict_request import verdict_for_request
from verifier import DETAILS, KEY_SET_CHECKS, KEY_SET_CODES, OUTCOME_TABLE, OUTCOMES

# VECTORS_PATH points elsewhere if needed; the default is the repository's public/vectors.json.
REAL_VECTORS = Path(os.environ.get("VECTORS_PATH") or Path(__file__).resolve().parents[3] / "public" / "vectors.json")
FIXTURE_VECTORS = Path(__file__).resolve().parent / "fixtures" / "vectors.sample.json"
REQUIRED = os.environ.get("REQUIRE_VECTORS") == "1"


def load(path: Path) -> Dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


SOURCES: List[Tuple[str, Path]] = [("fixture", FIXTURE_VECTORS)]
if REAL_VECTORS.exists():
    SOURCES.append(("public", REAL_VECTORS))
DOCUMENTS = {label: load(path) for label, path in SOURCES}


def error_attribute(www_authenticate: Optional[str]) -> Optional[str]:
    match = re.search(r'error="([^"]*)"', www_authenticate or "")
    return match.group(1) if match else None


VECTOR_PARAMS = [
    pytest.param(vector, id=f"{label}:{vector['name']}") for label, doc in DOCUMENTS.items() for vector in doc["vectors"]
]
OUTCOME_PARAMS = [pytest.param(doc, id=label) for label, doc in DOCUMENTS.items()]


@pytest.mark.parametrize("vector", VECTOR_PARAMS)
def test_vector(vector: Dict[str, Any]) -> None:
    expected = vector["expected"]
    result = verdict_for_request(vector["request"])
    assert (result["status"], result["code"], result["wwwAuthenticate"]) == (
        expected["status"],
        expected["code"],
        expected["wwwAuthenticate"],
    ), vector.get("title", vector["name"])
    assert error_attribute(result["wwwAuthenticate"]) == expected.get("error")
    if "check" in expected:  # v1.1 vectors name the failing check
        assert result["check"] == expected["check"], vector.get("title", vector["name"])
    if result["body"] is not None:
        assert result["body"] == {"detail": DETAILS[(result["code"], result["check"])], "code": result["code"]}


@pytest.mark.parametrize("doc", OUTCOME_PARAMS)
def test_outcomes_match(doc: Dict[str, Any]) -> None:
    """Our fixed status, WWW-Authenticate and detail per code equal the published ones."""
    assert doc["contract"] in {"v1", "v1.1"}
    published = {o["code"]: (o["status"], o["wwwAuthenticate"], o["detail"]) for o in doc["outcomes"] if o.get("check", "secret") not in KEY_SET_CHECKS}
    # The key-set answers (jwks profile) count only once a document publishes them.
    ours = {code: outcome for code, outcome in OUTCOMES.items() if code in published or code not in KEY_SET_CODES}
    assert published == ours
    in_order = sorted(doc["outcomes"], key=lambda o: o["order"])  # stable: ties keep the document's order
    assert [o["code"] for o in in_order if o.get("check", "secret") not in KEY_SET_CHECKS] == list(ours)
    # Every (code, check) published, with its status, challenge and detail, in the contract's order.
    if all("check" in o for o in doc["outcomes"]):
        rows = [(o["check"], o["code"], o["status"], o["wwwAuthenticate"], o["detail"]) for o in in_order]
        key_set_published = any(o["check"] in KEY_SET_CHECKS for o in doc["outcomes"])
        assert rows == [row for row in OUTCOME_TABLE if key_set_published or row[0] not in KEY_SET_CHECKS]


def test_real_vectors_present_when_required() -> None:
    assert REAL_VECTORS.exists() or not REQUIRED, f"REQUIRE_VECTORS=1 but {REAL_VECTORS} does not exist"
    if REQUIRED:
        assert "public" in DOCUMENTS and DOCUMENTS["public"]["vectors"]


def test_fixture_covers_every_request_shape() -> None:
    """The fixture keeps the loader honest: string, list and null authorization, optional keys."""
    requests = [vector["request"] for vector in DOCUMENTS["fixture"]["vectors"]]
    kinds = {type(request["authorization"]).__name__ for request in requests}
    assert kinds == {"str", "list", "NoneType"}
    assert any("leeway" not in request for request in requests)
    assert any(request.get("secret") is None for request in requests)
    assert any("requiredRole" in request and "pathUserId" in request for request in requests)
    assert {vector["expected"]["status"] for vector in DOCUMENTS["fixture"]["vectors"]} == {200, 400, 401, 403, 500}
