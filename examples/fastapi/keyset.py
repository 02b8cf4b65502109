"""Key set rules of the ``jwks`` and ``both`` profiles (contract v1.1), no web framework.

- :func:`find_usable_key`: which key of a JSON Web Key Set may verify a token
  with this ``kid`` and ``alg``.
- :class:`StaticKeySet`: a key set held in memory (the verdict request's ``keys``).
- :class:`KeySetCache`: the key set of ``AUTH_JWKS_URL``, fetched over HTTP and
  cached by the contract's rules (below).

A key source answers ``get(kid, alg)`` with a :class:`VerificationKey`, or
raises :class:`KeysUnavailable` (503 ``keys_unavailable``: no key set can be
had) or :class:`UnknownKey` (401 ``unknown_key``: no usable key for the kid).
Keys come only from the configured set, never from the token (``jwk``, ``jku``,
``x5u`` and ``x5c`` headers are not read anywhere).

Why not PyJWT's ``PyJWKClient``: it cannot meet these rules on every PyJWT this
example supports. It caches for a fixed ``lifespan`` and ignores the response's
``Cache-Control: max-age``; PyJWT 2.6 (Debian 12) has no refetch cool-down at
all, so a burst of tokens with random kids makes one fetch each, and no fetch
timeout, so a key server that never answers holds the request; it checks only
``use``, not ``key_ops``, ``alg``, the curve or the RSA size; its clock cannot
be injected for tests; and on a hostile key set it raises several exception
types that differ between versions. So the fetching and caching is here (about
a hundred lines on ``urllib``), and PyJWT still does the cryptography: its
algorithm classes build the public key from the JWK and verify the signature.
"""

import json
import math
import re
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol, Sequence, Tuple

from settings import JWT_ALGORITHMS

try:
    from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm

    HAS_CRYPTO = True
except ImportError:  # PyJWT without the cryptography package: hs256 only
    HAS_CRYPTO = False

Clock = Callable[[], float]

# The asymmetric algorithms a backend may be configured with (Better Auth's
# keyPairConfig.alg). "Ed25519" is RFC 9864's name for the same algorithm as "EdDSA".
ALGORITHMS: Tuple[str, ...] = JWT_ALGORITHMS
MIN_RSA_BITS = 2048
# Only the first 100 entries of a key set are looked at (the site's verdict
# engine reads a set the same way): a huge set costs no more than that.
MAX_KEYS = 100

# Contract numbers for the cache.
MAX_AGE_SECONDS = 600.0  # cache the set at most 10 minutes (less if max-age says so)
COOLDOWN_SECONDS = 30.0  # fetch at most once per 30 seconds
TIMEOUT_SECONDS = 5.0  # a slow key server is a failed fetch after this long
MAX_BYTES = 1 << 20  # a key set larger than 1 MiB is a failed fetch

# Only these JWK members are read: a private key (d, p, q, ...) in a published
# set is never built, and unknown members are ignored.
_PUBLIC_MEMBERS = ("kty", "crv", "x", "y", "n", "e")
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)", re.IGNORECASE)


class KeysUnavailable(Exception):
    """No key set can be had: 503 keys_unavailable."""


class UnknownKey(Exception):
    """The key set has no usable key for the token's kid: 401 unknown_key."""


def canonical_alg(alg: str) -> str:
    """EdDSA and Ed25519 name the same algorithm."""
    return "EdDSA" if alg == "Ed25519" else alg


def same_alg(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and canonical_alg(a) == canonical_alg(b)


@dataclass(frozen=True)
class _Spec:
    kty: str
    crv: Optional[str]
    make: Callable[[], Any]  # the PyJWT algorithm object


def _specs() -> Dict[str, _Spec]:
    if not HAS_CRYPTO:
        return {}
    return {
        "EdDSA": _Spec("OKP", "Ed25519", OKPAlgorithm),
        "ES256": _Spec("EC", "P-256", lambda: ECAlgorithm(ECAlgorithm.SHA256)),
        "ES512": _Spec("EC", "P-521", lambda: ECAlgorithm(ECAlgorithm.SHA512)),
        "RS256": _Spec("RSA", None, lambda: RSAAlgorithm(RSAAlgorithm.SHA256)),
        "PS256": _Spec("RSA", None, lambda: RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256)),
    }


_SPECS = _specs()


@dataclass(frozen=True)
class VerificationKey:
    """A usable key: the PyJWT algorithm object and the public key it verifies with."""

    kid: str
    alg: str
    algorithm: Any
    key: Any

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        """True only for a valid signature; any error is a bad signature, never an exception.

        ECDSA signatures are the JWS's raw r || s: PyJWT's ECAlgorithm converts that
        to DER itself and refuses any other length, so a DER signature fails here.
        """
        try:
            return bool(self.algorithm.verify(signing_input, self.key, signature))
        except Exception:
            return False


def _usable(jwk: Mapping[str, Any], kid: str, alg: str) -> Optional[VerificationKey]:
    """The key if ``jwk`` may verify a token with this kid and alg, else None."""
    spec = _SPECS.get(canonical_alg(alg))
    if spec is None or jwk.get("kid") != kid:
        return None
    if jwk.get("kty") != spec.kty or (spec.crv is not None and jwk.get("crv") != spec.crv):
        return None
    if "use" in jwk and jwk["use"] != "sig":
        return None
    if "key_ops" in jwk and not (isinstance(jwk["key_ops"], list) and "verify" in jwk["key_ops"]):
        return None
    if "alg" in jwk and not same_alg(jwk["alg"], alg):
        return None
    public = {name: jwk[name] for name in _PUBLIC_MEMBERS if name in jwk}
    try:
        key = spec.make().from_jwk(public)
        if spec.kty == "RSA" and key.key_size < MIN_RSA_BITS:
            return None
    except Exception:  # wrong types, bad base64, a point not on the curve, ...
        return None
    return VerificationKey(kid, canonical_alg(alg), spec.make(), key)


def find_usable_key(keys: Sequence[Any], kid: str, alg: str) -> Optional[VerificationKey]:
    """The first usable key for ``kid``/``alg`` among the first MAX_KEYS ``keys`` (entries that are not objects are skipped)."""
    for jwk in keys[:MAX_KEYS]:
        if isinstance(jwk, dict):
            found = _usable(jwk, kid, alg)
            if found is not None:
                return found
    return None


class KeySource(Protocol):
    """What the verifier asks a key set: a usable key, or KeysUnavailable / UnknownKey."""

    def get(self, kid: str, alg: str) -> VerificationKey: ...


def key_list(document: Any) -> Optional[List[Any]]:
    """The ``keys`` array of a JWK Set document, or None when it is not one."""
    if isinstance(document, dict) and isinstance(document.get("keys"), list):
        return document["keys"]
    return None


class StaticKeySet:
    """A key set held in memory: a JWK Set document; ``"unavailable"`` or anything
    that is not a JWK Set is a set the backend cannot use (KeysUnavailable)."""

    def __init__(self, document: Any) -> None:
        self._keys = key_list(document)

    def get(self, kid: str, alg: str) -> VerificationKey:
        if self._keys is None:
            raise KeysUnavailable
        found = find_usable_key(self._keys, kid, alg)
        if found is None:
            raise UnknownKey
        return found


def max_age_of(cache_control: Optional[str]) -> Optional[float]:
    """Seconds from a Cache-Control value: max-age=N, 0 for no-store/no-cache, None when absent."""
    if not cache_control:
        return None
    if _NO_CACHE.search(cache_control):
        return 0.0
    match = _MAX_AGE.search(cache_control)
    return float(match.group(1)) if match else None


class FetchError(Exception):
    """The key set could not be fetched or is not a JWK Set."""


def fetch_key_set(url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> Tuple[List[Any], Optional[float]]:
    """GET the key set: (its keys, the response's max-age) or FetchError.

    Only a 200 with a JSON object holding a ``keys`` array counts. ``timeout``
    bounds the whole exchange, also against a server that trickles bytes.
    """
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked in settings)
            if response.status != 200:
                raise FetchError(f"status {response.status}")
            cache_control = response.headers.get("Cache-Control")
            body = b""
            while len(body) <= max_bytes:
                if time.monotonic() > deadline:
                    raise FetchError("too slow")
                chunk = response.read1(65536)  # what one recv gives: a trickle cannot outlast the deadline
                if not chunk:
                    break
                body += chunk
            if len(body) > max_bytes:
                raise FetchError("too large")
        document = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except FetchError:
        raise
    except Exception as exc:  # URLError, HTTPError, timeouts, resets, bad UTF-8, bad JSON, RecursionError, ...
        raise FetchError(type(exc).__name__) from exc
    keys = key_list(document)
    if keys is None:
        raise FetchError("not a JWK Set")
    return keys, max_age_of(cache_control)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


Fetcher = Callable[[str], Tuple[List[Any], Optional[float]]]


class KeySetCache:
    """The key set of ``url``, fetched on demand and cached by the contract's rules.

    - A set is used for at most ``max_age`` seconds (10 minutes), or less when
      the response's ``Cache-Control`` says so (``max-age``; ``no-store`` and
      ``no-cache`` count as 0).
    - The set is fetched at most once per ``cooldown`` seconds (30), whatever
      the reason: first use, an expired set, a kid not in the set. Failed
      fetches count too, so a key server that is down is not hammered.
    - A kid not in the cached set triggers a refetch when the cool-down allows;
      still not there, or no fetch allowed: ``UnknownKey``.
    - No set (never fetched successfully, or the set expired and the refetch
      failed), or a needed refetch that failed: ``KeysUnavailable``.
    - When a set's own lifetime is shorter than the cool-down (max-age under
      30 s), it is used until the next fetch is allowed: the cool-down wins.

    ``clock`` (default ``time.monotonic``) is injectable for tests, and so is
    ``fetch`` (default :func:`fetch_key_set` with ``timeout``). Thread-safe:
    concurrent requests share one fetch in flight.
    """

    def __init__(
        self,
        url: str,
        *,
        clock: Clock = time.monotonic,
        max_age: float = MAX_AGE_SECONDS,
        cooldown: float = COOLDOWN_SECONDS,
        timeout: float = TIMEOUT_SECONDS,
        fetch: Optional[Fetcher] = None,
    ) -> None:
        if not HAS_CRYPTO:
            raise RuntimeError("The jwks profile needs the cryptography package (pip install cryptography).")
        self.url = url
        self._clock = clock
        self._max_age = max_age
        self._cooldown = cooldown
        self._fetch: Fetcher = fetch or (lambda u: fetch_key_set(u, timeout))
        self._wait = timeout + 1.0
        self._cond = threading.Condition()
        self._keys: Optional[List[Any]] = None
        self._expires = -math.inf
        self._next_fetch = -math.inf
        self._in_flight = False
        self._generation = 0  # finished fetches
        self._last_ok = False
        self._found: Dict[Tuple[str, str], Optional[VerificationKey]] = {}
        self.fetches = 0  # fetch attempts so far (for tests and metrics)

    def get(self, kid: str, alg: str) -> VerificationKey:
        alg = canonical_alg(alg)
        tried: Optional[bool] = None  # this call saw a fetch finish: did it succeed?
        with self._cond:
            while True:
                now = self._clock()
                may_fetch = now >= self._next_fetch
                if self._keys is not None and (now < self._expires or not may_fetch):
                    found = self._lookup(kid, alg)
                    if found is not None:
                        return found
                    # Not in the set: refetch once, unless a fetch already told us,
                    # the kid is there but unusable, or the cool-down forbids it.
                    if tried is not None or self._has_kid(kid) or not (may_fetch or self._in_flight):
                        raise UnknownKey
                elif tried is not None or not (may_fetch or self._in_flight):
                    raise KeysUnavailable
                # A fetch is needed: share the one in flight, or start one.
                if self._in_flight:
                    generation = self._generation
                    self._cond.wait_for(lambda: self._generation != generation, timeout=self._wait)
                    if self._generation == generation:
                        raise KeysUnavailable  # the other fetch did not finish in time
                    tried = self._last_ok
                    if not tried:
                        raise KeysUnavailable
                    continue
                tried = self._refresh(now)
                if not tried:
                    raise KeysUnavailable

    def _refresh(self, now: float) -> bool:
        """Fetch the set (called holding the lock; the lock is released during the fetch)."""
        self._in_flight = True
        self._next_fetch = now + self._cooldown
        self.fetches += 1
        keys: Optional[List[Any]] = None
        max_age: Optional[float] = None
        try:
            self._cond.release()
            try:
                keys, max_age = self._fetch(self.url)
                if not isinstance(keys, list) or not (max_age is None or max_age >= 0):
                    raise FetchError("not a key list")
            except Exception:  # FetchError, or anything an injected fetcher raises
                keys = None
            finally:
                self._cond.acquire()
            done = self._clock()
            if keys is not None:
                self._keys = keys
                lifetime = self._max_age if max_age is None else min(self._max_age, max_age)
                self._expires = done + lifetime
                self._found = {}
            elif done >= self._expires:
                self._keys = None  # expired and not renewed: no set any more
                self._found = {}
        finally:
            self._in_flight = False
            self._last_ok = keys is not None
            self._generation += 1
            self._cond.notify_all()
        return self._last_ok

    def _lookup(self, kid: str, alg: str) -> Optional[VerificationKey]:
        if (kid, alg) not in self._found:
            assert self._keys is not None
            if len(self._found) > 1024:  # bound the memo against many distinct kids
                self._found = {}
            self._found[(kid, alg)] = find_usable_key(self._keys, kid, alg)
        return self._found[(kid, alg)]

    def _has_kid(self, kid: str) -> bool:
        assert self._keys is not None
        return any(isinstance(jwk, dict) and jwk.get("kid") == kid for jwk in self._keys[:MAX_KEYS])
