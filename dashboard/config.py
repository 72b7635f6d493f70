"""Settings read from environment variables.

`load_config()` is the single place that reads the environment. The returned dict is what
`create_app()` puts into `app.config`; tests pass their own overrides on top of it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path

MODES = ("production", "demo", "development", "test")
DEFAULT_PORT = 8050
DEFAULT_DEMO_PASSWORD = "demo-ntm-2025"
DEFAULT_SESSION_IDLE_MINUTES = 30
DEFAULT_SESSION_MAX_HOURS = 12
SECRET_KEY_FILE = "secret_key"


class ConfigError(RuntimeError):
    """Raised at start-up when the settings cannot give a safe application."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(f"{name} must be a positive whole number; got {raw!r}.")
    return value


def instance_folder() -> Path:
    """The working directory's `instance/` folder (SQLite database, generated secret key)."""
    return Path.cwd() / "instance"


def default_sqlite_url() -> str:
    """SQLite file in the working directory's `instance/` folder (created on demand)."""
    return f"sqlite:///{instance_folder() / 'ntm.sqlite'}"


def instance_secret_key(folder: Path) -> str:
    """The secret key kept in `folder/secret_key`: created once (random, file mode 0600) and
    read back on every later start. Concurrent first starts agree on one key: the file appears
    complete or not at all (written aside, then hard-linked into place)."""
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _create_key_file(path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ConfigError(f"{path} does not hold a usable secret key; delete it and start again.")
    return key


def _create_key_file(path: Path) -> None:
    aside = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        os.link(aside, path)
    except FileExistsError:
        pass  # another process created it first: use theirs
    finally:
        aside.unlink(missing_ok=True)


# scheme://host[:port]: a DNS name (ASCII; punycode for other scripts), IPv4 or [IPv6] host.
_ORIGIN = re.compile(
    r"^(?P<scheme>https?)://"
    r"(?P<host>[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?$"
)


def parse_origins(value, name: str = "EMBED_ALLOWED_ORIGINS") -> tuple[str, ...]:
    """The origins in `value` (text separated by spaces or commas, or a list), each
    `scheme://host[:port]` with scheme http or https, no path, no wildcard; lower-cased, without
    duplicates. Anything else is a `ConfigError` naming the entry."""
    if value is None:
        return ()
    items = re.split(r"[\s,]+", value.strip()) if isinstance(value, str) else list(value)
    origins: list[str] = []
    for item in items:
        if not item:
            continue
        origin = str(item).strip().lower()
        match = _ORIGIN.match(origin)
        port = match and match.group("port")
        if match is None or (port is not None and not 0 < int(port) < 65536):
            raise ConfigError(
                f"{name}: {item!r} is not an origin. Give each site that may frame the charts "
                "as scheme://host[:port] (http or https, no path, no wildcard), separated by "
                "spaces or commas, e.g. https://gialai.gov.vn https://portal.gialai.gov.vn:8443"
            )
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


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
        "REDIS_URL": env.get("REDIS_URL") or "",
        # Counters of the login throttle: Redis when there is one, so every worker shares them.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI")
        or env.get("REDIS_URL")
        or "memory://",
        "FIGURE_CACHE": _bool(env.get("FIGURE_CACHE"), True),
        "FIGURE_CACHE_SECONDS": _positive_int(env, "FIGURE_CACHE_SECONDS", 3600),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT") or "5 per minute",
        "LOGIN_RATE_LIMIT_PER_ADDRESS": env.get("LOGIN_RATE_LIMIT_PER_ADDRESS") or "20 per minute",
        "SESSION_IDLE_MINUTES": _positive_int(
            env, "SESSION_IDLE_MINUTES", DEFAULT_SESSION_IDLE_MINUTES
        ),
        "SESSION_MAX_HOURS": _positive_int(env, "SESSION_MAX_HOURS", DEFAULT_SESSION_MAX_HOURS),
        "EMBED_ALLOWED_ORIGINS": env.get("EMBED_ALLOWED_ORIGINS") or "",
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT") or "120 per minute",
        # Reverse proxies in front of the app whose X-Forwarded-For / -Proto to trust (0: none).
        "TRUSTED_PROXIES": _non_negative_int(env, "TRUSTED_PROXIES", 0),
        "HEALTHZ_REQUIRE_RATE_LIMIT_STORAGE": _bool(
            env.get("HEALTHZ_REQUIRE_RATE_LIMIT_STORAGE"), True
        ),
        "UPLOAD_MAX_BYTES": int(float(env.get("UPLOAD_MAX_MB") or 5) * 1024 * 1024),
        **smtp_settings(env),
    }


def smtp_settings(env: dict[str, str]) -> dict:
    """Optional e-mail of notifications (off while `SMTP_HOST` is empty, the default).
    `SMTP_STARTTLS` (default on) upgrades a plain connection; `SMTP_SSL` connects with TLS from
    the start (port 465); `SMTP_USER`/`SMTP_PASSWORD` log in when a user is given."""
    host = (env.get("SMTP_HOST") or "").strip()
    sender = (env.get("SMTP_FROM") or "").strip()
    if host and "@" not in sender:
        raise ConfigError(
            "SMTP_FROM must be the sender's e-mail address (e.g. ntm@gialai.gov.vn) when "
            "SMTP_HOST is set."
        )
    return {
        "SMTP_HOST": host,
        "SMTP_PORT": _positive_int(env, "SMTP_PORT", 587),
        "SMTP_USER": env.get("SMTP_USER") or "",
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or "",
        "SMTP_FROM": sender,
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS"), True),
        "SMTP_SSL": _bool(env.get("SMTP_SSL"), False),
        "SMTP_TIMEOUT_SECONDS": _positive_int(env, "SMTP_TIMEOUT_SECONDS", 10),
    }


def _non_negative_int(env, name: str, default: int) -> int:
    text = env.get(name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{name} must be a whole number, 0 or more; got {text!r}.")
    return value


def finalize(config: dict) -> dict:
    """Check the merged settings and fill in what may be derived.

    Outside demo, development and test modes a `SECRET_KEY` is required: a random key per
    process would log users out on every restart and break multi-worker deployments. In the
    other modes a missing key is generated once and kept in `instance/secret_key`, never a
    constant (a constant key lets anyone forge a session cookie). Sessions last at most
    `SESSION_MAX_HOURS` (the cookie's lifetime; the server also checks login time and idle time).
    `EMBED_ALLOWED_ORIGINS` (the sites that may frame `/nhung/` charts) must be plain origins.
    """
    if not config.get("SECRET_KEY"):
        if config["APP_MODE"] == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
                "string (for example the output of: python -c 'import secrets; "
                "print(secrets.token_hex(32))'), or set APP_MODE=demo for a local demonstration."
            )
        config["SECRET_KEY"] = instance_secret_key(instance_folder())
    config["EMBED_ALLOWED_ORIGINS"] = parse_origins(config.get("EMBED_ALLOWED_ORIGINS"))
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("SESSION_IDLE_MINUTES", DEFAULT_SESSION_IDLE_MINUTES)
    config.setdefault("SESSION_MAX_HOURS", DEFAULT_SESSION_MAX_HOURS)
    config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=config["SESSION_MAX_HOURS"])
    config["DEMO_MODE"] = config["APP_MODE"] in {"demo", "test"}
    # A request may carry an upload (base64 in a Dash callback: 4/3 of the file) plus the page
    # state; anything larger is refused by Flask with 413 before it is read.
    config.setdefault("MAX_CONTENT_LENGTH", config["UPLOAD_MAX_BYTES"] * 2 + 1024 * 1024)
    return config
