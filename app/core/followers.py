"""What follows a write: a capability lower down (cases, interviews) tells whoever registered
that some of its records were written, without knowing who listens (the review queue's priority
listens to both). The API, a sync push and the pages all write through the capability's
services or its sync hooks, which tell their followers."""

from collections.abc import Callable

from sqlalchemy.orm import Session


class Followers:
    """Functions called with (session, ids) after records were written."""

    def __init__(self) -> None:
        self._followers: list[Callable] = []

    def add(self, follower: Callable) -> Callable:
        """Registers a follower (usable as a decorator); once, however often its module loads."""
        if follower not in self._followers:
            self._followers.append(follower)
        return follower

    def tell(self, session: Session, ids) -> None:
        """Tells every follower these ids were written; what the ORM holds pending is written
        first, so that they read it."""
        ids = {each for each in ids if each is not None}
        if not ids:
            return
        session.flush()
        for follower in self._followers:
            follower(session, ids)
