"""Data entry for a district and period: grid, Excel round-trip, registries, report status."""

import dash

from dashboard.components.data_entry import data_entry_layout
from dashboard.i18n import _

dash.register_page(
    __name__,
    path="/nhap-lieu",
    name=_("nav.entry"),
    title=lambda **_kw: _("nav.entry"),
    order=7,
    nav=True,
    group="reporting",
    access="write",
)


def layout(district=None, period=None, **_query):
    return data_entry_layout(district, period)
