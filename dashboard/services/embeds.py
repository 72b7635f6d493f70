"""Embedded charts: signed embed links, the administrator's chart settings, view counts.

A signed link carries a token `URLSafeSerializer(SECRET_KEY, salt="ntm-embed")` over
`{"e": link id, "c": chart id, "p": locked parameters, "x": expiry (epoch seconds) or None}`.
The signature proves the token was issued by this application; the stored `EmbedLink` row
decides whether it still works (revoked, expired, deleted, other chart) and which parameters it
shows: `p` and `x` are a readable copy, the row wins.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import escape
from sqlalchemy import orm as so

from dashboard.errors import PermissionDenied
from dashboard.i18n import LANGUAGES, _
from dashboard.models import EmbedChart, EmbedLink

log = logging.getLogger(__name__)

SALT = "ntm-embed"
EMBED_PREFIX = "/nhung/"
PORTAL_SCRIPT_PATH = "/nhung/static/portal.js"
CHART_PARAMS = ("period", "district", "indicator")  # what a link or a setting may lock
MAX_TOKEN_LENGTH = 2048


def _now() -> dt.datetime:
    """The current time, naive UTC like the stored times (one place, so tests can move it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _epoch(value: dt.datetime | None) -> int | None:
    if value is None:
        return None
    return int(value.replace(tzinfo=dt.UTC).timestamp())


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def parse_params(text: str | None) -> dict[str, str]:
    """Stored parameters (a JSON object) as `{name: value}`, keeping only the chart parameters
    with text values; anything unreadable is no parameter at all."""
    try:
        data = json.loads(text or "{}")
    except (TypeError, ValueError):
        log.warning("unreadable embed parameters ignored: %r", text)
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in CHART_PARAMS and isinstance(v, str) and v}


def link_params(link: EmbedLink) -> dict[str, str]:
    """The parameters a signed link shows (its row's, never the query string's)."""
    return parse_params(link.params)


# --- tokens ----------------------------------------------------------------------------------


def sign_token(link: EmbedLink) -> str:
    """The signed token of a stored link (its id, chart, parameters and expiry)."""
    payload = {
        "e": link.id,
        "c": link.chart_id,
        "p": link_params(link),
        "x": _epoch(link.expires_at),
    }
    return _serializer().dumps(payload)


def _denied(key: str) -> PermissionDenied:
    return PermissionDenied(_(key))


def verify_token(session: so.Session, chart_id: str, token: str) -> EmbedLink:
    """The stored link a token names, if it may show `chart_id` now; else `PermissionDenied`
    saying why: not issued here or altered, for another chart, deleted, revoked, expired."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise _denied("embed.token.invalid")
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise _denied("embed.token.invalid") from None
    if not isinstance(data, dict):
        raise _denied("embed.token.invalid")
    link_id = data.get("e")
    if (
        not isinstance(link_id, int)
        or isinstance(link_id, bool)
        or not isinstance(data.get("c"), str)
    ):
        raise _denied("embed.token.invalid")
    if data["c"] != chart_id:
        raise _denied("embed.token.wrong_chart")
    link = session.get(EmbedLink, link_id)
    if link is None:
        raise _denied("embed.token.unknown")
    if link.chart_id != chart_id:
        raise _denied("embed.token.wrong_chart")
    if link.revoked_at is not None:
        raise _denied("embed.token.revoked")
    if link.expires_at is not None and link.expires_at <= _now():
        raise _denied("embed.token.expired")
    return link


# --- URLs and the snippet --------------------------------------------------------------------


def embed_url(
    chart_id: str,
    params: dict | None = None,
    token: str | None = None,
    lang: str | None = None,
) -> str:
    """The relative URL of an embed: `/nhung/<chart-id>?period=…&district=…&indicator=…`, then
    `lang` (when not Vietnamese) and the token `t`. A signed link needs no parameters: the
    link's own are shown."""
    query: list[tuple[str, str]] = []
    for name in CHART_PARAMS:
        value = (params or {}).get(name)
        if value:
            query.append((name, str(value)))
    if lang and lang != LANGUAGES[0]:
        query.append(("lang", lang))
    if token:
        query.append(("t", token))
    url = EMBED_PREFIX + chart_id
    return f"{url}?{urlencode(query)}" if query else url


def _origin(absolute_url: str) -> str:
    parts = urlsplit(absolute_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def iframe_snippet(absolute_url: str, title: str, height: int = 420) -> str:
    """The HTML a portal page pastes: the iframe and the script that resizes it to its
    content (from the application's origin, taken from `absolute_url`)."""
    iframe = (
        f'<iframe src="{escape(absolute_url)}" title="{escape(title)}" width="100%" '
        f'height="{int(height)}" style="border:0;width:100%;max-width:100%" loading="lazy" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
    origin = _origin(absolute_url)
    if not origin:
        return iframe
    script = f'<script src="{escape(origin + PORTAL_SCRIPT_PATH)}" defer></script>'
    return f"{iframe}\n{script}"


# --- settings and views ----------------------------------------------------------------------


def chart_setting(session: so.Session, chart_id: str) -> EmbedChart | None:
    """The administrator's settings of a chart; None: public, nothing locked."""
    return session.scalar(sa.select(EmbedChart).where(EmbedChart.chart_id == chart_id))


def is_private(setting: EmbedChart | None) -> bool:
    return bool(setting is not None and setting.private)


def locked_params(setting: EmbedChart | None) -> dict[str, str]:
    """The parameters a public embed of the chart always uses, whatever the query string says."""
    if setting is None:
        return {}
    return parse_params(setting.locked_params)


def record_view(session: so.Session, link: EmbedLink) -> None:
    """Count a view of a signed link and note its time. A core update: the row's version is
    not raised (an administrator editing the link is not refused because someone viewed it),
    and a failure is logged, never the viewer's problem."""
    try:
        session.execute(
            sa.update(EmbedLink)
            .where(EmbedLink.id == link.id)
            .values(last_viewed_at=_now(), view_count=EmbedLink.view_count + 1)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except sa.exc.SQLAlchemyError:
        log.warning("could not record a view of embed link %s", link.id, exc_info=True)
        try:
            session.rollback()
        except sa.exc.SQLAlchemyError:
            log.warning("rollback failed after recording a view", exc_info=True)
