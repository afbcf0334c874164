"""Who may call what, and which records a key may touch.

Two kinds of rule live here. What an *operation* needs (``Access``: public, or a key
with one scope) is declared once per route by the HTTP adapter's route table and
checked before any resource runs. What a key may do to a *target* (another key, a
webhook, the audit log) depends on the target's stored fields, so the services check it
with the functions below once they have read the target.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import frozen

from connect.domain.errors import Forbidden, NotFound, ValidationFailed
from connect.domain.events import Subject
from connect.domain.keys import ApiKey, Principal, Scope
from connect.domain.mode import Mode
from connect.domain.webhooks import Webhook


class Reach(StrEnum):
    """What an operation reads or changes, and so what a test-mode key sees of it:
    always only the test-mode part."""

    NOTHING = "nothing"
    SUBMISSIONS = "submissions"
    KEYS = "keys"
    WEBHOOKS = "webhooks"
    AUDIT = "audit"
    METRICS = "metrics"


@frozen
class Access:
    """What one operation needs from its caller.

    Attributes:
        scope: the scope the bearer key must hold; ``None`` for a public operation.
        reach: what the operation touches (a test-mode key touches only test data).
        query_key: the key may also come as ``?key=`` (calendar clients send no headers).
    """

    scope: Scope | None
    reach: Reach = Reach.NOTHING
    query_key: bool = False

    @property
    def public(self) -> bool:
        return self.scope is None

    def authorize(self, principal: Principal) -> None:
        """Raises:
        Forbidden: the key lacks the scope this operation needs.
        """
        if self.scope is not None and self.scope not in principal.scopes:
            raise Forbidden(f"this key lacks the {self.scope.value} scope")


def reaches(actor: Mode, target: Mode) -> bool:
    """A live key reaches live and test records; a test key only test ones."""
    return actor is Mode.LIVE or target is Mode.TEST


def modes_seen(actor: Mode) -> Mode | None:
    """The mode filter for what ``actor`` may list: ``None`` (every mode) for a live
    key, ``Mode.TEST`` for a test key."""
    return None if actor is Mode.LIVE else Mode.TEST


def check_key_visible(actor: Principal, target: ApiKey) -> None:
    """A key of a mode the actor cannot reach does not exist for it.

    Raises:
        NotFound: ``target`` is out of the actor's reach.
    """
    if not reaches(actor.mode, target.mode):
        # NOTE: the key id is not repeated: it would tell a test key a live key id.
        raise NotFound("no such API key")


def check_key_target(actor: Principal, target: ApiKey) -> None:
    """A key may rotate or revoke only keys whose mode it reaches and whose every scope
    it holds: otherwise a narrow key could take over a broader one.

    Raises:
        NotFound: ``target`` is out of the actor's reach.
        Forbidden: ``target`` holds scopes the actor does not.
    """
    check_key_visible(actor, target)
    beyond = sorted(s.value for s in target.scopes - actor.scopes)
    if beyond:
        raise Forbidden(f"key {target.key_id} holds scopes this key does not: {', '.join(beyond)}")


def check_grantable(
    granter: Principal, scopes: frozenset[Scope], mode: Mode, expires_at: datetime | None
) -> datetime | None:
    """A key may only grant scopes it holds, a test key only test keys, and a key that
    expires only keys that expire no later (the copy must not outlive its maker).

    Returns:
        The new key's expiry: ``expires_at``, or the granter's when it has one and
        none was asked for.

    Raises:
        Forbidden: the new key would reach beyond the granter.
    """
    beyond = sorted(s.value for s in scopes - granter.scopes)
    if beyond:
        raise Forbidden(f"cannot grant scopes this key does not hold: {', '.join(beyond)}")
    if not reaches(granter.mode, mode):
        raise Forbidden("a test-mode key can only create test-mode keys")
    if granter.expires_at is None:
        return expires_at
    if expires_at is None:
        return granter.expires_at
    if expires_at > granter.expires_at:
        raise Forbidden("cannot create a key that expires after this key does")
    return expires_at


def can_manage_webhook(actor: Principal, webhook: Webhook) -> bool:
    """A webhook is the business of the key that registered it, and of organizers
    (``keys:manage``), in the webhook's own mode only."""
    if webhook.mode is not actor.mode:
        return False
    return Scope.KEYS_MANAGE in actor.scopes or webhook.api_key_id == actor.key


def webhooks_listed_for(actor: Principal) -> int | None:
    """Whose webhooks a key lists: an organizer every webhook of its mode (``None``),
    any other key its own."""
    return None if Scope.KEYS_MANAGE in actor.scopes else actor.key


def check_new_owner(
    actor: Principal, webhook: Webhook, owner: ApiKey | None, now: datetime
) -> ApiKey:
    """Moving a webhook to another key: only an organizer may, and only to a usable key
    of the webhook's mode that may manage webhooks.

    Returns:
        The new owner.

    Raises:
        Forbidden: the actor is not an organizer.
        ValidationFailed: ``owner`` is absent, out of reach, of the other mode,
            revoked, expired or lacks ``webhooks:manage``.
    """
    if Scope.KEYS_MANAGE not in actor.scopes:
        raise Forbidden("only a keys:manage key can move a webhook to another key")
    if owner is None or not reaches(actor.mode, owner.mode):
        raise ValidationFailed.single("api_key_id", "is no API key")
    if owner.mode is not webhook.mode:
        problem = f"is a {owner.mode.value}-mode key"
    elif owner.revoked_at is not None or not owner.is_usable(now):
        problem = "is revoked or expired"
    elif Scope.WEBHOOKS_MANAGE not in owner.scopes:
        problem = "lacks the webhooks:manage scope"
    else:
        return owner
    raise ValidationFailed.single("api_key_id", f"key {owner.key_id} {problem}")


def hears_about(recipient: Webhook, owner: ApiKey | None, subject: Subject) -> bool:
    """Whether ``recipient`` (subscribed, of the event's mode) is sent an operational
    event about ``subject``: only an endpoint whose key could manage the subject
    webhook (the same key, or an unrevoked organizer key), never the subject itself.

    NOTE: the subject is usually the endpoint that is down; news of its own failure
    would only fail in turn, and the event carries the subject's URL, which other
    integrators' keys may not see.
    """
    if recipient.id == subject.webhook_id:
        return False
    if subject.api_key_id is not None and recipient.api_key_id == subject.api_key_id:
        return True
    return (
        owner is not None
        and owner.id == recipient.api_key_id
        and owner.revoked_at is None
        and Scope.KEYS_MANAGE in owner.scopes
    )
