"""Hypothesis strategies for submissions as exports see them: any text, any dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import strategies as st

from connect.domain.mode import Mode
from connect.domain.submissions import Status, Submission

# Any character a JSON body can carry into storage (no lone surrogates: SQLite refuses
# them), with the characters that CSV and iCalendar must quote or escape made common.
TRICKY = ',"\r\n;\\=+-@\t \x00\x0b\u2028\u0085'
characters = st.one_of(
    st.characters(exclude_categories=("Cs",)),
    st.sampled_from(TRICKY),
)
texts = st.text(characters, min_size=1, max_size=60)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def submissions(draw: st.DrawFn, id: int | None = None) -> Submission:
    scheduled = draw(st.one_of(st.none(), dates))
    created = draw(instants)
    on_behalf = draw(st.booleans())
    return Submission(
        id=id if id is not None else draw(st.integers(min_value=1, max_value=2**53)),
        speaker_name=draw(texts),
        talk_context=draw(st.text(characters, min_size=1, max_size=300)),
        is_on_behalf=on_behalf,
        submitter_name=draw(texts) if on_behalf else draw(st.one_of(st.none(), texts)),
        discord_channel_id=draw(st.one_of(st.none(), texts)),
        discord_invite_link=draw(st.one_of(st.none(), st.just("https://discord.gg/abc"))),
        status=Status.SCHEDULED
        if scheduled
        else draw(st.sampled_from([s for s in Status if s is not Status.SCHEDULED])),
        scheduled_date=scheduled,
        mode=draw(st.sampled_from(Mode)),
        created_at=created,
        updated_at=max(created, draw(instants)),
        schedule_sequence=draw(st.integers(min_value=0, max_value=1000)) if scheduled else 0,
    )


submission_lists = st.lists(submissions(), max_size=12, unique_by=lambda s: s.id)


def make_submission(id: int = 1, **changes: object) -> Submission:
    """One plain live submission, with the given fields changed."""
    fields: dict[str, object] = {
        "id": id,
        "speaker_name": "Ferris",
        "talk_context": "Borrowing without tears",
        "is_on_behalf": False,
        "submitter_name": None,
        "discord_channel_id": None,
        "discord_invite_link": None,
        "status": Status.PENDING,
        "scheduled_date": None,
        "mode": Mode.LIVE,
        "created_at": datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC),
        "updated_at": datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC),
        "schedule_sequence": 0,
    }
    fields.update(changes)
    return Submission(**fields)  # type: ignore[arg-type]
