"""Unknown fields in a request body: refused by name, with a did-you-mean.

A client that misspells a field (``sheduled_date``) must hear about it: dropping the
field silently and answering 201 stores something the client did not mean.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from typing import Final

from connect.domain.errors import FieldError

# NOTE: a body may hold thousands of unknown keys; the answer names the first ones and
# counts the rest, so neither the error nor the work to build it grows with the body.
MAX_LISTED: Final = 20
# NOTE: difflib is quadratic in the name's length; a name longer than any real field
# gets no suggestion.
MAX_SUGGESTED_LENGTH: Final = 64


def _normal(name: str) -> str:
    """``talkContext``, ``talk_context`` and ``talk-context`` all read ``talkcontext``."""
    return name.replace("_", "").replace("-", "").lower()


def suggest(name: str, allowed: Iterable[str]) -> str | None:
    """The allowed name ``name`` most likely meant, or ``None``.

    The same name in another spelling (camelCase for snake_case) wins; otherwise the
    closest name by ``difflib``, if it is close enough.
    """
    if len(name) > MAX_SUGGESTED_LENGTH:
        return None
    by_normal = {_normal(a): a for a in sorted(allowed)}
    wanted = _normal(name)
    if wanted in by_normal:
        return by_normal[wanted]
    close = difflib.get_close_matches(wanted, list(by_normal), n=1, cutoff=0.75)
    return by_normal[close[0]] if close else None


def unknown_fields(fields: Iterable[str], allowed: Collection[str]) -> list[FieldError]:
    """One error per field name not in ``allowed`` (at most ``MAX_LISTED + 1``)."""
    unknown = [name for name in fields if name not in allowed]
    errors: list[FieldError] = []
    for name in unknown[:MAX_LISTED]:
        guess = suggest(name, allowed)
        if guess is not None:
            errors.append(FieldError(name, f"is not a known field; did you mean {guess!r}?"))
        elif allowed:
            known = ", ".join(sorted(allowed))
            errors.append(FieldError(name, f"is not a known field (known fields: {known})"))
        else:
            errors.append(FieldError(name, "is not a known field (this request takes none)"))
    if len(unknown) > MAX_LISTED:
        more = len(unknown) - MAX_LISTED - 1
        tail = f", nor are the {more} fields after it" if more else ""
        errors.append(FieldError(unknown[MAX_LISTED], f"is not a known field{tail}"))
    return errors
