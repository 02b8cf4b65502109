"""A tiny key-set server for tests: http.server in a thread on 127.0.0.1, random port.

Serves whatever the test sets (status, body, headers, a delay) at any path and
counts the requests. It only ever serves TEST KEYs made by jwks_keys.py.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional


class KeySetServer:
    def __init__(self) -> None:
        self.status = 200
        self.body: bytes = b'{"keys": []}'
        self.headers: Dict[str, str] = {"Content-Type": "application/json"}
        self.delay = 0.0  # seconds before answering
        self.trickle: Optional[float] = None  # seconds between bytes of the body
        self.requests = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with server._lock:
                    server.requests += 1
                    status, body, headers, delay, trickle = server.status, server.body, dict(server.headers), server.delay, server.trickle
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if trickle is None:
                        self.wfile.write(body)
                    else:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/api/auth/jwks"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def serve(self, document: Any, status: int = 200, **headers: str) -> None:
        """Serve a JSON document (or raw bytes) from now on."""
        with self._lock:
            self.body = document if isinstance(document, bytes) else json.dumps(document).encode("utf-8")
            self.status = status
            self.headers = {"Content-Type": "application/json", **{k.replace("_", "-"): v for k, v in headers.items()}}

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a key server that is down)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/auth/jwks"
