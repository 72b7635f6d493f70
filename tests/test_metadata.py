"""What each indicator means: `indicators.json` carries it, is checked when loaded, the seed
stores it in `Indicator.meta`, and the pages show it beside the indicator."""

from __future__ import annotations

import copy
import json

import pytest
import sqlalchemy as sa

from dashboard.components import indicator_info
from dashboard.models import Indicator, Target
from dashboard.services import indicators as svc
from dashboard.services import metadata, reference
from dashboard.services.reference import data_text, load_indicator_spec
from dashboard.services.registry_specs import REGISTRIES

SPEC = json.loads(data_text("indicators.json"))
SOURCES = frozenset({"values", *REGISTRIES})


def spec_with(change) -> dict:
    """A copy of the shipped file with `change(indicator GOV-C8_4)` applied."""
    spec = copy.deepcopy(SPEC)
    change(next(i for i in spec["indicators"] if i["code"] == "GOV-C8_4"))
    return spec


def test_every_indicator_says_what_it_means_in_both_languages():
    """Catches an indicator shipped without its definition, method, source, agency or
    frequency, or a share without numerator and denominator."""
    items = load_indicator_spec()
    assert len(items) == len(SPEC["indicators"]) == 20
    for item in items:
        for lang in ("vi", "en"):
            texts = item["meta"][lang]
            for name in ("definition", "method", "source", "agency", "frequency"):
                assert texts.get(name), (item["code"], lang, name)
            if item["rollup"] in svc.PERCENT_ROLLUPS:
                assert texts.get("numerator") and texts.get("denominator"), item["code"]
        assert item["legal_basis"]


def test_methods_say_what_the_engine_computes():
    """Catches a method text that contradicts the engine: the denominator rule "expected"
    counts missing units as not met, sums of ratios are added before dividing, and only rural
    communes count where the indicator says so."""
    items = {i["code"]: i for i in load_indicator_spec()}
    assert "chưa đạt" in items["GOV-PLAN"]["meta"]["vi"]["method"]  # denominator "expected"
    assert "không tính vào mẫu số" in items["GOV-C8_4"]["meta"]["vi"]["method"]
    assert "cộng số hồ sơ" in items["GOV-DOSSIER-COMM"]["meta"]["vi"]["method"]
    assert "không gồm phường" in items["ECO-COOP"]["meta"]["vi"]["method"]  # unit_kinds xa
    assert "Sở Khoa học và Công nghệ" in items["GOV-C8_4"]["meta"]["vi"]["agency"]


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (lambda i: i["meta"]["vi"].pop("definition"), "meta.vi.definition", "missing"),
        (lambda i: i["meta"]["en"].pop("numerator"), "meta.en.numerator", "missing"),
        (lambda i: i["meta"]["vi"].update(defintion="x"), "meta.vi.defintion", "unknown field"),
        (lambda i: i["meta"]["vi"].update(method=42), "meta.vi.method", "must be text"),
        (lambda i: i["meta"]["vi"].update(source="  "), "meta.vi.source", "is empty"),
        (lambda i: i["meta"].update(fr={}), "meta.fr", "unknown language"),
        (lambda i: i["meta"].pop("en"), "meta.en", "missing"),
        (lambda i: i.pop("meta"), "meta", "missing"),
        (lambda i: i.update(rollup="share"), "rollup", "is not one of"),
        (lambda i: i.update(denominator="all"), "denominator", "is not one of"),
        (lambda i: i.update(legal_basis=None), "legal_basis", "must be text"),
        (lambda i: i.update(name_vi="x" * 301), "name_vi", "longer than 300"),
        (lambda i: i.update(colour="red"), "colour", "unknown field"),
        (lambda i: i.update(source="coops"), "source", "neither 'values' nor a registry"),
        (lambda i: i.update(targets=[{"value": "97", "year": 2025}]), "targets[0].value", "must"),
        (lambda i: i.update(targets=[{"value": 97}]), "targets[0].year", "missing"),
    ],
)
def test_a_bad_indicator_file_names_the_indicator_and_the_field(change, field, problem):
    """Catches a typo in indicators.json that would load silently and show wrong or empty
    explanations (or wrong figures)."""
    with pytest.raises(metadata.IndicatorSpecError) as err:
        metadata.validate_spec(spec_with(change), SOURCES)
    assert err.value.code == "GOV-C8_4"
    assert err.value.field == field
    assert problem in err.value.problem
    assert "GOV-C8_4" in str(err.value) and field in str(err.value)


def test_a_count_needs_no_numerator_but_a_duplicate_code_is_refused():
    """Catches a check that asks counts for a denominator, or lets one code be defined twice."""
    spec = copy.deepcopy(SPEC)
    pilot = next(i for i in spec["indicators"] if i["code"] == "PILOT-SMART")
    assert "numerator" not in pilot["meta"]["vi"]
    metadata.validate_spec(spec, SOURCES)
    spec["indicators"].append(copy.deepcopy(pilot))
    with pytest.raises(metadata.IndicatorSpecError, match="defined twice"):
        metadata.validate_spec(spec, SOURCES)


def test_invalid_json_is_a_clear_error():
    """Catches a broken file reported as a bare JSON traceback."""
    with pytest.raises(metadata.IndicatorSpecError, match="not valid JSON"):
        load_indicator_spec("{not json")


@pytest.mark.db
def test_seed_stores_the_meaning_and_updates_an_existing_database(session):
    """Catches a database whose indicators never get their meaning: the seed (init-db and
    load-demo run it) fills `Indicator.meta`, also where it was empty before (migration 0005
    added the column as `{}`)."""
    session.execute(sa.update(Indicator).values(meta="{}"))
    session.commit()
    reference.seed_reference(session)
    session.commit()
    for ind in session.scalars(sa.select(Indicator)):
        stored = json.loads(ind.meta)
        assert stored["vi"]["definition"] and stored["en"]["definition"], ind.code
    c84 = svc.get_indicator(session, "GOV-C8_4")
    assert metadata.texts(c84, "en")["definition"].startswith("Rural communes meeting")


@pytest.mark.db
def test_a_bad_file_changes_nothing(session, monkeypatch):
    """Catches a seed that half-applies a bad file: the check runs before any change."""
    before = svc.get_indicator(session, "GOV-C8_4").name_vi
    bad = spec_with(lambda i: (i.update(name_vi="Đã đổi"), i["meta"]["vi"].pop("method")))
    real = reference.data_text
    monkeypatch.setattr(
        reference,
        "data_text",
        lambda name: json.dumps(bad) if name == "indicators.json" else real(name),
    )
    with pytest.raises(metadata.IndicatorSpecError, match=r"meta\.vi\.method"):
        reference.seed_reference(session)
    session.rollback()
    assert svc.get_indicator(session, "GOV-C8_4").name_vi == before


@pytest.mark.db
def test_load_demo_fills_the_meaning(tmp_path, app_factory):
    """Catches `ntm-dashboard load-demo` (which runs init-db) leaving `Indicator.meta` empty."""
    app = app_factory(f"sqlite:///{tmp_path}/fresh.sqlite", APP_MODE="demo")
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = app.extensions["db"].session()
        metas = session.scalars(sa.select(Indicator.meta)).all()
    assert len(metas) == 20 and all(json.loads(m)["vi"]["method"] for m in metas)


# --- shown where the indicator is used --------------------------------------------------------


@pytest.mark.db
def test_info_button_is_a_labelled_button_with_the_definition(app, session):
    """Catches an explanation without an accessible name, or one that does not show the
    definition, the legal basis and the projection method."""
    ind = svc.get_indicator(session, "GOV-C8_4")
    prog, _figures = svc.progress(session, ind, svc.get_period(session, "2023"))

    def text_of(component) -> str:
        return json.dumps(
            component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False
        )

    with app.test_request_context():
        shown = indicator_info.info_button(ind, "t", prog)
        tree = text_of(shown)
        # The definitions are filled in when the popover opens (the page does not carry them).
        body_id = {"type": indicator_info.BODY, "key": "t|GOV-C8_4"}
        filled = text_of(indicator_info.fill(True, body_id))
        button = indicator_info.info_button(ind, "t").children[0]
    assert button.id == "ind-info-t-GOV-C8_4" and button.type == "button"
    assert getattr(button, "aria-label") == f"Giải thích chỉ tiêu {ind.short_name}"
    assert json.dumps(body_id) in json.dumps(
        shown.to_plotly_json(), default=lambda o: o.to_plotly_json()
    )
    for text in ("Cách tính dự báo 2025", "2021, 2022, 2023"):
        assert json.dumps(text, ensure_ascii=False)[1:-1] in tree, text
    for text in (
        "Định nghĩa",
        json.loads(ind.meta)["vi"]["definition"],
        "Căn cứ pháp lý",
        ind.legal_basis,
        "Cơ quan chịu trách nhiệm",
    ):
        assert json.dumps(text, ensure_ascii=False)[1:-1] in filled, text
        assert json.dumps(text, ensure_ascii=False)[1:-1] not in tree, text


@pytest.mark.db
def test_explanations_follow_the_language(app, session):
    """Catches English pages that show the Vietnamese explanation."""
    ind = svc.get_indicator(session, "ECO-COOP")
    with app.test_request_context("/?lang=en"):
        from flask import g

        g.lang = "en"
        pairs = dict(indicator_info.describe(ind))
    assert pairs["Definition"].startswith("Rural communes with at least one active cooperative")
    assert pairs["Legal basis"] == ind.legal_basis
    assert list(pairs)[:3] == ["Definition", "Numerator", "Denominator"]


def _prog(years: tuple[str, ...], period="2023", approved_only=False, rollup="share_meeting"):
    fig = svc.Figure(
        indicator="X",
        period=period,
        numerator=1,
        denominator=2,
        expected=2,
        reported=2,
        rollup=rollup,
        approved_only=approved_only,
    )
    return svc.Progress(fig, Target(target_value=90, target_year=2025), 50.0, years)


@pytest.mark.parametrize(
    ("prog", "words"),
    [
        (
            _prog(("2021", "2022", "2023")),
            [
                "giá trị năm 2023",
                "2 năm còn lại",
                "bình phương nhỏ nhất",
                "2021, 2022, 2023",
                "mọi đơn vị đã báo cáo",
                "0-100%",
            ],
        ),
        (_prog(("2022",)), ["Chỉ năm 2022", "lấy bằng giá trị năm 2022"]),
        (_prog(("2021", "2025"), period="2025"), ["năm gần nhất", "(2025)"]),
        (_prog((), approved_only=True), ["Chưa dự báo", "đã phê duyệt"]),
        (_prog(("2021", "2022"), rollup="count_rows"), ["3 năm còn lại"]),
    ],
)
def test_projection_note_says_how_the_projection_was_made(ro_app, prog, words):
    """Catches a projection explained differently from how `services.indicators.progress`
    makes it (which years, which rule, the cap)."""
    with ro_app.test_request_context():
        note = indicator_info.projection_note(prog)
    for word in words:
        assert word in note, (word, note)
    if prog.figure.rollup == "count_rows":
        assert "0-100%" not in note


def test_projection_note_is_empty_without_a_target():
    """Catches a projection explanation for an indicator that has no target to project to."""
    fig = svc.Figure(indicator="X", period="2023", numerator=1, denominator=1, reported=1)
    assert indicator_info.projection_note(svc.Progress(fig, None, None)) == ""
