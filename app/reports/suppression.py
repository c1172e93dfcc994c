"""Suppression of small counts in published figures (DOMAIN.md, "Publishing figures about
children").

Primary: every count from 1 to SMALLEST_SHOWN - 1 is hidden. A zero is shown: it tells nothing
about any child.
Secondary: no hidden count may be worked out from what is shown. A reader who knows the report's
relations (total = sum of parts) can put the shown figures into them and solve for the hidden
ones; a hidden count is disclosed when that linear system fixes its value, that is when its unit
vector lies in the row space of the system's coefficients over the hidden counts. While any
hidden count is disclosed, one more shown count in a relation that discloses it is hidden too.

The algebra is exact (integers and fractions) and done per connected group of hidden counts, so
that a whole annual report is suppressed in a fraction of a second.
"""

from collections import defaultdict
from dataclasses import replace
from fractions import Fraction

from app.reports.facts import ALL_AREAS, SMALLEST_SHOWN, FactKey, Report

# What a suppressed figure shows, in pages, exports and the API alike.
SUPPRESSED_MARK = f"<{SMALLEST_SHOWN}"

# An equation: each key's coefficient in total - sum(parts) = 0.
Equation = dict[FactKey, int]


def suppress(report: Report) -> Report:
    """A copy of the report with `suppressed` set: the small counts, and whatever else must be
    hidden so that none of them can be worked out from the rest."""
    equations = _equations(report)
    equations_of = defaultdict(list)
    for index, equation in enumerate(equations):
        for key in equation:
            equations_of[key].append(index)
    hidden = {key for key, value in report.values.items() if 0 < value < SMALLEST_SHOWN}
    while disclosed := _disclosed(equations, hidden):
        more = _to_hide(report, equations, equations_of, hidden, disclosed)
        if not more:
            # Only a relation among hidden counts alone fixes them (no shown figure is left to
            # hide): nothing published gives them away, so nothing more can be done.
            break
        hidden |= more
    return replace(report, suppressed=frozenset(hidden))


def published_value(report: Report, key: FactKey) -> str:
    """The figure as a page or an export shows it: the count, or SUPPRESSED_MARK."""
    value = report.shown(key)
    return SUPPRESSED_MARK if value is None else str(value)


def share(report: Report, part_key: FactKey, whole_key: FactKey) -> float | None:
    """The part as a fraction of the whole (0.25 is a quarter), or None where either count is
    hidden (a share of a shown whole would give a hidden part away) or the whole is none."""
    part, whole = report.shown(part_key), report.shown(whole_key)
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _equations(report: Report) -> list[Equation]:
    equations = []
    for relation in report.relations:
        coefficients = defaultdict(int)
        coefficients[relation.total] += 1
        for part in relation.parts:
            coefficients[part] -= 1
        equation = {key: value for key, value in coefficients.items() if value}
        if equation:
            equations.append(equation)
    return equations + _same_whole_scope(report)


def _same_whole_scope(report: Report) -> list[Equation]:
    """The whole scope counted by local authority and counted by police force area is one
    count, shown twice: a reader who sees it in one table has it for the other. Held as an
    equation wherever the two are equal, so that a count hidden in one is hidden in both."""
    wholes = defaultdict(list)
    for key in sorted(report.values):
        if key.area == ALL_AREAS:
            wholes[(key.measure, key.care_status, key.category, report.values[key])].append(key)
    return [{first: 1, other: -1} for first, *others in wholes.values() for other in others]


def _disclosed(equations: list[Equation], hidden: set[FactKey]) -> set[FactKey]:
    """The hidden counts that the shown figures and the relations fix."""
    rows = [{key: c for key, c in equation.items() if key in hidden} for equation in equations]
    rows = [row for row in rows if row]
    known = _peel(rows)
    rows = [{key: c for key, c in row.items() if key not in known} for row in rows]
    for component in _components([row for row in rows if row]):
        known |= _fixed_by_elimination(component)
    return known


def _peel(rows: list[dict[FactKey, int]]) -> set[FactKey]:
    """The hidden counts found by differences alone: a relation with one hidden count fixes it,
    which may leave another relation with one. Cheap, and it finds most disclosures before the
    elimination has to."""
    rows_of = defaultdict(list)
    for index, row in enumerate(rows):
        for key in row:
            rows_of[key].append(index)
    unknown_counts = [len(row) for row in rows]
    queue = [index for index, count in enumerate(unknown_counts) if count == 1]
    known = set()
    while queue:
        row = rows[queue.pop()]
        for key in row:
            if key in known:
                continue
            if all(other in known for other in row if other != key):
                known.add(key)
                for index in rows_of[key]:
                    unknown_counts[index] -= 1
                    if unknown_counts[index] == 1:
                        queue.append(index)
    return known


def _components(rows: list[dict[FactKey, int]]) -> list[list[dict[FactKey, int]]]:
    """The rows grouped so that no two groups share a hidden count."""
    parent = {}

    def root(key):
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        first, *rest = row
        for key in rest:
            parent[root(key)] = root(first)
    groups = defaultdict(list)
    for row in rows:
        groups[root(next(iter(row)))].append(row)
    return list(groups.values())


def _fixed_by_elimination(rows: list[dict[FactKey, int]]) -> set[FactKey]:
    """The keys whose unit vector is a row of the reduced row echelon form: exactly those in
    the rows' span."""
    keys, pivots = _reduce(rows)
    return {keys[column] for column, (row, _) in pivots.items() if len(row) == 1}


def _reduce(rows: list[dict[FactKey, int]], track: bool = False):
    """Gauss-Jordan elimination, exact, on sparse rows: the columns' keys, and for each pivot
    column its row (pivot 1, zero in every other pivot column) with, when tracked, the
    combination of the given rows (by position) that makes it."""
    keys = sorted({key for row in rows for key in row})
    order = {key: index for index, key in enumerate(keys)}
    pivots: dict[int, tuple[dict, dict]] = {}
    for index, row in enumerate(rows):
        vector = {order[key]: Fraction(c) for key, c in row.items()}
        combination = {index: Fraction(1)} if track else {}
        for column in [column for column in vector if column in pivots]:
            # Pivot rows are zero in each other's pivot columns: this entry is still the given.
            factor = vector[column]
            _subtract(vector, pivots[column][0], factor)
            _subtract(combination, pivots[column][1], factor)
        if not vector:
            continue
        pivot = min(vector)
        scale = vector[pivot]
        vector = {column: value / scale for column, value in vector.items()}
        combination = {row: value / scale for row, value in combination.items()}
        for other, other_combination in pivots.values():
            factor = other.get(pivot)
            if factor:
                _subtract(other, vector, factor)
                _subtract(other_combination, combination, factor)
        pivots[pivot] = (vector, combination)
    return keys, pivots


def _subtract(vector: dict, row: dict, factor: Fraction) -> None:
    for column, value in row.items():
        result = vector.get(column, 0) - factor * value
        if result:
            vector[column] = result
        else:
            vector.pop(column, None)


def _to_hide(report, equations, equations_of, hidden, disclosed) -> set[FactKey]:
    """The shown counts to hide next. First, for each count given away by a simple difference (a
    relation in which it is the only hidden count), one more count of that relation. Only when
    there is none, for the first count given away through a chain of relations, one more count
    of the relations whose combination gives it away; the next round sees whether that was
    enough (one at a time, since one hidden count often breaks several chains)."""
    more = set()
    for key in sorted(disclosed):
        # A relation with key its only hidden count and something shown (a relation of key
        # alone says it is zero, which no shown count gives away).
        alone = [equations[index] for index in equations_of[key]
                 if len(equations[index]) > 1
                 and sum(1 for cell in equations[index] if cell in hidden | more) == 1]
        candidates = [(_cheapest(report, equation, hidden | more), equation) for equation in alone]
        if candidates:
            more.add(min(candidates, key=lambda pair: _cost(report, pair[1], pair[0]))[0])
    if more:
        return more
    for key in sorted(disclosed):
        chain = [equations[index] for index in _disclosing(equations, equations_of, hidden, key)]
        candidates = [(_cheapest(report, equation, hidden), equation) for equation in chain
                      if any(cell not in hidden for cell in equation)]
        if candidates:
            return {min(candidates, key=lambda pair: _cost(report, pair[1], pair[0]))[0]}
    return set()


def _disclosing(equations, equations_of, hidden, key) -> list[int]:
    """The relations (by position) whose combination gives key away: the combination making
    key's unit row in the elimination of the relations joined to key through hidden counts."""
    linked, reached, queue = set(), {key}, [key]
    while queue:
        for index in equations_of[queue.pop()]:
            if index not in linked:
                linked.add(index)
                for cell in equations[index]:
                    if cell in hidden and cell not in reached:
                        reached.add(cell)
                        queue.append(cell)
    linked = sorted(linked)
    rows = [{cell: c for cell, c in equations[index].items() if cell in hidden} for index in linked]
    keys, pivots = _reduce(rows, track=True)
    _row, combination = pivots[keys.index(key)]
    return [linked[position] for position in combination]


def _cheapest(report: Report, equation: Equation, hidden: set[FactKey]) -> FactKey:
    """The shown count of the relation whose hiding costs readers least (_cost)."""
    return min((key for key in equation if key not in hidden),
               key=lambda key: _cost(report, equation, key))


def _cost(report: Report, equation: Equation, key: FactKey) -> tuple:
    """A non-zero count before a zero (hiding a zero protects only when nothing else is left); a
    part before the relation's total (the total is the figure a reader looks for, and it is
    often a part of further relations, so keeping it keeps more of the table readable); then the
    smallest; then FactKey order, so that the same report is always suppressed the same way."""
    value = report.values.get(key, 0)
    return value == 0, equation[key] > 0, value, key
