"""The board at scale: 100,000 interviews (30,000 children, 10 teams; most approved, some open,
overdue, declined, failing, with referrals and conflicts) in SQLite, then the board's sections
and sync health read for a supervisor (a team's tenth) and for an admin (the whole
organisation), as the page reads them: counts and the first 20 rows of each section, and a later
page of one. Prints the median of five readings of each, and `ratio=` (admin over supervisor).

python -m bench.board_scale [interviews]"""

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import make_app

HOUR = timedelta(hours=1)
FORCES = (None, "W15000004", "W15000002")


def _rows(model, rows):
    from app.extensions import db
    db.session.execute(model.__table__.insert(), rows)


def fill(app, interviews: int):
    """Returns (supervisor, admin)."""
    from flask_migrate import upgrade

    from app.auth.models import Device, Person, Role
    from app.auth.services import add_organisation, add_person
    from app.cases.models import Child, MissingEpisode
    from app.core.ids import new_id
    from app.extensions import db
    from app.interviews.models import InterviewAttempt, ReturnInterview
    from app.reference import load_reference_data
    from app.referrals.models import Referral
    from app.syncing.models import SyncConflict

    rng = random.Random(7)
    now = datetime.now(UTC)
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        organisation, teams = add_organisation(db.session, "Scale", [f"T{n}" for n in range(10)])
        supervisor = add_person(db.session, organisation, teams[0], Role.SUPERVISOR, "S",
                                "s@bench.example")
        admin = add_person(db.session, organisation, None, Role.ADMIN, "A", "a@bench.example")
        workers = [add_person(db.session, organisation, teams[n % 10], Role.WORKER, f"W{n}",
                              f"w{n}@bench.example") for n in range(100)]
        org = organisation.id
        children = []
        for number in range(interviews * 3 // 10):
            worker = workers[number % 100]
            children.append({"id": new_id(), "organisation_id": org, "team_id": worker.team_id,
                             "assigned_worker_id": worker.id, "given_name": f"P{number}",
                             "family_name": "Prawf", "looked_after": number % 5 == 0})
        _rows(Child, children)
        episodes, held, tries, referrals = [], [], [], []
        for number in range(interviews):
            child = children[number % len(children)]
            # Spread over three years, the newest few in the last days.
            back = now - HOUR * (rng.randint(0, 200) if number % 50 == 0
                                 else rng.randint(200, 26_000))
            episode = {"id": new_id(), "organisation_id": org, "child_id": child["id"],
                       "reported_missing_at": back - HOUR * 20, "returned_at": back,
                       # Each child found in one area: none recorded, Dyfed-Powys or Gwent.
                       "reporting_force_code": FORCES[(number % len(children)) % 3]}
            episodes.append(episode)
            approved = number % 50 != 0 and number % 7 != 0
            interview = {"id": new_id(), "organisation_id": org, "episode_id": episode["id"],
                         "interviewer_id": child["assigned_worker_id"],
                         "status": "approved" if approved else "draft",
                         "consent": "declined" if number % 97 == 0 else "accepted",
                         "conducted_at": back + HOUR * 30 if approved else None,
                         "local_answers": {}}
            held.append(interview)
            for attempt in range(number % 4):
                tries.append({"id": new_id(), "organisation_id": org,
                              "interview_id": interview["id"],
                              "attempted_at": back + HOUR * (attempt + 1), "method": "phone",
                              "outcome": "no_answer" if not approved else "spoke_to_child"})
            if number % 5 == 0:
                referrals.append({"id": new_id(), "organisation_id": org,
                                  "interview_id": interview["id"], "kind": "other",
                                  "status": "made" if number % 3 else "accepted"})
        _rows(MissingEpisode, episodes)
        _rows(ReturnInterview, held)
        _rows(InterviewAttempt, tries)
        _rows(Referral, referrals)
        devices = [{"id": new_id(), "organisation_id": org, "person_id": worker.id,
                    "name": f"Tablet {worker.display_name}", "last_seen_at": now - HOUR * n,
                    "unsent_count": n % 4} for n, worker in enumerate(workers)]
        _rows(Device, devices)
        _rows(SyncConflict, [{"id": new_id(), "organisation_id": org, "collection": "interviews",
                              "record_id": held[n * 100 % len(held)]["id"], "field": "notes",
                              "server_value": "a", "device_value": "b",
                              "device_id": devices[n % 100]["id"], "mutation_id": n + 1}
                             for n in range(300)])
        db.session.commit()
        from sqlalchemy import text
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return db.session.get(Person, supervisor.id).id, db.session.get(Person, admin.id).id


def read_board(app, person_id) -> float:
    from app.auth.models import Person
    from app.board import services
    from app.extensions import db

    with app.app_context():
        person = db.session.get(Person, person_id)
        started = time.perf_counter()
        now = datetime.now(UTC)
        services.board(db.session, person, now)
        services.sync_health(db.session, person, now)
        services.section(db.session, person, "overdue", now, 100, 50)
        taken = time.perf_counter() - started
        db.session.rollback()
        return taken


def main():
    interviews = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{Path(folder) / 'board.db'}")
        started = time.perf_counter()
        supervisor, admin = fill(app, interviews)
        print(f"made {interviews:,} interviews in {time.perf_counter() - started:.0f} s")
        times = {}
        for name, person in (("supervisor", supervisor), ("admin", admin)):
            read_board(app, person)  # warm
            times[name] = statistics.median(read_board(app, person) for _ in range(5))
            print(f"{name}: the board (every section, sync health, a later page) "
                  f"{times[name]:.3f} s")
        print(f"ratio={times['admin'] / times['supervisor']:.2f}")


if __name__ == "__main__":
    main()
