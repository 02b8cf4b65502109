"""Configuration of the FastAPI verifier, read from the environment.

Environment variables:

- ``AUTH_PROFILE`` (optional, default ``hs256``): ``hs256`` (tokens signed with
  the shared secret), ``jwks`` (tokens signed by Better Auth's JWT plugin, keys
  from the app's key set) or ``both`` (a migration window: either kind).
- ``BETTER_AUTH_SECRET`` (required in ``hs256`` and ``both``): the HS256 key,
  used as the UTF-8 bytes of the variable exactly as set. It is never
  base64-decoded and never stripped (a trailing newline is part of the key).
  Same value as the Next.js app. ``jwks`` does not use it.
- ``AUTH_JWKS_URL`` (required in ``jwks`` and ``both``): the app's key set,
  e.g. ``http://localhost:3000/api/auth/jwks``.
- ``AUTH_JWT_ALG`` (optional, default ``EdDSA``): the one asymmetric algorithm
  accepted in ``jwks``/``both``: ``EdDSA`` (also written ``Ed25519``),
  ``ES256``, ``ES512``, ``RS256`` or ``PS256``.
- ``AUTH_ISSUER`` (optional): expected ``iss`` (the Better Auth base URL).
- ``AUTH_AUDIENCE`` (optional): expected ``aud`` (this API's identifier).
- ``AUTH_LEEWAY_SECONDS`` (optional, default 30): clock leeway in seconds.
- ``CORS_ORIGINS`` (optional, default ``http://localhost:3000``): comma-separated
  list of browser origins allowed to call the API.

An empty ``AUTH_ISSUER`` / ``AUTH_AUDIENCE`` means "not configured".
Nothing here ever logs or prints the secret.
"""

import math
import os
import warnings
from dataclasses import dataclass, field
from typing import Mapping, Optional, Tuple, Union
from urllib.parse import urlsplit

SECRET_ENV = "BETTER_AUTH_SECRET"
JWKS_URL_ENV = "AUTH_JWKS_URL"
DEFAULT_LEEWAY_SECONDS = 30
DEFAULT_CORS_ORIGINS: Tuple[str, ...] = ("http://localhost:3000",)
MIN_SECRET_BYTES = 32
PROFILES: Tuple[str, ...] = ("hs256", "jwks", "both")
DEFAULT_PROFILE = "hs256"
# The asymmetric algorithms of the jwks profile (Better Auth's keyPairConfig.alg);
# "Ed25519" is RFC 9864's name for EdDSA with Ed25519, the same algorithm.
JWT_ALGORITHMS: Tuple[str, ...] = ("EdDSA", "Ed25519", "ES256", "ES512", "RS256", "PS256")
DEFAULT_JWT_ALG = "EdDSA"


class SettingsError(RuntimeError):
    """The configuration is unusable: the service must not start."""


class WeakSecretWarning(UserWarning):
    """BETTER_AUTH_SECRET is shorter than recommended (the message never contains it)."""


class UnusedSecretWarning(UserWarning):
    """BETTER_AUTH_SECRET is set although AUTH_PROFILE=jwks never uses it."""


@dataclass(frozen=True)
class Settings:
    # bytes as read from the environment; a str is used as its UTF-8 bytes.
    # repr=False keeps the secret out of reprs, tracebacks and logs.
    secret: Union[bytes, str, None] = field(repr=False)
    issuer: Optional[str] = None
    audience: Optional[str] = None
    leeway: float = DEFAULT_LEEWAY_SECONDS
    cors_origins: Tuple[str, ...] = DEFAULT_CORS_ORIGINS
    profile: str = DEFAULT_PROFILE
    jwks_url: Optional[str] = None
    algorithm: str = DEFAULT_JWT_ALG

    @property
    def uses_secret(self) -> bool:
        """hs256 and both verify HS256 tokens with BETTER_AUTH_SECRET."""
        return self.profile != "jwks"

    @property
    def uses_key_set(self) -> bool:
        """jwks and both verify the configured asymmetric alg with the key set."""
        return self.profile in ("jwks", "both")

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        """Read the settings from ``environ`` (default: the process environment)."""
        if environ is None:
            env: Mapping[str, str] = os.environ
            secret = _process_secret()
        else:
            env = environ
            value = environ.get(SECRET_ENV)
            secret = None if value is None else value.encode("utf-8", "surrogateescape")
        return cls(
            secret=secret,
            issuer=env.get("AUTH_ISSUER") or None,
            audience=env.get("AUTH_AUDIENCE") or None,
            leeway=_parse_leeway(env.get("AUTH_LEEWAY_SECONDS")),
            cors_origins=_parse_origins(env.get("CORS_ORIGINS")),
            profile=(env.get("AUTH_PROFILE") or "").strip().lower() or DEFAULT_PROFILE,
            jwks_url=(env.get(JWKS_URL_ENV) or "").strip() or None,
            algorithm=(env.get("AUTH_JWT_ALG") or "").strip() or DEFAULT_JWT_ALG,
        )

    def validate(self) -> None:
        """Refuse what the profile needs and lacks (contract check 0 at start-up); warn about a short secret.

        hs256: BETTER_AUTH_SECRET. jwks: AUTH_JWKS_URL (an http or https URL) and
        a known AUTH_JWT_ALG, no secret. both: all of them.
        """
        if self.profile not in PROFILES:
            raise SettingsError(f"AUTH_PROFILE must be one of {', '.join(PROFILES)}: refusing to start.")
        if self.uses_key_set:
            if self.algorithm not in JWT_ALGORITHMS:
                raise SettingsError(
                    f"AUTH_JWT_ALG must be one of {', '.join(JWT_ALGORITHMS)} (HS256 belongs to the hs256 "
                    "profile): refusing to start."
                )
            if not self.jwks_url:
                raise SettingsError(
                    f"{JWKS_URL_ENV} is not set or empty: refusing to start. AUTH_PROFILE={self.profile} reads "
                    "the signing keys from the Next.js app's key set, e.g. http://localhost:3000/api/auth/jwks."
                )
            parts = urlsplit(self.jwks_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SettingsError(f"{JWKS_URL_ENV} must be an http:// or https:// URL: refusing to start.")
        if not self.uses_secret:
            if self.secret:
                warnings.warn(
                    f"{SECRET_ENV} is set but AUTH_PROFILE=jwks never uses it; remove it from this "
                    "service's environment (it can forge Better Auth sessions).",
                    UnusedSecretWarning,
                    stacklevel=2,
                )
            return
        if not self.secret:
            raise SettingsError(
                f"{SECRET_ENV} is not set or empty: refusing to start. Set it to the same "
                "value as the Next.js app (generate one with `openssl rand -base64 32`)."
            )
        if len(secret_bytes(self.secret)) < MIN_SECRET_BYTES:
            warnings.warn(
                f"{SECRET_ENV} is shorter than {MIN_SECRET_BYTES} bytes; use at least "
                f"{MIN_SECRET_BYTES} bytes of randomness (`openssl rand -base64 32`).",
                WeakSecretWarning,
                stacklevel=2,
            )


def secret_bytes(secret: Union[bytes, str]) -> bytes:
    """The HMAC key: the UTF-8 bytes of the secret, as is (no base64, no trimming).

    A str holding lone surrogates (not valid Unicode) is encoded the way a
    JavaScript TextEncoder does it, with each lone surrogate replaced by U+FFFD,
    so the key is the same as on the Node.js side.
    """
    if isinstance(secret, bytes):
        return secret
    try:
        return secret.encode("utf-8")
    except UnicodeEncodeError:
        repaired = secret.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return repaired.encode("utf-8")


def _process_secret() -> Optional[bytes]:
    # The raw bytes of the variable, independent of the locale's encoding.
    if os.supports_bytes_environ:
        return os.environb.get(SECRET_ENV.encode("ascii"))
    value = os.environ.get(SECRET_ENV)
    return None if value is None else value.encode("utf-8")


def _parse_leeway(value: Optional[str]) -> float:
    if value is None or value.strip() == "":
        return DEFAULT_LEEWAY_SECONDS
    try:
        leeway: float = int(value)
    except ValueError:
        try:
            leeway = float(value)
        except ValueError:
            raise SettingsError("AUTH_LEEWAY_SECONDS must be a number of seconds.") from None
    if not math.isfinite(leeway) or leeway < 0:
        raise SettingsError("AUTH_LEEWAY_SECONDS must be a finite number >= 0.")
    return leeway


def _parse_origins(value: Optional[str]) -> Tuple[str, ...]:
    if value is None:
        return DEFAULT_CORS_ORIGINS
    return tuple(origin.strip() for origin in value.split(",") if origin.strip())
