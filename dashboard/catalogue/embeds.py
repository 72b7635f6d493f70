"""Messages of the embedded charts (`/nhung/<chart-id>`) and their signed links."""

MESSAGES: dict[str, tuple[str, str]] = {
    "embed.token.invalid": (
        "Liên kết nhúng không hợp lệ. Vui lòng dùng đúng liên kết do quản trị viên cung cấp.",
        "The embed link is not valid. Use the link exactly as the administrator gave it.",
    ),
    "embed.token.expired": (
        "Liên kết nhúng đã hết hạn. Vui lòng liên hệ quản trị viên để được cấp liên kết mới.",
        "The embed link has expired. Ask the administrator for a new link.",
    ),
    "embed.token.revoked": (
        "Liên kết nhúng đã bị thu hồi.",
        "The embed link has been revoked.",
    ),
    "embed.token.unknown": (
        "Liên kết nhúng không còn tồn tại.",
        "The embed link no longer exists.",
    ),
    "embed.token.wrong_chart": (
        "Liên kết nhúng này không dành cho biểu đồ này.",
        "This embed link is for another chart.",
    ),
    "embed.private": (
        "Biểu đồ này chỉ được xem qua liên kết nhúng do quản trị viên cấp.",
        "This chart can only be viewed through an embed link issued by an administrator.",
    ),
    "embed.denied.title": ("Không thể hiển thị biểu đồ", "The chart cannot be shown"),
    "embed.not_found.title": ("Không tìm thấy biểu đồ", "Chart not found"),
    "embed.not_found.body": (
        "Không có biểu đồ nhúng nào có mã “{chart}”.",
        "There is no embeddable chart with the id “{chart}”.",
    ),
    "embed.bad_request.title": ("Tham số không hợp lệ", "Invalid parameter"),
    "embed.bad_param": ("Tham số “{name}”: {message}", "Parameter “{name}”: {message}"),
    "embed.bad_value": (
        "Giá trị chỉ được gồm chữ cái không dấu, chữ số và các dấu . _ -",
        "The value may only hold unaccented letters, digits and . _ -",
    ),
    "embed.fault.title": ("Tạm thời không hiển thị được biểu đồ", "The chart is unavailable"),
    "embed.fault.body": (
        "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.",
        "The system has a problem. Please try again in a few minutes.",
    ),
    "embed.as_of.period": ("Kỳ báo cáo {period}", "Period {period}"),
    "embed.as_of.approved": ("phê duyệt lần cuối {at}", "last approved {at}"),
    "embed.as_of.not_approved": (
        "chưa có báo cáo nào được phê duyệt",
        "no report approved yet",
    ),
    "embed.as_of.updated": ("số liệu cập nhật {at}", "data updated {at}"),
    "embed.approved_only": (
        "Chỉ gồm số liệu đã được phê duyệt.",
        "Approved figures only.",
    ),
    "embed.full_view": ("Xem đầy đủ trên hệ thống giám sát", "Open the full dashboard"),
    "embed.source": (
        "Nguồn: Văn phòng Điều phối NTM tỉnh Gia Lai",
        "Source: Gia Lai NTM Coordination Office",
    ),
    "embed.no_script": (
        "Cần bật JavaScript để xem biểu đồ.",
        "JavaScript is needed to show the chart.",
    ),
}
