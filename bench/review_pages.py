"""The supervisor's pages at an organisation's scale: 100,000 interviews.

Seeds one organisation (two teams, 40,000 children, 100,000 missing episodes each with its
interview, in every state) in a fresh SQLite database, then times, in the same run and in
alternation, each page as the supervisor gets it (signed in, through the app, rendered) and the
bare SQL query the page needs (the same rows, straight from the database). Prints each median
and `ratio=` (page over query) for the review queue, a search by name and the board. Each ratio
should be at most 3.

    python -m bench.review_pages [INTERVIEWS]
"""

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bench.common import make_app, temporary_sqlite

INTERVIEWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
CHILDREN = INTERVIEWS * 2 // 5
TURNS = 15
EMAIL, PASSWORD = "supervisor@bench.example", "benchmark-password-1"
# Each interview's state, dealt in turn: most are approved, one in ten waits for review.
STATES = ["approved"] * 6 + ["submitted", "draft", "returned", "draft"]
GIVEN = ["Siân", "Dafydd", "Ffion", "Rhys", "Nia", "Gethin", "Cerys", "Osian", "Elin", "Iwan"]
FAMILY = ["Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis"]


def seed(database_url: str) -> None:
    """Schema, reference data, the organisation and its people, then the children, episodes and
    interviews in bulk INSERTs with revisions taken as the ORM would, and every derived column
    the app keeps (folded names, review priority) computed by the app's own functions."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from app.auth.models import Role
    from app.auth.passwords import hash_password
    from app.auth.services import add_organisation, add_person
    from app.cases.models import Child, MissingEpisode
    from app.core.ids import new_id
    from app.core.models import take_revisions
    from app.extensions import db
    from app.interviews.models import ReturnInterview
    from app.questionnaires.services import current_version_id
    from app.reference import load_reference_data

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        organisation, teams = add_organisation(db.session, "Benchmark", ["Team 1", "Team 2"])
        add_person(db.session, organisation, teams[0], Role.SUPERVISOR, "Supervisor", EMAIL,
                   password_hash=hash_password(PASSWORD), language="en")
        workers = [add_person(db.session, organisation, teams[n % 2], Role.WORKER, f"Worker {n}",
                              f"worker{n}@bench.example") for n in range(20)]
        version = current_version_id(db.session, organisation.id)
        revisions = iter(take_revisions(db.session, CHILDREN + INTERVIEWS * 2))
        start = datetime(2022, 1, 1, tzinfo=UTC)
        common = {"organisation_id": organisation.id}
        kids = []
        for number in range(CHILDREN):
            worker = workers[number % len(workers)]
            kids.append({**common, "id": new_id(), "rev": next(revisions),
                         "team_id": worker.team_id, "assigned_worker_id": worker.id,
                         "given_name": GIVEN[number % len(GIVEN)],
                         "family_name": f"{FAMILY[number % len(FAMILY)]} {number}"})
        episodes, interviews = [], []
        for number in range(INTERVIEWS):
            child = kids[number % CHILDREN]
            episode = new_id()
            reported = start + timedelta(minutes=number * 17)
            state = STATES[number % len(STATES)]
            episodes.append({**common, "id": episode, "rev": next(revisions),
                             "child_id": child["id"], "reported_missing_at": reported,
                             "returned_at": reported + timedelta(hours=6),
                             "risk_grade": "high" if number % 13 == 0 else "medium"})
            interviews.append({**common, "id": new_id(), "rev": next(revisions),
                               "episode_id": episode,
                               "interviewer_id": child["assigned_worker_id"],
                               "questionnaire_version_id": version, "status": state,
                               "offered_at": reported + timedelta(hours=8),
                               "consent": "accepted" if state != "draft" else "pending",
                               "conducted_at": None if state == "draft"
                               else reported + timedelta(hours=30),
                               "submitted_at": None if state == "draft"
                               else reported + timedelta(hours=31)})
        for model, rows in ((Child, kids), (MissingEpisode, episodes),
                            (ReturnInterview, interviews)):
            for at in range(0, len(rows), 20_000):
                db.session.execute(insert(model), rows[at:at + 20_000])
        db.session.commit()
        keep_derived_columns(db.session)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def keep_derived_columns(session) -> None:
    """What the app writes beside each record when it saves one (the bulk INSERTs above went
    round it), filled by the app's own code: each child's folded name, and the review priority
    of each submitted interview (refresh_priorities, as every write path calls it)."""
    from sqlalchemy import select, update

    from app.cases.models import Child, folded_name
    from app.interviews.models import ReturnInterview
    from app.review.priority import refresh_priorities

    names = session.execute(select(Child.id, Child.given_name, Child.family_name)).all()
    session.execute(update(Child), [{"id": child_id, "name_folded": folded_name(given, family)}
                                    for child_id, given, family in names])
    submitted = session.scalars(select(ReturnInterview.id).where(
        ReturnInterview.status == "submitted")).all()
    for at in range(0, len(submitted), 500):
        refresh_priorities(session, submitted[at:at + 500])


def median_seconds(action, turns: int = TURNS) -> float:
    times = []
    for _ in range(turns):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def signed_in_client(app):
    """A test client with the supervisor's session (made as sign-in makes one: this measures the
    pages, not the sign-in)."""
    from sqlalchemy import select

    from app.auth.models import Person
    from app.auth.sessions import SESSION_COOKIE, start_session
    from app.extensions import db

    client = app.test_client()
    with app.app_context():
        supervisor = db.session.scalars(select(Person).where(Person.email == EMAIL)).one()
        token = start_session(supervisor)
        db.session.commit()
        scope = {"team": supervisor.team_id.hex, "organisation": supervisor.organisation_id.hex}
    client.set_cookie(SESSION_COOKIE, token)
    return client, scope


# Each page as the supervisor asks for it, and the bare queries for the same rows: one page of 50
# and the count shown with it. :team and :organisation are the supervisor's. The board's bare queries are the
# statements the board itself runs (its sections' counts and first rows, the team's tablets),
# caught as it renders and replayed straight on the database's connection (the page's time
# over theirs is what the app adds: the ORM, the rules run in Python, the template).
PAGES = {
    "queue": (
        "/review/queue",
        """SELECT i.id, c.given_name, c.family_name, i.submitted_at, i.review_priority
           FROM return_interviews i JOIN missing_episodes e ON e.id = i.episode_id
           JOIN children c ON c.id = e.child_id
           WHERE i.organisation_id = :organisation AND c.team_id = :team
             AND i.status = 'submitted'
           ORDER BY i.review_priority DESC, i.submitted_at, i.id LIMIT 50""",
        """SELECT count(*) FROM return_interviews i JOIN missing_episodes e ON e.id = i.episode_id
           JOIN children c ON c.id = e.child_id
           WHERE i.organisation_id = :organisation AND c.team_id = :team
             AND i.status = 'submitted'"""),
    "search": (
        "/review/?q=sian+jones+1",
        """SELECT i.id, c.given_name, c.family_name, e.reported_missing_at, i.status
           FROM return_interviews i JOIN missing_episodes e ON e.id = i.episode_id
           JOIN children c ON c.id = e.child_id
           WHERE c.team_id = :team AND c.name_folded LIKE '%sian%'
             AND c.name_folded LIKE '%jones%' AND c.name_folded LIKE '%1%'
           ORDER BY e.reported_missing_at DESC LIMIT 50""",
        """SELECT count(*) FROM return_interviews i JOIN missing_episodes e ON e.id = i.episode_id
           JOIN children c ON c.id = e.child_id
           WHERE c.team_id = :team AND c.name_folded LIKE '%sian%'
             AND c.name_folded LIKE '%jones%' AND c.name_folded LIKE '%1%'"""),
}


def measure(app, client, scope: dict, path: str, queries: tuple[str, ...]) -> tuple[float, float]:
    from app.extensions import db

    def page():
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    def query():
        with app.app_context():
            for statement in queries:
                db.session.execute(text(statement), scope).all()
            db.session.rollback()

    page(), query()  # warm: the first of each fills caches, as any page after the first finds them
    pages, bare = [], []
    for _ in range(TURNS):  # in alternation, so the machine's drift falls on both alike
        pages.append(median_seconds(page, 1))
        bare.append(median_seconds(query, 1))
    return statistics.median(pages), statistics.median(bare)


def board_statements(app, client) -> list[tuple[str, object]]:
    """The SELECTs the board runs for the supervisor, caught as one rendering of it runs them."""
    from sqlalchemy import event

    from app.extensions import db

    caught = []

    def catch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            caught.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", catch)
    try:
        assert client.get("/board").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", catch)
    return caught


def measure_board(app, client) -> tuple[float, float, int]:
    from app.extensions import db

    statements = board_statements(app, client)

    def page():
        assert client.get("/board").status_code == 200

    def replay():
        with app.app_context():
            raw = db.engine.raw_connection()
            try:
                cursor = raw.cursor()
                for statement, parameters in statements:
                    cursor.execute(statement, parameters).fetchall()
            finally:
                raw.close()

    page(), replay()
    pages, bare = [], []
    for _ in range(TURNS):
        pages.append(median_seconds(page, 1))
        bare.append(median_seconds(replay, 1))
    return statistics.median(pages), statistics.median(bare), len(statements)


def main() -> None:
    database_url = temporary_sqlite("review_pages")
    began = time.perf_counter()
    seed(database_url)
    print(f"seeded {INTERVIEWS:,} interviews of {CHILDREN:,} children in "
          f"{time.perf_counter() - began:.0f} s")
    app = make_app(database_url)
    client, scope = signed_in_client(app)
    for name, (path, *queries) in PAGES.items():
        page, bare = measure(app, client, scope, path, tuple(queries))
        print(f"{name}: page {page * 1000:.1f} ms, bare query {bare * 1000:.1f} ms, "
              f"ratio={page / bare:.2f} (at most 3)")
    page, bare, count = measure_board(app, client)
    print(f"board: page {page * 1000:.1f} ms, its {count} queries replayed {bare * 1000:.1f} ms, "
          f"ratio={page / bare:.2f} (at most 3)")


if __name__ == "__main__":
    main()
