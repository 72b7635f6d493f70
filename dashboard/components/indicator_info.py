"""What an indicator means, shown where it is used: a small round "i" button that opens a popover
with the definition, numerator, denominator, method, data source, legal basis, responsible
agency and frequency (from `indicators.json`, stored in `Indicator.meta`), and, given the
figure's `Progress`, how its projection was made, in plain words.

    info_button(ind, "pl-summary")            # in a table row, a card or a chart card's title
    info_button(ind, "ov-card", prog)         # with the projection explained
    projection_note(prog)                     # the explanation alone, as text

The button is a real `<button>` (keyboard: Tab, then Enter or Space) with an accessible name
("Giải thích chỉ tiêu …"); its id is `ind-info-<id_suffix>-<code>`, so `id_suffix` must make
it unique on the page.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.i18n import _, current_lang
from dashboard.services import metadata
from dashboard.services.indicators import Progress

# Field → message key of its label, in the order shown.
LABELS = {
    "definition": "meaning.field.definition",
    "numerator": "meaning.field.numerator",
    "denominator": "meaning.field.denominator",
    "method": "meaning.field.method",
    "source": "meaning.field.source",
    "legal_basis": "meaning.field.legal_basis",
    "agency": "meaning.field.agency",
    "frequency": "meaning.field.frequency",
}


def describe(ind) -> list[tuple[str, str]]:
    """(label, text) pairs of what `ind` means, in the request's language, in `LABELS` order;
    fields without text are left out."""
    texts = metadata.texts(ind, current_lang())
    if ind.legal_basis:
        texts["legal_basis"] = ind.legal_basis
    return [(_(key), texts[name]) for name, key in LABELS.items() if texts.get(name)]


def projection_note(prog: Progress) -> str:
    """How "Dự báo <year>" of `prog` was computed, as `services.indicators.progress` does it:
    from the complete years only (approved-only: complete and approved), a least-squares trend
    carried from the last of them to the target year, the latest value with one year, capped at
    0-100% for shares. Empty when the indicator has no target."""
    target = prog.target
    if target is None:
        return ""
    if prog.figure.approved_only:
        kind = _("meaning.projection.kind_approved")
    else:
        kind = _("meaning.projection.kind_complete")
    year = target.target_year
    years = [int(code[:4]) for code in prog.basis_years]
    if not years:
        parts = [_("meaning.projection.none", kind=kind)]
    else:
        last = years[-1]
        upto = int(prog.figure.period[:4])
        if len(years) == 1:
            parts = [_("meaning.projection.single", last=last, year=year, kind=kind)]
        elif upto >= year:
            parts = [_("meaning.projection.latest", last=last, year=year, kind=kind)]
        else:
            parts = [
                _(
                    "meaning.projection.trend",
                    year=year,
                    last=last,
                    left=year - last,
                    kind=kind,
                    years=", ".join(str(y) for y in years),
                )
            ]
        if prog.figure.is_percent:
            parts.append(_("meaning.projection.cap"))
    parts.append(_("meaning.projection.status"))
    return " ".join(parts)


def definitions(ind) -> html.Dl | html.P:
    """What the indicator means, as a definition list (or a line saying it is not described)."""
    pairs = describe(ind)
    if not pairs:
        return html.P(_("meaning.info.missing"), className="mb-0")
    items: list = []
    for label, text in pairs:
        items += [html.Dt(label), html.Dd(text)]
    return html.Dl(items, className="indicator-info-list mb-0")


def projection(prog: Progress | None) -> html.Dl | None:
    """How the projection of `prog` was made, as a definition list; None without one."""
    note = projection_note(prog) if prog is not None else ""
    if not note:
        return None
    return html.Dl(
        [html.Dt(_("meaning.projection.title", year=prog.target.target_year)), html.Dd(note)],
        className="indicator-info-list mb-0",
    )


def details(ind, prog: Progress | None = None) -> html.Div:
    """The whole explanation: the definition list, then the projection method when given."""
    return html.Div([definitions(ind), projection(prog)])


def button_id(ind, id_suffix: str) -> str:
    return f"ind-info-{id_suffix}-{ind.code}"


# Pattern-matching ids of the popover and of the part of its body filled when it opens.
POPOVER = "ind-info-popover"
BODY = "ind-info-body"


def _key(ind, id_suffix: str) -> str:
    return f"{id_suffix}|{ind.code}"


def info_button(ind, id_suffix: str, prog: Progress | None = None) -> html.Span:
    """The round "i" button of `ind` and its popover (opened by click, Enter or Space; closed by a
    click elsewhere or the button again). The definitions are filled in when the popover first
    opens (`register`): a page with 17 cards does not carry 17 explanations nobody opened. The
    projection method, which depends on the figure, is there from the start."""
    target = button_id(ind, id_suffix)
    key = _key(ind, id_suffix)
    return html.Span(
        [
            html.Button(
                "i",
                id=target,
                type="button",
                className="indicator-info-button",
                title=_("meaning.info.button_label", name=ind.short_name),
                **{"aria-label": _("meaning.info.button_label", name=ind.short_name)},
            ),
            dbc.Popover(
                [
                    dbc.PopoverHeader(ind.name, className="indicator-info-title"),
                    dbc.PopoverBody(
                        [
                            html.Div(
                                html.P(_("common.loading"), className="mb-0 text-muted"),
                                id={"type": BODY, "key": key},
                                **{"aria-live": "polite"},
                            ),
                            projection(prog),
                        ]
                    ),
                ],
                id={"type": POPOVER, "key": key},
                target=target,
                trigger="legacy",
                placement="bottom",
                className="indicator-info",
            ),
        ],
        className="indicator-info-wrap",
    )


def fill(is_open, body_id):
    """The definitions of the popover's indicator, once it is opened."""
    from dash import no_update

    from dashboard.db import get_session
    from dashboard.services import indicators as svc

    if not is_open:
        return no_update
    code = str((body_id or {}).get("key", "")).rpartition("|")[2]
    ind = svc.get_indicator(get_session(), code)
    if ind is None:
        return html.P(_("meaning.info.missing"), className="mb-0")
    return definitions(ind)


def register(app) -> None:
    from dash import MATCH, Input, Output, State

    app.callback(
        Output({"type": BODY, "key": MATCH}, "children"),
        Input({"type": POPOVER, "key": MATCH}, "is_open"),
        State({"type": BODY, "key": MATCH}, "id"),
        prevent_initial_call=True,
    )(fill)
