"""tools/verdict_request.py: the verdict request read the way the TypeScript engine reads it."""

from typing import Any, List

import pytest

from tokens import NOW, TEST_SECRET, bearer, token
from tools.verdict_request import read_verdict_request, verdict_for_request


@pytest.mark.parametrize(
    "authorization, expected",
    [
        (None, []),
        ("Bearer x", ["Bearer x"]),
        (["Bearer x"], ["Bearer x"]),
        (["a", "b"], ["a", "b"]),
        (["a", 1, None], ["a", "1", "None"]),
        ([1], []),
        ([], []),
        (42, []),
    ],
)
def test_authorization_shapes(authorization: Any, expected: List[str]) -> None:
    assert read_verdict_request({"authorization": authorization, "now": 1}).authorization == expected


def test_request_fields_are_read_like_the_typescript_engine() -> None:
    r = read_verdict_request({"secret": 7, "now": 5, "leeway": "10", "issuer": "", "audience": 3, "pathUserId": "u"})
    assert r.settings.secret is None and r.settings.issuer is None and r.settings.audience is None
    assert (r.now, r.settings.leeway, r.path_user_id, r.required_role) == (5, 30, "u", None)
    r = read_verdict_request({"secret": "s", "now": 5.5, "leeway": 0, "issuer": "i", "requiredRole": "admin"})
    assert (r.settings.secret, r.now, r.settings.leeway, r.settings.issuer, r.required_role) == ("s", 5.5, 0, "i", "admin")
    assert read_verdict_request({"leeway": True, "now": 1}).settings.leeway == 30


def test_verdict_for_request_answers_with_the_check() -> None:
    ok = verdict_for_request({"authorization": bearer(token()), "secret": TEST_SECRET, "now": NOW})
    assert ok == {"status": 200, "code": None, "check": None, "wwwAuthenticate": None, "body": None}
    missing = verdict_for_request({"authorization": None, "secret": TEST_SECRET, "now": NOW})
    assert (missing["status"], missing["code"], missing["check"]) == (401, "missing_token", "bearer")
    unset = verdict_for_request({"authorization": None, "now": NOW})
    assert (unset["status"], unset["check"], unset["wwwAuthenticate"]) == (500, "secret", None)
