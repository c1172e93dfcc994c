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
import time
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
# Whether the collector was running when the first of the pauses under way began.
_was_enabled = False
# When the collector last ran or was switched off (time.monotonic).
_off_since = 0.0

# Pauses overlapping without a break (several threads serving pushes all the time) could keep
# the collector off for good, and the cycles that requests leave behind would pile up. When a
# pause ends after the collector has been off this long, it collects once, as resuming would.
LONGEST_OFF_SECONDS = 5.0


@contextmanager
def collection_paused():
    """The collector is off inside; it is switched on again when the last of the pauses under
    way ends (several threads may serve pushes at once), and only if it was on before."""
    global _pauses, _was_enabled, _off_since
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            _off_since = time.monotonic()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        collect = False
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
            elif _was_enabled and time.monotonic() - _off_since > LONGEST_OFF_SECONDS:
                collect = True
                _off_since = time.monotonic()
        # Outside the lock: other pushes start and end meanwhile, and a finalizer the
        # collection runs may itself pause the collector.
        if collect:
            gc.collect()
