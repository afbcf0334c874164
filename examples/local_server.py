"""Serving an example receiver on this machine: plain HTTP (behind ``connect listen``)
or HTTPS with a certificate it makes itself (``--tls``), with no openssl command.

With ``--tls`` the receiver keeps a small certificate authority and a certificate for
``localhost``, ``127.0.0.1`` and ``::1`` in a directory (made on the first start,
reused after), and prints the authority's file: a Connect service that should deliver
to the receiver directly trusts it with ``CONNECT_WEBHOOK_CA_BUNDLE=<that file>`` and
allows loopback with ``CONNECT_WEBHOOK_ALLOW_NETWORKS=127.0.0.0/8,::1/128``.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import ssl
from collections.abc import Callable, Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

App = Callable[..., Iterable[bytes]]
AUTHORITY = "ca.pem"
CERTIFICATE = "localhost.pem"
KEY = "localhost-key.pem"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _issue(directory: Path) -> None:
    now = datetime.datetime.now(datetime.UTC)
    authority_key = ec.generate_private_key(ec.SECP256R1())
    authority_name = _name("Connect example receiver CA")
    authority = (
        x509.CertificateBuilder()
        .subject_name(authority_name)
        .issuer_name(authority_name)
        .public_key(authority_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(authority_key.public_key()), critical=False
        )
        .sign(authority_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(authority_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()),
            critical=False,
        )
        .sign(authority_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    # NOTE: the private key is written 0600 from the start, never readable by others.
    descriptor = os.open(directory / KEY, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(_pem_key(key))
    (directory / CERTIFICATE).write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    # NOTE: the authority's key is not kept: nothing else can ever be issued under it.
    (directory / AUTHORITY).write_bytes(authority.public_bytes(serialization.Encoding.PEM))


def self_signed(directory: Path) -> ssl.SSLContext:
    """A server TLS context with the certificate in ``directory``, made if missing."""
    if not all((directory / name).exists() for name in (AUTHORITY, CERTIFICATE, KEY)):
        _issue(directory)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(directory / CERTIFICATE, directory / KEY)
    return context


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(app: App, host: str, port: int, tls_directory: Path | None) -> None:
    """Serve ``app`` until Ctrl-C; prints the URL (last) once it accepts requests."""
    server = make_server(host, port, app, server_class=_Server, handler_class=_QuietHandler)
    scheme = "http"
    if tls_directory is not None:
        server.socket = self_signed(tls_directory).wrap_socket(server.socket, server_side=True)
        scheme = "https"
        print(
            f"TLS: certificate authority {(tls_directory / AUTHORITY).resolve()} "
            "(give it to Connect as CONNECT_WEBHOOK_CA_BUNDLE)",
            flush=True,
        )
    shown = f"[{host}]" if ":" in host else host
    print(f"receiver listening on {scheme}://{shown}:{server.server_port}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.server_close()
