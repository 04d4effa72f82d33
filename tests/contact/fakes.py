"""Fake providers that speak the real protocols, on 127.0.0.1 only.

Each is a real server the backends reach over sockets, so requests, encodings,
timeouts and refused connections are the real thing.
"""

import asyncio
import contextlib
import email
import email.policy
import itertools
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    raw: bytes
    body: object = None  # parsed JSON or form, by the content type


@dataclass
class Answer:
    status: int
    body: object  # dict (sent as JSON) or bytes


@dataclass
class _Failure:
    answer: Answer | None = None
    hang: float = 0.0


class FakeHttpProvider:
    """A ThreadingHTTPServer in a thread, on a free port of 127.0.0.1."""

    def __init__(self):
        self.requests: list[Recorded] = []
        self._failure = _Failure()
        self._release = threading.Event()
        self._ids = itertools.count(5452899970)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                provider._handle(self)

            def do_POST(self):
                provider._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._running = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self._thread.start()
        self._running = True
        return self

    def stop(self):
        """Stop listening: the next request meets a refused connection."""
        if self._running:
            self._release.set()
            self.server.shutdown()
            self.server.server_close()
            self._running = False

    # Telling it to fail.
    def fail_with(self, status: int, body: object):
        self._failure = _Failure(answer=Answer(status, body))

    def hang(self, seconds: float = 5.0):
        """Answer nothing for `seconds` (past the client's timeout)."""
        self._failure = _Failure(hang=seconds)

    def slow(self, seconds: float):
        """Answer every request, each after `seconds`."""
        self._delay = seconds

    def recover(self):
        self._failure = _Failure()

    def next_id(self) -> int:
        return next(self._ids)

    def answer(self, recorded: Recorded) -> Answer:
        raise NotImplementedError

    def _handle(self, handler: BaseHTTPRequestHandler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        content_type = handler.headers.get("Content-Type", "")
        body = None
        if "json" in content_type:
            body = json.loads(raw.decode("utf-8"))
        elif "x-www-form-urlencoded" in content_type:
            body = {k: v[0] for k, v in parse_qs(raw.decode("ascii")).items()}
        recorded = Recorded(
            method=handler.command,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query).items()},
            headers=dict(handler.headers.items()),
            raw=raw,
            body=body,
        )
        self.requests.append(recorded)
        failure = self._failure
        if failure.hang:
            self._release.wait(failure.hang)
            return
        if getattr(self, "_delay", 0):
            self._release.wait(self._delay)
        answer = failure.answer or self.answer(recorded)
        payload = (
            answer.body
            if isinstance(answer.body, bytes)
            else json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        )
        handler.send_response(answer.status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    @property
    def last(self) -> Recorded:
        return self.requests[-1]


class FakeSmsGateway(FakeHttpProvider):
    """Answers like Taqnyat (default), Unifonic or Msegat: `shape`."""

    def __init__(self, shape: str = "taqnyat"):
        super().__init__()
        self.shape = shape

    @property
    def url(self) -> str:
        return {
            "taqnyat": f"{self.base_url}/v1/messages",
            "unifonic": f"{self.base_url}/rest/SMS/messages",
            "msegat": f"{self.base_url}/gw/sendsms.php",
        }[self.shape]

    def answer(self, recorded):
        if self.shape == "unifonic":
            return Answer(
                200,
                {
                    "success": True,
                    "message": "",
                    "errorCode": "ER-00",
                    "data": {"MessageID": self.next_id(), "Status": "Sent"},
                },
            )
        if self.shape == "msegat":
            return Answer(200, {"code": "1", "message": "Success"})
        to = (recorded.body or {}).get("recipients", [""])[0]
        return Answer(
            201,
            {
                "statusCode": 201,
                "messageId": self.next_id(),
                "cost": "0.0800",
                "currency": "SAR",
                "totalCount": 1,
                "msgLength": 1,
                "accepted": f"[{to},]",
                "rejected": "[]",
            },
        )

    def refuse(self):
        """The gateway's own way of saying no to this number."""
        self.fail_with(*REFUSALS[self.shape])


REFUSALS = {
    "taqnyat": (400, {"statusCode": 400, "message": "Invalid recipients"}),
    "unifonic": (
        200,
        {
            "success": False,
            "message": "Dest num is too short",
            "errorCode": "ER-04",
            "data": {},
        },
    ),
    "msegat": (200, {"code": "1120", "message": "Mobile numbers is not correct"}),
}


class FakeWhatsApp(FakeHttpProvider):
    """The WhatsApp Cloud API's messages endpoint."""

    version = "v23.0"
    phone_number_id = "109876543210"

    def answer(self, recorded):
        to = (recorded.body or {}).get("to", "")
        return Answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.HBgM{self.next_id()}"}],
            },
        )

    def fail_with_error(self, status: int, code: int, message: str = "error"):
        self.fail_with(
            status,
            {
                "error": {
                    "message": message,
                    "type": "OAuthException",
                    "code": code,
                    "fbtrace_id": "AbCdEf",
                }
            },
        )


# SMTP, through aiosmtpd.


def free_port() -> int:
    """aiosmtpd's Controller cannot take port 0: it checks the port it was given."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpCollector:
    """Accepts mail; addresses at reject.test get 550, at later.test 451."""

    messages: list = field(default_factory=list)
    envelopes: list = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@reject.test"):
            return "550 5.1.1 mailbox unavailable"
        if address.endswith("@later.test"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


class FakeSmtpServer:
    def __init__(self):
        self.handler = SmtpCollector()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        # Already stopped by the test: nothing to do.
        with contextlib.suppress(RuntimeError, AssertionError, asyncio.CancelledError):
            self.controller.stop()
