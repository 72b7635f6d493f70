"""Settings read from environment variables.

`load_config()` is the single place that reads the environment. The returned dict is what
`create_app()` puts into `app.config`; tests pass their own overrides on top of it.
"""

from __future__ import annotations

import os
from pathlib import Path

MODES = ("production", "demo", "development", "test")
DEFAULT_PORT = 8050
DEFAULT_DEMO_PASSWORD = "demo-ntm-2025"


class ConfigError(RuntimeError):
    """Raised at start-up when the settings cannot give a safe application."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_sqlite_url() -> str:
    """SQLite file in the working directory's `instance/` folder (created on demand)."""
    folder = Path.cwd() / "instance"
    return f"sqlite:///{folder / 'ntm.sqlite'}"


def load_config(env: dict[str, str] | None = None) -> dict:
    """Build the configuration from `env` (default: `os.environ`)."""
    env = dict(os.environ if env is None else env)
    mode = env.get("APP_MODE", "production").strip().lower()
    if mode not in MODES:
        raise ConfigError(f"APP_MODE must be one of {', '.join(MODES)}; got {mode!r}.")
    return {
        "APP_MODE": mode,
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "DATABASE_URL": env.get("DATABASE_URL") or default_sqlite_url(),
        "BOUNDARIES_GEOJSON": env.get("BOUNDARIES_GEOJSON") or None,
        "DEMO_PASSWORD": env.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD,
        "PORT": int(env.get("PORT") or DEFAULT_PORT),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or "memory://",
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT") or "5 per minute",
        "UPLOAD_MAX_BYTES": int(float(env.get("UPLOAD_MAX_MB") or 5) * 1024 * 1024),
    }


def finalize(config: dict) -> dict:
    """Check the merged settings and fill in what may be derived.

    Outside demo, development and test modes a `SECRET_KEY` is required: a random key per
    process would log users out on every restart and break multi-worker deployments.
    """
    if not config.get("SECRET_KEY"):
        if config["APP_MODE"] == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
                "string (for example the output of: python -c 'import secrets; "
                "print(secrets.token_hex(32))'), or set APP_MODE=demo for a local demonstration."
            )
        config["SECRET_KEY"] = "insecure-" + config["APP_MODE"] + "-key"
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config["DEMO_MODE"] = config["APP_MODE"] in {"demo", "test"}
    # A request may carry an upload (base64 in a Dash callback: 4/3 of the file) plus the page
    # state; anything larger is refused by Flask with 413 before it is read.
    config.setdefault("MAX_CONTENT_LENGTH", config["UPLOAD_MAX_BYTES"] * 2 + 1024 * 1024)
    return config
