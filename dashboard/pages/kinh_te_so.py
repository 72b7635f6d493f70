"""Pillar page: economy (indicators against target by level and district, trend, records)."""

import dash

from dashboard.components.pillar import pillar_layout
from dashboard.i18n import _

dash.register_page(
    __name__,
    path="/kinh-te-so",
    name=_("nav.economy"),
    title=lambda **_kw: _("nav.economy"),
    order=3,
    nav=True,
)


def layout(period=None, district=None, indicator=None, **_query):
    return pillar_layout("economy", period, district, indicator)
