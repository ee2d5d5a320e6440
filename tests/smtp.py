"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, with Django's SMTP backend pointed at it.

    def test_notice(smtp_server):
        ...  # something that sends
        message = smtp_server.to("chair@example.se")[0]
        calendar = smtp_server.calendar(message)   # icalendar.Calendar or None

The messages are what the server received over the wire, parsed with the standard library.
"""

from __future__ import annotations

import email
import email.policy
import socket
import time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller: Controller, collector: _Collector) -> None:
        self.controller = controller
        self._collector = collector

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self._collector.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [
            message
            for message, (_, rcpts) in zip(
                self._collector.messages, self._collector.envelopes, strict=True
            )
            if address in rcpts
        ]

    def clear(self) -> None:
        self._collector.messages.clear()
        self._collector.envelopes.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self._collector.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    @staticmethod
    def text(message: EmailMessage) -> str:
        """The plain-text body."""
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @staticmethod
    def calendar(message: EmailMessage) -> Calendar | None:
        """The text/calendar part, parsed with icalendar (RFC 5545), or None."""
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                return Calendar.from_ical(part.get_payload(decode=True))
        return None

    @staticmethod
    def calendar_method(message: EmailMessage) -> str | None:
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                return part.get_param("method")
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield SmtpServer(controller, collector)
    finally:
        controller.stop()
