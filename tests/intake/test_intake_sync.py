"""What an intake and a reassignment do to the workers' tablets, through the real sync API with
device tokens: the worker's tablet receives the child and the episode (with the notice and the
wish, which a tablet cannot write); a reassigned case leaves the old tablet and reaches the
new one; a tablet's renaming of a child keeps its folded name."""

from html import unescape

from sqlalchemy import select

from app.cases.models import Child, MissingEpisode
from tests.intake.helpers import choose, save, search, token
from tests.sync.http_helpers import enrol


def _intake(supervisor, worker_id, **search_answers):
    candidates = search(supervisor, **search_answers)
    episode_page = choose(supervisor, candidates, "new")
    saved = save(supervisor, episode_page, given_name="Gethin", family_name="Llwyd",
                 assigned_worker_id=str(worker_id), worker_wish="same")
    assert saved.status_code == 302, saved.text
    return saved


def test_the_workers_tablet_receives_the_child_and_episode_at_its_next_sync(
        app, session, world, as_person):
    tablet = enrol(app, as_person(world.colleague))
    tablet.pull()
    _intake(as_person(world.supervisor), world.colleague.id, search_given_name="Gethin",
            search_family_name="Llwyd")
    child = session.scalars(select(Child).where(Child.family_name == "Llwyd")).one()
    episode = session.scalars(select(MissingEpisode).where(
        MissingEpisode.child_id == child.id)).one()

    pulled = tablet.pull()
    assert pulled["changes"][("children", str(child.id))]["record"]["given_name"] == "Gethin"
    change = pulled["changes"][("episodes", str(episode.id))]
    sent = change["record"]
    assert (sent["notified_by"], sent["worker_wish"]) == ("police", "same")
    assert sent["returned_at"].startswith("2026-03-02T08:00")
    assert sent["notified_at"].startswith("2026-03-02T09:30")
    assert "name_folded" not in pulled["changes"][("children", str(child.id))]["record"]

    # Another worker's tablet hears nothing of it.
    other = enrol(app, as_person(world.worker))
    assert ("children", str(child.id)) not in other.pull()["changes"]

    # The notice and the wish are the server's: a tablet may not change them.
    body = tablet.push([tablet.mutation("episodes", episode.id, {"worker_wish": "different"},
                                        base_rev=change["rev"])])
    assert body["results"][0]["status"] == "rejected"
    session.expire_all()
    assert session.get(MissingEpisode, episode.id).worker_wish == "same"


def test_a_reassignment_reaches_both_tablets(app, session, world, as_person):
    old = enrol(app, as_person(world.worker), "Will's tablet")
    new = enrol(app, as_person(world.colleague), "Cai's tablet")
    supervisor = as_person(world.supervisor)
    # Cerys's return recorded: she is found among the worker's cases, and stays with them.
    candidates = search(supervisor, search_given_name="cerys", search_family_name="TEST")
    assert f'value="{world.child.id}"' in candidates.text
    saved = save(supervisor, choose(supervisor, candidates, str(world.child.id)),
                 assigned_worker_id=str(world.worker.id), worker_wish="same")
    assert saved.status_code == 302, saved.text
    episode_id = session.scalars(select(MissingEpisode.id).where(
        MissingEpisode.child_id == world.child.id)).one()
    assert ("episodes", str(episode_id)) in old.pull()["changes"]
    assert ("children", str(world.child.id)) not in new.pull()["changes"]

    moved = supervisor.post(f"/intake/children/{world.child.id}/assign?lang=en", data={
        "csrf_token": token(supervisor), "assigned_worker_id": str(world.colleague.id)})
    assert moved.status_code == 302, moved.text
    shown = supervisor.get(moved.headers["Location"]).text
    assert "The child's worker is changed." in unescape(shown)

    left = old.pull()
    assert ("children", str(world.child.id)) in left["removals"]
    assert ("episodes", str(episode_id)) in left["removals"]
    assert ("children", str(world.child.id)) not in left["changes"]
    arrived = new.pull()
    assert arrived["changes"][("children", str(world.child.id))]["record"][
        "assigned_worker_id"] == str(world.colleague.id)
    assert ("episodes", str(episode_id)) in arrived["changes"]
    session.expire_all()
    assert session.get(Child, world.child.id).assigned_worker_id == world.colleague.id


def test_a_tablets_new_and_renamed_children_keep_their_folded_names(app, session, world,
                                                                     as_person):
    tablet = enrol(app, as_person(world.worker))
    made = "01a24a00-0000-7000-8000-000000000001"
    body = tablet.push([tablet.mutation("children", made, {
        "given_name": "Gwenllïan", "family_name": "Prys"})])
    assert body["results"][0]["status"] == "applied", body
    assert session.scalar(select(Child.name_folded).where(Child.given_name == "Gwenllïan")) == \
        "gwenllian prys"
    rev = session.scalar(select(Child.rev).where(Child.given_name == "Gwenllïan"))
    body = tablet.push([tablet.mutation("children", made, {"family_name": "PRŶS"},
                                        base_rev=rev)])
    assert body["results"][0]["status"] == "applied", body
    session.expire_all()
    assert session.scalar(select(Child.name_folded).where(Child.given_name == "Gwenllïan")) == \
        "gwenllian prys"


def test_an_intake_giving_a_known_child_another_worker_moves_the_case(app, session, world,
                                                                       as_person):
    """The child found is the worker's; the intake gives them to a colleague: the old tablet is
    told the child and their records left, the new one receives them with the new episode."""
    old = enrol(app, as_person(world.worker), "Will's tablet")
    new = enrol(app, as_person(world.colleague), "Cai's tablet")
    assert ("children", str(world.child.id)) in old.pull()["changes"]
    new.pull()
    supervisor = as_person(world.supervisor)
    candidates = search(supervisor, search_given_name="Cerys", search_family_name="Test")
    saved = save(supervisor, choose(supervisor, candidates, str(world.child.id)),
                 assigned_worker_id=str(world.colleague.id), worker_wish="different")
    assert saved.status_code == 302, saved.text
    episode_id = session.scalars(select(MissingEpisode.id).where(
        MissingEpisode.child_id == world.child.id)).one()
    shown = unescape(supervisor.get(saved.headers["Location"]).text)
    assert "What the child asked about their worker: A different worker" in shown

    left = old.pull()
    assert ("children", str(world.child.id)) in left["removals"]
    assert ("episodes", str(episode_id)) not in left["changes"]
    arrived = new.pull()["changes"]
    assert ("children", str(world.child.id)) in arrived
    assert arrived[("episodes", str(episode_id))]["record"]["worker_wish"] == "different"
