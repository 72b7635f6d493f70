"""Callbacks, registered on one Dash app by `register_callbacks(app)` (called by the factory)."""

from __future__ import annotations

from dash import Dash


def register_callbacks(app: Dash) -> None:
    from dashboard.callbacks import (
        account_moves,
        admin,
        audit,
        data_entry,
        embed_admin,
        indicator_admin,
        navigation,
        notifications,
        overview,
        pages_misc,
        period_report,
        pillar,
        pillar_edit,
        registry,
        reporting,
        unit_trends,
    )
    from dashboard.components import indicator_info, view_url

    modules = (
        overview,
        pillar,
        pillar_edit,
        registry,
        pages_misc,
        data_entry,
        reporting,
        period_report,
        audit,
        notifications,
        account_moves,
        admin,
        embed_admin,
        unit_trends,
        indicator_admin,
    )
    for module in modules:
        module.register(app)
    navigation.register(app)
    view_url.register(app)
    indicator_info.register(app)
