"""Messages of half-year and quarter periods: their names, their trends, the open-data API's
words about them."""

MESSAGES: dict[str, tuple[str, str]] = {
    "period_kinds.name.first_half": ("6 tháng đầu năm {year}", "First half of {year}"),
    "period_kinds.name.second_half": ("6 tháng cuối năm {year}", "Second half of {year}"),
    "period_kinds.name.quarter": ("Quý {number}/{year}", "Q{number} {year}"),
    "period_kinds.trend.half": ("theo 6 tháng", "by half-year"),
    "period_kinds.trend.quarter": ("theo quý", "by quarter"),
    "period_kinds.api.unknown_period": (
        "Không có kỳ báo cáo “{value}”. Các kỳ hiện có: {periods}.",
        "There is no reporting period “{value}”. Available periods: {periods}.",
    ),
    "period_kinds.api.field.period_kind": (
        "Loại kỳ: year (năm), half (6 tháng) hoặc quarter (quý).",
        "The kind of period: year, half (half-year) or quarter.",
    ),
    "period_kinds.api.field.period_start": ("Ngày đầu kỳ.", "The period's first day."),
    "period_kinds.api.field.period_end": ("Ngày cuối kỳ.", "The period's last day."),
    "period_kinds.api.field.period_name": (
        "Tên kỳ theo ngôn ngữ của câu trả lời, ví dụ “6 tháng đầu năm 2026”, “Quý 3/2026”.",
        "The period's name in the answer's language, e.g. “First half of 2026”, “Q3 2026”.",
    ),
    "admin.period_kind_mismatch": (
        "Mã kỳ {code} là kỳ loại «{kind}»: chọn đúng loại kỳ.",
        'The code {code} names a period of kind "{kind}": choose that kind.',
    ),
    "admin.period_span_mismatch": (
        "Kỳ {code} phải bắt đầu ngày {start} và kết thúc ngày {end}.",
        "The period {code} must start on {start} and end on {end}.",
    ),
}
