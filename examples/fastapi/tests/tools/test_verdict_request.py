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


def test_key_set_fields() -> None:
    from jwks_keys import make_key, public_jwk, signed

    key = make_key("ed25519")  # TEST KEY
    tok = signed(key, kid="k1")
    base = {"authorization": bearer(tok), "now": NOW, "profile": "jwks", "keys": {"keys": [public_jwk(key, "k1")]}}
    assert verdict_for_request(base)["status"] == 200
    assert verdict_for_request({**base, "algorithm": "Ed25519"})["status"] == 200
    assert verdict_for_request({**base, "algorithm": "ES256"})["code"] == "unsupported_alg"
    assert verdict_for_request({**base, "algorithm": 5})["status"] == 200  # not a string: the default EdDSA
    configured_hs256 = verdict_for_request({**base, "algorithm": "HS256"})  # not a key-set alg: misconfigured
    assert (configured_hs256["status"], configured_hs256["check"]) == (500, "key-source")
    unavailable = verdict_for_request({**base, "keys": "unavailable"})
    assert (unavailable["status"], unavailable["code"], unavailable["check"], unavailable["wwwAuthenticate"]) == (
        503,
        "keys_unavailable",
        "key",
        None,
    )
    for absent in ({k: v for k, v in base.items() if k != "keys"}, {**base, "keys": None}):
        missing = verdict_for_request(absent)
        assert (missing["status"], missing["check"]) == (500, "key-source")
    for unusable in (5, {"k": []}, [], "garbage"):  # not a JWK Set: a set the backend cannot use
        assert verdict_for_request({**base, "keys": unusable})["code"] == "keys_unavailable"
    assert verdict_for_request({**base, "keys": {"keys": []}})["code"] == "unknown_key"
    # hs256 (default, or an unknown profile) ignores keys; both needs the secret too.
    assert verdict_for_request({**base, "profile": None})["check"] == "secret"
    assert verdict_for_request({**base, "profile": "JWKS"})["check"] == "secret"
    assert verdict_for_request({**base, "profile": "both"})["check"] == "key-source"  # no secret
    assert verdict_for_request({**base, "profile": "both", "secret": TEST_SECRET})["status"] == 200
    assert verdict_for_request({**base, "profile": "both", "secret": TEST_SECRET, "authorization": bearer(token())})["status"] == 200


def test_read_profile_fields() -> None:
    r = read_verdict_request({"now": 1, "profile": "both", "algorithm": "PS256", "keys": "unavailable"})
    assert (r.settings.profile, r.settings.algorithm, r.keys is not None) == ("both", "PS256", True)
    r = read_verdict_request({"now": 1})
    assert (r.settings.profile, r.settings.algorithm, r.keys) == ("hs256", "EdDSA", None)
