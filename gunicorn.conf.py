"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:application`.

Environment: `PORT` (default 8050), `HOST` (default 0.0.0.0), `WEB_CONCURRENCY` (worker
processes, default 4), `GUNICORN_TIMEOUT` (seconds a request may hold a worker, default 60),
`GUNICORN_PRELOAD` (build the application once in the master, default on).

Workers are gunicorn's synchronous workers: one request at a time each, so `timeout` bounds
every single request (with threaded workers it would only detect a frozen process). Several
instances of this configuration (on several machines, or ports) can serve one site behind a
reverse proxy: they share PostgreSQL, and through `REDIS_URL` the figure cache and the login
throttle; sessions are signed cookies that every instance with the same `SECRET_KEY` reads.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = f"{os.environ.get('HOST', '0.0.0.0')}:{_int('PORT', 8050)}"
workers = _int("WEB_CONCURRENCY", 4)
worker_class = "sync"
# A request that runs longer than this is aborted and its worker replaced, so a slow query
# or a stuck upload cannot hold a worker forever.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On restart or shutdown, a worker gets this long to finish its request.
graceful_timeout = 30
# The application is built once in the master and the workers are forked from it: they
# start at once (a replaced worker too) and share the master's memory until they write to it.
# Each worker then opens its own database connections (see `post_fork`).
preload_app = os.environ.get("GUNICORN_PRELOAD", "on").strip().lower() not in {"0", "off", "no"}
accesslog = "-"
errorlog = "-"
# The proxy in front sets X-Forwarded-*: trust it only from the local host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker) -> None:
    """A forked worker must not use a database connection the master opened: drop the pool
    inherited from the master (without closing the master's sockets) so the worker opens its
    own."""
    if not server.cfg.preload_app:
        return  # the worker builds its own application
    db = getattr(worker.app.wsgi(), "extensions", {}).get("db")
    if db is not None:
        db.engine.dispose(close=False)


def _server_header_without_version() -> None:
    """Gunicorn (20 and later) sends `Server: gunicorn`, without its version; should a release
    add it back, send the bare name."""
    from gunicorn.http import wsgi

    if "/" in wsgi.SERVER:
        wsgi.SERVER = "gunicorn"


_server_header_without_version()
