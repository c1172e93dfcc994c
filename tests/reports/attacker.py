"""The attacker of the suppression tests, written independently of app.reports.suppression: it
knows the report's relations (and that the whole scope counted by local authority is the same
count as by police force area) and solves for every hidden count by exact elimination."""

from fractions import Fraction
from math import gcd

from app.reports.facts import ALL_AREAS, FactKey, Report


def _equations_an_attacker_knows(report: Report) -> list[dict]:
    """Every relation of the report, and that the whole scope counted by local authority is the
    same count as counted by police force area: {key: coefficient}, summing to zero."""
    equations = []
    for relation in report.relations:
        equation = {relation.total: 1}
        for part in relation.parts:
            equation[part] = equation.get(part, 0) - 1
        equations.append(equation)
    wholes = {}
    for key, value in report.values.items():
        if key.area == ALL_AREAS:
            wholes.setdefault((key.measure, key.care_status, key.category, value), []).append(key)
    for first, *others in wholes.values():
        equations += [{first: 1, other: -1} for other in others]
    return equations


def recover(report: Report) -> dict[FactKey, Fraction]:
    """What an attacker works out of the published figures: each hidden count that the
    relations fix, with its value. Integer Gauss-Jordan elimination on [unknowns | constant]."""
    unknowns = sorted(report.suppressed)
    column = {key: index for index, key in enumerate(unknowns)}
    rows = []
    for equation in _equations_an_attacker_knows(report):
        row = [0] * (len(unknowns) + 1)
        for key, coefficient in equation.items():
            shown = report.shown(key)
            if shown is None:
                row[column[key]] += coefficient
            else:
                row[-1] -= coefficient * shown  # moved to the right-hand side
        if any(row[:-1]):
            rows.append(row)
    rank = 0
    for col in range(len(unknowns)):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        top = rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col]:
                a, b = top[col], rows[r][col]
                combined = [a * x - b * y for x, y in zip(rows[r], top, strict=True)]
                divisor = 0
                for x in combined:
                    divisor = gcd(divisor, x)
                rows[r] = [x // divisor for x in combined] if divisor else combined
        rank += 1
    recovered = {}
    for row in rows[:rank]:
        nonzero = [index for index, x in enumerate(row[:-1]) if x]
        if len(nonzero) == 1:
            recovered[unknowns[nonzero[0]]] = Fraction(row[-1], row[nonzero[0]])
    return recovered
