"""A fake GOV.UK Notify API on loopback: the one fake allowed, since the real
service cannot be reached from here. It checks the client's JWT the way
Notify does and keeps what it was sent."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"czrm_test-{SERVICE_ID}-{SECRET}"


class FakeNotify:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.statuses: dict[str, str] = {}
        self.fail_with: tuple[int, str] | None = None
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
                except jwt.PyJWTError:
                    return False
                return claims.get("iss") == SERVICE_ID

            def do_POST(self) -> None:  # noqa: N802
                if not self._authorised():
                    return self._reply(
                        403,
                        {
                            "status_code": 403,
                            "errors": [{"error": "AuthError", "message": "Invalid token"}],
                        },
                    )
                if fake.fail_with is not None:
                    status, message = fake.fail_with
                    return self._reply(
                        status,
                        {"status_code": status, "errors": [{"error": "Error", "message": message}]},
                    )
                kind = self.path.rsplit("/", 1)[-1]
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                record = {"id": str(uuid.uuid4()), "type": kind, **payload}
                with fake.lock:
                    fake.sent.append(record)
                    fake.statuses[record["id"]] = "sending"
                self._reply(
                    201,
                    {
                        "id": record["id"],
                        "reference": payload.get("reference"),
                        "content": {},
                        "uri": "",
                        "template": {},
                    },
                )

            def do_GET(self) -> None:  # noqa: N802
                if not self._authorised():
                    return self._reply(
                        403,
                        {
                            "status_code": 403,
                            "errors": [{"error": "AuthError", "message": "Invalid token"}],
                        },
                    )
                url = urlparse(self.path)
                if url.path == "/v2/notifications":
                    reference = parse_qs(url.query).get("reference", [None])[0]
                    found = [
                        {
                            "id": r["id"],
                            "reference": r.get("reference"),
                            "status": fake.statuses[r["id"]],
                        }
                        for r in fake.sent
                        if r.get("reference") == reference
                    ]
                    return self._reply(200, {"notifications": found, "links": {}})
                notification_id = url.path.rsplit("/", 1)[-1]
                if notification_id not in fake.statuses:
                    return self._reply(
                        404,
                        {
                            "status_code": 404,
                            "errors": [{"error": "NoResultFound", "message": "No result found"}],
                        },
                    )
                self._reply(200, {"id": notification_id, "status": fake.statuses[notification_id]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeNotify:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
