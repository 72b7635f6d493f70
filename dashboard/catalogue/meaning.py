"""Messages of what the figures mean: indicator explanations, the projection method, the map,
chart legends, gaps to the target and the title rows of downloads."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Indicator explanations (components/indicator_info.py)
    "meaning.info.button_label": ("Giải thích chỉ tiêu {name}", "About the indicator {name}"),
    "meaning.info.missing": (
        "Chưa có phần giải thích cho chỉ tiêu này.",
        "No explanation for this indicator yet.",
    ),
    "meaning.field.definition": ("Định nghĩa", "Definition"),
    "meaning.field.numerator": ("Tử số", "Numerator"),
    "meaning.field.denominator": ("Mẫu số", "Denominator"),
    "meaning.field.method": ("Cách tính", "Method"),
    "meaning.field.source": ("Nguồn số liệu", "Data source"),
    "meaning.field.legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "meaning.field.agency": ("Cơ quan chịu trách nhiệm", "Responsible agency"),
    "meaning.field.frequency": ("Tần suất", "Frequency"),
    # How "Dự báo 2025" is computed (services/indicators.project, in plain words)
    "meaning.projection.title": ("Cách tính dự báo {year}", "How the {year} projection works"),
    "meaning.projection.trend": (
        "Dự báo {year} = giá trị năm {last} cộng mức thay đổi bình quân mỗi năm nhân với {left} "
        "năm còn lại đến {year}. Mức thay đổi bình quân là độ dốc của đường thẳng khớp nhất "
        "(phương pháp bình phương nhỏ nhất) qua số liệu {kind} của các năm {years}.",
        "Projected {year} = the {last} value plus the average change per year times the {left} "
        "years left until {year}. The average change is the slope of the best-fitting straight "
        "line (least squares) through the {kind} figures of {years}.",
    ),
    "meaning.projection.single": (
        "Chỉ năm {last} có số liệu {kind}, chưa đủ hai năm để tính xu hướng: dự báo {year} lấy "
        "bằng giá trị năm {last}.",
        "Only {last} has {kind} figures, too few to draw a trend: the {year} projection is the "
        "{last} value.",
    ),
    "meaning.projection.latest": (
        "Dự báo {year} lấy bằng giá trị của năm gần nhất có số liệu {kind} ({last}).",
        "The {year} projection is the value of the latest year with {kind} figures ({last}).",
    ),
    "meaning.projection.none": (
        "Chưa dự báo: chưa có năm nào có số liệu {kind}. Năm thiếu báo cáo không được dùng để "
        "dự báo.",
        "No projection: no year has {kind} figures yet. Years with missing reports are not used.",
    ),
    "meaning.projection.kind_complete": (
        "đầy đủ (mọi đơn vị đã báo cáo)",
        "complete (every unit reported)",
    ),
    "meaning.projection.kind_approved": (
        "đầy đủ và đã phê duyệt (mọi đơn vị đã báo cáo và được phê duyệt)",
        "complete and approved (every unit reported and approved)",
    ),
    "meaning.projection.cap": (
        "Tỷ lệ dự báo được giới hạn trong khoảng 0-100%.",
        "A projected share is kept within 0-100%.",
    ),
    "meaning.projection.status": (
        '"Đúng tiến độ" khi số liệu đầy đủ đã đạt mục tiêu, hoặc khi dự báo đạt mục tiêu.',
        '"On track" when a complete figure meets the target, or when the projection does.',
    ),
    # Gap to the target (services/indicators.gap_text)
    "meaning.gap.exceeded": ("Đã vượt mục tiêu", "Above the target"),
    "meaning.gap.count": ("Còn thiếu {value}", "{value} short"),
    # Chart legends and the map
    "meaning.legend.met": ("Đạt mục tiêu", "Target met"),
    "meaning.legend.not_met": ("Chưa đạt mục tiêu", "Target not met"),
    "meaning.map.no_boundaries": (
        "Không hiển thị được bản đồ: chưa có tệp ranh giới huyện hợp lệ (cấu hình "
        "BOUNDARIES_GEOJSON). Số liệu theo huyện có ở biểu đồ xếp hạng.",
        "The map cannot be shown: no valid district boundary file (BOUNDARIES_GEOJSON). The "
        "figures by district are in the ranking chart.",
    ),
    "meaning.map.no_match": (
        "Tệp ranh giới không có huyện nào khớp mã GSO của các huyện.",
        "The boundary file has no district matching the districts' GSO codes.",
    ),
    "meaning.map.unit_percent": ("Tỷ lệ (%)", "Share (%)"),
    "meaning.map.unit_count": ("Số lượng", "Count"),
    "meaning.map.colorbar_target": (
        "{unit} — mục tiêu {target}<br>đỏ: chưa đạt · xanh lá: đạt",
        "{unit} — target {target}<br>red: not met · green: met",
    ),
    "meaning.map.no_data": ("Chưa có số liệu", "No figure"),
    # Downloads: title rows above the table (exports.py)
    "meaning.export.table": ("Bảng", "Table"),
    "meaning.export.scope": ("Phạm vi", "Scope"),
    "meaning.export.mode": ("Số liệu", "Data"),
    "meaning.export.mode_all": (
        "Tất cả số liệu (gồm số liệu chưa phê duyệt)",
        "All data (unapproved included)",
    ),
    "meaning.export.generated": ("Thời điểm xuất", "Generated at"),
    "meaning.export.filters": ("Bộ lọc", "Filters"),
    "meaning.export.title.summary": ("Tổng hợp các chỉ tiêu", "Indicators summary"),
    "meaning.export.title.by_district": ("Chỉ tiêu theo huyện", "Indicator by district"),
    "meaning.export.title.trend": ("Xu hướng theo năm", "Yearly trend"),
    "meaning.export.title.records": ("Bản ghi nguồn", "Source records"),
    "meaning.export.title.progress": ("Tiến độ báo cáo", "Reporting progress"),
    "meaning.export.title.audit": ("Nhật ký thay đổi", "Audit log"),
}
