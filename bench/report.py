"""The annual report at a nation's scale: 1,000,000 missing episodes.

Seeds one organisation (about 250,000 children in both care statuses, placed and living across
Wales's 22 local authorities, some in England, some out of area, some with no area recorded;
their episodes over two years with reporting forces and risk grades; interviews offered,
accepted, declined and held by every kind of interviewer; the worker's push and pull factors and
harms, the young person's own, referrals of every kind and status, Active Offers of advocacy),
first in a SQLite file, then in a PostgreSQL schema of its own. In each it times, best of three,
the whole annual report (app.reports.figures.annual_report: every table, every area of both
kinds, both care statuses and both together) and the bare GROUP BY queries over the same tables
(one a measure and area kind, written by hand: the floor). Prints `report=… bare=… ratio=…`
for each database, then the larger ratio as `ratio=` on its own line (target: at most 2), and
the process's peak memory (target: under 500 MB).

    python -m bench.report [--episodes 1000000] [--databases sqlite,postgresql]
"""

import argparse
import logging
import random
import resource
import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text

from bench.common import make_app, temporary_sqlite

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
YEAR = 2025  # the report's year; the seed's first year (the one before) makes repeats
FIRST_DAY = datetime(YEAR - 1, 1, 1)
SECONDS_IN_TWO_YEARS = int((datetime(YEAR + 1, 1, 1) - FIRST_DAY).total_seconds())
CHUNK = 20_000  # episodes written between flushes (each table's rows of them in one go)
TURNS = 3

HOUR = 3600
INTERVIEWER_TYPES = ("independent_service", "independent_service", "independent_service",
                     "council_team", "police", "social_worker", "other")
RISK_GRADES = ("no_apparent_risk", "low", "medium", "medium", "high", None)
PUSH = ("communication_breakdown", "family_conflict", "domestic_abuse", "abuse_or_neglect",
        "placement_problems", "unhappy_with_decisions", "not_listened_to",
        "family_circumstances_change", "bereavement", "bullying", "school_problems",
        "loneliness_or_isolation", "substance_misuse_at_home", "forced_to_leave", "other")
PULL = ("to_see_family", "to_see_friends", "boyfriend_or_girlfriend", "peer_pressure", "parties",
        "drugs_or_alcohol", "home_area", "offered_money_gifts_or_place_to_stay", "other")
HARMS = ("sexual_exploitation", "criminal_exploitation", "trafficking_or_modern_slavery",
         "drugs_or_alcohol", "violence_or_hurt", "slept_rough_or_with_stranger",
         "stole_or_begged", "forced_marriage", "fgm", "other")
VULNERABILITIES = ("residential_care", "mental_health", "learning_disability",
                   "excluded_from_school", "previous_missing_episodes")
TALK_TO = ("my_worker", "advocate", "someone_else")
REFERRAL_STATUSES = ("suggested", "offered", "made", "made", "accepted", "accepted",
                     "declined", "dismissed")

# The columns each table is seeded with, in the order the row tuples below give them. Every
# synced record starts with id, rev, created_at, updated_at, field_sources.
RECORD = ("id", "rev", "created_at", "updated_at", "field_sources")
COLUMNS = {
    "children": RECORD + ("organisation_id", "team_id", "given_name", "family_name",
                          "looked_after", "placing_authority_code", "host_authority_code",
                          "residential_placement", "unaccompanied_asylum_seeking", "name_folded"),
    "missing_episodes": RECORD + ("organisation_id", "child_id", "reported_missing_at",
                                  "returned_at", "return_method", "risk_grade",
                                  "reporting_force_code"),
    "return_interviews": RECORD + ("organisation_id", "episode_id", "status", "offered_at",
                                   "consent", "declined_by", "conducted_at", "interviewer_type",
                                   "local_answers", "submitted_at", "review_priority"),
    "interview_codes": ("interview_id", "list_name", "code"),
    "self_reports": RECORD + ("organisation_id", "interview_id", "questionnaire_version_id",
                              "language", "handed_over_at", "answers", "question_states"),
    "self_report_codes": ("self_report_id", "list_name", "code"),
    "referrals": RECORD + ("organisation_id", "interview_id", "kind", "status", "suggested_at"),
    "advocacy_offers": RECORD + ("organisation_id", "interview_id", "offered", "offered_at",
                                 "response"),
}
# Parents before children: each flush writes the tables in this order.
TABLES = tuple(COLUMNS)


def stamp(seconds: float) -> str:
    """An instant, seconds after FIRST_DAY (UTC), as both databases read it from text: naive
    UTC with microseconds, what app.core.types.sqlite_text writes."""
    return (FIRST_DAY + timedelta(seconds=seconds)).isoformat(" ", "microseconds")


class Ids:
    """Time-ordered ids (UUID version 7, as app.core.ids makes them) in the order the rows are
    written, as 32 hex digits (SQLite's stored form, and text PostgreSQL's uuid reads); the
    counter fills the random bits, so that every index keyed by id grows at its end, as the
    app's own ids make it grow."""

    def __init__(self):
        self.prefix = f"{int(time.time() * 1000):012x}7000"
        self.counter = count(1)

    def __call__(self) -> str:
        return f"{self.prefix}{0x8000000000000000 | next(self.counter):016x}"


class Seed:
    """What every row shares, and where the generated rows wait until a flush."""

    def __init__(self, organisation, teams, version, areas, rng):
        self.organisation, self.teams, self.version, self.rng = organisation, teams, version, rng
        self.welsh_authorities = areas["welsh_authorities"]  # [(code, force)]
        self.english_authorities = areas["english_authorities"]
        self.english_forces = areas["english_forces"]
        self.ids = Ids()
        self.revisions = count(1)
        self.now = stamp(SECONDS_IN_TWO_YEARS)
        self.rows = {table: [] for table in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)

    def record(self, table: str, *values) -> str:
        record_id = self.ids()
        self.rows[table].append((record_id, next(self.revisions), self.now, self.now, "[]",
                                 self.organisation, *values))
        return record_id

    def take(self) -> dict[str, list[tuple]]:
        taken = self.rows
        for table, rows in taken.items():
            self.counts[table] += len(rows)
        self.rows = {table: [] for table in TABLES}
        return taken


def incidents_per_child(rng: random.Random) -> int:
    """A long tail, as the FOI returns show: most children go missing once or twice, a few
    dozens of times (every band up to 100+ is filled); about four on average."""
    return min(300, int(rng.paretovariate(1.25)))


def child_areas(seed: Seed, looked_after: bool):
    """(placing authority, host authority, the force covering the host) for a new child: most
    in one Welsh authority; a looked-after child often placed out of area (another Welsh
    authority, or England); a few placed from England; some with no area recorded."""
    rng = seed.rng
    roll = rng.random()
    if roll < 0.04:
        placing = None
    elif roll < 0.10:
        placing = rng.choice(seed.english_authorities)
    else:
        placing = rng.choice(seed.welsh_authorities)
    if looked_after and rng.random() < 0.3:
        host = rng.choice(seed.english_authorities if rng.random() < 0.3
                          else seed.welsh_authorities)
    elif placing is None and rng.random() < 0.5:
        host = None
    else:
        host = placing or rng.choice(seed.welsh_authorities)
    return (placing and placing[0]), (host and host[0]), (host and host[1])


def add_child(seed: Seed, number: int, episodes: int) -> None:
    rng = seed.rng
    # Children in care go missing more often: about 40% of incidents are theirs.
    looked_after = rng.random() < (0.55 if episodes >= 3 else 0.12)
    placing, host, force = child_areas(seed, looked_after)
    child = seed.record("children", seed.teams[number % len(seed.teams)], f"Plentyn {number}",
                        "Prawf", looked_after, placing, host,
                        looked_after and rng.random() < 0.4, rng.random() < 0.01,
                        f"plentyn {number} prawf")
    for missing in sorted(rng.randrange(SECONDS_IN_TWO_YEARS - 400 * HOUR)
                          for _ in range(episodes)):
        add_episode(seed, child, missing, looked_after, force)


def add_episode(seed: Seed, child: str, missing: int, looked_after: bool, force) -> None:
    rng = seed.rng
    returned = None if rng.random() < 0.03 else missing + rng.randrange(1, 96) * HOUR
    roll = rng.random()
    if roll < 0.08:
        force = None  # no reporting force recorded: the force covering the authority counts
    elif roll < 0.12 or force is None:
        force = rng.choice(seed.english_forces) if roll < 0.10 else None
    episode = seed.record("missing_episodes", child, stamp(missing),
                          returned and stamp(returned),
                          returned and ("found" if rng.random() < 0.4 else "came_back"),
                          rng.choice(RISK_GRADES), force)
    if returned is None or rng.random() < 0.07:
        return  # no interview yet
    add_interview(seed, episode, returned, looked_after)
    if rng.random() < 0.04:  # a second interview of the same episode (a child who came back to it)
        add_interview(seed, episode, returned + 100 * HOUR, looked_after)


def add_interview(seed: Seed, episode: str, returned: int, looked_after: bool) -> None:
    rng = seed.rng
    offered = returned + rng.randrange(1, 48) * HOUR if rng.random() < 0.92 else None
    roll = rng.random()
    consent = ("accepted" if offered and roll < 0.72 else
               "declined" if offered and roll < 0.88 else "pending")
    # About two thirds held within 72 hours of the return, the rest later.
    held = (returned + rng.randrange(2, 110) * HOUR
            if consent == "accepted" and rng.random() < 0.93 else None)
    status = ("approved" if held and rng.random() < 0.85 else
              "submitted" if held else "draft")
    interview = seed.record(
        "return_interviews", episode, status, offered and stamp(offered), consent,
        ("child" if rng.random() < 0.8 else "parent_or_carer") if consent == "declined" else None,
        held and stamp(held), rng.choice(INTERVIEWER_TYPES) if held and rng.random() < 0.96
        else None, "{}", stamp(held + HOUR) if status != "draft" else None, 0)
    if held:
        add_codes(seed, "interview_codes", interview, (
            ("push_factor", PUSH, rng.randrange(4)), ("pull_factor", PULL, rng.randrange(3)),
            ("harm", HARMS, rng.randrange(3) if rng.random() < 0.35 else 0),
            ("vulnerability", VULNERABILITIES, rng.randrange(2))))
        if rng.random() < 0.35:
            report = seed.record("self_reports", interview, seed.version,
                                 "cy" if rng.random() < 0.2 else "en", stamp(held), "{}", "{}")
            add_codes(seed, "self_report_codes", report, (
                ("push_factor", PUSH, rng.randrange(3)), ("pull_factor", PULL, rng.randrange(3)),
                ("talk_to", TALK_TO, rng.randrange(2))))
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            seed.record("referrals", interview, rng.choice(seed.kinds),
                        rng.choice(REFERRAL_STATUSES), stamp(held))
    if looked_after and offered:
        made = rng.random() < 0.85
        seed.record("advocacy_offers", interview, made, made and stamp(offered) or None,
                    rng.choice(("accepted", "declined", "pending")) if made else "pending")


def add_codes(seed: Seed, table: str, owner: str, wanted) -> None:
    rows = seed.rows[table]
    for list_name, codes, how_many in wanted:
        for code in seed.rng.sample(codes, how_many):
            rows.append((owner, list_name, code))


def generate(seed: Seed, episodes: int, flush) -> None:
    """Children and their episodes (with everything under them) until `episodes` are made,
    handing the rows to `flush` every CHUNK episodes: nothing is held for long."""
    made = number = 0
    while made < episodes:
        wanted = min(incidents_per_child(seed.rng), episodes - made)
        add_child(seed, number, wanted)
        made += wanted
        number += 1
        if len(seed.rows["missing_episodes"]) >= CHUNK:
            flush(seed.take())
    flush(seed.take())


# --- Writing the rows -------------------------------------------------------------------------

def seed_sqlite(path: str, seed: Seed, episodes: int) -> None:
    """executemany in one transaction, on a connection of its own with no journal and no
    syncing (a crash mid-seed loses nothing worth keeping: the file is made for this run)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-65536")  # 64 MiB, as the app's
        connection.execute("BEGIN")
        statements = {table: f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                             f"({', '.join('?' * len(columns))})"
                      for table, columns in COLUMNS.items()}

        def flush(rows):
            for table in TABLES:
                connection.executemany(statements[table], rows[table])

        generate(seed, episodes, flush)
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def seed_postgres(url: str, seed: Seed, episodes: int) -> None:
    """COPY, a table's rows of each chunk in one go, in one transaction. The rows are made
    whole by construction (each parent flushed before its children), so the foreign keys'
    triggers are left out for this connection (session_replication_role: the postgres user
    may), as a restore from a dump leaves them out."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        connection.execute("SET session_replication_role = replica")
        statements = {table: f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                      for table, columns in COLUMNS.items()}

        def flush(rows):
            with connection.cursor() as cursor:
                for table in TABLES:
                    if not rows[table]:
                        continue
                    with cursor.copy(statements[table]) as copy:
                        copy.write("".join("\t".join(map(_copy_text, row)) + "\n"
                                           for row in rows[table]))

        generate(seed, episodes, flush)
        connection.execute("SET session_replication_role = DEFAULT")
        connection.commit()
        connection.autocommit = True
        connection.execute("ANALYZE")


# --- The database -----------------------------------------------------------------------------

def prepare(app) -> Seed:
    """The schema (the app's migrations), reference data and the organisation with its teams,
    through the app; returns what the seed's rows share."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app.auth.services import add_organisation
    from app.cases.models import Area
    from app.extensions import db
    from app.questionnaires.models import QuestionnaireVersion
    from app.reference import load_reference_data
    from app.referrals.models import KINDS

    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        organisation, teams = add_organisation(db.session, "Benchmark",
                                               [f"Team {n}" for n in range(8)])
        version = db.session.scalars(select(QuestionnaireVersion.id)).first()
        areas = db.session.execute(select(Area.code, Area.kind, Area.country,
                                          Area.police_force_code)).all()
        db.session.commit()
        seed = Seed(organisation.id.hex, [team.id.hex for team in teams], version.hex, {
            "welsh_authorities": [(a.code, a.police_force_code) for a in areas
                                  if a.kind == "local_authority" and a.country == "wales"],
            "english_authorities": [(a.code, a.police_force_code) for a in areas
                                    if a.kind == "local_authority" and a.country != "wales"][:40],
            "english_forces": [a.code for a in areas
                               if a.kind == "police_force" and a.country != "wales"][:12],
        }, random.Random(24))
        seed.kinds = KINDS
        db.session.remove()
        db.engine.dispose()  # the seed writes on a connection of its own
        return seed


def postgres_schema(base_url: str, schema: str, drop: bool = False) -> str:
    """A schema of its own on the server (made afresh, or dropped); the URL that uses it."""
    import psycopg

    with psycopg.connect(base_url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        if not drop:
            connection.execute(f'CREATE SCHEMA "{schema}"')
    return f"{base_url}?options={quote(f'-csearch_path={schema}')}"


# --- The bare queries: the floor ----------------------------------------------------------------
# One GROUP BY for each measure and area kind, by area, care status and category, over the
# joined tables, written by hand: the fewest statements that give the report's figures for
# every area of both kinds and both care statuses (the report's "all" care status and all
# areas together, and its zeros and relations, are what it adds). Each measure as
# (the joins beyond episodes and children, its condition, its category, what it counts).
# An incident is counted once however many interviews it has (DISTINCT), as the report counts.
EPISODE = "count(DISTINCT e.id)"
INTERVIEW = "JOIN return_interviews i ON i.episode_id = e.id"
WORKER_CODES = INTERVIEW + " JOIN interview_codes ic ON ic.interview_id = i.id"
OWN_CODES = (INTERVIEW + " JOIN self_reports sr ON sr.interview_id = i.id"
             " JOIN self_report_codes sc ON sc.self_report_id = sr.id")
REFERRAL = INTERVIEW + " JOIN referrals r ON r.interview_id = i.id"
OFFER = INTERVIEW + " JOIN advocacy_offers ao ON ao.interview_id = i.id"
# 72 hours after the return, in each database's own terms (as exact as the report's).
DEADLINE = {
    "postgresql": "e.returned_at + interval '72 hours'",
    "sqlite": "(strftime('%Y-%m-%d %H:%M:%S', substr(e.returned_at, 1, 19), '+72 hours')"
              " || substr(e.returned_at, 20))",
}
BARE = {
    "incidents": ("", "", "''", "count(*)"),
    "children": ("", "", "''", "count(DISTINCT e.child_id)"),
    "repeat_incidents": ("", "EXISTS (SELECT 1 FROM missing_episodes b WHERE b.child_id = "
                         "e.child_id AND b.reported_missing_at < e.reported_missing_at)",
                         "''", "count(*)"),
    "out_of_area_incidents": ("", "c.looked_after AND c.placing_authority_code <> "
                              "c.host_authority_code", "''", "count(*)"),
    "offered": (INTERVIEW, "i.offered_at IS NOT NULL", "''", EPISODE),
    "accepted": (INTERVIEW, "i.consent = 'accepted'", "''", EPISODE),
    "declined": (INTERVIEW, "i.consent = 'declined'", "''", EPISODE),
    "conducted": (INTERVIEW, "i.conducted_at IS NOT NULL", "''", EPISODE),
    "conducted_within_72_hours": (INTERVIEW, "i.conducted_at <= {deadline}", "''", EPISODE),
    "conducted_by": (INTERVIEW, "i.id = (SELECT l.id FROM return_interviews l WHERE "
                     "l.episode_id = e.id AND l.conducted_at IS NOT NULL "
                     "ORDER BY l.conducted_at DESC, l.id DESC LIMIT 1)",
                     "coalesce(i.interviewer_type, 'not_recorded')", "count(*)"),
    "push_factor_worker": (WORKER_CODES, "ic.list_name = 'push_factor'", "ic.code", EPISODE),
    "push_factor_young_person": (OWN_CODES, "sc.list_name = 'push_factor'", "sc.code", EPISODE),
    "pull_factor_worker": (WORKER_CODES, "ic.list_name = 'pull_factor'", "ic.code", EPISODE),
    "pull_factor_young_person": (OWN_CODES, "sc.list_name = 'pull_factor'", "sc.code", EPISODE),
    "harms": (WORKER_CODES, "ic.list_name = 'harm'", "ic.code", EPISODE),
    "risk_grades": ("", "", "coalesce(e.risk_grade, 'not_recorded')", "count(*)"),
    "referrals_made": (REFERRAL, "r.status IN ('made', 'accepted', 'declined')", "r.kind",
                       "count(*)"),
    "advocacy_offered": (OFFER, "ao.offered", "''", EPISODE),
    "advocacy_taken_up": (OFFER, "ao.response = 'accepted'", "''", EPISODE),
    "thresholds_crossed": (REFERRAL, "r.kind = 'repeat_multi_agency_discussion'", "''",
                           EPISODE),
}
AUTHORITY = "coalesce(c.placing_authority_code, c.host_authority_code)"
AREA = {"local_authority": f"coalesce({AUTHORITY}, 'UNKNOWN')",
        "police_force": "coalesce(e.reporting_force_code, a.police_force_code, 'UNKNOWN')"}
BANDED = """SELECT area, looked_after, CASE WHEN n <= 5 THEN CAST(n AS VARCHAR(3))
  WHEN n <= 10 THEN '6-10' WHEN n <= 20 THEN '11-20' WHEN n <= 50 THEN '21-50'
  WHEN n <= 100 THEN '51-100' ELSE '100+' END AS band, count(*)
FROM (SELECT e.child_id, {area} AS area, c.looked_after, count(*) AS n {source}
      GROUP BY e.child_id, {area}, c.looked_after) AS per_child
GROUP BY area, looked_after, band"""


def bare_statements(dialect: str) -> list[str]:
    """The bare queries for every measure and area kind (:organisation, :start and :after
    bound): 42 statements."""
    statements = []
    for kind, area in AREA.items():
        areas = (f" LEFT JOIN areas a ON a.code = {AUTHORITY}" if kind == "police_force"
                 else "")
        source = ("FROM missing_episodes e JOIN children c ON c.id = e.child_id" + areas
                  + " {joins} WHERE e.organisation_id = :organisation"
                  " AND e.reported_missing_at >= :start AND e.reported_missing_at < :after")
        statements.append(BANDED.format(area=area, source=source.format(joins="")))
        for joins, condition, category, counted in BARE.values():
            where = f" AND {condition}" if condition else ""
            statements.append(
                f"SELECT {area}, c.looked_after, {category}, {counted} "
                + source.format(joins=joins) + where.format(deadline=DEADLINE[dialect])
                + " GROUP BY 1, 2, 3")
    return statements


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def seeded(kind: str, episodes: int) -> tuple[str, object]:
    """A database of `kind` with the seed in it: (its URL, the app on it)."""
    if kind == "sqlite":
        url = temporary_sqlite("report.db")
    else:
        url = postgres_schema(POSTGRES_URL, SCHEMA)
    app = make_app(url)
    seed = prepare(app)
    began = time.perf_counter()
    if kind == "sqlite":
        seed_sqlite(url.removeprefix("sqlite:///"), seed, episodes)
    else:
        seed_postgres(url, seed, episodes)
    made = ", ".join(f"{rows:,} {table}" for table, rows in seed.counts.items())
    print(f"{kind}: seeded {made} in {time.perf_counter() - began:.0f} s "
          f"(peak memory so far {peak_memory_mb():.0f} MB)", flush=True)
    return url, app


SCHEMA = "adref_bench_report"



# --- Timing -------------------------------------------------------------------------------------

def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def measure(app) -> tuple[float, float]:
    """The best of TURNS of the whole report and of the bare queries, in alternation (so that
    the machine's drift falls on both alike)."""
    from sqlalchemy import Uuid, bindparam, select

    from app.auth.models import Organisation
    from app.core.types import UTCDateTime
    from app.extensions import db
    from app.reports.facts import Period, Scope
    from app.reports.figures import annual_report
    from app.reports.instants import period_instants

    with app.app_context():
        organisation = db.session.scalars(select(Organisation.id)).one()
        dialect = db.engine.dialect.name
    period = Period.year(YEAR)
    start, after = period_instants(period)
    statements = [text(sql).bindparams(bindparam("organisation", organisation, type_=Uuid),
                                       bindparam("start", start, type_=UTCDateTime),
                                       bindparam("after", after, type_=UTCDateTime))
                  for sql in bare_statements(dialect)]
    figures = {}

    def report():
        with app.app_context():
            figures["report"] = annual_report(db.session, Scope(organisation), period)
            db.session.rollback()

    def bare():
        with app.app_context():
            figures["bare"] = [db.session.execute(statement).all() for statement in statements]
            db.session.rollback()

    reports, bares = [], []
    for _ in range(TURNS):
        reports.append(timed(report))
        bares.append(timed(bare))
    check_alike(figures["report"], figures["bare"])
    return min(reports), min(bares)


def check_alike(report, bare) -> None:
    """The bare queries count what the report counts: every row they give is the report's
    figure for the same measure, area, care status and category (a floor that counted
    something else would measure nothing)."""
    from app.reports.facts import FactKey

    keys = ["children_by_band", *BARE]
    status = {True: "looked_after", False: "not_looked_after"}
    for number, rows in enumerate(bare):
        kind, measure = tuple(AREA)[number // len(keys)], keys[number % len(keys)]
        for area, looked_after, category, counted in rows:
            key = FactKey(measure, kind, area, status[bool(looked_after)], category)
            if report.values.get(key) != counted:
                raise SystemExit(f"{key}: the report says {report.values.get(key)}, "
                                 f"the bare query {counted}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    arguments = parser.parse_args()
    logging.disable(logging.INFO)  # the migrations' progress
    ratios = []
    for kind in arguments.databases.split(","):
        url, app = seeded(kind, arguments.episodes)
        try:
            report, bare = measure(app)
        finally:
            forget(kind, url, app)
        ratios.append(report / bare)
        print(f"{kind}: report={report:.2f}s bare={bare:.2f}s ratio={report / bare:.2f}",
              flush=True)
    print(f"peak memory {peak_memory_mb():.0f} MB (at most 500)")
    print(f"ratio={max(ratios):.2f}")


def forget(kind: str, url: str, app) -> None:
    """The database made for the run, removed: the SQLite file and its folder, the PostgreSQL
    schema."""
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if kind == "sqlite":
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
    else:
        postgres_schema(POSTGRES_URL, SCHEMA, drop=True)


if __name__ == "__main__":
    main()
