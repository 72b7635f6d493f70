"""Messages of a unit's figures over time: on today's units (history re-based through the
crosswalk of merges) or as reported."""

MESSAGES: dict[str, tuple[str, str]] = {
    "unit_trends.title": ("Số liệu qua các kỳ", "Figures over time"),
    "unit_trends.mode": ("Cách tính các kỳ trước", "How earlier periods are counted"),
    "unit_trends.mode.today": (
        "Theo đơn vị hiện nay (tính lại qua sắp xếp)",
        "On today's units (re-based through the mergers)",
    ),
    "unit_trends.mode.reported": ("Như đã báo cáo", "As reported"),
    "unit_trends.intro": (
        "Số liệu của chính đơn vị này ở từng kỳ, tính từ các bản ghi trong hệ thống.",
        "This unit's own figures in each period, computed from the records in the system.",
    ),
    "unit_trends.intro_rebased": (
        "Đơn vị này nhận hồ sơ của các đơn vị đã sáp nhập vào nó. «Theo đơn vị hiện nay»: các "
        "kỳ trước khi thành lập được tính lại từ số liệu của các đơn vị đó (như chúng đã báo "
        "cáo). «Như đã báo cáo»: chỉ số liệu của chính đơn vị này, từ ngày thành lập.",
        'This unit took over the records of the units merged into it. "On today\'s units": '
        "periods before it began are re-based on those units' figures (as they reported them). "
        '"As reported": only this unit\'s own figures, from the day it began.',
    ),
    "unit_trends.not_yet": ("Chưa thành lập", "Not yet established"),
    "unit_trends.rebased_cell": (
        "Tính lại từ số liệu của các đơn vị trước sắp xếp",
        "Re-based on the figures of the units before the merger",
    ),
    "unit_trends.rebased_note": (
        "Tính lại theo địa giới hiện nay từ số liệu đã báo cáo của:",
        "Re-based on today's boundaries from the figures reported by:",
    ),
    "unit_trends.approved_only": (
        "Chỉ tính số liệu đã được phê duyệt.",
        "Approved figures only.",
    ),
    "unit_trends.none": (
        "Không có chỉ tiêu nào tính trên đơn vị này.",
        "No indicator is counted over this unit.",
    ),
    "unit_trends.unknown": ("Không tìm thấy đơn vị.", "Unit not found."),
}
