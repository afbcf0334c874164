# ruff: noqa: E501  (HTML and CSS text reads better unwrapped)
"""The hand-written parts of /docs/api: quickstart, auth, pagination, limits, webhooks.

The strings are trusted HTML; ``{base}`` is replaced by the (escaped) server origin,
the other fields by ``FACTS``: the limits and delays as the code has them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from connect.domain.idempotency import WINDOW
from connect.domain.keys import DEFAULT_GRACE_SECONDS
from connect.domain.pacing import DELIVERIES_PER_SECOND
from connect.domain.pagination import DEFAULT_LIMIT, MAX_LIMIT
from connect.domain.rate_limit import (
    AUTH_FAILURE_LIMIT,
    EXPORTS_PER_HOUR,
    FORM_LIMIT,
    PER_KEY_PER_MINUTE,
)
from connect.domain.retry import ANSWER_WITHIN, DEFAULT_SCHEDULE, JITTER, MAX_RETRY_AFTER
from connect.domain.signing import DEFAULT_TOLERANCE
from connect.domain.webhooks import DISABLE_AFTER


def _delay(seconds: int) -> str:
    """``seconds`` as the docs say it: 5 s, 5 min, 2 h."""
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


FACTS: Final = {
    "default_limit": DEFAULT_LIMIT,
    "max_limit": MAX_LIMIT,
    "grace_seconds": DEFAULT_GRACE_SECONDS,
    "idempotency_hours": WINDOW // timedelta(hours=1),
    "answer_within": _delay(ANSWER_WITHIN),
    "retries": ", ".join(map(_delay, DEFAULT_SCHEDULE)),
    "jitter": f"{JITTER:.0%}",
    "max_retry_after": _delay(MAX_RETRY_AFTER),
    "tolerance": _delay(DEFAULT_TOLERANCE),
    "disable_after": DISABLE_AFTER,
    "per_key": PER_KEY_PER_MINUTE,
    "exports": EXPORTS_PER_HOUR,
    "form": f"{FORM_LIMIT[0]} / {FORM_LIMIT[1] // 60} minutes",
    "auth_failures": AUTH_FAILURE_LIMIT[0],
    "deliveries": DELIVERIES_PER_SECOND,
}

QUICKSTART: Final = """
<p>Every call is JSON over HTTPS with <code>Authorization: Bearer &lt;token&gt;</code>.
The first organizer key (scope <code>keys:manage</code>) is printed once by
<code>connect serve</code> on an empty database, or made with the CLI:</p>
<pre><code>connect keys create --name organizer --scope keys:manage --scope submissions:read \\
  --scope submissions:write --scope webhooks:manage --scope exports:create
export ORGANIZER=rnc_live_...   # the last line it printed
export BASE={base}</code></pre>
<p>1. Create a key for your integration (a <code>test</code> key only sees test data: your sandbox).
The <code>token</code> is in this answer and never again:</p>
<pre><code>curl -s -X POST "$BASE/api/v1/keys" -H "Authorization: Bearer $ORGANIZER" \\
  -d '{{"name": "my bot", "scopes": ["submissions:read", "submissions:write"], "mode": "test"}}'
export KEY=rnc_test_...         # the "token" field</code></pre>
<p>2. Create a submission:</p>
<pre><code>curl -s -X POST "$BASE/api/v1/submissions" -H "Authorization: Bearer $KEY" \\
  -d '{{"speaker_name": "Ferris Crab", "talk_context": "Zero-copy parsing with nom"}}'</code></pre>
<p>3. List submissions, newest first:</p>
<pre><code>curl -s "$BASE/api/v1/submissions?limit=10" -H "Authorization: Bearer $KEY"</code></pre>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Organizers manage keys and webhooks at <a href="/admin">/admin</a>.</p>
"""

AUTH: Final = """
<p>Send <code>Authorization: Bearer rnc_live_&hellip;</code> (or <code>rnc_test_&hellip;</code>).
A missing, unknown, revoked or expired key answers <code>401</code> with
<code>WWW-Authenticate: Bearer</code>; a key without the scope an endpoint needs answers
<code>403</code>. Only <code>GET /api/v1/exports/schedule.ics</code> also accepts
<code>?key=&lt;token&gt;</code>, because calendar clients cannot send headers; that value is
never logged.</p>
<table>
<thead><tr><th>Scope</th><th>Grants</th></tr></thead>
<tbody>
<tr><td><code>submissions:read</code></td><td>list and read submissions, the schedule</td></tr>
<tr><td><code>submissions:write</code></td><td>create and update submissions</td></tr>
<tr><td><code>exports:create</code></td><td>CSV, JSON and iCalendar exports</td></tr>
<tr><td><code>webhooks:manage</code></td><td>the key's own webhooks and their deliveries</td></tr>
<tr><td><code>keys:manage</code></td><td>organizers: keys, all webhooks, audit log, metrics</td></tr>
</tbody>
</table>
<p>A key can only grant scopes it holds, and a key that expires only keys that expire no
later. It can rotate or revoke only keys whose every scope it holds.
<strong>Modes:</strong> a <code>rnc_test_</code> key sees and produces only test-mode data
(submissions, keys, webhooks, its audit entries and metrics); a live key only live data
(a live organizer also manages test keys). Anything out of reach is a 404. Keys can expire
(<code>expires_at</code>) and be rotated: the old token keeps working for
<code>grace_seconds</code> (default {grace_seconds}) and the new key owns the old one's webhooks.
Revoking a key disables its webhooks (<code>owner_revoked</code>). Each operation below
names its scope; the threat model is in the repository's <code>docs/security.md</code>.</p>
"""

PAGINATION: Final = """
<p>Lists answer <code>{{"data": [...], "next_cursor": "..." | null}}</code>, newest first.
Pass <code>limit</code> (1&ndash;{max_limit}, default {default_limit}) and, for the next page, the
<code>next_cursor</code> you got as <code>cursor</code>. The same URL is in the
<code>Link: &lt;...&gt;; rel="next"</code> header. <code>next_cursor</code> is
<code>null</code> on the last page. Cursors are opaque; rows added meanwhile never make a
page repeat or skip a row.</p>
<pre><code>curl -s "$BASE/api/v1/submissions?limit=2&amp;status=pending" -H "Authorization: Bearer $KEY"
curl -s "$BASE/api/v1/submissions?limit=2&amp;status=pending&amp;cursor=djE6NDE" -H "Authorization: Bearer $KEY"</code></pre>
"""

ERRORS: Final = """
<p>Every error is an RFC 9457 problem, <code>application/problem+json</code>, with
<code>type</code> (a link to its entry below), <code>title</code>, <code>status</code>,
<code>detail</code>, and for invalid fields <code>errors: [{{field, message}}]</code>.
Show <code>detail</code> to people; branch on <code>type</code> or <code>status</code>.
A request that fails stores nothing.</p>
<pre><code>HTTP/1.1 422 Unprocessable Entity
Content-Type: application/problem+json

{{"type": "/docs/api#problem-validation-failed", "title": "Invalid fields", "status": 422,
 "detail": "speaker_name: is required",
 "errors": [{{"field": "speaker_name", "message": "is required"}}]}}</code></pre>
<h3 id="retries">Retrying a create</h3>
<p>A <code>POST /api/v1/submissions</code> that timed out may or may not have happened.
Send <code>Idempotency-Key: &lt;a UUID&gt;</code> with it and retry with the same key and
body: within {idempotency_hours} hours the retry answers <code>201</code> with the submission the first
request created, adds <code>Idempotent-Replayed: true</code>, and creates nothing (and
sends no second <code>submission.created</code>). The same key with a different body is a
<code>422</code> (<code>idempotency-key-reused</code>). Keys belong to the API key that sent
them; a request that failed spends no key. Other writes are safe to repeat already
(<code>PATCH</code> sets values; a repeat that changes nothing sends no event).</p>
"""

RATE_LIMITS: Final = """
<table>
<thead><tr><th>Policy</th><th>Limit</th><th>Applies to</th></tr></thead>
<tbody>
<tr><td><code>per-key</code></td><td>{per_key} requests / minute</td><td>every <code>/api/v1</code> call, per key</td></tr>
<tr><td><code>exports</code></td><td>{exports} / hour</td><td>export downloads, per key</td></tr>
<tr><td><code>form</code></td><td>{form}</td><td><code>POST /api/submissions</code>, per client IP</td></tr>
<tr><td><code>auth-failures</code></td><td>{auth_failures} / minute</td><td>wrong secrets for an existing key id (401), per client IP; past it, that address's keys not yet verified are not checked (a working key already verified still is)</td></tr>
<tr><td><code>auth-failures-per-key</code></td><td>{auth_failures} / minute</td><td>the same wrong secrets, per target key id from any address</td></tr>
<tr><td>deliveries</td><td>{deliveries} / second</td><td>webhook requests, per endpoint</td></tr>
</tbody>
</table>
<p>Limited answers carry <code>RateLimit-Policy: "per-key";q={per_key};w=60</code> (quota and
window in seconds) and <code>RateLimit: "per-key";r=42;t=17</code> (remaining, seconds until
reset). A <code>429</code> adds <code>Retry-After</code> (seconds) and a problem whose type
names the policy. Operators can change every limit.</p>
"""

WEBHOOKS: Final = """
<p>Register an <code>https://</code> URL and the events you want; the answer carries the
signing <code>secret</code> (<code>whsec_&hellip;</code>) once. Connect POSTs
<code>{{"id": "evt_...", "event": "...", "timestamp": "...Z", "data": {{submission}}}}</code>
with these headers, re-signed on every attempt:</p>
<ul>
<li><code>webhook-id</code> (the event id, the same on every retry: deduplicate on it),
<code>webhook-timestamp</code> (unix seconds), <code>webhook-signature: v1,&lt;base64&gt;</code>
&mdash; <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>: HMAC-SHA256 of
<code>{{webhook-id}}.{{webhook-timestamp}}.{{body}}</code>.</li>
<li><code>X-Timestamp</code> and <code>X-Signature: sha256=&lt;hex&gt;</code>: HMAC-SHA256 of
<code>{{X-Timestamp}}.{{body}}</code>.</li>
<li><code>X-Connect-Event</code>, <code>X-Connect-Delivery</code>, <code>X-Connect-Attempt</code>.</li>
</ul>
<p><strong>Verify</strong> before you parse: the HMAC key is the base64-decoded part of the
secret after <code>whsec_</code>; compute the HMAC over the <em>raw</em> body; compare in
constant time against each signature in the header (there are two during a secret
rotation: accept if any matches); reject a timestamp more than {tolerance} from now. In
Python:</p>
<pre><code>from connect import verify_webhook

verify_webhook(secret, request.headers, raw_body)  # raises on a bad or stale signature</code></pre>
<p>Answer any <code>2xx</code> within {answer_within}. Anything else (3xx included) is retried
after {retries} (&plusmn;{jitter}; a <code>Retry-After</code>
on 429/503 is honoured up to {max_retry_after}); then the delivery is <code>failed</code>. Delivery is at
least once and events may arrive out of order. {disable_after} consecutive failures, or a
<code>410 Gone</code>, disable the webhook; its deliveries are kept and resume when it is
re-enabled (<code>PATCH {{"active": true}}</code>).</p>
"""
