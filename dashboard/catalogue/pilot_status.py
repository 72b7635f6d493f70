"""Dated statuses of the pilot models: the decisions, their form and their rules."""

MESSAGES: dict[str, tuple[str, str]] = {
    "field.decided_on": ("Ngày quyết định", "Decision date"),
    "field.decision_number": ("Số quyết định", "Decision number"),
    "field.note": ("Ghi chú", "Note"),
    "pilot_status.history": ("Quyết định về trạng thái", "Status decisions"),
    "pilot_status.decision": (
        "{status}: Quyết định số {number} ngày {date}",
        "{status}: decision No. {number} of {date}",
    ),
    "pilot_status.decision_unnumbered": ("{status}: ngày {date}", "{status}: {date}"),
    "pilot_status.number_required": (
        "Vui lòng nhập số quyết định cho trạng thái “{status}”.",
        "Enter the decision number for the status “{status}”.",
    ),
    "pilot_status.before_proposal": (
        "Ngày quyết định ({date}) trước ngày đề xuất mô hình ({proposed}).",
        "The decision date ({date}) is before the pilot was proposed ({proposed}).",
    ),
    "pilot_status.future": (
        "Ngày quyết định ({date}) sau ngày hôm nay.",
        "The decision date ({date}) is after today.",
    ),
    "pilot_status.duplicate": (
        "Mô hình đã có quyết định ngày {date} ({status}); mỗi ngày chỉ ghi một quyết định.",
        "The pilot already has a decision on {date} ({status}); one decision per day.",
    ),
    "pilot_status.proposal_after_decision": (
        "Ngày đề xuất ({date}) không được trùng hoặc sau quyết định “{status}” ngày {decided}.",
        "The proposal date ({date}) may not be on or after the decision “{status}” of {decided}.",
    ),
    "audit.action.record_status": (
        "Ghi quyết định trạng thái mô hình thí điểm",
        "Pilot status decision recorded",
    ),
    # The pilots page and the decision form
    "pilot_status.on_day": (
        "Trạng thái của mỗi mô hình tại ngày {date} (ngày tính số liệu của kỳ {period}).",
        "Each pilot's status on {date} (the count date of {period}).",
    ),
    "pilot_status.open": ("Ghi quyết định trạng thái", "Record a status decision"),
    "pilot_status.title": ("Quyết định trạng thái: {name}", "Status decision: {name}"),
    "pilot_status.title_none": ("Quyết định trạng thái", "Status decision"),
    "pilot_status.pick_pilot": (
        "Hãy chọn một mô hình trong bảng trước, rồi bấm “Ghi quyết định trạng thái”.",
        "Select a pilot in the table first, then press “Record a status decision”.",
    ),
    "pilot_status.history_title": ("Các quyết định đã ghi", "Decisions recorded"),
    "pilot_status.history_none": ("Chưa có quyết định nào.", "No decision yet."),
    "pilot_status.number_hint": (
        "Ví dụ: 123/QĐ-UBND; không bắt buộc với trạng thái “Đề xuất”.",
        "E.g. 123/QĐ-UBND; optional for the status “Proposed”.",
    ),
    "pilot_status.saved": ("Đã ghi quyết định.", "Decision recorded."),
    "pilot_status.close": ("Đóng", "Close"),
}
