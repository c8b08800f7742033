"""A local webhook receiver (http.server on 127.0.0.1, random port, in a thread) for tests.

``fail_first`` answers 500 to that many requests first; ``always_fail`` answers 500 to everything.
``received`` keeps every accepted request (body id, ``X-Shuangfang-Id`` header, body, signature ok);
``ids()`` the body ids, ``header_keys()`` the idempotency-key headers."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from backend.notifications.dispatch import KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


class Receiver:
    def __init__(self, secret: str = "s3cret", *, fail_first: int = 0, always_fail: bool = False):
        self.secret = secret
        self.fail_first = fail_first
        self.always_fail = always_fail
        self.lock = threading.Lock()
        self.requests = 0
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    fail = receiver.always_fail or receiver.requests <= receiver.fail_first
                    if not fail:
                        ts = self.headers.get(TIMESTAMP_HEADER, "")
                        receiver.received.append({
                            "id": json.loads(body)["id"], "key": self.headers.get(KEY_HEADER, ""),
                            "body": body, "timestamp": ts,
                            "signature_ok": verify(receiver.secret, ts, body, self.headers.get(SIGNATURE_HEADER, "")),
                        })
                self.send_response(500 if fail else 200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def ids(self) -> list[str]:
        with self.lock:
            return [r["id"] for r in self.received]

    def header_keys(self) -> list[str]:
        with self.lock:
            return [r["key"] for r in self.received]
