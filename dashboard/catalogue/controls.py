"""Names of the controls of Dash components that only know English (date pickers)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "controls.clear_dates": ("Xóa khoảng ngày", "Clear dates"),
    "controls.clear_date": ("Xóa ngày", "Clear date"),
    "controls.close_calendar": ("Đóng lịch", "Close calendar"),
    "controls.next_month": ("Tháng sau", "Next month"),
    "controls.previous_month": ("Tháng trước", "Previous month"),
    "controls.decrease": ("Giảm", "Decrease"),
    "controls.increase": ("Tăng", "Increase"),
}
