"""Ending a write transaction: concurrent changes become a `Conflict`, never a 500."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import orm as so

from dashboard.errors import Conflict

# PostgreSQL: serialization failure, deadlock detected.
_RETRYABLE_SQLSTATES = {"40001", "40P01"}


def is_concurrency_error(exc: BaseException) -> bool:
    """Whether a database error means "someone else changed the same thing at the same time":
    a stale version, a duplicate insert of the same key, a lock or serialization failure."""
    if isinstance(exc, so.exc.StaleDataError | sa.exc.IntegrityError):
        return True
    if isinstance(exc, sa.exc.OperationalError):
        orig = getattr(exc, "orig", None)
        if getattr(orig, "sqlstate", None) in _RETRYABLE_SQLSTATES:
            return True
        return "database is locked" in str(orig or exc)
    return False


@contextmanager
def writing(session: so.Session, conflict_message: Callable[[], str]) -> Iterator[None]:
    """Run the block's changes and commit them at its end. A concurrent change (raised by the
    block's flushes or by the commit) rolls back and raises `Conflict` with
    `conflict_message()`, called after the rollback so it may read the winner's data; any other
    error rolls back and propagates."""
    try:
        yield
        session.flush()
        session.commit()
    except Exception as exc:
        session.rollback()
        if is_concurrency_error(exc):
            raise Conflict(conflict_message()) from None
        raise
