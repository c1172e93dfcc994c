"""Facts derived from the record, never typed in: out-of-area, episode length, repeat counts."""

import calendar
from collections.abc import Iterable
from datetime import datetime, timedelta

from app.cases.models import Child, MissingEpisode

# The windows the repeat thresholds in use are counted over (DOMAIN.md), written as the
# suggestion rules write theirs (app/referrals/data/suggestion_rules.json, "windows").
FOUR_WEEKS = {"days": 28}
TWELVE_MONTHS = {"months": 12}


def is_out_of_area(child: Child) -> bool | None:
    """A looked-after child living outside the authority responsible for them."""
    if not child.looked_after:
        return False
    if not (child.placing_authority_code and child.host_authority_code):
        return None
    return child.placing_authority_code != child.host_authority_code


def is_placed_outside_wales(child: Child) -> bool | None:
    if not child.looked_after or child.host_authority is None:
        return False if not child.looked_after else None
    return child.host_authority.country != "wales"


def episode_length_minutes(episode: MissingEpisode) -> int | None:
    if episode.returned_at is None:
        return None
    return int((episode.returned_at - episode.reported_missing_at).total_seconds() // 60)


def window_start(anchor: datetime, within: dict) -> datetime:
    """Where a window ending at `anchor` starts: {"days": n} n x 86,400 s before it; {"months":
    n} the same UTC day and time n calendar months before (the month's last day when shorter)."""
    if "days" in within:
        return anchor - timedelta(days=within["days"])
    months = anchor.year * 12 + anchor.month - 1 - within["months"]
    year, month = divmod(months, 12)
    day = min(anchor.day, calendar.monthrange(year, month + 1)[1])
    return anchor.replace(year=year, month=month + 1, day=day)


def episodes_in_window(anchor: datetime, spells: Iterable[tuple[datetime, datetime | None]],
                       within: dict | None) -> int:
    """How many of a child's spells missing (reported, returned or None) fall in the window
    ending at `anchor` (the current episode's report): reported at or before it, and missing at
    any instant from the window's start (returned at or after it, or not yet returned). With no
    window, every spell up to the anchor. The one definition the record's counts and the
    suggestion rules' thresholds share."""
    start = window_start(anchor, within) if within else None
    return sum(1 for reported, returned in spells
               if reported <= anchor and (start is None or returned is None or returned >= start))


def episodes_within(episode: MissingEpisode, within: dict) -> int:
    """The child's episodes in the window up to this one's report, this one included."""
    return episodes_in_window(
        episode.reported_missing_at,
        [(other.reported_missing_at, other.returned_at) for other in episode.child.episodes],
        within)
