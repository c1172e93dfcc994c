"""Small counts in published figures: every count from 1 to 4 is hidden, and no hidden count can
be worked out from the figures shown. An attacker written here, independently of the code under
test, knows the report's structure and solves for every hidden count by exact elimination."""

import random
from collections import Counter
from datetime import date

import pytest

from app.reports.facts import ALL_AREAS, NO_AREA, FactKey, Period, Relation, Report, Scope
from app.reports.suppression import SUPPRESSED_MARK, published_value, share, suppress
from tests.reports.attacker import recover

PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))
SCOPE = Scope(organisation_id="org")
CARE = ("looked_after", "not_looked_after")
GRADES = ("high", "medium", "low", "not_recorded")
FACTORS = ("school", "family", "friends")


# Reports shaped like the annual report ---------------------------------------------------------

def key(measure, kind, area, care, category=""):
    return FactKey(measure, kind, area, care, category)


def build_report(leaves: dict, authorities: list, forces: list) -> Report:
    """A report from counts per (measure, authority, force, care status, category), with the
    relations an annual report has: each care status `all` = looked after + not; each area
    kind's ALL = the sum of its areas (not for children over police force areas: a child can go
    missing in two); the risk grades sum to the incidents."""
    areas = {"local_authority": authorities + [NO_AREA], "police_force": forces + [NO_AREA]}
    values, relations = {}, []
    measures = {"incidents": ("",), "risk_grades": GRADES, "children": ("",),
                "push_factor": FACTORS}
    for measure, categories in measures.items():
        for kind, kind_areas in areas.items():
            position = 0 if kind == "local_authority" else 1
            for category in categories:
                for care in CARE:
                    for area in kind_areas:
                        values[key(measure, kind, area, care, category)] = sum(
                            count for (m, *where, c, cat), count in leaves.items()
                            if (m, where[position], c, cat) == (measure, area, care, category))
                    whole = key(measure, kind, ALL_AREAS, care, category)
                    parts = tuple(key(measure, kind, area, care, category) for area in kind_areas)
                    values[whole] = sum(values[part] for part in parts)
                    if not (measure == "children" and kind == "police_force"):
                        relations.append(Relation(whole, parts))
                for area in kind_areas + [ALL_AREAS]:
                    split = tuple(key(measure, kind, area, care, category) for care in CARE)
                    total = key(measure, kind, area, "all", category)
                    values[total] = sum(values[part] for part in split)
                    relations.append(Relation(total, split))
    for kind, kind_areas in areas.items():
        for area in kind_areas + [ALL_AREAS]:
            for care in CARE + ("all",):
                relations.append(Relation(key("incidents", kind, area, care), tuple(
                    key("risk_grades", kind, area, care, grade) for grade in GRADES)))
    return Report(PERIOD, SCOPE, values, relations)


def random_report(seed: int, most_authorities: int = 4) -> Report:
    """Small counts are common: a few areas, most cells 0 to 12. Each authority's incidents are
    mostly reported to its own force, a few to another or to none recorded."""
    rng = random.Random(seed)
    authorities = [f"A{i}" for i in range(rng.randint(2, most_authorities))]
    forces = [f"F{i}" for i in range(rng.randint(1, 3))]
    leaves = Counter()
    for index, authority in enumerate(authorities + [NO_AREA]):
        home = forces[index % len(forces)]
        for care in CARE:
            for grade in GRADES:
                count = rng.choice((0, 0, 1, 2, 3, 4, 6, 9, 12))
                leaves["risk_grades", authority, home, care, grade] += count
                leaves["incidents", authority, home, care, ""] += count
            if rng.random() < 0.4:  # one reported to another force, or to none recorded
                stray = rng.choice(forces + [NO_AREA])
                leaves["risk_grades", authority, stray, care, "not_recorded"] += 1
                leaves["incidents", authority, stray, care, ""] += 1
            leaves["children", authority, home, care, ""] = rng.randint(0, 12)
            for factor in FACTORS:
                leaves["push_factor", authority, home, care, factor] = rng.randint(0, 7)
    return build_report(leaves, authorities, forces)


def assert_nothing_recovered(report: Report) -> None:
    recovered = recover(report)
    assert recovered == {}, f"worked out from the published figures: {recovered}"


def assert_primary(published: Report) -> None:
    for fact, value in published.values.items():
        if 1 <= value <= 4:
            assert published.shown(fact) is None, fact


def single_table(cells: dict, relations: list[tuple]) -> Report:
    """A hand-made report: cells by short name, relations as (total, [parts])."""
    keys = {name: key("incidents", "local_authority", name, "all") for name in cells}
    return Report(PERIOD, SCOPE, {keys[name]: value for name, value in cells.items()},
                  [Relation(keys[total], tuple(keys[part] for part in parts))
                   for total, parts in relations])


def hidden_names(report: Report) -> set[str]:
    return {fact.area for fact in report.suppressed}


# The attacker itself can succeed ---------------------------------------------------------------

def test_the_attacker_recovers_a_small_count_from_its_row_total_when_only_small_counts_are_hidden():
    report = single_table({"T": 17, "a": 3, "b": 6, "c": 8}, [("T", ["a", "b", "c"])])
    report.suppressed = frozenset(k for k, v in report.values.items() if v < 5)
    assert {k.area: v for k, v in recover(report).items()} == {"a": 3}


def test_the_attacker_recovers_the_counts_of_a_chain_when_only_small_counts_are_hidden():
    report = random_report(7)
    report.suppressed = frozenset(k for k, v in report.values.items() if 1 <= v <= 4)
    recovered = recover(report)
    assert recovered, "with only the small counts hidden, some can be worked out"
    assert all(report.values[fact] == value for fact, value in recovered.items())


# Primary suppression ---------------------------------------------------------------------------

def test_every_count_from_1_to_4_is_hidden_and_zeros_and_larger_counts_are_shown():
    report = single_table({"a": 0, "b": 1, "c": 2, "d": 3, "e": 4, "f": 5, "g": 40}, [])
    published = suppress(report)
    assert hidden_names(published) == {"b", "c", "d", "e"}
    assert [published_value(published, fact) for fact in sorted(report.values)] == [
        "0", "<5", "<5", "<5", "<5", "5", "40"]
    assert SUPPRESSED_MARK == "<5"
    assert report.suppressed == frozenset(), "the report given is left as it was"


def test_a_report_with_no_small_counts_hides_nothing():
    report = single_table({"T": 30, "a": 0, "b": 5, "c": 25}, [("T", ["a", "b", "c"])])
    assert suppress(report).suppressed == frozenset()
    leaves = Counter()
    for authority, care in [("A0", "looked_after"), ("A1", "not_looked_after"), ("A1", "looked_after")]:
        for grade, count in zip(GRADES, (5, 0, 7, 0), strict=True):
            leaves["risk_grades", authority, "F0", care, grade] += count
            leaves["incidents", authority, "F0", care, ""] += count
        leaves["children", authority, "F0", care, ""] = 6
        leaves["push_factor", authority, "F0", care, "school"] = 5
    report = build_report(leaves, ["A0", "A1"], ["F0"])
    assert 0 in report.values.values() and min(v for v in report.values.values() if v) == 5
    assert suppress(report).suppressed == frozenset()


# Secondary suppression, hand-made cases --------------------------------------------------------

def test_one_small_count_in_a_row_with_a_total_hides_the_smallest_other_part():
    report = single_table({"T": 22, "a": 3, "b": 0, "c": 12, "d": 7}, [("T", ["a", "b", "c", "d"])])
    published = suppress(report)
    assert hidden_names(published) == {"a", "d"}  # not the zero, not the total, the smaller part
    assert_nothing_recovered(published)


def test_a_small_count_whose_row_and_column_both_have_totals():
    # a 2x2 table with row totals, column totals and a grand total
    cells = {"a": 2, "b": 9, "c": 6, "d": 8, "r1": 11, "r2": 14, "k1": 8, "k2": 17, "G": 25}
    relations = [("r1", ["a", "b"]), ("r2", ["c", "d"]), ("k1", ["a", "c"]), ("k2", ["b", "d"]),
                 ("G", ["r1", "r2"]), ("G", ["k1", "k2"])]
    published = suppress(single_table(cells, relations))
    assert {"a", "b", "c", "d"} <= hidden_names(published), "the other three cells of the square"
    assert_nothing_recovered(published)


def test_small_counts_split_by_care_status_across_areas():
    # Two areas, each split by care status, and the whole (ALL): each small count is given away
    # by its area's total or by the care status's total over areas.
    cells = {"A1_la": 3, "A1_nla": 4, "A1": 7, "A2_la": 3, "A2_nla": 9, "A2": 12,
             "ALL_la": 6, "ALL_nla": 13, "ALL": 19}
    relations = [("A1", ["A1_la", "A1_nla"]), ("A2", ["A2_la", "A2_nla"]),
                 ("ALL", ["ALL_la", "ALL_nla"]), ("ALL_la", ["A1_la", "A2_la"]),
                 ("ALL_nla", ["A1_nla", "A2_nla"]), ("ALL", ["A1", "A2"])]
    report = single_table(cells, relations)
    primary_only = single_table(cells, relations)
    primary_only.suppressed = frozenset(k for k, v in report.values.items() if 1 <= v <= 4)
    assert recover(primary_only), "the small counts alone would be worked out"
    published = suppress(report)
    assert_nothing_recovered(published)


def test_a_count_that_no_single_relation_gives_away_but_a_chain_of_them_does():
    # Areas by category with every total shown. Two squares of small counts (safe: each row and
    # column of a square has two hidden) joined by one small count, a bridge: its row and column
    # each have two hidden counts too, yet the rows and columns together pin it.
    small = {(1, 1): 1, (1, 2): 2, (2, 1): 3, (2, 2): 4, (3, 3): 2, (3, 4): 1, (4, 3): 3,
             (4, 4): 4, (2, 3): 2}
    cells = {f"r{r}c{c}": small.get((r, c), 5 + 3 * r + c) for r in range(1, 5)
             for c in range(1, 5)}
    for n in range(1, 5):
        cells[f"r{n}"] = sum(cells[f"r{n}c{c}"] for c in range(1, 5))
        cells[f"c{n}"] = sum(cells[f"r{r}c{n}"] for r in range(1, 5))
    cells["G"] = sum(cells[f"r{n}"] for n in range(1, 5))
    relations = [(f"r{n}", [f"r{n}c{c}" for c in range(1, 5)]) for n in range(1, 5)] + [
        (f"c{n}", [f"r{r}c{n}" for r in range(1, 5)]) for n in range(1, 5)] + [
        ("G", [f"r{n}" for n in range(1, 5)]), ("G", [f"c{n}" for n in range(1, 5)])]
    primary_only = single_table(cells, relations)
    primary_only.suppressed = frozenset(k for k, v in primary_only.values.items() if v < 5)
    for relation in primary_only.relations:
        hidden = [k for k in (relation.total, *relation.parts) if k in primary_only.suppressed]
        assert len(hidden) != 1, "no relation gives a count away by a difference alone"
    assert {k.area: v for k, v in recover(primary_only).items()} == {"r2c3": 2}
    published = suppress(single_table(cells, relations))
    assert_primary(published)
    assert_nothing_recovered(published)


def test_a_relation_whose_other_parts_are_all_zero():
    # The small count is its row's only non-zero part: its total is small too and hidden, and
    # the column (across areas) must not give either away.
    cells = {"A1_la": 3, "A1_nla": 0, "A1": 3, "A2_la": 0, "A2_nla": 0, "A2": 0,
             "A3_la": 6, "A3_nla": 5, "A3": 11, "ALL_la": 9, "ALL_nla": 5, "ALL": 14}
    relations = [(f"{a}", [f"{a}_la", f"{a}_nla"]) for a in ("A1", "A2", "A3", "ALL")] + [
        ("ALL_la", ["A1_la", "A2_la", "A3_la"]), ("ALL_nla", ["A1_nla", "A2_nla", "A3_nla"]),
        ("ALL", ["A1", "A2", "A3"])]
    published = suppress(single_table(cells, relations))
    assert {"A1_la", "A1"} <= hidden_names(published)
    assert not {"A2", "A2_la", "A2_nla"} & hidden_names(published), "zeros kept where possible"
    assert_nothing_recovered(published)


def test_a_zero_is_hidden_only_when_no_other_count_will_do():
    # T = p + z with z = 0, and K = T + p: together they give T and p away. Hiding the zero
    # would do, but so would hiding K, which is not a zero.
    cells = {"T": 3, "p": 3, "z": 0, "K": 6}
    published = suppress(single_table(cells, [("T", ["p", "z"]), ("K", ["T", "p"])]))
    assert hidden_names(published) == {"T", "p", "K"}
    assert_nothing_recovered(published)


def test_the_whole_counted_by_authority_and_by_force_is_protected_in_both_tables():
    # The whole scope's counts are the same in both tables. Hidden in the local authorities'
    # table but shown in the police forces', they would be given away, and through them the
    # small counts.
    leaves = {("incidents", "A0", "F0", "looked_after", ""): 0,
              ("incidents", "A0", "F0", "not_looked_after", ""): 8,
              ("incidents", "A1", "F0", "looked_after", ""): 3,
              ("incidents", "A1", "F0", "not_looked_after", ""): 3}
    report = build_report(leaves, ["A0", "A1"], ["F0", "F1"])
    report.relations = [r for r in report.relations
                        if {r.total.measure, *(part.measure for part in r.parts)} == {"incidents"}]
    published = suppress(report)
    assert_primary(published)
    assert_nothing_recovered(published)
    for fact in published.suppressed:
        if fact.area == ALL_AREAS:
            other_kind = "police_force" if fact.area_kind == "local_authority" else "local_authority"
            assert published.shown(FactKey(fact.measure, other_kind, ALL_AREAS, fact.care_status,
                                           fact.category)) is None


def test_the_same_report_is_suppressed_the_same_way_every_time():
    first = suppress(random_report(11))
    assert all(suppress(random_report(11)).suppressed == first.suppressed for _ in range(3))
    assert suppress(first).suppressed == first.suppressed, "suppressing twice changes nothing"


# Secondary suppression, many reports -----------------------------------------------------------

@pytest.mark.parametrize("seed", range(150))
def test_no_hidden_count_of_a_random_report_can_be_worked_out(seed):
    report = random_report(seed)
    published = suppress(report)
    assert_primary(published)
    for fact, value in published.values.items():
        if fact not in published.suppressed:
            assert published_value(published, fact) == str(value)
    assert_nothing_recovered(published)
    assert len(published.suppressed) < len(published.values), "a table still worth publishing"


@pytest.mark.parametrize("seed", range(5))
def test_no_hidden_count_of_an_organisation_sized_report_can_be_worked_out(seed):
    report = random_report(1000 + seed, most_authorities=12)
    published = suppress(report)
    assert_primary(published)
    assert_nothing_recovered(published)


# Shares ----------------------------------------------------------------------------------------

def test_a_share_is_given_only_when_both_counts_are_shown_and_the_whole_is_not_none():
    report = suppress(single_table({"T": 22, "a": 3, "b": 0, "c": 12, "d": 7, "e": 0},
                                   [("T", ["a", "b", "c", "d"])]))
    names = {fact.area: fact for fact in report.values}
    assert share(report, names["c"], names["T"]) == pytest.approx(12 / 22)
    assert share(report, names["b"], names["T"]) == 0
    assert share(report, names["a"], names["T"]) is None, "a hidden part"
    assert share(report, names["d"], names["T"]) is None, "a part hidden as a secondary"
    assert share(report, names["c"], names["a"]) is None, "a hidden whole"
    assert share(report, names["b"], names["e"]) is None, "a whole of none"
