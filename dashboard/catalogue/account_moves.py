"""Messages of the account moves (`/quan-tri/chuyen-tai-khoan`, `services.account_moves`):
moving editor accounts of units that have ended to units of the new structure."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Page
    "account_moves.nav": ("Chuyển tài khoản", "Move accounts"),
    "account_moves.title": (
        "Chuyển tài khoản sang đơn vị theo mô hình chính quyền hai cấp",
        "Move accounts to the units of the two-tier structure",
    ),
    "account_moves.intro": (
        "Các tài khoản biên tập dưới đây phụ trách đơn vị không còn hiệu lực tại ngày đã chọn. "
        "Chọn đơn vị mới cho từng tài khoản (đơn vị kế thừa được đề xuất trước) hoặc ngừng hoạt "
        "động tài khoản không còn cần. Tài khoản giữ nguyên vai trò; số liệu các kỳ trước vẫn "
        "thuộc đơn vị cũ (số liệu 2021-2025 vẫn là của huyện).",
        "The editor accounts below are limited to units not in force on the chosen day. Choose "
        "each account's new unit (the heir is proposed first) or deactivate accounts no longer "
        "needed. Accounts keep their role; earlier records stay with the former unit (the "
        "2021-2025 records stay the district's).",
    ),
    "account_moves.on": ("Cơ cấu đơn vị tại ngày", "Units in force on"),
    "account_moves.col.username": ("Tài khoản", "Account"),
    "account_moves.col.full_name": ("Họ và tên", "Full name"),
    "account_moves.col.role": ("Vai trò", "Role"),
    "account_moves.col.old_unit": ("Đơn vị cũ", "Former unit"),
    "account_moves.col.target": ("Đơn vị mới (nhấn để chọn)", "New unit (click to choose)"),
    "account_moves.col.note": ("Ghi chú", "Note"),
    "account_moves.until": ("{unit}, đến {date}", "{unit}, until {date}"),
    "account_moves.note.heir": (
        "Đề xuất: đơn vị kế thừa số liệu",
        "Proposed: the unit that takes over the records",
    ),
    "account_moves.note.only": (
        "Đề xuất: đơn vị duy nhất nhận địa bàn",
        "Proposed: the only unit that took over the territory",
    ),
    "account_moves.note.choose": (
        "Cần chọn: địa bàn chuyển về {count} đơn vị",
        "Choose: the territory went to {count} units",
    ),
    "account_moves.note.none": (
        "Cần chọn: không có đơn vị kế thừa được ghi nhận",
        "Choose: no successor recorded",
    ),
    "account_moves.deactivate": ("— Ngừng hoạt động tài khoản —", "— Deactivate the account —"),
    "account_moves.move_selected": ("Chuyển các tài khoản đã chọn", "Move the selected accounts"),
    "account_moves.select_hint": (
        "Đánh dấu các tài khoản cần chuyển; các tài khoản có đề xuất rõ ràng đã được đánh dấu sẵn.",
        "Tick the accounts to move; those with an obvious proposal are ticked already.",
    ),
    "account_moves.none_left": (
        "Không có tài khoản nào phụ trách đơn vị hết hiệu lực tại ngày này.",
        "No account is limited to a unit that has ended by this day.",
    ),
    "account_moves.confirm_title": ("Xác nhận chuyển tài khoản", "Confirm the moves"),
    "account_moves.confirm_body": (
        "Các thay đổi sau được thực hiện cùng lúc; các tài khoản bị đăng xuất khỏi mọi phiên:",
        "These changes are made together; the accounts are logged out of every session:",
    ),
    "account_moves.confirm_ok": ("Chuyển", "Move"),
    "account_moves.cancel": ("Hủy", "Cancel"),
    "account_moves.done": (
        "Đã chuyển {moved} tài khoản, ngừng hoạt động {deactivated} tài khoản.",
        "{moved} accounts moved, {deactivated} deactivated.",
    ),
    # Service
    "account_moves.bad_on": (
        "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
        "Not a valid day (YYYY-MM-DD).",
    ),
    "account_moves.nothing_chosen": (
        "Chưa chọn tài khoản nào để chuyển.",
        "No account chosen to move.",
    ),
    "account_moves.bad_row": ("Dòng {row}: dữ liệu không hợp lệ.", "Row {row}: malformed."),
    "account_moves.duplicate": (
        "Dòng {row}: tài khoản {username} đã có ở dòng {first}.",
        "Row {row}: account {username} is already on row {first}.",
    ),
    "account_moves.unknown_user": (
        "Dòng {row}: không có tài khoản {username}.",
        "Row {row}: there is no account {username}.",
    ),
    "account_moves.not_scoped": (
        "Dòng {row}: tài khoản {username} ({role}) không gắn với đơn vị nào nên không chuyển được.",
        "Row {row}: account {username} ({role}) is not limited to a unit: nothing to move.",
    ),
    "account_moves.inactive": (
        "Dòng {row}: tài khoản {username} đã ngừng hoạt động.",
        "Row {row}: account {username} is deactivated.",
    ),
    "account_moves.no_unit": (
        "Dòng {row}: chưa chọn đơn vị mới cho tài khoản {username}.",
        "Row {row}: no new unit chosen for account {username}.",
    ),
    "account_moves.unknown_unit": (
        "Dòng {row}: tài khoản {username} — không có đơn vị mã {code} còn hiệu lực ngày {date} "
        "để tài khoản biên tập phụ trách.",
        "Row {row}: account {username} — no unit with code {code} that an editor can be limited "
        "to is in force on {date}.",
    ),
    "account_moves.same_unit": (
        "Dòng {row}: tài khoản {username} đã phụ trách {unit}.",
        "Row {row}: account {username} is already limited to {unit}.",
    ),
    # Audit log
    "audit.action.move_unit": ("Chuyển tài khoản sang đơn vị mới", "Account moved to a new unit"),
    "audit.action.deactivate": ("Ngừng hoạt động tài khoản", "Account deactivated"),
}
