"""Database engine, the per-request session and the declarative base.

Every application built by `create_app()` owns one `Database` (in `app.extensions["db"]`).
Request handlers and Dash callbacks call `get_session()`; the session is removed when the
application context ends, so nothing leaks between requests.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import orm as so

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> sa.Engine:
    """Create the engine; for SQLite, create the folder and enforce foreign keys."""
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    engine = sa.create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - driver hook
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


class Database:
    """Engine plus a scoped session factory for one application."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.session = so.scoped_session(
            so.sessionmaker(bind=self.engine, expire_on_commit=False, future=True)
        )

    def init_app(self, app: Flask) -> None:
        app.extensions["db"] = self

        @app.teardown_appcontext
        def _remove_session(_exc):
            self.session.remove()

    def ping(self) -> bool:
        """True when a trivial query succeeds."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def dispose(self) -> None:
        self.session.remove()
        self.engine.dispose()


def get_db() -> Database:
    return current_app.extensions["db"]


def get_session() -> so.Session:
    """The session of the current application context."""
    return get_db().session()
