"""Messages of sessions, login hardening and the password policy (prefix `authsec.`)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "authsec.ended.idle": (
        "Phiên làm việc đã hết hạn vì không hoạt động quá {n} phút. Vui lòng đăng nhập lại.",
        "Your session ended after {n} minutes without activity. Please log in again.",
    ),
    "authsec.ended.expired": (
        "Phiên đăng nhập đã quá {n} giờ nên đã hết hạn. Vui lòng đăng nhập lại.",
        "Your session is older than {n} hours and has ended. Please log in again.",
    ),
    "authsec.ended.revoked": (
        "Phiên đăng nhập đã kết thúc (tài khoản đã đăng xuất hoặc vừa được thay đổi). "
        "Vui lòng đăng nhập lại.",
        "Your session has ended (the account logged out or was changed). Please log in again.",
    ),
    "authsec.pw.too_short": (
        "Mật khẩu cần ít nhất {n} ký tự.",
        "The password needs at least {n} characters.",
    ),
    "authsec.pw.too_long": (
        "Mật khẩu dài tối đa {n} ký tự.",
        "The password may have at most {n} characters.",
    ),
    "authsec.pw.common": (
        "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.",
        "This password is too common and easy to guess; choose another one.",
    ),
    "authsec.pw.contains_username": (
        "Mật khẩu không được trùng hoặc chứa tên đăng nhập.",
        "The password must not be or contain the username.",
    ),
    "authsec.pw.hint": (
        "Mật khẩu: ít nhất {n} ký tự, không phải mật khẩu phổ biến, không chứa tên đăng nhập.",
        "Password: at least {n} characters, not a common password, not containing the username.",
    ),
}
