"""Two versions of the server taking in the same push, in turn: the way to judge a change to
sync ingest on a machine whose speed drifts by more than half within seconds.

    python -m bench.sync_ingest_compare BEFORE_TREE [AFTER_TREE]

BEFORE_TREE is another checkout of the project (`git worktree add /tmp/before <commit>`, then
`make translations` there or copy its .mo files); AFTER_TREE is this one unless given. Each is
served by gunicorn on a database of its own, made alike (bench.sync_ingest's shape), and the
batches go to one and then the other in turns of ten, alternately first, each turn ending when
its server's log has been copied back into its database (by this, for a server that does not
do so itself: its log then stays smaller than it would). Prints each one's time a push and the
processor time its server used for it (all its processes and threads: steadier than time when
other machines share this one's processor, but it counts the copying back only for a server
that does it itself), the ratio of those, and, last, `ratio=` (after's time over before's:
below 1 is faster)."""

import sys
import time
from contextlib import ExitStack
from pathlib import Path

from bench.common import (
    ROOT,
    cpu_seconds,
    gunicorn,
    prepare_database,
    server_pids,
    settle,
    temporary_sqlite,
)
from bench.sync_ingest import BLOCK, CHILDREN, EPISODES, ApiPush, make_mutations, push_bodies


def main() -> None:
    trees = {"before": Path(sys.argv[1]), "after": Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT}
    with ExitStack() as servers:
        sides = {}
        for name, tree in trees.items():
            database_url = temporary_sqlite(f"{name}.sqlite3")
            device_id, token, episodes = prepare_database(database_url, CHILDREN, EPISODES)
            base, process = servers.enter_context(gunicorn(database_url, tree=tree))
            sides[name] = (ApiPush(base, token, database_url),
                           push_bodies(device_id, make_mutations(episodes)), server_pids(process))
        spent = dict.fromkeys(sides, 0.0)
        processor = dict.fromkeys(sides, 0.0)
        batches = len(sides["before"][1])
        for turn, start in enumerate(range(0, batches, BLOCK)):
            for name in (("before", "after") if turn % 2 == 0 else ("after", "before")):
                push, bodies, pids = sides[name]
                settle()
                started, used = time.perf_counter(), cpu_seconds(pids)
                for body in bodies[start:start + BLOCK]:
                    push(body)
                push.finish()
                spent[name] += time.perf_counter() - started
                processor[name] += cpu_seconds(pids) - used
    for name, seconds in spent.items():
        print(f"{name}_ms_per_push={seconds / batches * 1000:.1f} "
              f"{name}_server_cpu_ms_per_push={processor[name] / batches * 1000:.1f}")
    print(f"server_cpu_ratio={processor['after'] / processor['before']:.3f}")
    print(f"ratio={spent['after'] / spent['before']:.3f}")


if __name__ == "__main__":
    main()
