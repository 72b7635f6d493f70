"""Messages of the data-entry page and the pillar pages' value-entry panel: confirmation
dialogs, the unsaved-edits guard, clearing a value, locks, the phone view."""

MESSAGES = {
    # Values
    "values.zero_denominator": (
        "{field} phải lớn hơn 0 (tỷ lệ 0/0 không có nghĩa). Nếu đơn vị không có gì để tính, "
        "hãy để trống chỉ tiêu này.",
        "{field} must be greater than 0 (0/0 is not a share). If the unit has nothing to count, "
        "leave this indicator empty.",
    ),
    "audit.action.clear": ("Xóa giá trị", "Value cleared"),
    # Report transitions: confirmation dialogs
    "entry.confirm.cancel": ("Hủy", "Cancel"),
    "entry.confirm.submit_title": ("Gửi báo cáo kỳ {period}?", "Submit the {period} report?"),
    "entry.confirm.submit_body": (
        "Báo cáo kỳ {period} của {district} sẽ được gửi cho Văn phòng Điều phối NTM tỉnh. Sau khi "
        "gửi, đơn vị không sửa được số liệu kỳ này cho đến khi văn phòng trả lại.",
        "The {period} report of {district} goes to the provincial NTM Coordination Office. Once "
        "submitted, the unit cannot change this period's figures until the office returns "
        "the report.",
    ),
    "entry.confirm.approve_title": (
        "Phê duyệt báo cáo kỳ {period} của {district}?",
        "Approve the {period} report of {district}?",
    ),
    "entry.confirm.approve_body": (
        "Số liệu kỳ {period} của {district} sẽ được công bố: tính vào số liệu đã phê duyệt, "
        "trang nhúng và dữ liệu mở. Đơn vị vẫn không sửa được; muốn sửa phải mở lại báo cáo.",
        "The {period} figures of {district} are published: they count in approved figures, "
        "embedded charts and open data. The unit still cannot change them; to correct them "
        "the report must be reopened.",
    ),
    "entry.confirm.return_title": (
        "Trả lại báo cáo kỳ {period} của {district}?",
        "Return the {period} report of {district}?",
    ),
    "entry.confirm.return_body": (
        "Báo cáo được trả về đơn vị với lý do dưới đây. Đơn vị sửa được số liệu kỳ này và phải "
        "gửi lại.",
        "The report goes back to the unit with the reason below. The unit can change "
        "this period's figures and must submit again.",
    ),
    "entry.confirm.reopen_title": (
        "Mở lại báo cáo kỳ {period} của {district}?",
        "Reopen the {period} report of {district}?",
    ),
    "entry.confirm.reopen_body": (
        "Báo cáo trở về trạng thái đang nhập: số liệu kỳ này thôi được công bố (nếu đã phê duyệt), "
        "đơn vị sửa được số liệu rồi phải gửi lại.",
        "The report becomes a draft again: this period's figures are no longer published (if "
        "they were approved); the unit can change them and must submit again.",
    ),
    "entry.confirm.unsaved": (
        "Bảng còn {count} ô thay đổi chưa lưu: các thay đổi này sẽ mất. Hãy Hủy, lưu rồi làm lại.",
        "The grid has {count} unsaved changes: they will be lost. Cancel, save, then try again.",
    ),
    "entry.reason_needed": (
        "Vui lòng nhập lý do vào ô “Lý do” trước khi {action} báo cáo. Chưa có gì thay đổi.",
        "Type a reason in the “Reason” box before you {action} the report. Nothing was changed.",
    ),
    # Unsaved edits
    "entry.guard.leave": (
        "Bảng nhập liệu còn thay đổi chưa lưu. Rời trang này sẽ mất các thay đổi đó. "
        "Vẫn rời trang?",
        "The data-entry grid has unsaved changes. Leaving this page loses them. Leave anyway?",
    ),
    "entry.changes_cleared": (
        "{count} ô thay đổi chưa lưu, trong đó {cleared} ô sẽ bị xóa giá trị.",
        "{count} unsaved changes, {cleared} of them clear a value.",
    ),
    "entry.switch.title": ("Còn thay đổi chưa lưu", "Unsaved changes"),
    "entry.switch.body": (
        "Bảng đang có {count} ô thay đổi chưa lưu của {district}, kỳ {period}. Chuyển sang "
        "{target} sẽ bỏ các thay đổi này.",
        "The grid has {count} unsaved changes for {district}, {period}. Switching to {target} "
        "discards them.",
    ),
    "entry.switch.stay": ("Ở lại để lưu", "Stay and save"),
    "entry.switch.discard": ("Bỏ thay đổi và chuyển", "Discard and switch"),
    # Clearing in the grid
    "entry.grid_clear_help": (
        "Muốn xóa một giá trị đã nhập: xóa hết nội dung ô (với tỷ lệ: cả tử số và mẫu số) rồi "
        "lưu. Đơn vị khi đó được tính là chưa báo cáo chỉ tiêu này.",
        "To clear a stored value, empty its cell (for a ratio, both parts) and save. The unit "
        "then counts as not reported for that indicator.",
    ),
    "entry.saved_cleared": (
        "Đã lưu {written} thay đổi, trong đó xóa {cleared} giá trị ({unchanged} không đổi).",
        "Saved {written} changes, {cleared} of them clearing a value ({unchanged} unchanged).",
    ),
    # Phone view
    "entry.phone.unit": ("Đơn vị", "Unit"),
    "entry.phone.help": (
        "Chọn đơn vị, nhập các chỉ tiêu rồi nhấn “Lưu tất cả thay đổi”. Có thể chuyển sang đơn vị "
        "khác trước khi lưu: thay đổi vẫn được giữ.",
        "Pick a unit, fill in its indicators, then “Save all changes”. You may switch units "
        "before saving: your changes are kept.",
    ),
    "entry.phone.none": (
        "Không có chỉ tiêu nào áp dụng cho đơn vị này.",
        "No indicator applies to this unit.",
    ),
    "entry.phone.empty": ("(để trống)", "(empty)"),
    "entry.phone.locked": (
        "Số liệu kỳ này đã khóa: chỉ xem, không sửa được.",
        "This period is locked: read only.",
    ),
    # Pillar pages: the value-entry panel
    "edit.clear": ("Xóa giá trị", "Clear the value"),
    "edit.clear_title": ("Xóa giá trị đã nhập?", "Clear this value?"),
    "edit.clear_body": (
        "{indicator} của {unit}, kỳ {period}: giá trị hiện tại {value} sẽ bị xóa. Đơn vị được "
        "tính là chưa báo cáo chỉ tiêu này cho đến khi nhập lại. Thao tác được ghi vào nhật ký.",
        "{indicator} of {unit}, {period}: the current value {value} is deleted. The unit counts "
        "as not reported for this indicator until a value is entered again. The change is "
        "recorded in the audit log.",
    ),
    "edit.cleared": (
        "Đã xóa {indicator} của {unit}, kỳ {period}.",
        "Cleared {indicator} of {unit}, {period}.",
    ),
    "edit.nothing_to_clear": (
        "Đơn vị này chưa có giá trị nào để xóa.",
        "This unit has no stored value to clear.",
    ),
    "edit.locked": (
        "Báo cáo kỳ {period} của {district} đang ở trạng thái “{status}”: số liệu kỳ này đã "
        "khóa, không sửa được cho đến khi Văn phòng Điều phối trả lại hoặc mở lại báo cáo.",
        "The {period} report of {district} is “{status}”: this period's figures are locked "
        "until the Coordination Office returns or reopens the report.",
    ),
    "edit.locked_admin": (
        "Báo cáo kỳ {period} của {district} đang ở trạng thái “{status}”. Bạn sửa với quyền "
        "Văn phòng Điều phối; thay đổi được ghi vào nhật ký.",
        "The {period} report of {district} is “{status}”. You edit it as the Coordination "
        "Office; the change is recorded in the audit log.",
    ),
}
