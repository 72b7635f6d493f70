"""Messages of the write rules: stale versions, concurrent changes, locks over time, unit
lifetimes."""

MESSAGES: dict[str, tuple[str, str]] = {
    "rules.conflict_by": (
        "{user} đã thay đổi dữ liệu này lúc {at}, sau khi bạn mở nó. Giá trị hiện tại: {current}. "
        "Chưa lưu gì; hãy xem lại giá trị hiện tại rồi nhập lại nếu cần.",
        "{user} changed this at {at}, after you opened it. It is now {current}. Nothing was saved.",
    ),
    "rules.conflict_deleted": (
        "Bản ghi đã bị người khác xóa. Chưa lưu gì; vui lòng tải lại.",
        "Someone else deleted the record. Nothing was saved; reload.",
    ),
    "rules.version_required": (
        "Thiếu phiên bản dữ liệu bạn đã xem; vui lòng tải lại trang rồi lưu lại.",
        "The version you saw is missing; reload the page and save again.",
    ),
    "rules.too_large": ("{field} quá lớn (tối đa {max}).", "{field} is too large (at most {max})."),
    "rules.control_characters": (
        "{field} chứa ký tự điều khiển không hợp lệ; hãy gõ lại hoặc dán dạng văn bản thuần.",
        "{field} contains control characters; retype it or paste plain text.",
    ),
    "rules.someone": ("người khác", "someone else"),
    "rules.before_unit": (
        "{field} ({date}) trước khi {unit} được thành lập ({start}).",
        "{field} ({date}) is before {unit} was created ({start}).",
    ),
    "rules.after_unit": (
        "{field} ({date}) sau khi {unit} không còn tồn tại (đến {end}); hãy ghi vào đơn vị mới.",
        "{field} ({date}) is after {unit} ceased to exist ({end}); use the new unit.",
    ),
}
