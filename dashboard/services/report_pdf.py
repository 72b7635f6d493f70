"""The period report as a PDF (ReportLab platypus), ready to attach to a People's Committee
report: a cover, the reporting round, each pillar's indicators against target with its charts
by district, the district table and the districts not yet approved. Every page but the cover
carries the report's title, scope and data mode at the top, and the "as of" stamp and
"Trang x/y" at the bottom.

Charts are drawn with `reportlab.graphics` (vector, their text is text). Vietnamese needs a
TrueType font with its glyphs: DejaVu Sans (Debian package `fonts-dejavu-core`), looked up in
`REPORT_FONT_DIR` when it is set, else in the usual font folders. Without it `render` raises
`FontUnavailable` (503 with a Vietnamese message), before any work is done.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.errors import ServiceError
from dashboard.i18n import _, current_lang, fmt_date, fmt_datetime, fmt_number, fmt_pct
from dashboard.services import periods
from dashboard.services.period_report import Chart, PeriodReport

# Where DejaVu Sans usually is (Debian/Ubuntu, Fedora/Arch, local installs).
DEFAULT_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/local/share/fonts",
    "/usr/local/share/fonts/dejavu",
)
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

PRIMARY = colors.HexColor("#0b5394")
MET = colors.HexColor("#2e7d32")
NOT_MET = colors.HexColor("#c62828")
TARGET = colors.HexColor("#ef6c00")
MUTED = colors.HexColor("#555555")
GRID = colors.HexColor("#bbbbbb")
HEAD_BG = colors.HexColor("#e8eef6")
HIGHLIGHT_BG = colors.HexColor("#fff4d6")

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BODY_W = PAGE_W - 2 * MARGIN
DISTRICT_COLUMNS = 5  # indicator columns per district table


class FontUnavailable(ServiceError):
    """No TrueType font with Vietnamese glyphs: the PDF cannot be written (503)."""

    status = 503


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str


_registered: dict[tuple[str, str], Fonts] = {}
_registering = threading.Lock()


def font_dirs(configured: str | None) -> list[Path]:
    """The folders searched for the font: `REPORT_FONT_DIR` alone when it is set."""
    if configured:
        return [Path(configured)]
    return [Path(d) for d in DEFAULT_FONT_DIRS]


def find_font_files(configured: str | None) -> tuple[Path, Path]:
    """The regular and bold DejaVu Sans files, or `FontUnavailable`."""
    for folder in font_dirs(configured):
        regular, bold = (folder / name for name in FONT_FILES)
        if regular.is_file() and bold.is_file():
            return regular, bold
    raise FontUnavailable(_("period_report.font_missing"))


def load_fonts(configured: str | None) -> Fonts:
    """Register the fonts with ReportLab once per pair of files (names unique per pair)."""
    regular, bold = find_font_files(configured)
    key = (str(regular), str(bold))
    with _registering:
        return _register(key)


def _register(key: tuple[str, str]) -> Fonts:
    regular, bold = key
    if key not in _registered:
        suffix = len(_registered)
        fonts = Fonts(f"NTMSans{suffix}", f"NTMSans{suffix}-Bold")
        try:
            pdfmetrics.registerFont(TTFont(fonts.regular, str(regular)))
            pdfmetrics.registerFont(TTFont(fonts.bold, str(bold)))
        except (TTFError, OSError) as exc:
            raise FontUnavailable(_("period_report.font_missing")) from exc
        pdfmetrics.registerFontFamily(
            fonts.regular, normal=fonts.regular, bold=fonts.bold, italic=fonts.regular,
            boldItalic=fonts.bold,
        )  # fmt: skip
        _registered[key] = fonts
    return _registered[key]


# --- styles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    fonts: Fonts
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    chart_title: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    head: ParagraphStyle
    note: ParagraphStyle


def make_styles(fonts: Fonts) -> Styles:
    def style(name, size, *, bold=False, leading=None, **kw) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=fonts.bold if bold else fonts.regular,
            fontSize=size,
            leading=leading or size * 1.25,
            **kw,
        )

    return Styles(
        fonts=fonts,
        title=style("title", 19, bold=True, leading=25, alignment=TA_CENTER, spaceAfter=10),
        subtitle=style("subtitle", 11, alignment=TA_CENTER, textColor=MUTED, spaceAfter=18),
        h1=style("h1", 13, bold=True, spaceBefore=8, spaceAfter=6, textColor=PRIMARY),
        h2=style("h2", 10.5, bold=True, spaceBefore=8, spaceAfter=4),
        chart_title=style("chart_title", 8.5, bold=True, spaceBefore=6, spaceAfter=3),
        body=style("body", 9, spaceAfter=4),
        small=style("small", 7.5, textColor=MUTED),
        cell=style("cell", 7.5),
        cell_bold=style("cell_bold", 7.5, bold=True),
        head=style("head", 7.5, bold=True),
        note=style("note", 7.5, textColor=MUTED, spaceBefore=2, spaceAfter=6),
    )


def _p(text: str, st: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or ""), st)


def _lines(parts: Iterable[tuple[str, ParagraphStyle | None]], st: ParagraphStyle) -> Paragraph:
    """One paragraph of several lines; a line with a style of its own is set smaller/muted."""
    out = []
    for text, own in parts:
        if not text:
            continue
        if own is None:
            out.append(escape(text))
        else:
            color = own.textColor.hexval()[2:] if own.textColor else "000000"
            out.append(f'<font size="{own.fontSize}" color="#{color}">{escape(text)}</font>')
    return Paragraph("<br/>".join(out), st)


def _table(data, widths, *, highlight_rows: Iterable[int] = ()) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), HIGHLIGHT_BG) for r in highlight_rows]
    table.setStyle(TableStyle(commands))
    return table


# --- charts ----------------------------------------------------------------------------------


def _nice_max(values: list[float]) -> float:
    """A round upper end for a count axis: 1, 2, 5 × a power of ten."""
    top = max([v for v in values if v is not None] or [0.0])
    if top <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= top:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= top:
            return step * factor
    return step * 10


def _ticks(top: float, percent: bool) -> list[float]:
    """Axis ticks: quarters of 100% for percents; whole steps for counts (1, 2, 5 × 10ⁿ)."""
    if percent:
        return [0.0, 25.0, 50.0, 75.0, 100.0]
    if top <= 5:
        return [float(i) for i in range(int(top) + 1)]
    parts = 4 if (top / 4).is_integer() else 5
    return [top * i / parts for i in range(parts + 1)]


def _tick_label(value: float, percent: bool) -> str:
    if percent:
        return fmt_pct(value)
    return fmt_number(value, 0 if float(value).is_integer() else 1)


def chart_drawing(chart: Chart, width: float, fonts: Fonts) -> Drawing:
    """Horizontal bars, one per district (or registry value), with the target as a dashed line,
    the value written beside each bar, an axis and a legend. Green: meets the target; red: does
    not; blue: no target. The highlighted bar is outlined and its label bold."""
    size, row = 6.5, 10.0
    labels = [b.label for b in chart.bars]
    # Room on the right for the value texts of drawn bars; a bar without a value writes its
    # text (e.g. "Chưa báo cáo") in the empty plot instead.
    texts = [b.text for b in chart.bars if b.value is not None]
    label_w = min(
        width * 0.38, max([pdfmetrics.stringWidth(t, fonts.bold, size) for t in labels] or [20]) + 4
    )
    text_w = max([pdfmetrics.stringWidth(t, fonts.regular, size - 0.5) for t in texts] or [10]) + 4
    plot_x = label_w
    plot_w = max(40.0, width - label_w - text_w)
    legend_h, axis_h = 12.0, 12.0
    plot_h = row * max(1, len(chart.bars))
    height = plot_h + axis_h + legend_h + 6
    top = height - 2
    values = [b.value for b in chart.bars]
    vmax = 100.0 if chart.percent else _nice_max([*values, chart.target or 0])
    drawing = Drawing(width, height)

    def x_of(value: float) -> float:
        return plot_x + plot_w * max(0.0, min(value, vmax)) / vmax

    bottom = top - plot_h
    for tick in _ticks(vmax, chart.percent):
        x = x_of(tick)
        drawing.add(
            Line(x, bottom, x, top, strokeColor=colors.HexColor("#e6e6e6"), strokeWidth=0.4)
        )
        drawing.add(
            String(
                x, bottom - 8, _tick_label(tick, chart.percent), fontName=fonts.regular,
                fontSize=size - 1, fillColor=MUTED, textAnchor="middle",
            )
        )  # fmt: skip
    drawing.add(Line(plot_x, bottom, plot_x, top, strokeColor=MUTED, strokeWidth=0.5))
    for i, bar in enumerate(chart.bars):
        y = top - (i + 1) * row
        chosen = chart.highlight is not None and bar.key == chart.highlight
        drawing.add(
            String(
                plot_x - 3, y + 3, bar.label, fontName=fonts.bold if chosen else fonts.regular,
                fontSize=size, textAnchor="end",
            )
        )  # fmt: skip
        end = plot_x
        if bar.value is not None:
            fill = PRIMARY if bar.target is None else MET if bar.value >= bar.target else NOT_MET
            end = x_of(bar.value)
            drawing.add(
                Rect(
                    plot_x, y + 1.5, max(0.6, end - plot_x), row - 3, fillColor=fill,
                    strokeColor=colors.black if chosen else None,
                    strokeWidth=1.2 if chosen else 0,
                )
            )  # fmt: skip
        drawing.add(
            String(
                end + 2, y + 3, bar.text, fontName=fonts.bold if chosen else fonts.regular,
                fontSize=size - 0.5, fillColor=colors.black if bar.value is not None else MUTED,
            )
        )  # fmt: skip
    if chart.target is not None:
        x = x_of(chart.target)
        drawing.add(
            Line(x, bottom, x, top + 1, strokeColor=TARGET, strokeWidth=1, strokeDashArray=[3, 2])
        )
    _legend(drawing, chart, fonts, size - 0.5, 2)
    return drawing


def _legend(drawing: Drawing, chart: Chart, fonts: Fonts, size: float, y: float) -> None:
    if chart.target is not None:
        label = fmt_pct(chart.target) if chart.percent else fmt_number(chart.target)
        items = [
            ("box", MET, _("period_report.legend.met")),
            ("box", NOT_MET, _("period_report.legend.not_met")),
            ("line", TARGET, _("chart.target_line", value=label)),
        ]
    else:
        items = [("box", PRIMARY, _("period_report.legend.value"))]
    if chart.highlight is not None:
        items.append(("outline", colors.black, _("period_report.legend.highlight")))
    x = 2.0
    for kind, color, text in items:
        if kind == "box":
            drawing.add(Rect(x, y, 7, 6, fillColor=color, strokeColor=None))
        elif kind == "outline":
            drawing.add(Rect(x, y, 7, 6, fillColor=colors.white, strokeColor=color, strokeWidth=1))
        else:
            drawing.add(
                Line(
                    x, y + 3, x + 7, y + 3, strokeColor=color, strokeWidth=1, strokeDashArray=[2, 1]
                )
            )
        drawing.add(String(x + 9, y + 0.5, text, fontName=fonts.regular, fontSize=size))
        x += 9 + pdfmetrics.stringWidth(text, fonts.regular, size) + 10


def chart_block(chart: Chart, width: float, st: Styles) -> list:
    """A chart's title, drawing and note (the flowables of one table cell); a chart with no
    value at all is a line saying so (the figures' own text, e.g. no approved figure yet)."""
    if all(b.value is None for b in chart.bars):
        texts = sorted({b.text for b in chart.bars}) or [_("common.none")]
        return [_p(chart.title, st.chart_title), _p(" · ".join(texts), st.note)]
    parts = [_p(chart.title, st.chart_title), chart_drawing(chart, width, st.fonts)]
    if chart.note:
        parts.append(_p(chart.note, st.note))
    return parts


# Bars of one drawn chart: 60 rows of 10 pt fit a page with the title, axis and legend.
MAX_BARS = 60


def chart_parts(chart: Chart, most: int = MAX_BARS) -> list[Chart]:
    """A chart with more bars than a page holds (a country's districts) as several charts of
    at most `most` bars, titled `(1/12)`, `(2/12)`…: one drawing taller than a page cannot be
    laid out at all."""
    if len(chart.bars) <= most:
        return [chart]
    chunks = [chart.bars[i : i + most] for i in range(0, len(chart.bars), most)]
    return [
        replace(chart, title=f"{chart.title} ({n}/{len(chunks)})", bars=bars)
        for n, bars in enumerate(chunks, start=1)
    ]


def chart_grid(charts: list[Chart], st: Styles) -> list:
    """Charts two a row (a long chart in parts, `chart_parts`)."""
    gap = 6 * mm
    width = (BODY_W - gap) / 2
    flow = []
    charts = [part for chart in charts for part in chart_parts(chart)]
    for i in range(0, len(charts), 2):
        pair = [chart_block(c, width, st) for c in charts[i : i + 2]]
        if len(pair) == 1:
            pair.append("")
        row = Table([pair], colWidths=[width + gap / 2, width + gap / 2], hAlign="LEFT")
        row.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), gap / 2),
                ]
            )
        )
        flow.append(row)
    return flow


# --- the document ----------------------------------------------------------------------------


def _cover(report: PeriodReport, st: Styles, demo: bool) -> list:
    flow: list = [Spacer(1, 28 * mm)]
    flow.append(_p(_("period_report.issuer"), st.subtitle))
    flow.append(_p(report.title, st.title))
    flow.append(_p(_("period_report.subtitle"), st.subtitle))
    rows = report.cover_rows()
    data = [[_p(k, st.cell_bold), _p(v, st.cell)] for k, v in rows]
    table = Table(data, colWidths=[48 * mm, BODY_W - 48 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    flow += [table, Spacer(1, 8 * mm)]
    if demo:
        flow.append(_p(_("demo.banner"), st.h2))
    flow.append(_p(_("period_report.cover.rule"), st.body))
    flow.append(_p(_("period_report.cover.source"), st.small))
    flow.append(PageBreak())
    return flow


def _timing(row) -> str:
    """The round's word on the report's timing, with the days late when it is late."""
    label = row.timing.label
    if row.days_late:
        label += f" ({_('period_report.days_late', days=fmt_number(row.days_late))})"
    return label


def _deadline(row) -> str:
    return fmt_date(row.deadline) if row.deadline is not None else "–"


def _reporting(report: PeriodReport, st: Styles) -> list:
    flow = [
        _p(_("period_report.section.reporting", units=report.units), st.h1),
        _p(report.reporting_text, st.body),
    ]
    head = [
        _p(t, st.head)
        for t in (
            _("common.code"),
            _("common.district"),
            _("common.status"),
            _("admin.deadline"),
            _("progress.submitted_at"),
            _("progress.timing"),
            _("progress.filled"),
        )
    ]
    data = [head]
    for r in report.reports:
        data.append(
            [
                _p(r.district_code, st.cell),
                _p(r.district, st.cell),
                _p(_(f"status.{r.status}"), st.cell),
                _p(_deadline(r), st.cell),
                _p(fmt_datetime(r.submitted_at) if r.submitted_at else "", st.cell),
                _p(_timing(r), st.cell),
                _p(
                    f"{fmt_number(r.filled)}/{fmt_number(r.expected)} ({fmt_pct(r.share_filled)})",
                    st.cell,
                ),
            ]
        )
    widths = [11 * mm, 36 * mm, 22 * mm, 19 * mm, 27 * mm, 33 * mm, BODY_W - 148 * mm]
    flow.append(_table(data, widths))
    return flow


def _pillar(section, report: PeriodReport, st: Styles) -> list:
    flow: list = [_p(section.title, st.h1)]
    if section.lines:
        head = [
            _p(t, st.head)
            for t in (
                _("filter.indicator"),
                _("period_report.col.result"),
                _("common.target"),
                _("common.gap"),
                _("period_report.col.assessment"),
                _("figure.coverage"),
            )
        ]
        data = [head]
        for line in section.lines:
            ind, fig = line.indicator, line.figure
            data.append(
                [
                    _lines(
                        [(ind.short_name, None), (f"{ind.code} · {line.level_text}", st.small),
                         (ind.legal_basis, st.small)],
                        st.cell_bold,
                    ),
                    _lines([(fig.display, None), (fig.detail, st.small)], st.cell),
                    _p(line.target_text, st.cell),
                    _p(line.gap_text, st.cell),
                    _lines([(line.status_text, None), (line.progress.basis, st.small)], st.cell),
                    _p(fig.coverage, st.cell),
                ]
            )  # fmt: skip
        widths = [43 * mm, 33 * mm, 18 * mm, 22 * mm, 25 * mm, BODY_W - 141 * mm]
        flow.append(_table(data, widths))
    if section.charts:
        flow.append(Spacer(1, 3 * mm))
        flow += chart_grid(section.charts, st)
    return flow


def _districts(report: PeriodReport, st: Styles) -> list:
    flow: list = [_p(_("period_report.section.districts", units=report.units), st.h1)]
    flow.append(_p(_("period_report.districts_intro", units=report.units), st.note))
    inds = report.table_indicators
    highlight = report.query.district.gso_code if report.query.district is not None else None
    for start in range(0, len(inds), DISTRICT_COLUMNS):
        chunk = inds[start : start + DISTRICT_COLUMNS]
        head = [_p(_("common.district"), st.head), _p(_("period_report.col.report"), st.head)]
        head += [_lines([(i.short_name, None), (i.code, st.small)], st.head) for i in chunk]
        data = [head]
        marked = []
        for n, row in enumerate(report.districts, start=1):
            cells = [_p(row.name, st.cell_bold), _p(_(f"status.{row.status}"), st.cell)]
            for ind in chunk:
                fig = row.figures.get(ind.code)
                if fig is None:
                    cells.append(_p("–", st.cell))
                else:
                    cells.append(_lines([(fig.display, None), (fig.detail, st.small)], st.cell))
            data.append(cells)
            if row.code == highlight:
                marked.append(n)
        name_w, status_w = 30 * mm, 18 * mm
        col = (BODY_W - name_w - status_w) / max(1, len(chunk))
        flow.append(_table(data, [name_w, status_w] + [col] * len(chunk), highlight_rows=marked))
        flow.append(Spacer(1, 4 * mm))
    return flow


def _not_approved(report: PeriodReport, st: Styles) -> list:
    flow: list = [_p(_("period_report.section.not_approved", units=report.units), st.h1)]
    rows = report.not_approved
    if not rows:
        unit = periods.reporting_noun(report.period)
        flow.append(
            _p(_("period_report.all_approved", period=report.period.code, unit=unit), st.body)
        )
        return flow
    flow.append(
        _p(
            _(
                "period_report.not_approved_count",
                count=fmt_number(len(rows)),
                total=fmt_number(report.total),
                unit=periods.reporting_noun(report.period),
            ),
            st.body,
        )
    )
    head = [
        _p(t, st.head)
        for t in (
            _("common.code"),
            _("common.district"),
            _("common.status"),
            _("admin.deadline"),
            _("progress.timing"),
            _("workflow.reason"),
        )
    ]
    data = [head]
    for r in rows:
        data.append(
            [
                _p(r.district_code, st.cell),
                _p(r.district, st.cell_bold),
                _p(_(f"status.{r.status}"), st.cell),
                _p(_deadline(r), st.cell),
                _p(_timing(r), st.cell),
                _p(r.reason or "", st.cell),
            ]
        )
    widths = [11 * mm, 40 * mm, 22 * mm, 19 * mm, 36 * mm, BODY_W - 128 * mm]
    flow.append(_table(data, widths))
    return flow


def _page_canvas(report: PeriodReport, fonts: Fonts):
    """A canvas that writes the running header and footer once the page count is known."""
    header = f"{report.title} · {report.scope_text} · {report.mode_text}"
    stamp = report.as_of_text
    generated = _("period_report.footer_generated", at=report.generated_text)

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            self.saveState()
            self.setFillColor(MUTED)
            self.setStrokeColor(GRID)
            if number > 1:
                self.setFont(fonts.regular, 7)
                self.drawString(MARGIN, PAGE_H - 11 * mm, _fit(header, fonts.regular, 7, BODY_W))
                self.line(MARGIN, PAGE_H - 12.5 * mm, PAGE_W - MARGIN, PAGE_H - 12.5 * mm)
            self.line(MARGIN, 13 * mm, PAGE_W - MARGIN, 13 * mm)
            self.setFont(fonts.regular, 7)
            page = _("period_report.page", page=fmt_number(number), pages=fmt_number(total))
            page_w = pdfmetrics.stringWidth(page, fonts.regular, 7)
            self.drawString(MARGIN, 9.5 * mm, _fit(stamp, fonts.regular, 7, BODY_W - page_w - 8))
            self.drawString(MARGIN, 6 * mm, _fit(generated, fonts.regular, 7, BODY_W - page_w - 8))
            self.drawRightString(PAGE_W - MARGIN, 9.5 * mm, page)
            self.restoreState()

    return NumberedCanvas


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut (with an ellipsis) to fit `width`."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def render(report: PeriodReport, *, font_dir: str | None = None, demo: bool = False) -> bytes:
    """The report as PDF bytes. Raises `FontUnavailable` when no Vietnamese font is found."""
    fonts = load_fonts(font_dir)
    st = make_styles(fonts)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=17 * mm,
        bottomMargin=18 * mm,
        title=report.title,
        author=_("period_report.issuer"),
        subject=f"{report.scope_text} · {report.mode_text}",
        creator=_("app.title"),
        lang=current_lang(),
    )
    flow = _cover(report, st, demo)
    flow += _reporting(report, st)
    for section in report.sections:
        flow += _pillar(section, report, st)
    if report.extra_charts:
        flow.append(_p(_("nav.training"), st.h1))
        flow += chart_grid(report.extra_charts, st)
    flow.append(PageBreak())
    flow += _districts(report, st)
    flow += _not_approved(report, st)
    doc.build(flow, canvasmaker=_page_canvas(report, fonts))
    return buffer.getvalue()
