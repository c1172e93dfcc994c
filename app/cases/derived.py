"""Facts derived from the record, never typed in: out-of-area, episode length, repeat counts."""

from datetime import timedelta

from app.cases.models import Child, MissingEpisode

# The windows the repeat thresholds in use are counted over (DOMAIN.md), in days.
FOUR_WEEKS = 28
TWELVE_MONTHS = 365


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


def episodes_within(episode: MissingEpisode, days: int) -> int:
    """Episodes of the same child reported in the `days` up to and including this one's report."""
    start = episode.reported_missing_at - timedelta(days=days)
    return sum(
        1 for other in episode.child.episodes
        if start < other.reported_missing_at <= episode.reported_missing_at
    )
