"""keyset.py: the key usability rules, and the key-set cache over real HTTP.

The key set is served by a tiny http.server on 127.0.0.1 (jwks_server.py) with
TEST KEYs generated for this run (jwks_keys.py). The cache's clock is injected
(a FakeClock), so cool-downs and lifetimes are tested without sleeping.
"""

import json
import threading
import time
import uuid
from typing import Any, Dict, List

import pytest

from jwks_keys import make_key, public_jwk
from jwks_server import KeySetServer, closed_port_url
from keyset import (
    COOLDOWN_SECONDS,
    MAX_AGE_SECONDS,
    MAX_KEYS,
    KeySetCache,
    KeysUnavailable,
    StaticKeySet,
    UnknownKey,
    VerificationKey,
    fetch_key_set,
    find_usable_key,
    max_age_of,
    same_alg,
)
from tokens import b64url

ED = make_key("ed25519")  # TEST KEY
ED_NEW = make_key("ed25519", "rotated")  # TEST KEY
P256 = make_key("p256")  # TEST KEY
P384 = make_key("p384")  # TEST KEY
P521 = make_key("p521")  # TEST KEY
RSA = make_key("rsa2048")  # TEST KEY
RSA_SMALL = make_key("rsa1024")  # TEST KEY
KID = "test-key-1"


class FakeClock:
    """An injectable monotonic clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def key_set(*jwks: Dict[str, Any]) -> Dict[str, Any]:
    return {"keys": list(jwks)}


# --- usability rules (pure) -----------------------------------------------------


@pytest.mark.parametrize(
    "jwk, alg, usable",
    [
        (public_jwk(ED, KID), "EdDSA", True),
        (public_jwk(ED, KID), "Ed25519", True),
        (public_jwk(ED, KID, alg="EdDSA"), "Ed25519", True),
        (public_jwk(ED, KID, alg="Ed25519"), "EdDSA", True),
        (public_jwk(ED, KID, alg="ES256"), "EdDSA", False),
        (public_jwk(ED, "other-kid"), "EdDSA", False),
        (public_jwk(ED, KID), "ES256", False),
        ({**public_jwk(ED, KID), "crv": "Ed448"}, "EdDSA", False),
        ({**public_jwk(ED, KID), "kty": "EC"}, "EdDSA", False),
        (public_jwk(P256, KID), "ES256", True),
        (public_jwk(P256, KID), "ES512", False),
        (public_jwk(P384, KID), "ES256", False),
        (public_jwk(P521, KID), "ES512", True),
        (public_jwk(P521, KID), "ES256", False),
        (public_jwk(RSA, KID), "RS256", True),
        (public_jwk(RSA, KID), "PS256", True),
        (public_jwk(RSA, KID, alg="RS256"), "PS256", False),
        (public_jwk(RSA_SMALL, KID), "RS256", False),
        (public_jwk(RSA_SMALL, KID), "PS256", False),
        (public_jwk(ED, KID, use="sig"), "EdDSA", True),
        (public_jwk(ED, KID, use="enc"), "EdDSA", False),
        (public_jwk(ED, KID, use=1), "EdDSA", False),
        (public_jwk(ED, KID, key_ops=["verify"]), "EdDSA", True),
        (public_jwk(ED, KID, key_ops=["sign", "verify"]), "EdDSA", True),
        (public_jwk(ED, KID, key_ops=["sign"]), "EdDSA", False),
        (public_jwk(ED, KID, key_ops=[]), "EdDSA", False),
        (public_jwk(ED, KID, key_ops="verify"), "EdDSA", False),
        (public_jwk(ED, KID), "HS256", False),
        (public_jwk(ED, KID), "none", False),
        ({"kid": KID, "kty": "oct", "k": "c2VjcmV0"}, "EdDSA", False),
    ],
)
def test_usability_rules(jwk: Dict[str, Any], alg: str, usable: bool) -> None:
    found = find_usable_key([jwk], KID, alg)
    assert (found is not None) == usable
    if found is not None:
        assert isinstance(found, VerificationKey) and found.kid == KID


def test_first_usable_key_with_the_kid_wins() -> None:
    keys = [public_jwk(ED, KID, use="enc"), "junk", public_jwk(ED_NEW, KID)]
    found = find_usable_key(keys, KID, "EdDSA")
    assert found is not None
    assert raw(found.key) == raw(ED_NEW.public_key())


def raw(public_key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_private_members_are_never_used() -> None:
    # A published set that (wrongly) holds a private key: only the public part is built.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    d = ED.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    private_jwk = {**public_jwk(ED, KID), "d": b64url(d)}
    found = find_usable_key([private_jwk], KID, "EdDSA")
    assert found is not None and isinstance(found.key, Ed25519PublicKey)
    rsa_private = {**public_jwk(RSA, KID), "d": "AQAB", "p": "AQAB"}  # inconsistent private members: ignored
    found = find_usable_key([rsa_private], KID, "RS256")
    assert found is not None and not hasattr(found.key, "private_numbers")


@pytest.mark.parametrize(
    "jwk",
    [
        {"kid": KID, "kty": "OKP", "crv": "Ed25519", "x": 5},
        {"kid": KID, "kty": "OKP", "crv": "Ed25519", "x": "AAAA"},
        {"kid": KID, "kty": "OKP", "crv": "Ed25519"},
        {"kid": KID, "kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"},
        {"kid": KID, "kty": "EC", "crv": "P-256", "x": [], "y": None},
        {"kid": KID, "kty": "RSA", "n": "AQAB", "e": "AQAB"},
        {"kid": KID, "kty": "RSA", "n": 12345, "e": "AQAB"},
        {"kid": KID, "kty": "RSA", "n": "A" * 10000, "e": "AQAB"},
        {"kid": KID, "kty": {"x": 1}, "crv": ["Ed25519"]},
        {"kid": [KID], "kty": "OKP"},
    ],
)
def test_broken_keys_are_unusable_never_an_exception(jwk: Dict[str, Any]) -> None:
    for alg in ("EdDSA", "ES256", "RS256", "PS256", "ES512"):
        assert find_usable_key([jwk], KID, alg) is None


def test_eddsa_and_ed25519_are_the_same_algorithm() -> None:
    assert same_alg("EdDSA", "Ed25519") and same_alg("Ed25519", "EdDSA") and same_alg("ES256", "ES256")
    assert not same_alg("EdDSA", "eddsa") and not same_alg("EdDSA", None) and not same_alg(["EdDSA"], "EdDSA")


def test_static_key_set() -> None:
    keys = StaticKeySet(key_set(public_jwk(ED, KID)))
    assert keys.get(KID, "EdDSA").kid == KID
    with pytest.raises(UnknownKey):
        keys.get("nope", "EdDSA")
    for document in ("unavailable", None, "garbage", {"keys": "x"}, []):
        with pytest.raises(KeysUnavailable):
            StaticKeySet(document).get(KID, "EdDSA")


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("max-age=60", 60),
        ("public, max-age=300, must-revalidate", 300),
        ("Max-Age = 5", 5),
        ('max-age="7"', 7),
        ("no-store", 0),
        ("private, no-cache", 0),
        ("s-maxage=60", None),
        ("max-age=abc", None),
    ],
)
def test_max_age_of(value: Any, expected: Any) -> None:
    assert max_age_of(value) == expected


# --- fetching (real HTTP) ---------------------------------------------------------


def test_fetch_reads_the_keys_and_max_age(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)), Cache_Control="public, max-age=120")
    keys, max_age = fetch_key_set(key_server.url)
    assert keys[0]["kid"] == KID and max_age == 120


def test_fetch_times_out_on_a_slow_server(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    key_server.delay = 3.0
    started = time.monotonic()
    with pytest.raises(Exception):
        fetch_key_set(key_server.url, timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_fetch_gives_up_on_a_trickling_server(key_server: KeySetServer) -> None:
    key_server.serve(key_set(*[public_jwk(ED, f"k{i}") for i in range(3)]))
    key_server.trickle = 0.05  # one byte per 50 ms: each read is quick, the whole is not
    started = time.monotonic()
    with pytest.raises(Exception):
        fetch_key_set(key_server.url, timeout=0.5)
    assert time.monotonic() - started < 3


def test_key_set_over_one_mib_is_refused(key_server: KeySetServer) -> None:
    key_server.serve(json.dumps({"keys": [], "pad": "x" * (1 << 20)}).encode())
    with pytest.raises(Exception):
        fetch_key_set(key_server.url)


# --- the cache: fetch, cool-down, lifetime (real HTTP, injected clock) ------------


def make_cache(server: KeySetServer, clock: FakeClock, **options: Any) -> KeySetCache:
    return KeySetCache(server.url, clock=clock, timeout=options.pop("timeout", 5.0), **options)


def test_first_use_fetches_then_the_cache_answers(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    cache = make_cache(key_server, FakeClock())
    assert key_server.requests == 0  # nothing is fetched before a token needs it
    for _ in range(50):
        assert cache.get(KID, "EdDSA").kid == KID
    assert key_server.requests == 1 and cache.fetches == 1


def test_burst_of_random_kids_fetches_at_most_once_per_30_seconds(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    cache.get(KID, "EdDSA")
    assert key_server.requests == 1
    # 200 tokens with random kids, 0.5 s apart (100 s in all).
    fetch_times: List[float] = []
    for _ in range(200):
        before = key_server.requests
        with pytest.raises(UnknownKey):
            cache.get(uuid.uuid4().hex, "EdDSA")
        if key_server.requests != before:
            fetch_times.append(clock())
        clock.advance(0.5)
    assert len(fetch_times) == 3  # at 30 s, 60 s and 90 s after the first fetch
    assert all(b - a >= COOLDOWN_SECONDS for a, b in zip([1000.0] + fetch_times, fetch_times))
    assert key_server.requests == 4 == cache.fetches
    assert cache.get(KID, "EdDSA").kid == KID  # the known key still works throughout


def test_burst_with_a_frozen_clock_makes_one_fetch(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    cache = make_cache(key_server, FakeClock())
    for _ in range(200):
        with pytest.raises(UnknownKey):
            cache.get(uuid.uuid4().hex, "EdDSA")
    assert key_server.requests == 1


def test_rotation_new_kid_is_accepted_after_a_refetch(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    cache.get(KID, "EdDSA")
    # The app rotates: the new key appears in its set.
    key_server.serve(key_set(public_jwk(ED_NEW, "test-key-2"), public_jwk(ED, KID)))
    clock.advance(COOLDOWN_SECONDS)
    assert cache.get("test-key-2", "EdDSA").kid == "test-key-2"
    assert key_server.requests == 2
    assert cache.get(KID, "EdDSA").kid == KID and key_server.requests == 2


def test_rotation_within_the_cool_down_is_unknown_key_until_it_ends(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    cache.get(KID, "EdDSA")
    key_server.serve(key_set(public_jwk(ED_NEW, "test-key-2")))
    clock.advance(COOLDOWN_SECONDS - 1)
    with pytest.raises(UnknownKey):
        cache.get("test-key-2", "EdDSA")
    assert key_server.requests == 1
    clock.advance(1)
    assert cache.get("test-key-2", "EdDSA").kid == "test-key-2" and key_server.requests == 2


def test_unknown_kid_right_after_a_refetch_is_unknown_key(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    clock.advance(0)
    with pytest.raises(UnknownKey):
        cache.get("nope", "EdDSA")  # first use: one fetch, kid still not there
    assert key_server.requests == 1


def test_kid_present_but_unusable_does_not_refetch(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID, use="enc")))
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    with pytest.raises(UnknownKey):
        cache.get(KID, "EdDSA")
    clock.advance(COOLDOWN_SECONDS * 2)
    with pytest.raises(UnknownKey):
        cache.get(KID, "EdDSA")
    assert key_server.requests == 1


def test_set_lives_ten_minutes_at_most(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)), Cache_Control="max-age=86400")
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    cache.get(KID, "EdDSA")
    clock.advance(MAX_AGE_SECONDS - 1)
    cache.get(KID, "EdDSA")
    assert key_server.requests == 1
    clock.advance(1)
    cache.get(KID, "EdDSA")
    assert key_server.requests == 2


def test_set_lives_less_when_max_age_says_so(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)), Cache_Control="max-age=60")
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    cache.get(KID, "EdDSA")
    clock.advance(59)
    cache.get(KID, "EdDSA")
    assert key_server.requests == 1
    clock.advance(1)
    cache.get(KID, "EdDSA")
    assert key_server.requests == 2


def test_max_age_under_the_cool_down_still_fetches_once_per_30_seconds(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)), Cache_Control="no-store")
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    for _ in range(100):
        cache.get(KID, "EdDSA")
        clock.advance(1)
    assert key_server.requests == 4  # at 0, 30, 60 and 90 s: the cool-down bounds the fetches


def test_server_down_from_the_start_is_keys_unavailable() -> None:
    clock = FakeClock()
    cache = KeySetCache(closed_port_url(), clock=clock, timeout=2.0)
    with pytest.raises(KeysUnavailable):
        cache.get(KID, "EdDSA")
    with pytest.raises(KeysUnavailable):
        cache.get(KID, "EdDSA")  # within the cool-down: still no set, no new attempt
    assert cache.fetches == 1
    clock.advance(COOLDOWN_SECONDS)
    with pytest.raises(KeysUnavailable):
        cache.get(KID, "EdDSA")
    assert cache.fetches == 2


def test_server_comes_up_after_failing(key_server: KeySetServer) -> None:
    key_server.serve({"error": "starting"}, status=503)
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    with pytest.raises(KeysUnavailable):
        cache.get(KID, "EdDSA")
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock.advance(COOLDOWN_SECONDS)
    assert cache.get(KID, "EdDSA").kid == KID


def test_failed_refetch_for_an_unknown_kid_is_keys_unavailable(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    cache.get(KID, "EdDSA")
    key_server.serve(b"<html>502 Bad Gateway</html>", status=502)
    clock.advance(COOLDOWN_SECONDS)
    with pytest.raises(KeysUnavailable):
        cache.get("test-key-2", "EdDSA")  # a needed refetch failed
    assert cache.get(KID, "EdDSA").kid == KID  # the set is still fresh for known kids
    with pytest.raises(UnknownKey):
        cache.get("test-key-2", "EdDSA")  # cool-down: no new fetch, so unknown_key


def test_expired_set_and_failed_refetch_is_keys_unavailable(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock = FakeClock()
    cache = make_cache(key_server, clock)
    cache.get(KID, "EdDSA")
    key_server.serve(b"not json", status=200)
    clock.advance(MAX_AGE_SECONDS)
    with pytest.raises(KeysUnavailable):
        cache.get(KID, "EdDSA")
    with pytest.raises(KeysUnavailable):
        cache.get(KID, "EdDSA")  # the expired set is gone, and the cool-down forbids a fetch
    key_server.serve(key_set(public_jwk(ED, KID)))
    clock.advance(COOLDOWN_SECONDS)
    assert cache.get(KID, "EdDSA").kid == KID


@pytest.mark.parametrize(
    "body, status",
    [
        (b"not json at all", 200),
        (b"<html><body>Sign in</body></html>", 200),
        (b'{"keys": [', 200),
        (b'{"keys": "AAAA"}', 200),
        (b'{"keys": null}', 200),
        (b'[{"kid": "test-key-1"}]', 200),
        (b'"keys"', 200),
        (b"", 200),
        (b'{"keys": [NaN]}', 200),
        (b"\xff\xfe{}", 200),
        (b"[" * 100000 + b"]" * 100000, 200),
        (b'{"keys": []}', 404),
        (b'{"keys": []}', 500),
    ],
)
def test_hostile_responses_are_keys_unavailable(key_server: KeySetServer, body: bytes, status: int) -> None:
    key_server.serve(body, status=status)
    with pytest.raises(KeysUnavailable):
        make_cache(key_server, FakeClock()).get(KID, "EdDSA")


def test_hostile_keys_in_a_valid_set_are_unknown_key(key_server: KeySetServer) -> None:
    key_server.serve({"keys": [1, None, "x", [], {"kid": KID, "kty": "OKP", "crv": "Ed25519", "x": {"a": 1}}, {"kid": {"x": 1}}]})
    with pytest.raises(UnknownKey):
        make_cache(key_server, FakeClock()).get(KID, "EdDSA")


def test_huge_key_set_reads_the_first_100_keys(key_server: KeySetServer) -> None:
    filler = [{"kid": f"k{i}", "kty": "OKP", "crv": "Ed25519", "x": "A" * 43} for i in range(8000)]
    key_server.serve({"keys": filler[:MAX_KEYS - 1] + [public_jwk(ED, KID)] + filler + [public_jwk(ED_NEW, "late")]})
    cache = make_cache(key_server, FakeClock())
    started = time.monotonic()
    assert cache.get(KID, "EdDSA").kid == KID  # the 100th key
    with pytest.raises(UnknownKey):
        cache.get("late", "EdDSA")  # beyond the first 100: never looked at
    for i in range(0, 8000, 800):
        with pytest.raises(UnknownKey):
            cache.get(f"k{i}", "ES256")
    assert time.monotonic() - started < 10 and key_server.requests == 1


def test_slow_server_is_keys_unavailable_after_the_timeout(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    key_server.delay = 3.0
    cache = make_cache(key_server, FakeClock(), timeout=0.5)
    started = time.monotonic()
    with pytest.raises(KeysUnavailable):
        cache.get(KID, "EdDSA")
    assert time.monotonic() - started < 2.5


def test_concurrent_first_requests_share_one_fetch(key_server: KeySetServer) -> None:
    key_server.serve(key_set(public_jwk(ED, KID)))
    key_server.delay = 0.3
    cache = make_cache(key_server, FakeClock())
    results: List[Any] = []

    def worker() -> None:
        try:
            results.append(cache.get(KID, "EdDSA").kid)
        except Exception as exc:  # pragma: no cover - reported below
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [KID] * 20
    assert key_server.requests == 1


def test_concurrent_requests_share_a_failing_fetch(key_server: KeySetServer) -> None:
    key_server.serve(b"oops", status=500)
    key_server.delay = 0.3
    cache = make_cache(key_server, FakeClock())
    results: List[Any] = []

    def worker() -> None:
        try:
            cache.get(KID, "EdDSA")
        except Exception as exc:
            results.append(type(exc))

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [KeysUnavailable] * 10
    assert key_server.requests == 1


def test_an_injected_fetcher_that_misbehaves_is_keys_unavailable() -> None:
    def fetcher(url: str) -> Any:
        return ("not", "a list")

    with pytest.raises(KeysUnavailable):
        KeySetCache("http://unused.invalid/", clock=FakeClock(), fetch=fetcher).get(KID, "EdDSA")

    def raising(url: str) -> Any:
        raise ZeroDivisionError

    with pytest.raises(KeysUnavailable):
        KeySetCache("http://unused.invalid/", clock=FakeClock(), fetch=raising).get(KID, "EdDSA")
