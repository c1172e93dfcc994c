"""Suppression of small counts in published figures (DOMAIN.md, "Publishing figures about
children").

Primary: every count from 1 to SMALLEST_SHOWN - 1 is hidden. A zero is shown: it tells nothing
about any child.
Secondary: no hidden count may be worked out from what is shown. A reader who knows the report's
relations (total = sum of parts) can put the shown figures into them and solve for the hidden
ones; a hidden count is disclosed when that linear system fixes its value, that is when its unit
vector lies in the row space of the system's coefficients over the hidden counts. While any
hidden count is disclosed, one more shown count in a relation that discloses it is hidden too.
Besides the report's relations, the whole scope (ALL) counted by local authority and by police
force area is one count shown twice, and held equal wherever it is.

The algebra is exact (integer Gauss-Jordan elimination) and done per connected group of hidden
counts, each group solved once, so that a whole annual report is suppressed in well under a
second.
"""

from collections import defaultdict
from dataclasses import replace
from math import gcd

from app.reports.facts import ALL_AREAS, SMALLEST_SHOWN, FactKey, Report

# What a suppressed figure shows, in pages, exports and the API alike.
SUPPRESSED_MARK = f"<{SMALLEST_SHOWN}"

# An equation: each key's coefficient in total - sum(parts) = 0.
Equation = dict[FactKey, int]


def suppress(report: Report) -> Report:
    """A copy of the report with `suppressed` set: the small counts, and whatever else must be
    hidden so that none of them can be worked out from the rest."""
    return replace(report, suppressed=_Suppression(report).run())


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


class _Suppression:
    """The report's relations as equations, the counts hidden so far, and the rounds that hide
    more until no hidden count is disclosed. Counts are numbered in FactKey order (a number
    hashes far faster than a FactKey, and orders the same)."""

    def __init__(self, report: Report):
        equations = _equations(report)
        self.keys = sorted(set(report.values).union(report.suppressed, *equations))
        number = {key: index for index, key in enumerate(self.keys)}
        self.values = [report.values.get(key, 0) for key in self.keys]
        self.equations = [{number[key]: c for key, c in equation.items()}
                          for equation in equations]
        self.equations_of = defaultdict(list)
        for index, equation in enumerate(self.equations):
            for cell in equation:
                self.equations_of[cell].append(index)
        # The small counts, and any the report already hides (suppressing twice changes nothing).
        self.hidden = {cell for cell, value in enumerate(self.values)
                       if 0 < value < SMALLEST_SHOWN or self.keys[cell] in report.suppressed}
        self.solved: dict[frozenset, set[int]] = {}  # a group's hidden counts -> those disclosed

    def run(self) -> frozenset[FactKey]:
        while disclosed := self.disclosed():
            more = self.to_hide(disclosed)
            if not more:
                # Only relations among hidden counts alone fix these (no shown count is left in
                # them): nothing published gives them away.
                break
            self.hidden |= more
        return frozenset(self.keys[cell] for cell in self.hidden)

    def disclosed(self) -> list[list[int]]:
        """The hidden counts that the shown figures and the relations fix, by group. A group of
        hidden counts joined by relations is solved apart from the others, and only once: hiding
        more elsewhere does not change what it gives away."""
        disclosed = []
        for group, rows in self.groups().items():
            if group not in self.solved:
                known = _peel(rows)
                rest = [{cell: c for cell, c in row.items() if cell not in known} for row in rows]
                self.solved[group] = known | _fixed_by_elimination([row for row in rest if row])
            if self.solved[group]:
                disclosed.append(sorted(self.solved[group]))
        return sorted(disclosed)

    def groups(self) -> dict[frozenset, list[dict[int, int]]]:
        """The equations over hidden counts only, grouped so that no two groups share one."""
        parent = {}

        def root(cell):
            while parent.setdefault(cell, cell) != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        rows = []
        for equation in self.equations:
            row = {cell: c for cell, c in equation.items() if cell in self.hidden}
            if row:
                rows.append(row)
                first = root(next(iter(row)))
                for cell in row:
                    parent[root(cell)] = first
        members, grouped = defaultdict(set), defaultdict(list)
        for cell in parent:
            members[root(cell)].add(cell)
        for row in rows:
            grouped[root(next(iter(row)))].append(row)
        return {frozenset(members[top]): group_rows for top, group_rows in grouped.items()}

    def to_hide(self, disclosed: list[list[int]]) -> set[int]:
        """The shown counts to hide next. First, for each count given away by a simple
        difference (a relation in which it is the only hidden count), one more count of that
        relation. Only when there is none, in each group, for its first count given away through
        a chain of relations, one more count of the relations whose combination gives it away;
        the next round sees whether that was enough (one a group at a time: one count often
        breaks many chains)."""
        more = set()
        for cell in sorted(cell for group in disclosed for cell in group):
            hidden = self.hidden | more
            # A relation of cell alone says it is zero, which no shown count gives away.
            alone = [self.equations[index] for index in self.equations_of[cell]
                     if len(self.equations[index]) > 1
                     and sum(1 for other in self.equations[index] if other in hidden) == 1]
            if alone:
                more.add(self.cheapest(alone, hidden))
        if more:
            return more
        for group in disclosed:
            for cell in group:
                chain = [equation for equation in self.disclosing(cell)
                         if any(other not in self.hidden | more for other in equation)]
                if chain:
                    more.add(self.cheapest(chain, self.hidden | more))
                    break
        return more

    def disclosing(self, cell: int) -> list[dict[int, int]]:
        """The relations whose combination gives cell away: the combination that makes its unit
        row when the relations joined to it through hidden counts are eliminated."""
        linked, reached, queue = set(), {cell}, [cell]
        while queue:
            for index in self.equations_of[queue.pop()]:
                if index not in linked:
                    linked.add(index)
                    fresh = [other for other in self.equations[index]
                             if other in self.hidden and other not in reached]
                    reached.update(fresh)
                    queue += fresh
        linked = sorted(linked)
        rows = [{other: c for other, c in self.equations[index].items() if other in self.hidden}
                for index in linked]
        columns, pivots = _reduce(rows, track=True)
        _row, combination = pivots[columns.index(cell)]
        return [self.equations[linked[position]] for position in combination]

    def cheapest(self, equations: list[dict[int, int]], hidden: set[int]) -> int:
        """The shown count of these relations whose hiding costs readers least:
        - a non-zero count before a zero (hiding a zero protects only when nothing else is left);
        - one whose other relations already have a hidden count, so that it is not itself given
          away by them (which would cost a further count each), and better still one that joins
          a count now alone in its relation;
        - a part before its relation's total (the total is the figure a reader looks for);
        - the smallest; then FactKey order, so that a report is always suppressed the same way.
        """
        def cost(candidate):
            cell, equation = candidate
            value = self.values[cell]
            return value == 0, self.exposure(cell, hidden), equation[cell] > 0, value, cell

        candidates = [(cell, equation) for equation in equations for cell in equation
                      if cell not in hidden]
        return min(candidates, key=cost)[0]

    def exposure(self, cell: int, hidden: set[int]) -> int:
        """How many relations would give cell away once hidden (those with nothing hidden yet),
        less how many it would stop giving a count away (those with one hidden count)."""
        exposure = 0
        for index in self.equations_of[cell]:
            equation = self.equations[index]
            if len(equation) > 1:
                hidden_count = sum(1 for other in equation if other in hidden)
                exposure += (hidden_count == 0) - (hidden_count == 1)
        return exposure


def _peel(rows: list[dict[int, int]]) -> set[int]:
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
            if key not in known and all(other in known for other in row if other != key):
                known.add(key)
                for index in rows_of[key]:
                    unknown_counts[index] -= 1
                    if unknown_counts[index] == 1:
                        queue.append(index)
    return known


def _fixed_by_elimination(rows: list[dict[int, int]]) -> set[int]:
    """The keys whose unit vector is a row of the reduced row echelon form: exactly those in
    the rows' span."""
    keys, pivots = _reduce(rows)
    return {keys[column] for column, (row, _) in pivots.items() if len(row) == 1}


def _reduce(rows: list[dict[int, int]], track: bool = False):
    """Gauss-Jordan elimination in integers, exact, on sparse rows: the columns' keys, and for
    each pivot column its row (zero in every other pivot column), with, when tracked, the
    combination of the given rows (by position) that makes it."""
    keys = sorted({key for row in rows for key in row})
    order = {key: index for index, key in enumerate(keys)}
    pivots: dict[int, tuple[dict[int, int], dict[int, int]]] = {}
    for index, row in enumerate(rows):
        vector = {order[key]: c for key, c in row.items()}
        combination = {index: 1} if track else {}
        # Pivot rows are zero in each other's pivot columns, so no new pivot column turns up.
        for column in [column for column in vector if column in pivots]:
            pivot_row, pivot_combination = pivots[column]
            scale, factor = pivot_row[column], vector[column]
            _combine(vector, scale, pivot_row, factor)
            _combine(combination, scale, pivot_combination, factor)
            _divide_out(vector, combination)
        if not vector:
            continue
        pivot = min(vector)
        for other, other_combination in pivots.values():
            factor = other.get(pivot)
            if factor:
                scale = vector[pivot]
                _combine(other, scale, vector, factor)
                _combine(other_combination, scale, combination, factor)
                _divide_out(other, other_combination)
        pivots[pivot] = (vector, combination)
    return keys, pivots


def _combine(vector: dict, scale: int, row: dict, factor: int) -> None:
    """vector = scale * vector - factor * row, in place, keeping no zeros."""
    if scale != 1:
        for column in vector:
            vector[column] *= scale
    for column, value in row.items():
        result = vector.get(column, 0) - factor * value
        if result:
            vector[column] = result
        else:
            vector.pop(column, None)


def _divide_out(vector: dict, combination: dict) -> None:
    """Divide a row and its combination by their common factor, to keep the integers small."""
    common = gcd(*vector.values(), *combination.values())
    if common > 1:
        for part in (vector, combination):
            for column in part:
                part[column] //= common
