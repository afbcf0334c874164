"""Hypothesis strategies for domain values."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import strategies as st

from connect.domain.mode import Mode
from connect.domain.submissions import Status, Submission

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))

# Any text a person might paste: every Unicode category but surrogates (and NUL, which
# the field rules refuse), plus the characters that break naive CSV/ICS writers.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    | st.sampled_from(',"\n\r\t;=+-@\\'),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip() != "")
names = texts.map(lambda t: t.strip()[:120]).filter(bool)


@st.composite
def submissions(draw: st.DrawFn, id: int | None = None, mode: Mode | None = None) -> Submission:
    on_behalf = draw(st.booleans())
    scheduled = draw(st.none() | st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)))
    created = draw(instants)
    return Submission(
        id=id if id is not None else draw(st.integers(min_value=1, max_value=10**9)),
        speaker_name=draw(names),
        talk_context=draw(texts.map(str.strip).filter(bool)),
        is_on_behalf=on_behalf,
        submitter_name=draw(names) if on_behalf else draw(st.none() | names),
        discord_channel_id=draw(st.none() | st.from_regex(r"[0-9]{17,19}", fullmatch=True)),
        discord_invite_link=draw(
            st.none() | st.from_regex(r"https://discord\.gg/[A-Za-z0-9]{6,10}", fullmatch=True)
        ),
        status=Status.SCHEDULED
        if scheduled
        else draw(st.sampled_from([s for s in Status if s is not Status.SCHEDULED])),
        scheduled_date=scheduled,
        mode=mode or draw(st.sampled_from(Mode)),
        created_at=created,
        updated_at=created,
        schedule_sequence=draw(st.integers(min_value=0, max_value=5)) if scheduled else 0,
    )
