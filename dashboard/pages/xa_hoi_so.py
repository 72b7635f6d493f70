"""Pillar page: society (indicators against target by level and district, trend, records)."""

import dash

from dashboard.components.pillar import pillar_layout
from dashboard.i18n import _

dash.register_page(
    __name__,
    path="/xa-hoi-so",
    name=_("nav.society"),
    title=lambda **_kw: _("nav.society"),
    order=4,
    nav=True,
)


def layout(period=None, district=None, indicator=None, **_query):
    return pillar_layout("society", period, district, indicator)
