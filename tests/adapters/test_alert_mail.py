"""E-mail alerts against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from connect.bootstrap import Connect, alert_mail, bootstrap, sqlite_storage
from connect.config import Config, ConfigError
from connect.domain.keys import Principal, Scope
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration
from connect.ports.sender import SendResult
from connect.testing import FixedEntropy, ManualClock, RecordingSender, Sha256Hasher

PASSWORD = "s3cret-pass-word"
FORM = SubmissionFields(speaker_name="Ferris", talk_context="Borrowing", is_on_behalf=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """The aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        self.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 OK"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield inbox, port
    controller.stop()


def connected(tmp_path: Path, smtp_url: str, sender: RecordingSender) -> Connect:
    config = Config(
        db=str(tmp_path / "connect.db"),
        retry_schedule=(0,),
        smtp_url=smtp_url,
        alert_email=("orga@example.org", "second@example.org"),
    )
    uow = sqlite_storage(config)
    uow.migrate()
    return bootstrap(
        config,
        uow,
        clock=ManualClock(),
        entropy=FixedEntropy(4),
        hasher=Sha256Hasher(),
        sender=sender,
    )


def given_up(connect: Connect) -> int:
    key = connect.keys.create(
        name="o", scopes=frozenset({Scope.WEBHOOKS_MANAGE}), mode=Mode.LIVE, created_by="t"
    ).key
    hook = connect.webhooks.register(
        Principal.of(key),
        WebhookRegistration(url="https://down.example.com/in", events=["submission.created"]),
    ).webhook
    connect.submissions.submit_form(FORM)
    assert connect.worker(concurrency=1).run_once() == 1
    return hook.id


def test_a_given_up_delivery_mails_the_organizers(smtp, tmp_path, caplog) -> None:
    inbox, port = smtp
    caplog.set_level(logging.INFO)
    down = RecordingSender(default=SendResult(status_code=503, duration_ms=2))
    connect = connected(
        tmp_path, f"smtp://connect:{PASSWORD}@127.0.0.1:{port}?from=alerts@example.org", down
    )
    try:
        hook = given_up(connect)
        assert connect.alerts is not None and connect.alerts.wait(10)
    finally:
        connect.close()
    ((recipients, message),) = inbox.messages
    assert recipients == ("orga@example.org", "second@example.org")
    assert message["From"] == "alerts@example.org"
    assert message["Subject"] == f"[Connect] delivery 1 to webhook {hook} given up"
    text = message.get_payload(decode=True).decode()
    assert "HTTP 503" in text and f"connect webhooks recover {hook}" in text
    assert PASSWORD not in caplog.text


def test_a_wrong_password_or_a_dead_server_is_logged_and_the_worker_goes_on(
    smtp, tmp_path, caplog
) -> None:
    inbox, port = smtp
    urls = (
        f"smtp://connect:wrong-{PASSWORD}@127.0.0.1:{port}",
        f"smtp://connect:{PASSWORD}@127.0.0.1:{free_port()}",  # nothing listens
    )
    for n, url in enumerate(urls):
        (tmp_path / str(n)).mkdir()
        caplog.clear()
        down = RecordingSender(default=SendResult(status_code=500, duration_ms=2))
        connect = connected(tmp_path / str(n), url, down)
        try:
            given_up(connect)
            assert connect.alerts is not None and connect.alerts.wait(20)
            assert connect.alerts.failed == 1 and connect.alerts.sent == 0
            # The worker carries on: the next delivery is attempted as usual.
            connect.submissions.submit_form(FORM)
            assert connect.worker(concurrency=1).run_once() == 1
            assert connect.alerts.wait(20) and connect.alerts.failed == 2
        finally:
            connect.close()
        assert "alert not sent" in caplog.text
        assert PASSWORD not in caplog.text
    assert inbox.messages == []


def test_the_two_settings_go_together_and_a_bad_url_is_not_echoed() -> None:
    with pytest.raises(ConfigError, match="go together"):
        alert_mail(Config(alert_email=("a@example.org",)))
    with pytest.raises(ConfigError) as error:
        Config.from_env({"CONNECT_SMTP_URL": f"http://u:{PASSWORD}@host"})
    assert PASSWORD not in str(error.value)
    with pytest.raises(ConfigError):
        Config.from_env({"CONNECT_ALERT_EMAIL": "not an address"})
    config = Config.from_env(
        {
            "CONNECT_SMTP_URL": f"smtps://u:{PASSWORD}@mail.example.org",
            "CONNECT_ALERT_EMAIL": "a@b.org, c@d.org",
        }
    )
    assert config.alert_email == ("a@b.org", "c@d.org") and PASSWORD not in repr(config)
