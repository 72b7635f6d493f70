"""The benchmark's WSGI application, built by gunicorn from the factory:
`gunicorn -c gunicorn.conf.py 'bench.wsgi_bench:create_application()'`.

One gunicorn, one set of workers, three applications (werkzeug's DispatcherMiddleware):

- `/`       the real application, `dashboard.create_app()` configured from the environment
            exactly as `wsgi.py` does;
- `/_floor` the floor: a minimal Dash app, one graph and one callback (`bench/floor.py`);
- `/_bare`  a bare Flask app whose one route, `/_bare/api/v1/kpis`, answers the exact bytes of
            a `/api/v1/kpis` answer read from the file named by `BENCH_KPIS_FILE`, with the
            content type written next to it (`<file>.content-type`; JSON when absent).

So the application, its floor and its bare counterpart share the gunicorn, the workers and the
machine. `bench/run.py` fetches the real API answer and writes the file after gunicorn starts;
the bare app reads it when first asked (again whenever the file changes).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from bench.floor import create_floor_app

KPIS_FILE_ENV = "BENCH_KPIS_FILE"
CONTENT_TYPE_SUFFIX = ".content-type"
DEFAULT_CONTENT_TYPE = "application/json"
FLOOR_MOUNT = "/_floor"
BARE_MOUNT = "/_bare"


class BodyFile:
    """The bytes (and content type) of one file, read again only when the file changes."""

    def __init__(self, path: Path):
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._body = b""
        self._content_type = DEFAULT_CONTENT_TYPE

    def read(self) -> tuple[bytes, str]:
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._body = self.path.read_bytes()
            type_file = self.path.with_name(self.path.name + CONTENT_TYPE_SUFFIX)
            self._content_type = (
                type_file.read_text().strip() if type_file.exists() else DEFAULT_CONTENT_TYPE
            )
            self._stamp = stamp
        return self._body, self._content_type


def create_bare_app(path: str | os.PathLike | None) -> Flask:
    """Flask and one route serving a file's bytes: what any API answer costs at least."""
    app = Flask("bench_bare")
    source = BodyFile(Path(path)) if path else None

    @app.get("/api/v1/kpis")
    def kpis():
        if source is None:
            return Response(f"{KPIS_FILE_ENV} is not set", status=503, mimetype="text/plain")
        try:
            body, content_type = source.read()
        except FileNotFoundError:
            return Response("the API answer is not written yet", status=503, mimetype="text/plain")
        return Response(body, content_type=content_type)

    return app


def build(create_main, kpis_file: str | os.PathLike | None) -> DispatcherMiddleware:
    """The dispatcher. The floor is built before the application (`create_main()`), so that no
    hook the application registers on Dash (`dash.hooks`) applies to it."""
    floor = create_floor_app(FLOOR_MOUNT + "/")
    main = create_main()
    return DispatcherMiddleware(
        main, {FLOOR_MOUNT: floor.server, BARE_MOUNT: create_bare_app(kpis_file)}
    )


def create_application() -> DispatcherMiddleware:
    """gunicorn's factory (`bench.wsgi_bench:create_application()`): the application from the
    environment, like `wsgi.py`, with the floor and the bare app beside it."""
    from dashboard import create_app

    return build(create_app, os.environ.get(KPIS_FILE_ENV))
