"""End to end: `uvicorn app:app` on 127.0.0.1, spoken to over a real socket.

This is the path a deployment takes (h11 parses the headers), and the one
place where two Authorization headers reach the app exactly as a client sent them.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from tokens import TEST_SECRET, b64url, claims, segment, signature

APP_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[Tuple[str, int]]:
    yield from run_uvicorn({"BETTER_AUTH_SECRET": TEST_SECRET})  # test secret only


def run_uvicorn(app_env: Dict[str, str]) -> Iterator[Tuple[str, int]]:
    port = free_port()
    env = {key: os.environ[key] for key in ("PATH", "LANG") if key in os.environ}
    env.update(app_env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=APP_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Generous on a busy machine; a start that fails ends the wait at once (the process exits).
        deadline = time.monotonic() + 60
        started = False
        while not started:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    started = True
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        if not started:
            # Stop it before reading what it wrote: a uvicorn still running never closes its stderr.
            proc.terminate()
            try:
                _, errors = proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, errors = proc.communicate(timeout=10)
            raise RuntimeError("uvicorn did not start within 60 s: " + (errors or b"").decode(errors="replace"))
        yield ("127.0.0.1", port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


def live_token() -> str:
    now = int(time.time())
    h = segment({"alg": "HS256", "typ": "JWT"})
    p = segment(claims(iat=now, exp=now + 900, role="admin"))
    return f"{h}.{p}.{signature(h, p)}"


def raw_get(address: Tuple[str, int], path: str, headers: List[Tuple[str, str]]) -> Tuple[int, Dict[str, str], bytes]:
    """One GET over a socket, headers sent exactly as given (repeats allowed)."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {address[0]}:{address[1]}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    response_headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), response_headers, body


def test_healthz(server: Tuple[str, int]) -> None:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    assert response.status == 200 and json.loads(response.read()) == {"status": "ok"}


def test_valid_token(server: Tuple[str, int]) -> None:
    status, _, body = raw_get(server, "/api/admin/stats", [("Authorization", "Bearer " + live_token())])
    assert status == 200 and json.loads(body)["requested_by"] == "user_123"


def test_two_authorization_headers(server: Tuple[str, int]) -> None:
    tok = live_token()
    status, headers, body = raw_get(server, "/api/me", [("Authorization", "Bearer " + tok), ("Authorization", "Bearer " + tok)])
    assert status == 400
    assert json.loads(body) == {"detail": "Send exactly one Authorization header.", "code": "duplicate_credentials"}
    assert headers["www-authenticate"] == 'Bearer realm="api", error="invalid_request"'


def test_missing_token(server: Tuple[str, int]) -> None:
    status, headers, body = raw_get(server, "/api/me", [])
    assert status == 401 and json.loads(body)["code"] == "missing_token"
    assert headers["www-authenticate"] == 'Bearer realm="api"'


def test_forged_token(server: Tuple[str, int]) -> None:
    h, p, _ = live_token().split(".")
    forged = f"{h}.{p}.{b64url(b'0' * 32)}"
    status, _, body = raw_get(server, "/api/me", [("Authorization", "Bearer " + forged)])
    assert status == 401 and json.loads(body)["code"] == "bad_signature"


def test_preflight(server: Tuple[str, int]) -> None:
    conn = http.client.HTTPConnection(*server, timeout=10)
    conn.request(
        "OPTIONS",
        "/api/me",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    assert response.getheader("access-control-allow-origin") == "http://localhost:3000"


def test_security_headers_over_a_real_socket(server: Tuple[str, int]) -> None:
    status, headers, _ = raw_get(server, "/api/me", [])
    assert status == 401
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in headers  # plain HTTP
    # uvicorn applies X-Forwarded-Proto only from --forwarded-allow-ips, 127.0.0.1 by
    # default: a TLS proxy on the same host is believed (a remote client would not be).
    _, headers, _ = raw_get(server, "/healthz", [("X-Forwarded-Proto", "https")])
    assert headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains"


def test_jwks_profile_end_to_end(key_server: Any) -> None:
    from jwks_keys import make_key, public_jwk, signed

    key = make_key("ed25519")  # TEST KEY
    key_server.serve({"keys": [public_jwk(key, "test-key-1", alg="EdDSA", use="sig")]})
    now = int(time.time())
    env = {"AUTH_PROFILE": "jwks", "AUTH_JWKS_URL": key_server.url}  # no BETTER_AUTH_SECRET at all
    for address in run_uvicorn(env):
        tok = signed(key, payload=claims(iat=now, exp=now + 900, role="admin"))
        status, _, body = raw_get(address, "/api/admin/stats", [("Authorization", "Bearer " + tok)])
        assert status == 200 and json.loads(body)["requested_by"] == "user_123"
        status, headers, body = raw_get(address, "/api/me", [("Authorization", "Bearer " + live_token())])
        assert status == 401 and json.loads(body)["code"] == "unsupported_alg"
        key_server.status = 500
        status, headers, body = raw_get(address, "/api/me", [("Authorization", "Bearer " + signed(key, kid="other"))])
        assert status == 401 and json.loads(body)["code"] == "unknown_key"  # within the 30 s cool-down
        assert key_server.requests == 1
