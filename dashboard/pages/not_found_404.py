"""Shown for any path that is not a page (served with HTTP status 404)."""

import dash
from dash import html

from dashboard.i18n import _

dash.register_page(
    __name__, path="/404", name=_("error.404.title"), title=lambda **_kw: _("error.404.title")
)


def layout(**_query):
    return html.Div(
        [
            html.H1(_("error.404.title"), className="h3", id="not-found-title"),
            html.P(_("error.404.body")),
            html.A(_("error.back_home"), href="/", className="btn btn-primary"),
        ],
        className="py-5",
    )
