"""Headers that lock a page down: CSP with hashes of its inline code, no framing, no referrer."""

from __future__ import annotations

import base64
import hashlib
import re

import falcon

_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(page: str, *, connect: bool = False) -> str:
    """A policy that allows exactly the inline ``<script>`` and ``<style>`` of ``page``.

    NOTE: hashes instead of a nonce keep the page a constant string; the browser refuses
    any script or style that is not byte-for-byte the one we wrote (an injected one).
    """
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, source in _INLINE.findall(page):
        hashes[tag].append(csp_hash(source))
    directives = [
        "default-src 'none'",
        f"script-src {' '.join(hashes['script'])}" if hashes["script"] else "script-src 'none'",
        f"style-src {' '.join(hashes['style'])}" if hashes["style"] else "style-src 'none'",
        "img-src 'self' data:",
        "connect-src 'self'" if connect else "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def lock_down(resp: falcon.Response, csp: str, *, cache: str) -> None:
    resp.set_header("Content-Security-Policy", csp)
    resp.set_header("X-Frame-Options", "DENY")
    resp.set_header("Referrer-Policy", "no-referrer")
    resp.set_header("Cross-Origin-Opener-Policy", "same-origin")
    resp.cache_control = [cache]
