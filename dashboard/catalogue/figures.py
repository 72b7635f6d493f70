"""Messages of what a figure means: coverage, reporting, publication, projections, charts."""

MESSAGES: dict[str, tuple[str, str]] = {
    "chart.title.trend": ("Xu hướng theo năm", "Yearly trend"),
    "chart.title.ranking": ("Xếp hạng các đơn vị báo cáo", "Reporting units ranked"),
    "chart.title.map": ("Bản đồ theo đơn vị báo cáo", "Map by reporting unit"),
    "chart.title.by_district": ("Theo đơn vị báo cáo", "By reporting unit"),
    "noun.province": ("tỉnh", "province"),
    "noun.district": ("huyện", "districts"),
    "noun.commune": ("xã", "communes"),
    "noun.unit": ("đơn vị", "units"),
    "noun.commune_level": ("đơn vị cấp xã", "commune-level units"),
    # the units that report in a period, counted in sentences
    "column.reporting.district": ("Huyện", "District"),
    "column.reporting.commune": ("Xã, phường", "Commune or ward"),
    "noun.reporting.district": ("huyện", "districts"),
    "noun.reporting.commune": ("xã, phường", "communes and wards"),
    "figure.not_published": (
        "Chưa có số liệu được phê duyệt",
        "No approved figure yet",
    ),
    "figure.not_reported": ("Chưa có đơn vị báo cáo", "No unit has reported"),
    "figure.not_reported_unit": ("Chưa báo cáo", "Not reported"),
    "figure.reported": (
        "{reported}/{base} {noun} đã báo cáo ({rate})",
        "{reported}/{base} {noun} reported ({rate})",
    ),
    "figure.districts_approved": (
        "{approved}/{total} {unit} đã phê duyệt",
        "{approved}/{total} {unit} approved",
    ),
    "figure.missing_as_not_met": (
        "{missing} {noun} chưa báo cáo được tính là chưa đạt (theo định nghĩa chỉ tiêu)",
        "{missing} {noun} not reported count as not met (by the indicator's definition)",
    ),
    "validation.unknown_mode": (
        "Chế độ số liệu không hợp lệ (chỉ nhận “all” hoặc “approved”).",
        "Unknown data mode (only “all” or “approved”).",
    ),
    "figure.coverage": ("Phạm vi số liệu", "Coverage"),
    "figure.units_expected": ("Số đơn vị phải báo cáo", "Units expected"),
    "figure.units_reported": ("Số đơn vị đã báo cáo", "Units reported"),
    "figure.units_approved": ("Số đơn vị đã phê duyệt", "Units approved"),
    "figure.basis": ("Căn cứ dự báo", "Projection basis"),
    "figure.no_basis": (
        "Chưa có năm nào đủ số liệu để dự báo",
        "No year has complete figures to project from",
    ),
    "figure.basis_complete": (
        "Dự báo từ số liệu đầy đủ các năm {years}",
        "Projected from the complete figures of {years}",
    ),
    "figure.basis_complete_periods": (
        "Dự báo từ số liệu đầy đủ các kỳ {years}",
        "Projected from the complete figures of {years}",
    ),
    "figure.basis_approved_periods": (
        "Dự báo từ số liệu đã phê duyệt đầy đủ các kỳ {years}",
        "Projected from the fully approved figures of {years}",
    ),
    "figure.basis_approved": (
        "Dự báo từ số liệu đã phê duyệt đầy đủ các năm {years}",
        "Projected from the fully approved figures of {years}",
    ),
}
