"""Suppression of a whole annual report: an organisation of ten local authorities in two police
force areas, 3,000 incidents drawn at random with every measure of app.reports.measures, counted
by area, care status and category with the relations an annual report holds (about 5,500 facts).
Prints the facts, relations, the counts hidden as small and in all, and the median time of five
runs of suppress(). No database: the report is built in memory.

    python -m bench.suppression_scale [incidents]
"""

import random
import statistics
import sys
import time
from collections import Counter
from datetime import date

from app.reports.facts import (
    ALL_AREAS,
    NO_AREA,
    FactKey,
    Period,
    Relation,
    Report,
    Scope,
)
from app.reports.measures import MEASURES
from app.reports.suppression import suppress

AUTHORITIES = [f"W060000{n:02d}" for n in range(10)]
FORCES = ["W15000001", "W15000002"]
CARE = ("looked_after", "not_looked_after")
SUMMED = {measure.sums_to for measure in MEASURES if measure.sums_to}


def draw_leaves(incidents: int, rng: random.Random) -> Counter:
    """Counts per (measure, authority, force, care status, category)."""
    leaves = Counter()
    for _ in range(incidents):
        authority = rng.choice(AUTHORITIES) if rng.random() > 0.02 else NO_AREA
        force = FORCES[AUTHORITIES.index(authority) % 2] if authority != NO_AREA else NO_AREA
        if rng.random() < 0.05:
            force = rng.choice(FORCES + [NO_AREA])
        care = rng.choice(CARE)
        for measure in MEASURES:
            codes = measure.category_codes()
            if measure.key in SUMMED:
                continue  # counted from its categories below
            if measure.sums_to:
                if measure.sums_to == "incidents" or rng.random() < 0.7:
                    leaves[measure.key, authority, force, care, rng.choice(codes)] += 1
            elif codes == ("",):
                if rng.random() < 0.6:
                    leaves[measure.key, authority, force, care, ""] += 1
            else:
                for code in codes:
                    if rng.random() < 0.08:
                        leaves[measure.key, authority, force, care, code] += 1
    # A measure that categories sum to counts exactly what they add up to.
    for (measure_key, *where), count in list(leaves.items()):
        measure = next(m for m in MEASURES if m.key == measure_key)
        if measure.sums_to:
            leaves[(measure.sums_to, *where[:3], "")] += count
    return leaves


def build(leaves: Counter) -> Report:
    areas = {"local_authority": AUTHORITIES + [NO_AREA], "police_force": FORCES + [NO_AREA]}
    by_place = Counter()
    for (measure, authority, force, care, category), count in leaves.items():
        by_place["local_authority", measure, authority, care, category] += count
        by_place["police_force", measure, force, care, category] += count
    values, relations = {}, []
    for measure in MEASURES:
        for kind, kind_areas in areas.items():
            for category in measure.category_codes():
                for care in CARE:
                    parts = [FactKey(measure.key, kind, area, care, category) for area in kind_areas]
                    for part in parts:
                        values[part] = by_place[kind, measure.key, part.area, care, category]
                    whole = FactKey(measure.key, kind, ALL_AREAS, care, category)
                    values[whole] = sum(values[part] for part in parts)
                    if measure.adds_over_areas(kind):
                        relations.append(Relation(whole, tuple(parts)))
                for area in kind_areas + [ALL_AREAS]:
                    split = tuple(FactKey(measure.key, kind, area, care, category) for care in CARE)
                    total = FactKey(measure.key, kind, area, "all", category)
                    values[total] = sum(values[part] for part in split)
                    relations.append(Relation(total, split))
            if measure.sums_to:
                for area in kind_areas + [ALL_AREAS]:
                    for care in CARE + ("all",):
                        relations.append(Relation(
                            FactKey(measure.sums_to, kind, area, care), tuple(
                                FactKey(measure.key, kind, area, care, code)
                                for code in measure.category_codes())))
    return Report(Period(date(2025, 1, 1), date(2025, 12, 31)), Scope("org"), values, relations)


def main() -> None:
    incidents = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    report = build(draw_leaves(incidents, random.Random(2025)))
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        published = suppress(report)
        timings.append(time.perf_counter() - started)
    small = sum(1 for value in report.values.values() if 1 <= value <= 4)
    print(f"facts={len(report.values)} relations={len(report.relations)} small={small} "
          f"hidden={len(published.suppressed)} median={statistics.median(timings):.3f}s "
          f"range={min(timings):.3f}-{max(timings):.3f}s")


if __name__ == "__main__":
    main()
