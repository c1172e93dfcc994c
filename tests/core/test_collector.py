"""The collector is paused while a sync push runs, and always resumes: after an error, after
pauses that overlap in several threads, and never when it was off to begin with."""

import gc
import threading
import weakref

import pytest

from app.core import collector
from app.core.collector import collection_paused
from tests.sync.http_helpers import enrol, new_case, statuses


@pytest.fixture(autouse=True)
def collector_on_again():
    yield
    gc.enable()


def test_off_inside_and_on_again_after():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error_inside():
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("the push failed")
    assert gc.isenabled()


def test_left_off_when_it_was_off_before():
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_pauses_in_two_threads_resume_it_when_the_last_ends():
    first_inside, second_inside, first_done = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with collection_paused():
            first_inside.set()
            second_inside.wait(5)
        first_done.set()

    def second():
        first_inside.wait(5)
        with collection_paused():
            second_inside.set()
            first_done.wait(5)
            seen["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after the first ended": False}
    assert gc.isenabled()


def test_a_push_applied_or_refused_leaves_the_collector_running(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    _ids, mutations = new_case(tablet)
    assert statuses(tablet.push(mutations)) == ["applied"] * 3
    assert gc.isenabled()

    backwards = tablet.batch([tablet.mutation("children", _ids["children"]),
                              tablet.mutation("children", _ids["children"])][::-1])
    assert tablet.post_push(backwards).status_code == 422
    assert gc.isenabled()


class _Cycle:
    """An object that refers to itself: only the collector can free it."""

    def __init__(self, freed: threading.Event):
        self.me = self
        weakref.finalize(self, freed.set)


def _cycle_left_behind_in_a_pause() -> threading.Event:
    freed = threading.Event()
    with collection_paused():
        _Cycle(freed)
    return freed


def test_pauses_that_overlap_for_too_long_still_free_cycles(monkeypatch):
    monkeypatch.setattr(collector, "LONGEST_OFF_SECONDS", -1.0)  # every pause is too long
    with collection_paused():  # another push, under way all the while
        freed = _cycle_left_behind_in_a_pause()
        assert freed.is_set()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pauses_that_overlap_briefly_leave_cycles_for_the_collector_once_it_resumes():
    with collection_paused():
        freed = _cycle_left_behind_in_a_pause()
        assert not freed.is_set()
    gc.collect()
    assert freed.is_set()


def test_the_collector_is_off_while_a_push_is_applied(world, as_person, app, monkeypatch):
    from app.syncing import services  # imported once the app is made, as the app imports it

    seen = []
    apply_push = services.push

    def noting_the_collector(*args, **kwargs):
        seen.append(gc.isenabled())
        return apply_push(*args, **kwargs)

    monkeypatch.setattr(services, "push", noting_the_collector)
    tablet = enrol(app, as_person(world.worker))
    _ids, mutations = new_case(tablet)
    assert statuses(tablet.push(mutations)) == ["applied"] * 3
    assert seen == [False]
    assert gc.isenabled()


def test_a_finalizer_that_pauses_the_collector_during_its_collection_does_not_hang(monkeypatch):
    monkeypatch.setattr(collector, "LONGEST_OFF_SECONDS", -1.0)
    finalized = threading.Event()

    def pausing_again():
        with collection_paused():
            finalized.set()

    def overlapping_pauses():
        with collection_paused(), collection_paused():
            cycle = _Cycle(threading.Event())
            weakref.finalize(cycle, pausing_again)
            del cycle

    worker = threading.Thread(target=overlapping_pauses, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "the pause waited on itself"
    assert finalized.is_set()
