"""verifier.py: the contract table, row by row, through the pure verifier (no HTTP).

Every case names the outcome it expects; the status, WWW-Authenticate,
detail and check id for each code are spelled out again here, independently
of verifier.OUTCOMES and verifier.CHECKS, so a typo on either side fails.
"""

import base64
import dataclasses
import json
from typing import Any, Dict, List, Optional

import pytest

from verifier import CHECKS, MAX_JSON_DEPTH, OUTCOMES, AuthError, Verdict, evaluate, verdict, verify_authorization
from settings import Settings
from tokens import (
    AUDIENCE,
    DELETE,
    HEADER,
    ISSUER,
    NOW,
    TEST_SECRET,
    USER_ID,
    b64url,
    bearer,
    claims,
    header,
    segment,
    signature,
    token,
)

INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"'
SCOPE = 'Bearer realm="api", error="insufficient_scope"'
EXPECTED: Dict[str, Any] = {
    "server_misconfigured": (500, None, "The server has no BETTER_AUTH_SECRET configured."),
    "duplicate_credentials": (
        400,
        'Bearer realm="api", error="invalid_request"',
        "Send exactly one Authorization header.",
    ),
    "missing_token": (401, 'Bearer realm="api"', "Send an Authorization: Bearer <token> header."),
    "malformed_token": (
        401,
        INVALID_TOKEN,
        "The token is not a well-formed JWS (three base64url segments with JSON header and payload).",
    ),
    "unsupported_alg": (401, INVALID_TOKEN, "The token is signed with an algorithm this API does not accept."),
    "invalid_header": (401, INVALID_TOKEN, "The token header is not acceptable (a crit parameter, or no key id on the key-set path)."),
    "keys_unavailable": (503, None, "The key set cannot be fetched right now; try again later."),
    "unknown_key": (
        401,
        INVALID_TOKEN,
        "No key of the key set fits the token (unknown kid, or a key that cannot verify this algorithm).",
    ),
    "bad_signature": (401, INVALID_TOKEN, "The token signature does not match."),
    "missing_claim": (401, INVALID_TOKEN, "The token lacks a required claim (sub, email, iat, exp)."),
    "invalid_claim": (401, INVALID_TOKEN, "A token claim has the wrong type."),
    "token_expired": (401, INVALID_TOKEN, "The token has expired."),
    "token_not_yet_valid": (401, INVALID_TOKEN, "The token is not valid yet (iat or nbf is in the future)."),
    "wrong_issuer": (401, INVALID_TOKEN, "The token was issued by another issuer."),
    "wrong_audience": (401, INVALID_TOKEN, "The token is meant for another audience."),
    "user_mismatch": (403, SCOPE, "The token's user may not access this user's resources."),
    "insufficient_role": (403, SCOPE, "The token lacks the role this route requires."),
}

# code -> the contract's stable check id (v1.1).
EXPECTED_CHECK: Dict[str, str] = {
    "server_misconfigured": "secret",
    "duplicate_credentials": "single-credential",
    "missing_token": "bearer",
    "malformed_token": "structure",
    "unsupported_alg": "alg",
    "invalid_header": "crit",
    "keys_unavailable": "key",
    "unknown_key": "key",
    "bad_signature": "signature",
    "missing_claim": "claims-present",
    "invalid_claim": "claim-types",
    "token_expired": "expiry",
    "token_not_yet_valid": "not-before",
    "wrong_issuer": "issuer",
    "wrong_audience": "audience",
    "user_mismatch": "user",
    "insufficient_role": "role",
}

BASE = Settings(secret=TEST_SECRET, issuer=ISSUER, audience=AUDIENCE, leeway=30)
OK = token()


def raw_token(payload_bytes: bytes, head: Any = None, secret: str = TEST_SECRET) -> str:
    """Signed token whose payload segment encodes exactly ``payload_bytes``."""
    h = segment(HEADER if head is None else head)
    p = b64url(payload_bytes)
    return f"{h}.{p}.{signature(h, p, secret)}"


def payload_text(extra: str) -> bytes:
    """Valid claims as JSON text with ``extra`` (raw JSON members) appended."""
    text = json.dumps(claims(), separators=(",", ":"))
    return (text[:-1] + "," + extra + "}").encode("utf-8")


def with_signature(tok: str, sig: str) -> str:
    return tok.rsplit(".", 1)[0] + "." + sig


def flip_first_signature_bit(tok: str) -> str:
    sig = bytearray(base64.urlsafe_b64decode(tok.rsplit(".", 1)[1] + "="))
    sig[0] ^= 0x01
    return with_signature(tok, b64url(bytes(sig)))


def noncanonical_last_char(seg: str) -> str:
    """Same decoded bytes, but non-zero unused trailing bits."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    index = alphabet.index(seg[-1])
    return seg[:-1] + alphabet[index + 1]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


SIG = OK.rsplit(".", 1)[1]
SIG_BYTES = base64.urlsafe_b64decode(SIG + "=")
assert len(SIG) % 4 == 3  # 32 bytes -> 43 chars: the last char has 2 unused bits
STD_B64_PAYLOAD = base64.b64encode(payload_text('"x":"?????????~~~~~~~~~"')).decode().rstrip("=")
assert "+" in STD_B64_PAYLOAD and "/" in STD_B64_PAYLOAD
_h = segment(HEADER)
STD_B64_TOKEN = f"{_h}.{STD_B64_PAYLOAD}.{signature(_h, STD_B64_PAYLOAD)}"
_p = segment(claims(pad="xx"))
NONCANONICAL_PAYLOAD_TOKEN = f"{_h}.{noncanonical_last_char(_p)}.{signature(_h, noncanonical_last_char(_p))}"
assert len(_p) % 4 != 0 and base64.urlsafe_b64decode(noncanonical_last_char(_p) + "==") == base64.urlsafe_b64decode(
    _p + "=="
)
UTF8_SECRET = "ключ-секрет-0123456789-ключ-секрет"  # test secret only
OTHER_SECRET = "another-secret-0123456789abcdefghijkl"  # test secret only
JWK = {"kty": "oct", "k": "AA"}
B64_SECRET = "c2VjcmV0LWJ5dGVzLWZvci10aGUtdGVzdC0wMTIzNDU2Nzg5YWJjZGVm"  # test secret only


def case(code: Optional[str], authorization: Any, id: str, **options: Any) -> Any:
    if isinstance(authorization, str):
        authorization = [authorization]
    return pytest.param(authorization, code, options, id=id)


CASES: List[Any] = [
    # --- 0: secret configured --------------------------------------------------
    case("server_misconfigured", bearer(OK), "0-no-secret", secret=None),
    case("server_misconfigured", bearer(OK), "0-empty-secret", secret=""),
    case("server_misconfigured", bearer(OK), "0-empty-bytes-secret", secret=b""),
    case("server_misconfigured", [], "0-before-1-no-header", secret=None),
    case("server_misconfigured", [bearer(OK), bearer(OK)], "0-before-1-duplicates", secret=""),
    # --- 1: one credential -----------------------------------------------------
    case("duplicate_credentials", [bearer(OK), bearer(OK)], "1-two-equal-valid-headers"),
    case("duplicate_credentials", ["", ""], "1-two-empty-headers"),
    case("duplicate_credentials", ["Basic abc", "garbage"], "1-two-invalid-headers"),
    case("duplicate_credentials", [bearer(OK)] * 3, "1-three-headers"),
    # --- 2: header present, scheme Bearer, non-empty token --------------------
    case("missing_token", [], "2-no-header"),
    case("missing_token", "", "2-empty-value"),
    case("missing_token", " \t ", "2-whitespace-only"),
    case("missing_token", "Bearer", "2-scheme-only"),
    case("missing_token", "Bearer    ", "2-scheme-and-spaces"),
    case("missing_token", "Basic dXNlcjpwYXNz", "2-basic-scheme"),
    case("missing_token", "Token " + OK, "2-other-scheme"),
    case("missing_token", "Bearer" + OK, "2-no-space"),
    case("missing_token", "Bearer\t" + OK, "2-tab-is-not-a-separator"),
    case("missing_token", "Bearer\u00a0" + OK, "2-nbsp-is-not-a-separator"),
    case("missing_token", "B\u0435arer " + OK, "2-cyrillic-e-in-scheme"),
    case("missing_token", OK, "2-token-without-scheme"),
    case(None, "bearer " + OK, "2-lowercase-bearer"),
    case(None, "BEARER " + OK, "2-uppercase-bearer"),
    case(None, "bEaReR " + OK, "2-mixed-case-bearer"),
    case(None, "Bearer     " + OK, "2-several-spaces"),
    case(None, " \t Bearer " + OK + " \t", "2-surrounding-sp-htab-trimmed"),
    case("missing_token", "\nBearer " + OK, "2-v1.1-leading-newline-not-trimmed"),
    case("missing_token", "\u00a0Bearer " + OK, "2-v1.1-leading-nbsp-not-trimmed"),
    case("missing_token", "\u3000Bearer " + OK, "2-v1.1-leading-ideographic-space-not-trimmed"),
    case("missing_token", "\x0bBearer " + OK, "2-v1.1-leading-vertical-tab-not-trimmed"),
    case("missing_token", "Bearer\n" + OK, "2-v1.1-newline-is-not-a-separator"),
    case("missing_token", "Bearer \t ", "2-v1.1-scheme-then-sp-htab-is-empty"),
    # --- 3: three canonical base64url segments, JSON objects ------------------
    case("malformed_token", "Bearer \t" + OK, "3-tab-after-spaces"),
    case("malformed_token", "Bearer " + OK + " extra", "3-space-inside-token"),
    case("malformed_token", "Bearer " + OK + "\n", "3-trailing-newline-not-trimmed"),
    case("malformed_token", "Bearer " + OK + "\r\n", "3-v1.1-trailing-crlf-not-trimmed"),
    case("malformed_token", "Bearer " + OK + "\u00a0", "3-v1.1-trailing-nbsp-not-trimmed"),
    case("malformed_token", "Bearer " + OK + "\x0c", "3-v1.1-trailing-form-feed-not-trimmed"),
    case("malformed_token", "Bearer " + OK + "\u2028", "3-v1.1-trailing-line-separator-not-trimmed"),
    case("malformed_token", "Bearer \u00a0" + OK, "3-v1.1-nbsp-after-the-space"),
    case("malformed_token", "Bearer " + OK[:20] + "\n" + OK[20:], "3-v1.1-newline-inside-token"),
    case("malformed_token", "Bearer " + OK[:20] + "\t" + OK[20:], "3-v1.1-tab-inside-token"),
    case("malformed_token", "Bearer abc", "3-one-segment"),
    case("malformed_token", "Bearer " + OK.rsplit(".", 1)[0], "3-two-segments"),
    case("malformed_token", "Bearer " + OK + ".", "3-four-segments-empty"),
    case("malformed_token", "Bearer " + OK + "." + SIG, "3-four-segments"),
    case("malformed_token", "Bearer ." + OK.split(".", 1)[1], "3-empty-header"),
    case("malformed_token", "Bearer " + _h + ".." + SIG, "3-empty-payload"),
    case("malformed_token", "Bearer ..", "3-only-dots"),
    case("malformed_token", "Bearer " + OK + "=", "3-padding-on-signature"),
    case("malformed_token", "Bearer " + _h + "==." + OK.split(".", 1)[1], "3-padding-on-header"),
    case("malformed_token", "Bearer " + with_signature(OK, "+" + SIG[1:]), "3-plus-in-signature"),
    case("malformed_token", "Bearer " + with_signature(OK, "/" + SIG[1:]), "3-slash-in-signature"),
    case("malformed_token", "Bearer " + STD_B64_TOKEN, "3-standard-base64-payload-signed"),
    case("malformed_token", "Bearer " + with_signature(OK, noncanonical_last_char(SIG)), "3-noncanonical-signature"),
    case("malformed_token", "Bearer " + NONCANONICAL_PAYLOAD_TOKEN, "3-noncanonical-payload-signed"),
    case("malformed_token", "Bearer " + with_signature(OK, "AAAAA"), "3-segment-length-mod-4-is-1"),
    case("malformed_token", "Bearer \u00fc.\u00fc.\u00fc", "3-non-ascii-token"),
    case("malformed_token", "Bearer a\x00b.c.d", "3-nul-in-token"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":NaN')), "3-nan-literal"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":Infinity')), "3-infinity-literal"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":-Infinity')), "3-minus-infinity-literal"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":"@"').replace(b"@", b"\xff")), "3-invalid-utf8"),
    case(
        "malformed_token",
        "Bearer " + raw_token(payload_text('"x":"@"').replace(b"@", b"\xed\xa0\x80")),
        "3-utf8-encoded-surrogate",
    ),
    case("malformed_token", "Bearer " + raw_token(b"\xef\xbb\xbf" + payload_text('"x":1')), "3-utf8-bom"),
    case("malformed_token", "Bearer " + raw_token(json.dumps(claims()).encode("utf-16")), "3-utf16-json"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":1,')), "3-trailing-comma"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":1/*c*/')), "3-comment"),
    case("malformed_token", "Bearer " + raw_token(b"{'sub':'x'}"), "3-single-quotes"),
    case("malformed_token", "Bearer " + raw_token(b"[1,2]"), "3-payload-array"),
    case("malformed_token", "Bearer " + raw_token(b'"claims"'), "3-payload-string"),
    case("malformed_token", "Bearer " + raw_token(b"1767225600"), "3-payload-number"),
    case("malformed_token", "Bearer " + raw_token(b"null"), "3-payload-null"),
    case("malformed_token", "Bearer " + token(head='["HS256"]'), "3-header-array"),
    case("malformed_token", "Bearer " + token(head=b"not json"), "3-header-not-json"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":' + nested(5000))), "3-deep-nesting-5000"),
    case("malformed_token", "Bearer " + token(head='{"alg":"HS256","x":' + nested(5000) + "}"), "3-deep-nesting-header"),
    case("malformed_token", "Bearer " + raw_token(payload_text('"x":' + nested(MAX_JSON_DEPTH))), "3-depth-limit-plus-one"),
    case(None, "Bearer " + raw_token(payload_text('"x":' + nested(MAX_JSON_DEPTH - 1))), "3-depth-at-limit"),
    case(None, "Bearer " + raw_token(payload_text('"x":"' + "[" * 5000 + '"')), "3-brackets-inside-strings"),
    case(None, "Bearer " + raw_token(payload_text('"x":1' + "0" * 5000)), "3-5000-digit-int-elsewhere"),
    case(None, "Bearer " + raw_token(payload_text('"x":1e400')), "3-1e400-elsewhere"),
    case("invalid_claim", "Bearer " + raw_token(payload_text('"sub":""')), "3-duplicate-key-last-wins"),
    # --- 4: alg is HS256 ------------------------------------------------------
    case("unsupported_alg", "Bearer " + with_signature(token(head=header(alg="none")), ""), "4-alg-none-empty-sig"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="none")), "4-alg-none"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="None")), "4-alg-None"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="hs256")), "4-alg-lowercase"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="HS256 ")), "4-alg-trailing-space"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="HS512")), "4-alg-HS512"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="RS256")), "4-alg-RS256"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="EdDSA")), "4-alg-EdDSA"),
    case("unsupported_alg", "Bearer " + token(head=header(alg=DELETE)), "4-alg-missing"),
    case("unsupported_alg", "Bearer " + token(head=header(alg=None)), "4-alg-null"),
    case("unsupported_alg", "Bearer " + token(head=header(alg=["HS256"])), "4-alg-array"),
    case("unsupported_alg", "Bearer " + token(head=header(alg=256)), "4-alg-number"),
    case("unsupported_alg", "Bearer " + token(head=header(alg="none", crit=["exp"])), "4-before-5"),
    # --- 5: no crit -----------------------------------------------------------
    case("invalid_header", "Bearer " + token(head=header(crit=["exp"])), "5-crit"),
    case("invalid_header", "Bearer " + token(head=header(crit=[])), "5-crit-empty"),
    case("invalid_header", "Bearer " + token(head=header(crit=None)), "5-crit-null"),
    case("invalid_header", "Bearer " + token(head=header(crit=["b64"]), secret="other-secret"), "5-before-6"),
    case(None, "Bearer " + token(head=header(kid="k1", jku="https://evil.example/jwks.json")), "5-kid-jku-ignored"),
    case(None, "Bearer " + token(head=header(x5u="https://evil.example/c", jwk=JWK)), "5-x5u-jwk-ignored"),
    case(None, "Bearer " + token(head=header(typ=DELETE)), "5-typ-missing-ok"),
    case(None, "Bearer " + token(head=header(typ="at+jwt", cty="JWT")), "5-typ-not-checked"),
    # --- 6: signature ---------------------------------------------------------
    case("bad_signature", "Bearer " + token(secret="another-secret-0123456789abcdefghijkl"), "6-other-secret"),
    case("bad_signature", "Bearer " + with_signature(OK, ""), "6-empty-signature"),
    case("bad_signature", "Bearer " + flip_first_signature_bit(OK), "6-flipped-bit"),
    case("bad_signature", "Bearer " + with_signature(OK, b64url(SIG_BYTES[:-3])), "6-truncated-signature"),
    case("bad_signature", "Bearer " + with_signature(OK, b64url(SIG_BYTES + b"\0")), "6-long-signature"),
    case("bad_signature", "Bearer " + with_signature(OK, token(claims(sub="u2")).split(".")[2]), "6-signature-of-other"),
    case("bad_signature", "Bearer " + token(secret=TEST_SECRET + "\n"), "6-token-key-has-newline"),
    case("bad_signature", "Bearer " + OK, "6-server-key-has-newline", secret=TEST_SECRET + "\n"),
    case(None, "Bearer " + token(secret=TEST_SECRET + "\n"), "6-newline-on-both-sides", secret=TEST_SECRET + "\n"),
    case("bad_signature", "Bearer " + token(secret=base64.b64decode(B64_SECRET)), "6-base64-decoded-key", secret=B64_SECRET),
    case(None, "Bearer " + token(secret=B64_SECRET), "6-base64-text-is-the-key", secret=B64_SECRET),
    case(None, "Bearer " + token(secret=UTF8_SECRET), "6-utf8-secret", secret=UTF8_SECRET),
    case(None, "Bearer " + OK, "6-bytes-secret", secret=TEST_SECRET.encode("utf-8")),
    case("bad_signature", "Bearer " + token(claims(sub=DELETE, exp="x"), secret=OTHER_SECRET), "6-before-7"),
    # --- 7: required claims present ------------------------------------------
    case("missing_claim", "Bearer " + token(claims(sub=DELETE)), "7-no-sub"),
    case("missing_claim", "Bearer " + token(claims(email=DELETE)), "7-no-email"),
    case("missing_claim", "Bearer " + token(claims(iat=DELETE)), "7-no-iat"),
    case("missing_claim", "Bearer " + token(claims(exp=DELETE)), "7-no-exp"),
    case("missing_claim", "Bearer " + token(claims(exp=DELETE, sub=123)), "7-before-8"),
    case("missing_claim", "Bearer " + token({}), "7-empty-payload"),
    # --- 8: claim types -------------------------------------------------------
    case("invalid_claim", "Bearer " + token(claims(sub="")), "8-sub-empty"),
    case("invalid_claim", "Bearer " + token(claims(sub=123)), "8-sub-number"),
    case("invalid_claim", "Bearer " + token(claims(sub=None)), "8-sub-null-is-present"),
    case("invalid_claim", "Bearer " + token(claims(email="")), "8-email-empty"),
    case("invalid_claim", "Bearer " + token(claims(email=["a@b.c"])), "8-email-array"),
    case("invalid_claim", "Bearer " + token(claims(iat=str(NOW))), "8-iat-string"),
    case("invalid_claim", "Bearer " + token(claims(iat=True)), "8-iat-true"),
    case("invalid_claim", "Bearer " + token(claims(exp=False)), "8-exp-false"),
    case("invalid_claim", "Bearer " + token(claims(exp=None)), "8-exp-null"),
    case("invalid_claim", "Bearer " + raw_token(payload_text('"iat":1e400')), "8-iat-1e400"),
    case("invalid_claim", "Bearer " + raw_token(payload_text('"exp":-1e400')), "8-exp-minus-1e400"),
    case("invalid_claim", "Bearer " + raw_token(payload_text('"iat":1' + "0" * 400)), "8-iat-400-digit-int"),
    case("invalid_claim", "Bearer " + raw_token(payload_text('"exp":1' + "0" * 5000)), "8-exp-5000-digit-int"),
    case("invalid_claim", "Bearer " + token(claims(nbf="0")), "8-nbf-string"),
    case("invalid_claim", "Bearer " + token(claims(nbf=None)), "8-nbf-null"),
    case("invalid_claim", "Bearer " + token(claims(role=1)), "8-role-number"),
    case("invalid_claim", "Bearer " + token(claims(role=["admin"])), "8-role-array"),
    case("invalid_claim", "Bearer " + token(claims(role=None)), "8-role-null"),
    case("invalid_claim", "Bearer " + token(claims(sub=1, exp=NOW - 3600)), "8-before-9"),
    case(None, "Bearer " + token(claims(iat=NOW + 0.5, exp=NOW + 900.25)), "8-float-times-ok"),
    case(None, "Bearer " + raw_token(payload_text('"exp":1767226500e0')), "8-exponent-notation-ok"),
    case(None, "Bearer " + token(claims(role="")), "8-role-empty-string-ok"),
    case(None, "Bearer " + token(claims(role=DELETE, nbf=NOW)), "8-role-absent-nbf-ok"),
    # --- 9: expiry ------------------------------------------------------------
    case("token_expired", "Bearer " + token(claims(exp=NOW - 30)), "9-now-equals-exp-plus-leeway"),
    case(None, "Bearer " + token(claims(exp=NOW - 29)), "9-one-second-before"),
    case("token_expired", "Bearer " + token(claims(exp=NOW - 3600)), "9-long-expired"),
    case("token_expired", "Bearer " + token(claims(exp=NOW)), "9-leeway-0-at-exp", leeway=0),
    case(None, "Bearer " + token(claims(exp=NOW + 1)), "9-leeway-0-before-exp", leeway=0),
    case("token_expired", "Bearer " + token(claims(exp=NOW - 29.5)), "9-fractional", now=NOW + 0.5),
    case("token_expired", "Bearer " + token(claims(exp=NOW - 100, iat=NOW + 100)), "9-before-10"),
    # --- 10: not from the future ----------------------------------------------
    case(None, "Bearer " + token(claims(iat=NOW + 30)), "10-iat-at-leeway-ok"),
    case("token_not_yet_valid", "Bearer " + token(claims(iat=NOW + 31)), "10-iat-beyond-leeway"),
    case("token_not_yet_valid", "Bearer " + token(claims(iat=NOW + 30.5)), "10-iat-half-second-beyond"),
    case(None, "Bearer " + token(claims(nbf=NOW + 30)), "10-nbf-at-leeway-ok"),
    case("token_not_yet_valid", "Bearer " + token(claims(nbf=NOW + 31)), "10-nbf-beyond-leeway"),
    case("token_not_yet_valid", "Bearer " + token(claims(iat=NOW + 1)), "10-leeway-0", leeway=0),
    case("token_not_yet_valid", "Bearer " + token(claims(iat=NOW + 100, iss="other")), "10-before-11"),
    # --- 11: issuer -----------------------------------------------------------
    case("wrong_issuer", "Bearer " + token(claims(iss=DELETE)), "11-iss-missing"),
    case("wrong_issuer", "Bearer " + token(claims(iss="http://evil.example")), "11-iss-different"),
    case("wrong_issuer", "Bearer " + token(claims(iss=ISSUER + "/")), "11-iss-trailing-slash"),
    case("wrong_issuer", "Bearer " + token(claims(iss=ISSUER.upper())), "11-iss-case"),
    case("wrong_issuer", "Bearer " + token(claims(iss=[ISSUER])), "11-iss-array"),
    case("wrong_issuer", "Bearer " + token(claims(iss=None)), "11-iss-null"),
    case("wrong_issuer", "Bearer " + token(claims(iss="other", aud="other")), "11-before-12"),
    case(None, "Bearer " + token(claims(iss=123)), "11-not-configured", issuer=None),
    case(None, "Bearer " + token(claims(iss=DELETE)), "11-empty-is-not-configured", issuer=""),
    # --- 12: audience ---------------------------------------------------------
    case(None, "Bearer " + token(claims(aud=[AUDIENCE])), "12-aud-array"),
    case(None, "Bearer " + token(claims(aud=["other", AUDIENCE, AUDIENCE])), "12-aud-array-among-others"),
    case("wrong_audience", "Bearer " + token(claims(aud=[AUDIENCE, 1])), "12-aud-array-with-non-string"),
    case("wrong_audience", "Bearer " + token(claims(aud=[AUDIENCE, None])), "12-aud-array-with-null"),
    case("wrong_audience", "Bearer " + token(claims(aud=["other"])), "12-aud-array-without"),
    case("wrong_audience", "Bearer " + token(claims(aud=[])), "12-aud-empty-array"),
    case("wrong_audience", "Bearer " + token(claims(aud="other")), "12-aud-different"),
    case("wrong_audience", "Bearer " + token(claims(aud=DELETE)), "12-aud-missing"),
    case("wrong_audience", "Bearer " + token(claims(aud=None)), "12-aud-null"),
    case("wrong_audience", "Bearer " + token(claims(aud={"aud": AUDIENCE})), "12-aud-object"),
    case("wrong_audience", "Bearer " + token(claims(aud=[[AUDIENCE]])), "12-aud-nested-array"),
    case("wrong_audience", "Bearer " + token(claims(aud="other")), "12-before-13", path_user_id="someone-else"),
    case(None, "Bearer " + token(claims(aud=[1, None])), "12-not-configured-ignores-aud", audience=None),
    case(None, "Bearer " + token(claims(aud=DELETE)), "12-empty-is-not-configured", audience=""),
    # --- 13: user scope -------------------------------------------------------
    case(None, "Bearer " + OK, "13-same-user", path_user_id=USER_ID),
    case("user_mismatch", "Bearer " + OK, "13-other-user", path_user_id="user_124"),
    case("user_mismatch", "Bearer " + OK, "13-case-differs", path_user_id=USER_ID.upper()),
    case(None, "Bearer " + OK, "13-empty-path-id-is-not-scoped", path_user_id=""),
    case("user_mismatch", "Bearer " + OK, "13-before-14", path_user_id="user_124", required_role="admin"),
    case("token_expired", "Bearer " + token(claims(exp=NOW - 60)), "13-token-checked-first", path_user_id="user_124"),
    # --- 14: role -------------------------------------------------------------
    case(None, "Bearer " + token(claims(role="admin")), "14-admin", required_role="admin"),
    case(None, "Bearer " + token(claims(role="admin,user")), "14-list", required_role="admin"),
    case(None, "Bearer " + token(claims(role=" user , admin ")), "14-list-with-spaces", required_role="admin"),
    case("insufficient_role", "Bearer " + token(claims(role="user")), "14-user", required_role="admin"),
    case("insufficient_role", "Bearer " + token(claims(role="Admin")), "14-case-sensitive", required_role="admin"),
    case("insufficient_role", "Bearer " + token(claims(role="administrator")), "14-no-substring", required_role="admin"),
    case("insufficient_role", "Bearer " + token(claims(role="")), "14-empty-role", required_role="admin"),
    case("insufficient_role", "Bearer " + token(claims(role=DELETE)), "14-role-missing", required_role="admin"),
    case(None, "Bearer " + token(claims(role=DELETE)), "14-empty-required-role-is-none", required_role=""),
    case(None, "Bearer " + token(claims(role="admin")), "14-with-user-scope", path_user_id=USER_ID, required_role="admin"),
    # --- 200 ------------------------------------------------------------------
    case(None, "Bearer " + OK, "200-valid"),
    case(None, "Bearer " + token(claims(iss=DELETE, aud=DELETE)), "200-minimal", issuer=None, audience=None),
]


@pytest.mark.parametrize("authorization, code, options", CASES)
def test_contract_table(authorization: List[str], code: Optional[str], options: Dict[str, Any]) -> None:
    overrides = {key: options.pop(key) for key in ("secret", "issuer", "audience", "leeway") if key in options}
    settings = dataclasses.replace(BASE, **overrides)
    result = verdict(authorization, settings, options.pop("now", NOW), **options)
    if code is None:
        assert result == {"status": 200, "code": None, "check": None, "wwwAuthenticate": None, "body": None}
    else:
        status, www, detail = EXPECTED[code]
        assert result == {
            "status": status,
            "code": code,
            "check": EXPECTED_CHECK[code],
            "wwwAuthenticate": www,
            "body": {"detail": detail, "code": code},
        }


def test_every_outcome_is_covered() -> None:
    codes = {param.values[1] for param in CASES + KEY_SET_CASES}
    assert codes == set(EXPECTED) | {None}
    assert {param.values[1] for param in CASES} == set(EXPECTED) - {"keys_unavailable", "unknown_key"} | {None}


def test_returns_the_verified_claims() -> None:
    payload = claims(role="admin,user", extra={"nested": [1, 2]})
    assert verify_authorization([bearer(token(payload))], BASE, NOW) == payload


def test_auth_error_fields() -> None:
    with pytest.raises(AuthError) as info:
        verify_authorization([bearer(token(claims(exp=NOW - 31)))], BASE, NOW)
    err = info.value
    detail = EXPECTED["token_expired"][2]
    assert (err.status, err.code, err.www_authenticate, err.detail) == (401, "token_expired", INVALID_TOKEN, detail)
    assert err.body() == {"detail": EXPECTED["token_expired"][2], "code": "token_expired"}


@pytest.mark.parametrize(
    "value",
    [
        "Bearer " + "a" * (1 << 20),
        "Bearer " + raw_token(payload_text('"x":"' + "y" * (1 << 20) + '"'), secret="wrong-secret"),
        "Bearer " + ("a" * 1000 + ".") * 1000 + "a",
        "Bearer " + raw_token(payload_text('"x":' + "[" * (1 << 19))),
        "Bearer " + raw_token(b'{"a":' * 200000 + b"1" + b"}" * 200000),
    ],
    ids=["1MB-no-dots", "1MB-payload-bad-signature", "1000-segments", "half-million-open-brackets", "200k-nested-objects"],
)
def test_huge_tokens_are_401_not_500(value: str) -> None:
    result = verdict([value], BASE, NOW)
    assert result["status"] == 401
    assert result["code"] in {"malformed_token", "bad_signature"}


def test_a_single_string_counts_as_one_header() -> None:
    assert verify_authorization(bearer(OK), BASE, NOW)["sub"] == USER_ID  # type: ignore[arg-type]


def test_check_ids_are_the_contracts() -> None:
    assert CHECKS == EXPECTED_CHECK
    assert list(CHECKS) == list(OUTCOMES)


def test_evaluate_returns_a_result_object() -> None:
    passed = evaluate([bearer(OK)], BASE, NOW)
    assert passed.ok and passed.status == 200 and passed.claims is not None and passed.claims["sub"] == USER_ID
    assert (passed.code, passed.check, passed.www_authenticate, passed.body) == (None, None, None, None)
    failed = evaluate([bearer(token(claims(exp=NOW - 31)))], BASE, NOW)
    assert not failed.ok and failed.claims is None
    assert (failed.status, failed.code, failed.check, failed.www_authenticate) == (401, "token_expired", "expiry", INVALID_TOKEN)
    assert failed.body == {"detail": EXPECTED["token_expired"][2], "code": "token_expired"}
    assert failed == Verdict.failed(AuthError.of("token_expired"))
    routed = evaluate([bearer(OK)], BASE, NOW, path_user_id="user_124")
    assert (routed.status, routed.check) == (403, "user")


def test_verdict_json_has_the_contract_keys() -> None:
    assert set(verdict([], BASE, NOW)) == {"status", "code", "check", "wwwAuthenticate", "body"}
    assert verdict([], BASE, NOW)["check"] == "bearer"


@pytest.mark.parametrize("code", list(EXPECTED))
def test_no_error_description_anywhere(code: str) -> None:
    status, www, detail = OUTCOMES[code]
    err = AuthError.of(code)
    assert "error_description" not in (www or "") and set(err.body()) == {"detail", "code"}
    assert err.check == EXPECTED_CHECK[code]


# --- The key-set profiles (jwks, both): the same table, with a key set -------------
#
# Keys are TEST KEYs generated for this run (jwks_keys.py); the key set is a
# StaticKeySet, the key set "the backend holds after any refetch" of the verdict
# request. Fetching and caching over HTTP are tested in test_keyset.py.

from jwks_keys import make_key, public_jwk, public_key_bytes, signed  # noqa: E402
from keyset import StaticKeySet  # noqa: E402

ED = make_key("ed25519")
ED_OTHER = make_key("ed25519", "other")
P256 = make_key("p256")
P521 = make_key("p521")
RSA = make_key("rsa2048")
RSA_SMALL = make_key("rsa1024")
KID = "test-key-1"
KEY_SET = {
    "keys": [
        public_jwk(ED, KID, alg="EdDSA", use="sig"),
        public_jwk(P256, "ec-256"),
        public_jwk(P521, "ec-521", alg="ES512"),
        public_jwk(RSA, "rsa-2048", key_ops=["verify"]),
        public_jwk(RSA_SMALL, "rsa-1024"),
        public_jwk(ED_OTHER, "enc-key", use="enc"),
    ]
}
JWKS = dict(profile="jwks", secret=None, keys=KEY_SET)
KEY_SOURCE = "The server has no key set URL (AUTH_JWKS_URL) or no BETTER_AUTH_SECRET configured."
BOTH = dict(profile="both", keys=KEY_SET)
ED_OK = signed(ED)


def der_signature(tok: str, private_key: Any) -> str:
    """The same token, signed with an ECDSA signature in DER (not the JWS's raw r || s)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    h, p, _ = tok.split(".")
    return f"{h}.{p}.{b64url(private_key.sign(f'{h}.{p}'.encode('ascii'), ec.ECDSA(hashes.SHA256())))}"


def tampered(tok: str) -> str:
    h, _, sig = tok.split(".")
    return f"{h}.{segment(claims(sub='someone-else'))}.{sig}"


def kcase(code: Optional[str], tok: Any, id: str, detail: Optional[str] = None, check: Optional[str] = None, **options: Any) -> Any:
    authorization = [bearer(tok)] if isinstance(tok, str) else tok
    return pytest.param(authorization, code, options, detail, check, id=id)


KEY_SET_CASES: List[Any] = [
    # --- secret / key-source (0) --------------------------------------------------
    kcase("server_misconfigured", ED_OK, "jwks-0-no-key-set", KEY_SOURCE, "key-source", **{**JWKS, "keys": None}),
    kcase("server_misconfigured", ED_OK, "both-0-no-secret", KEY_SOURCE, "key-source", **{**BOTH, "secret": None}),
    kcase("server_misconfigured", ED_OK, "both-0-no-key-set", KEY_SOURCE, "key-source", **{**BOTH, "keys": None}),
    kcase("server_misconfigured", ED_OK, "jwks-0-hs256-configured", KEY_SOURCE, "key-source", algorithm="HS256", **JWKS),
    kcase("server_misconfigured", ED_OK, "jwks-0-unknown-alg-configured", KEY_SOURCE, "key-source", algorithm="ES384", **JWKS),
    kcase(None, ED_OK, "jwks-0-needs-no-secret", **JWKS),
    # --- 1..3 as in hs256, before any key is needed ---------------------------------
    kcase("duplicate_credentials", [bearer(ED_OK)] * 2, "jwks-1-duplicates", **JWKS),
    kcase("missing_token", [], "jwks-2-no-header", **{**JWKS, "keys": "unavailable"}),
    kcase("malformed_token", "x.y.z", "jwks-3-before-key-unavailable", **{**JWKS, "keys": "unavailable"}),
    # --- alg (4) ----------------------------------------------------------------
    kcase(None, ED_OK, "jwks-4-eddsa"),
    kcase(None, signed(ED, "Ed25519"), "jwks-4-ed25519-name-for-eddsa-config", **JWKS),
    kcase(None, ED_OK, "jwks-4-eddsa-token-for-ed25519-config", algorithm="Ed25519", **JWKS),
    kcase("unsupported_alg", token(), "jwks-4-hs256-is-unsupported", **JWKS),
    kcase("unsupported_alg", token(head=header(kid=KID), secret=public_key_bytes(ED)), "jwks-4-hs256-with-public-key-bytes", **JWKS),
    kcase("unsupported_alg", signed(P256, "ES256", "ec-256"), "jwks-4-other-asymmetric-alg", **JWKS),
    kcase("unsupported_alg", signed(ED, head={"alg": "eddsa", "kid": KID}, sign_as="EdDSA"), "jwks-4-alg-is-case-sensitive", **JWKS),
    kcase("unsupported_alg", signed(ED, head={"kid": KID}, sign_as="EdDSA"), "jwks-4-alg-missing", **JWKS),
    kcase("unsupported_alg", with_signature(signed(ED, head={"alg": "none", "kid": KID}, sign_as="EdDSA"), ""), "jwks-4-alg-none", **JWKS),
    kcase("unsupported_alg", signed(RSA, "PS256", "rsa-2048"), "jwks-4-ps256-when-rs256-configured", algorithm="RS256", **JWKS),
    kcase("unsupported_alg", signed(P256, "ES256", "ec-256"), "both-4-other-alg", **BOTH),
    kcase(None, token(), "both-4-hs256-takes-the-secret-path", **BOTH),
    kcase(None, token(head=header(alg="HS256", kid="no-such-key")), "both-4-hs256-kid-ignored", **BOTH),
    kcase("bad_signature", token(head=header(kid=KID), secret=public_key_bytes(ED)), "both-4-hs256-with-public-key-bytes-is-bad-signature", **BOTH),
    kcase(None, ED_OK, "both-4-eddsa-takes-the-key-path", **BOTH),
    # --- crit / kid (5) --------------------------------------------------------------
    kcase("invalid_header", signed(ED, head={"alg": "EdDSA", "kid": KID, "crit": ["exp"]}), "jwks-5-crit", **JWKS),
    kcase("invalid_header", signed(ED, kid=None), "jwks-5-kid-missing", **JWKS),
    kcase("invalid_header", signed(ED, kid=""), "jwks-5-kid-empty", **JWKS),
    kcase("invalid_header", signed(ED, head={"alg": "EdDSA", "kid": 1}), "jwks-5-kid-number", **JWKS),
    kcase("invalid_header", signed(ED, head={"alg": "EdDSA", "kid": [KID]}), "jwks-5-kid-array", **JWKS),
    kcase("invalid_header", signed(ED, head={"alg": "EdDSA", "crit": []}), "jwks-5-crit-before-kid", **JWKS),
    kcase("unsupported_alg", signed(ED, head={"alg": "ES256", "crit": []}, sign_as="EdDSA"), "jwks-5-alg-before-crit", **JWKS),
    kcase("invalid_header", signed(ED, kid=None), "both-5-eddsa-needs-a-kid", **BOTH),
    kcase(None, token(head=header(kid=DELETE)), "both-5-hs256-needs-no-kid", **BOTH),
    # --- key (6) -------------------------------------------------------------------
    kcase("keys_unavailable", ED_OK, "jwks-6-key-set-unavailable", **{**JWKS, "keys": "unavailable"}),
    kcase("keys_unavailable", ED_OK, "both-6-key-set-unavailable", **{**BOTH, "keys": "unavailable"}),
    kcase(None, token(), "both-6-hs256-needs-no-key-set", **{**BOTH, "keys": "unavailable"}),
    kcase("unknown_key", signed(ED, kid="no-such-key"), "jwks-6-unknown-kid", **JWKS),
    kcase("unknown_key", signed(ED, kid="ec-256"), "jwks-6-kid-of-a-key-for-another-alg", **JWKS),
    kcase("unknown_key", signed(ED_OTHER, kid="enc-key"), "jwks-6-use-enc", **JWKS),
    kcase("unknown_key", signed(RSA_SMALL, "RS256", "rsa-1024"), "jwks-6-rsa-under-2048-bits", algorithm="RS256", **JWKS),
    kcase("unknown_key", signed(ED, kid="x", head={"alg": "EdDSA", "kid": "attacker", "jwk": public_jwk(ED, "attacker")}), "jwks-6-jwk-header-never-used", **JWKS),
    kcase("unknown_key", ED_OK, "jwks-6-empty-key-set", **{**JWKS, "keys": {"keys": []}}),
    kcase(None, signed(ED, head={"alg": "EdDSA", "kid": KID, "jku": "http://evil.example/jwks", "x5u": "http://evil.example/c", "x5c": ["AAAA"]}), "jwks-6-jku-x5u-x5c-ignored", **JWKS),
    # --- signature (7) ------------------------------------------------------------------
    kcase("bad_signature", tampered(ED_OK), "jwks-7-tampered-payload", **JWKS),
    kcase("bad_signature", signed(ED_OTHER), "jwks-7-other-key-same-kid", **JWKS),
    kcase("bad_signature", with_signature(ED_OK, ""), "jwks-7-empty-signature", **JWKS),
    kcase("bad_signature", with_signature(ED_OK, b64url(b"\0" * 64)), "jwks-7-zero-signature", **JWKS),
    kcase("bad_signature", der_signature(signed(P256, "ES256", "ec-256"), P256), "jwks-7-es256-der-signature", algorithm="ES256", **JWKS),
    kcase(None, signed(P256, "ES256", "ec-256"), "jwks-7-es256-raw-signature", algorithm="ES256", **JWKS),
    kcase(None, signed(P521, "ES512", "ec-521"), "jwks-7-es512", algorithm="ES512", **JWKS),
    kcase(None, signed(RSA, "RS256", "rsa-2048"), "jwks-7-rs256", algorithm="RS256", **JWKS),
    kcase(None, signed(RSA, "PS256", "rsa-2048"), "jwks-7-ps256", algorithm="PS256", **JWKS),
    kcase("bad_signature", signed(RSA, "RS256", "rsa-2048", sign_as="PS256"), "jwks-7-pss-signature-under-rs256", algorithm="RS256", **JWKS),
    kcase("bad_signature", signed(ED, kid=KID, payload=claims(sub=DELETE, exp="x"), head={"alg": "EdDSA", "kid": KID})[:-4] + "AAAA", "jwks-7-before-claims", **JWKS),
    # --- claims, as in hs256, after the key's signature ---------------------------
    kcase("missing_claim", signed(ED, payload=claims(email=DELETE)), "jwks-8-missing-claim", **JWKS),
    kcase("invalid_claim", signed(ED, payload=claims(sub="")), "jwks-9-invalid-claim", **JWKS),
    kcase("token_expired", signed(ED, payload=claims(exp=NOW - 31)), "jwks-10-expired", **JWKS),
    kcase("token_not_yet_valid", signed(ED, payload=claims(iat=NOW + 31)), "jwks-11-from-the-future", **JWKS),
    kcase("wrong_issuer", signed(ED, payload=claims(iss="http://evil.example")), "jwks-12-issuer", **JWKS),
    kcase("wrong_audience", signed(ED, payload=claims(aud="other")), "jwks-13-audience", **JWKS),
    kcase("user_mismatch", ED_OK, "jwks-14-user", path_user_id="user_124", **JWKS),
    kcase("insufficient_role", ED_OK, "jwks-15-role", required_role="admin", **JWKS),
    kcase(None, signed(ED, payload=claims(role="admin")), "jwks-200-all-checks", path_user_id=USER_ID, required_role="admin", **JWKS),
]


@pytest.mark.parametrize("authorization, code, options, detail, check", KEY_SET_CASES)
def test_key_set_table(
    authorization: List[str], code: Optional[str], options: Dict[str, Any], detail: Optional[str], check: Optional[str]
) -> None:
    options = dict(options)
    options.setdefault("profile", "jwks")
    document = options.pop("keys", KEY_SET)
    keys = None if document is None else StaticKeySet(document)
    overrides = {k: options.pop(k) for k in ("secret", "profile", "algorithm") if k in options}
    settings = dataclasses.replace(BASE, **overrides)
    if settings.profile == "jwks":
        settings = dataclasses.replace(settings, secret=None)
    result = verdict(authorization, settings, NOW, keys=keys, **options)
    if code is None:
        assert result == {"status": 200, "code": None, "check": None, "wwwAuthenticate": None, "body": None}
    else:
        status, www, fixed = EXPECTED[code]
        assert result == {
            "status": status,
            "code": code,
            "check": check or EXPECTED_CHECK[code],
            "wwwAuthenticate": www,
            "body": {"detail": detail or fixed, "code": code},
        }


def test_key_set_path_returns_the_verified_claims() -> None:
    payload = claims(role="admin,user", name="Ada")
    settings = dataclasses.replace(BASE, profile="jwks", secret=None)
    assert verify_authorization([bearer(signed(ED, payload=payload))], settings, NOW, StaticKeySet(KEY_SET)) == payload


def test_hostile_key_sets_never_raise() -> None:
    settings = dataclasses.replace(BASE, profile="jwks", secret=None)
    hostile: List[Any] = [
        {"keys": [1, "x", None, [], {"kid": KID}]},
        {"keys": [{"kid": KID, "kty": "OKP", "crv": "Ed25519", "x": 5}]},
        {"keys": [{"kid": KID, "kty": "OKP", "crv": "Ed25519", "x": "!!!"}]},
        {"keys": [{"kid": KID, "kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]},
        {"keys": [{"kid": KID, "kty": ["OKP"], "crv": {"a": 1}}]},
        {"keys": [{**public_jwk(ED, KID), "use": 1, "key_ops": "verify"}]},
        {"keys": {"kid": KID}},
        {"keys": None},
        [],
        "garbage",
        None,
    ]
    for document in hostile:
        result = verdict([bearer(ED_OK)], settings, NOW, keys=StaticKeySet(document))
        assert result["code"] in {"unknown_key", "keys_unavailable"}, document
