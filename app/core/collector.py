"""Pausing Python's cyclic garbage collector while a large request runs.

A sync push of hundreds of mutations makes tens of thousands of objects (the decoded mutations,
the records, the rows to write) that all live until it answers. The collector, woken every
20,000 new objects (wsgi.py), walks them each time and frees none: about a millisecond of
every push. Reference counting frees them as usual when the push ends; the few reference
cycles a push makes (the ORM's) wait for the next collection after it. Free them inside the
pause (let the function holding them return): still held when it ends, they are all walked
once by the collection that resuming sets off.
"""

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
# Whether the collector was running when the first of the pauses under way began.
_was_enabled = False


@contextmanager
def collection_paused():
    """The collector is off inside; it is switched on again when the last of the pauses under
    way ends (several threads may serve pushes at once), and only if it was on before."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
