"""Accounts: the e-mail address used for notifications."""

MESSAGES: dict[str, tuple[str, str]] = {
    "admin.email": ("Thư điện tử (nhận thông báo)", "E-mail (for notifications)"),
    "admin.bad_email": (
        "Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@gialai.gov.vn).",
        "Not a valid e-mail address (e.g. name@gialai.gov.vn).",
    ),
}
