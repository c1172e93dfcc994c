"""The collector is paused while a sync push runs, and always resumes: after an error, after
pauses that overlap in several threads, and never when it was off to begin with."""

import gc
import threading

import pytest

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
