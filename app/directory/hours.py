"""Opening hours, in London's wall-clock time, as the directory writes them:
{"always": true}, {"daily": [[open, close], ...]}, or {"weekly": {"mon": [...], ..., "sun": [...]}}
(a day left out or empty is closed). Each range is ["HH:MM", "HH:MM"], the first before the
second; "24:00" ends a day, and a night across midnight is written as two ranges, one on each
day. null means the hours are not known (the tablet never calls such a service open).
static/app/directory.js reads the same structure (openNow)."""

import re

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])|24:00")


def minutes(time) -> int | None:
    if not isinstance(time, str) or not TIME.fullmatch(time):
        return None
    hours, _, mins = time.partition(":")
    return int(hours) * 60 + int(mins)


def ranges_problems(ranges, where: str) -> list[str]:
    if not isinstance(ranges, list):
        return [f"{where}: a list of [opens, closes] ranges"]
    problems = []
    for index, pair in enumerate(ranges):
        if not (isinstance(pair, list) and len(pair) == 2):
            problems.append(f"{where}[{index}]: a pair [opens, closes]")
            continue
        opens, closes = minutes(pair[0]), minutes(pair[1])
        if opens is None or closes is None or pair[0] == "24:00":
            problems.append(f"{where}[{index}]: times as HH:MM (24:00 only to close)")
        elif opens >= closes:
            problems.append(f"{where}[{index}]: opens before it closes")
    return problems


def hours_problems(hours) -> list[str]:
    """What is wrong with these opening hours (none: they parse)."""
    if hours is None:
        return []
    if not isinstance(hours, dict) or len(hours) != 1:
        return ["one of always, daily or weekly"]
    (kind, value), = hours.items()
    if kind == "always":
        return [] if value is True else ["always: true"]
    if kind == "daily":
        return ranges_problems(value, "daily")
    if kind == "weekly" and isinstance(value, dict):
        strays = sorted(set(value) - set(DAYS))
        return ([f"weekly: unknown days {strays}"] if strays else []) + [
            problem for day, ranges in value.items() if day in DAYS
            for problem in ranges_problems(ranges, f"weekly.{day}")]
    return ["one of always, daily or weekly"]
