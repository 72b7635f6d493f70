"""Pillar page: government (indicators against target by level and district, trend, records)."""

import dash

from dashboard.components.pillar import pillar_layout
from dashboard.i18n import _

dash.register_page(
    __name__,
    path="/chinh-quyen-so",
    name=_("nav.government"),
    title=lambda **_kw: _("nav.government"),
    order=2,
    nav=True,
)


def layout(period=None, district=None, indicator=None, **_query):
    return pillar_layout("government", period, district, indicator)
