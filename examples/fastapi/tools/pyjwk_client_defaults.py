#!/usr/bin/env python3
"""What PyJWT's PyJWKClient, used the way most tutorials use it, does with the key-set vectors.

Usage (from examples/fastapi): python -m tools.pyjwk_client_defaults path/to/vectors.json

For every vector of the ``jwks`` profile that sends exactly one Authorization
header and whose ``keys`` is a JWK Set (not "unavailable", not absent), the
vector's key set is served from a local HTTP server (127.0.0.1, a random port,
one server for the whole run whose document is swapped per vector), the token
is taken out the way FastAPI's HTTPBearer does it (as in pyjwt_defaults.py),
and a fresh client (so no cache carries over from one vector to the next) runs

    client = PyJWKClient(url)
    signing_key = client.get_signing_key_from_jwt(token)
    jwt.decode(token, signing_key.key, algorithms=[<configured algorithm>],
               leeway=leeway, audience=<if configured>, issuer=<if configured>)

with PyJWT's clock frozen at the vector's ``now``. Output: JSON lines, first
{"pyjwt_version": ...}, then one line per vector:
{"name", "expected": "accept"|"reject", "pyjwt": "accept"|"reject", "error"}
where error is the exception class name (null when accepted, "HTTPBearer"
when the header is refused before PyJWT sees a token). An unexpected
exception is a result like any other: the script never stops on a vector.
"""

import json
import os
import sys
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional

import jwt
from jwt import PyJWKClient

from tools.pyjwt_defaults import clock_freeze_works, decode_options, frozen_pyjwt_clock, judge


class KeySetServer:
    """Serves one JSON document at any path on 127.0.0.1 (random port); swap it with serve()."""

    def __init__(self) -> None:
        self._body = b'{"keys": []}'
        self._lock = threading.Lock()
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with server._lock:
                    server.requests += 1
                    body = server._body
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # stdout and stderr stay quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/api/auth/jwks"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def serve(self, document: Any) -> None:
        with self._lock:
            self._body = json.dumps(document).encode("utf-8")

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def is_key_set_vector(vector: Dict[str, Any]) -> bool:
    """A jwks-profile vector whose backend holds a JWK Set (the vectors this tool runs)."""
    request = vector.get("request") or {}
    keys = request.get("keys")
    return request.get("profile") == "jwks" and isinstance(keys, dict) and isinstance(keys.get("keys"), list)


def run_vector(vector: Dict[str, Any], server: KeySetServer) -> Optional[Dict[str, Any]]:
    """PyJWKClient's answer to one vector, or None when it is not a single-header jwks vector with a key set."""
    if not is_key_set_vector(vector):
        return None

    def decode(token: str, request: Any) -> None:
        server.serve(vector["request"]["keys"])
        settings = request.settings
        client = PyJWKClient(server.url)  # a fresh client: nothing cached from the previous vector
        signing_key = client.get_signing_key_from_jwt(token)
        with frozen_pyjwt_clock(request.now):
            jwt.decode(token, signing_key.key, **decode_options(settings, [settings.algorithm]))

    return judge(vector, decode)


def main(argv: list) -> int:
    if len(argv) != 2:
        print("usage: python -m tools.pyjwk_client_defaults VECTORS_JSON", file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")  # stdout stays JSON
    if not clock_freeze_works():
        print(f"cannot freeze the clock of PyJWT {jwt.__version__}", file=sys.stderr)
        return 2
    for name in ("no_proxy", "NO_PROXY"):  # the key set is local: never ask a proxy from the environment
        os.environ[name] = ",".join(part for part in (os.environ.get(name), "127.0.0.1") if part)
    with open(argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    print(json.dumps({"pyjwt_version": jwt.__version__}))
    server = KeySetServer()
    try:
        for vector in document["vectors"]:
            result = run_vector(vector, server)
            if result is not None:
                print(json.dumps(result, ensure_ascii=False))
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
