"""Messages of programmes, periods and the administrative structure over time (the two-tier
reform of 1 July 2025)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "api.doc.field.counted_on": (
        "Ngày tính số liệu: ngày cuối kỳ, hoặc 2025-06-30 cho năm 2025 (cấp huyện kết thúc "
        "ngày đó).",
        "The day the figures count units on: the period's last day, or 2025-06-30 for 2025 "
        "(the district level ended that day).",
    ),
    "overview.no_indicators": (
        "Kỳ {period} chưa có chỉ tiêu nào đang có hiệu lực. Văn phòng Điều phối bổ sung bộ chỉ "
        "tiêu của chương trình 2026-2035 trong trang Quản trị › Bộ chỉ tiêu (/quan-tri/chi-tieu).",
        "No indicator is in force in period {period} yet. The Coordination Office adds the "
        "2026-2035 indicator set in Administration › Indicator sets (/quan-tri/chi-tieu).",
    ),
    "admin.unit_until": ("{unit} — đến {date}", "{unit} — until {date}"),
    "period.with_count_date": ("{period} (tính đến {date})", "{period} (as of {date})"),
    "period.cut_short_note": (
        "Số liệu năm {period} tính đến {date}: cấp huyện kết thúc hoạt động từ ngày hôm sau "
        "(chính quyền địa phương hai cấp), nên số liệu theo huyện và xã cũ dừng ở ngày này.",
        "Figures for {period} are as of {date}: the district level ended the next day "
        "(two-tier local government), so figures on the former districts and communes stop "
        "there.",
    ),
}
