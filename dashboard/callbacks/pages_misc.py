"""Pilot-model and training pages: charts computed from their registries."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard.components.figures import count_bar
from dashboard.db import get_session
from dashboard.i18n import _
from dashboard.services import registries as reg
from dashboard.services.registry_specs import CHOICE_PREFIX


def _labelled(pairs, field: str):
    return [_(f"choice.{CHOICE_PREFIX[field]}.{k}") for k, _v in pairs], [v for _k, v in pairs]


def pilot_charts(_refresh):
    session = get_session()
    status = reg.counts_by(session, "pilot_models", "status")
    field = reg.counts_by(session, "pilot_models", "field")
    return (
        count_bar(*_labelled(status, "status")),
        count_bar(*_labelled(field, "field"), horizontal=True),
    )


def training_charts(_refresh):
    session = get_session()
    audience = reg.counts_by(session, "training_events", "audience", sum_of="participants")
    years = reg.counts_by(
        session, "training_events", "held_on", sum_of="participants", by_year=True
    )
    return (
        count_bar(*_labelled(audience, "audience"), horizontal=True),
        count_bar([k for k, _v in years], [v for _k, v in years]),
    )


def register(app: Dash) -> None:
    app.callback(
        Output("pi-status", "figure"),
        Output("pi-field", "figure"),
        Input({"type": "reg-refresh", "name": "pilot_models"}, "data"),
    )(pilot_charts)
    app.callback(
        Output("tr-audience", "figure"),
        Output("tr-year", "figure"),
        Input({"type": "reg-refresh", "name": "training_events"}, "data"),
    )(training_charts)
