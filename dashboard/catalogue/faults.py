"""Messages of fault handling: the database or another dependency unavailable, malformed
requests, server errors."""

MESSAGES: dict[str, tuple[str, str]] = {
    "faults.db_down.title": (
        "Tạm thời không truy cập được cơ sở dữ liệu",
        "The database is temporarily unavailable",
    ),
    "faults.db_down.body": (
        "Hệ thống tạm thời không kết nối được cơ sở dữ liệu nên chưa thể hiển thị hoặc lưu dữ "
        "liệu. Không có dữ liệu nào bị thay đổi. Vui lòng thử lại sau ít phút; nếu lỗi kéo "
        "dài, hãy báo Văn phòng Điều phối NTM tỉnh.",
        "The database cannot be reached, so nothing can be shown or saved. Nothing was changed. "
        "Try again in a few minutes; if it lasts, tell the NTM Coordination Office.",
    ),
    "faults.server_error.title": ("Lỗi hệ thống", "Server error"),
    "faults.bad_request.title": ("Yêu cầu không hợp lệ", "Bad request"),
    "faults.forbidden.title": ("Không có quyền truy cập", "Access denied"),
    "faults.bad_json": (
        "Dữ liệu gửi lên không đúng định dạng JSON. Không có gì bị thay đổi.",
        "The request body is not valid JSON. Nothing was changed.",
    ),
    "faults.json_form": (
        "Biểu mẫu gửi lên không hợp lệ: mỗi trường phải là một chuỗi ký tự. Không có gì bị thay "
        "đổi.",
        "The form is malformed: every field must be a string. Nothing was changed.",
    ),
    "faults.csrf": (
        "Phiên biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Vui lòng tải lại trang rồi thử lại.",
        "The form expired or has no protection token. Reload the page and try again.",
    ),
    "faults.bad_callback": (
        "Yêu cầu cập nhật trang không hợp lệ ({part}). Không có gì bị thay đổi; vui lòng tải lại "
        "trang.",
        "The page update request is malformed ({part}). Nothing was changed; reload the page.",
    ),
    "faults.too_large": (
        "Dữ liệu gửi lên quá lớn (tối đa {mb} MB). Không có gì bị thay đổi.",
        "The request is too large (at most {mb} MB). Nothing was changed.",
    ),
    "faults.method_not_allowed": (
        "Địa chỉ này không hỗ trợ thao tác đã gửi.",
        "This address does not accept that method.",
    ),
    "faults.retry": ("Thử lại", "Try again"),
    "faults.status": ("Mã lỗi {code}", "Error {code}"),
}
