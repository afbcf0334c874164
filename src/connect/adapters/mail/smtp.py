"""Alerts by SMTP (``smtplib``): ``CONNECT_SMTP_URL``."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_SENDER = "connect@localhost"


class SmtpMailer:
    """Sends through the server of ``url``:

    - ``smtp://[user:password@]host[:port]`` (port 25), plain unless ``?starttls=true``;
    - ``smtps://...`` (port 465), TLS from the first byte.

    ``?from=alerts@example.org`` sets the sender (default ``connect@localhost``). The
    certificate is verified against the system's CAs. Each message opens one
    connection; ``timeout`` bounds every step of it.
    """

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self._tls = parts.scheme == "smtps"
        self._starttls = query.get("starttls", ["false"])[0].lower() in ("true", "1", "yes")
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (465 if self._tls else 25)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self.sender = query.get("from", [DEFAULT_SENDER])[0]
        self._timeout = timeout

    def __repr__(self) -> str:
        # NOTE: never the password, wherever this object is printed or logged.
        return f"SmtpMailer({'smtps' if self._tls else 'smtp'}://{self._host}:{self._port})"

    def send(self, recipients: Sequence[str], subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(recipients)
        message["Subject"] = subject
        message.set_content(body)
        try:
            client: smtplib.SMTP
            if self._tls:
                verified = ssl.create_default_context()
                client = smtplib.SMTP_SSL(
                    self._host, self._port, timeout=self._timeout, context=verified
                )
            else:
                client = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            with client:
                if self._starttls:
                    client.starttls(context=ssl.create_default_context())
                if self._user is not None:
                    client.login(self._user, self._password or "")
                client.send_message(message)
        except ValueError as e:  # a header the email package refuses
            raise OSError(f"message refused before sending: {e}") from e
