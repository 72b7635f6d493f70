"""Messages of the reporting round (deadlines, notifications, e-mail) and the audit log."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Reporting progress: deadlines
    "progress.days_late": ("Số ngày trễ", "Days late"),
    "progress.overdue": ("Quá hạn", "Overdue"),
    "progress.due_in": ("Chưa gửi, còn {days} ngày", "Not submitted, {days} days left"),
    "progress.due_today": ("Chưa gửi, hôm nay là hạn nộp", "Not submitted, due today"),
    "progress.summary_deadline": (
        "Hạn nộp {deadline} (tính đến ngày {today}): {overdue}/{total} {unit} quá hạn chưa gửi, "
        "{late}/{total} {unit} gửi trễ hạn.",
        "Deadline {deadline} (as of {today}): {overdue}/{total} {unit} overdue, "
        "{late}/{total} submitted late.",
    ),
    # Notifications
    "notify.title": ("Thông báo", "Notifications"),
    "notify.bell": ("Thông báo: không có thông báo mới", "Notifications: nothing new"),
    "notify.bell_unread": ("Thông báo: {count} chưa đọc", "Notifications: {count} unread"),
    "notify.none": ("Chưa có thông báo nào.", "No notifications yet."),
    "notify.mark_all": ("Đánh dấu tất cả đã đọc", "Mark all as read"),
    "notify.mark_read": ("Đánh dấu đã đọc", "Mark as read"),
    "notify.unread": ("Chưa đọc", "Unread"),
    "notify.open": ("Mở trang nhập liệu", "Open the data entry page"),
    "notify.close": ("Đóng", "Close"),
    "notify.submitted": (
        "{district} đã gửi báo cáo kỳ {period}, chờ phê duyệt.",
        "{district} submitted its {period} report for approval.",
    ),
    "notify.returned": (
        "Báo cáo kỳ {period} của {district} bị trả lại. Lý do: {reason}",
        "The {period} report of {district} was returned. Reason: {reason}",
    ),
    "notify.reopened": (
        "Báo cáo kỳ {period} của {district} được mở lại để chỉnh sửa. Lý do: {reason}",
        "The {period} report of {district} was reopened for changes. Reason: {reason}",
    ),
    "notify.approved": (
        "Báo cáo kỳ {period} của {district} đã được phê duyệt.",
        "The {period} report of {district} was approved.",
    ),
    "notify.deadline": (
        "Sắp đến hạn nộp báo cáo kỳ {period} ({deadline}): báo cáo của {district} chưa được gửi.",
        "The {period} report is due on {deadline}: {district} has not submitted it yet.",
    ),
    "notify.email_subject": (
        "[Chuyển đổi số NTM Gia Lai] {text}",
        "[Gia Lai NTM digital transformation] {text}",
    ),
    "notify.email_body": (
        "{text}\n\nXem trên hệ thống giám sát, trang: {link}\n\n"
        "Thư được gửi tự động, vui lòng không trả lời.",
        "{text}\n\nSee the monitoring system, page: {link}\n\n"
        "This message was sent automatically; please do not reply.",
    ),
    # Audit log: actions
    "audit.verb.value_set": ("Sửa giá trị", "Value changed"),
    "audit.verb.value_new": ("Nhập giá trị", "Value entered"),
    "audit.verb.value_clear": ("Xóa giá trị", "Value cleared"),
    "audit.verb.report_submit": ("Gửi báo cáo", "Report submitted"),
    "audit.verb.report_approve": ("Phê duyệt báo cáo", "Report approved"),
    "audit.verb.report_return": ("Trả lại báo cáo", "Report returned"),
    "audit.verb.report_reopen": ("Mở lại báo cáo", "Report reopened"),
    "audit.verb.user_create": ("Tạo tài khoản", "Account created"),
    "audit.verb.user_update": ("Sửa tài khoản", "Account changed"),
    "audit.verb.user_reset_password": ("Đặt lại mật khẩu", "Password reset"),
    "audit.verb.period_set": ("Cập nhật kỳ báo cáo, hạn nộp", "Period or deadline set"),
    "audit.verb.target_set": ("Cập nhật mục tiêu", "Target set"),
    "audit.verb.embed_create": ("Tạo liên kết nhúng", "Embed link created"),
    "audit.verb.embed_update": ("Sửa liên kết nhúng", "Embed link changed"),
    "audit.verb.embed_revoke": ("Thu hồi liên kết nhúng", "Embed link revoked"),
    "audit.verb.embed_chart": ("Thiết lập biểu đồ nhúng", "Embedded chart setting"),
    "audit.verb.row_create": ("Thêm bản ghi: {registry}", "Record added: {registry}"),
    "audit.verb.row_update": ("Sửa bản ghi: {registry}", "Record changed: {registry}"),
    "audit.verb.row_delete": ("Xóa bản ghi: {registry}", "Record deleted: {registry}"),
    "audit.verb.other": ("Thao tác khác ({action})", "Other action ({action})"),
    # Audit log: fields without a label elsewhere
    "audit.field.value_text": ("Giá trị (chữ)", "Value (text)"),
    "audit.field.source": ("Nguồn", "Source"),
    "audit.field.locked_params": ("Tham số bị khóa", "Locked parameters"),
    "audit.field.revoked_at": ("Thời điểm thu hồi", "Revoked at"),
    # Audit log page: filters and the detail of a change
    "audit.dates": ("Khoảng thời gian", "Dates"),
    "audit.from_date": ("Từ ngày", "From"),
    "audit.to_date": ("Đến ngày", "To"),
    "audit.detail.hint": (
        "Chọn một dòng (nhấp chuột, hoặc phím cách) để xem chi tiết trước → sau.",
        "Select a row (click, or the space bar) to see before → after.",
    ),
    "audit.detail.title": ("Chi tiết thay đổi", "Change details"),
    "audit.detail.field": ("Trường", "Field"),
    "audit.detail.changed": ("Đã thay đổi", "Changed"),
    "audit.detail.no_fields": ("Không có trường dữ liệu nào được ghi.", "No field recorded."),
    "audit.detail.not_found": ("Không tìm thấy dòng nhật ký này.", "No such audit entry."),
    "audit.detail.close": ("Đóng", "Close"),
}
