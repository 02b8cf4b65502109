"""Settings from the environment, and start-up behaviour of `app` in a subprocess."""

import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Dict, Optional

import pytest

from settings import Settings, SettingsError, UnusedSecretWarning, WeakSecretWarning
from tokens import TEST_SECRET

APP_DIR = Path(__file__).resolve().parents[1]


def clean_env(**extra: str) -> Dict[str, str]:
    """A minimal environment without any of the app's variables."""
    env = {key: os.environ[key] for key in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT") if key in os.environ}
    env.update(extra)
    return env


def run_python(code: str, env: Dict[str, str], timeout: float = 60) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-c", code], cwd=APP_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_defaults() -> None:
    settings = Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET})
    assert settings.secret == TEST_SECRET.encode("utf-8")
    assert settings.issuer is None and settings.audience is None
    assert settings.leeway == 30
    assert settings.cors_origins == ("http://localhost:3000",)


def test_all_variables() -> None:
    settings = Settings.from_env(
        {
            "BETTER_AUTH_SECRET": TEST_SECRET,
            "AUTH_ISSUER": "http://localhost:3000",
            "AUTH_AUDIENCE": "http://localhost:8000",
            "AUTH_LEEWAY_SECONDS": "5",
            "CORS_ORIGINS": " https://a.example , https://b.example,, ",
        }
    )
    assert settings.issuer == "http://localhost:3000"
    assert settings.audience == "http://localhost:8000"
    assert settings.leeway == 5
    assert settings.cors_origins == ("https://a.example", "https://b.example")


def test_empty_issuer_and_audience_are_not_configured() -> None:
    settings = Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET, "AUTH_ISSUER": "", "AUTH_AUDIENCE": ""})
    assert settings.issuer is None and settings.audience is None


def test_secret_is_neither_stripped_nor_decoded() -> None:
    secret = " c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==\n"  # test secret only
    assert Settings.from_env({"BETTER_AUTH_SECRET": secret}).secret == secret.encode("utf-8")


def test_secret_is_kept_out_of_repr() -> None:
    assert TEST_SECRET not in repr(Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET}))


@pytest.mark.parametrize("value, expected", [("0", 0), ("2.5", 2.5), ("", 30), (" ", 30)])
def test_leeway_values(value: str, expected: float) -> None:
    assert Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET, "AUTH_LEEWAY_SECONDS": value}).leeway == expected


@pytest.mark.parametrize("value", ["-1", "abc", "nan", "inf"])
def test_bad_leeway_refuses(value: str) -> None:
    with pytest.raises(SettingsError, match="AUTH_LEEWAY_SECONDS"):
        Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET, "AUTH_LEEWAY_SECONDS": value})


@pytest.mark.parametrize("environ", [{}, {"BETTER_AUTH_SECRET": ""}])
def test_missing_secret_refuses(environ: Dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="BETTER_AUTH_SECRET"):
        Settings.from_env(environ).validate()


def test_short_secret_warns_without_printing_it() -> None:
    short = "short-test-secret"  # test secret only
    with pytest.warns(WeakSecretWarning) as record:
        Settings.from_env({"BETTER_AUTH_SECRET": short}).validate()
    assert all(short not in str(w.message) for w in record)


def test_long_secret_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET}).validate()


def test_secret_is_read_as_raw_bytes_from_the_process_env() -> None:
    code = "from settings import Settings; print(Settings.from_env().secret.hex())"
    secret = TEST_SECRET + "\n"
    result = run_python(code, clean_env(BETTER_AUTH_SECRET=secret))
    assert result.returncode == 0, result.stderr
    assert bytes.fromhex(result.stdout.strip()) == secret.encode("utf-8")


# --- start-up in a subprocess -------------------------------------------------


@pytest.mark.parametrize("secret", [None, ""])
def test_import_app_without_secret_exits_nonzero(secret: Optional[str]) -> None:
    env = clean_env() if secret is None else clean_env(BETTER_AUTH_SECRET=secret)
    result = run_python("import app", env)
    assert result.returncode != 0
    assert "BETTER_AUTH_SECRET is not set or empty: refusing to start" in result.stderr


def test_uvicorn_without_secret_exits_nonzero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", "0"],
        cwd=APP_DIR,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "BETTER_AUTH_SECRET" in result.stderr + result.stdout


def test_import_app_with_short_secret_warns_without_leaking() -> None:
    short = "tiny-test-secret-value"  # test secret only
    result = run_python("import app; print('started')", clean_env(BETTER_AUTH_SECRET=short))
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
    assert "shorter than 32 bytes" in result.stderr
    assert short not in result.stderr + result.stdout


# --- profiles: hs256 (default), jwks, both ------------------------------------------

JWKS_URL = "http://localhost:3000/api/auth/jwks"


def test_profile_defaults() -> None:
    settings = Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET})
    assert (settings.profile, settings.jwks_url, settings.algorithm) == ("hs256", None, "EdDSA")
    assert settings.uses_secret and not settings.uses_key_set


@pytest.mark.parametrize("value, expected", [("", "hs256"), ("jwks", "jwks"), (" JWKS ", "jwks"), ("both", "both"), ("hs256", "hs256")])
def test_profile_values(value: str, expected: str) -> None:
    assert Settings.from_env({"AUTH_PROFILE": value}).profile == expected


def test_jwks_needs_no_secret() -> None:
    settings = Settings.from_env({"AUTH_PROFILE": "jwks", "AUTH_JWKS_URL": JWKS_URL})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        settings.validate()
    assert settings.jwks_url == JWKS_URL and not settings.uses_secret and settings.uses_key_set


def test_jwks_warns_about_an_unused_secret_without_printing_it() -> None:
    settings = Settings.from_env({"AUTH_PROFILE": "jwks", "AUTH_JWKS_URL": JWKS_URL, "BETTER_AUTH_SECRET": TEST_SECRET})
    with pytest.warns(UnusedSecretWarning) as record:
        settings.validate()
    assert all(TEST_SECRET not in str(w.message) for w in record)


@pytest.mark.parametrize("url", [None, "", "   "])
def test_jwks_without_url_refuses(url: Optional[str]) -> None:
    environ = {"AUTH_PROFILE": "jwks"} if url is None else {"AUTH_PROFILE": "jwks", "AUTH_JWKS_URL": url}
    with pytest.raises(SettingsError, match="AUTH_JWKS_URL is not set or empty: refusing to start"):
        Settings.from_env(environ).validate()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/jwks", "localhost:3000/api/auth/jwks", "http://"])
def test_jwks_url_must_be_http(url: str) -> None:
    with pytest.raises(SettingsError, match="AUTH_JWKS_URL must be an http"):
        Settings.from_env({"AUTH_PROFILE": "jwks", "AUTH_JWKS_URL": url}).validate()


def test_both_needs_the_secret_and_the_url() -> None:
    with pytest.raises(SettingsError, match="BETTER_AUTH_SECRET is not set or empty"):
        Settings.from_env({"AUTH_PROFILE": "both", "AUTH_JWKS_URL": JWKS_URL}).validate()
    with pytest.raises(SettingsError, match="AUTH_JWKS_URL is not set or empty"):
        Settings.from_env({"AUTH_PROFILE": "both", "BETTER_AUTH_SECRET": TEST_SECRET}).validate()
    Settings.from_env({"AUTH_PROFILE": "both", "AUTH_JWKS_URL": JWKS_URL, "BETTER_AUTH_SECRET": TEST_SECRET}).validate()


@pytest.mark.parametrize("alg", ["EdDSA", "Ed25519", "ES256", "ES512", "RS256", "PS256"])
def test_key_set_algorithms(alg: str) -> None:
    settings = Settings.from_env({"AUTH_PROFILE": "jwks", "AUTH_JWKS_URL": JWKS_URL, "AUTH_JWT_ALG": alg})
    settings.validate()
    assert settings.algorithm == alg


@pytest.mark.parametrize("alg", ["HS256", "none", "eddsa", "ES384", "RS512", "EdDSA,ES256"])
def test_other_algorithms_refuse(alg: str) -> None:
    with pytest.raises(SettingsError, match="AUTH_JWT_ALG must be one of"):
        Settings.from_env({"AUTH_PROFILE": "jwks", "AUTH_JWKS_URL": JWKS_URL, "AUTH_JWT_ALG": alg}).validate()


def test_hs256_ignores_the_key_set_variables() -> None:
    Settings.from_env({"BETTER_AUTH_SECRET": TEST_SECRET, "AUTH_JWT_ALG": "HS256", "AUTH_JWKS_URL": "file:///x"}).validate()


@pytest.mark.parametrize("profile", ["HS512", "jwt", "none"])
def test_unknown_profile_refuses(profile: str) -> None:
    with pytest.raises(SettingsError, match="AUTH_PROFILE must be one of hs256, jwks, both"):
        Settings.from_env({"AUTH_PROFILE": profile, "BETTER_AUTH_SECRET": TEST_SECRET}).validate()


def test_import_app_jwks_without_url_exits_nonzero() -> None:
    result = run_python("import app", clean_env(AUTH_PROFILE="jwks"))
    assert result.returncode != 0
    assert "AUTH_JWKS_URL is not set or empty: refusing to start" in result.stderr


def test_import_app_jwks_with_url_starts_without_a_secret_and_fetches_nothing() -> None:
    # The URL points nowhere: nothing is fetched until a token needs a key.
    env = clean_env(AUTH_PROFILE="jwks", AUTH_JWKS_URL="http://127.0.0.1:9/api/auth/jwks")
    result = run_python("import app; print('started', app.app.state.auth_keys.fetches)", env)
    assert result.returncode == 0, result.stderr
    assert "started 0" in result.stdout


def test_import_app_both_without_secret_exits_nonzero() -> None:
    result = run_python("import app", clean_env(AUTH_PROFILE="both", AUTH_JWKS_URL=JWKS_URL))
    assert result.returncode != 0
    assert "BETTER_AUTH_SECRET is not set or empty: refusing to start" in result.stderr


def test_uvicorn_jwks_without_url_exits_nonzero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", "0"],
        cwd=APP_DIR,
        env=clean_env(AUTH_PROFILE="jwks"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "AUTH_JWKS_URL" in result.stderr + result.stdout
