"""Messages of the embed builder (`/quan-tri/nhung`) and of its service: signed embed links and
the settings of published charts."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Page
    "embed_admin.nav": ("Nhúng biểu đồ", "Embedded charts"),
    "embed_admin.title": (
        "Nhúng biểu đồ vào Cổng thông tin điện tử",
        "Embedding charts in portals",
    ),
    "embed_admin.intro": (
        "Chọn biểu đồ và tham số, xem trước ở các độ rộng của cổng thông tin, rồi sao chép mã "
        "nhúng. Biểu đồ nhúng chỉ hiển thị số liệu đã phê duyệt.",
        "Choose a chart and its parameters, preview it at portal widths, then copy the embed "
        "code. Embedded charts show approved figures only.",
    ),
    "embed_admin.builder": ("Tạo mã nhúng", "Build an embed"),
    "embed_admin.chart": ("Biểu đồ", "Chart"),
    "embed_admin.language": ("Ngôn ngữ hiển thị", "Language"),
    "embed_admin.lang.vi": ("Tiếng Việt", "Vietnamese"),
    "embed_admin.lang.en": ("Tiếng Anh", "English"),
    "embed_admin.kind": ("Loại liên kết", "Kind of link"),
    "embed_admin.kind.public": (
        "Công khai: ai cũng xem được, không hết hạn",
        "Public: anyone may view it, no expiry",
    ),
    "embed_admin.kind.signed": (
        "Có chữ ký: tham số cố định, có hạn dùng, thu hồi được",
        "Signed: fixed parameters, expiry, revocable",
    ),
    "embed_admin.label": ("Tên gợi nhớ", "Label"),
    "embed_admin.label_hint": (
        "Ví dụ: Cổng TTĐT tỉnh — trang Nông thôn mới (tối đa 200 ký tự).",
        "For example: provincial portal — new rural development page (at most 200 characters).",
    ),
    "embed_admin.expires_at": ("Hạn dùng đến hết ngày", "Valid until the end of"),
    "embed_admin.expires_hint": (
        "Liên kết ngừng hoạt động sau ngày này (giờ Việt Nam); tối đa 3 năm.",
        "The link stops working after this day (Vietnam time); at most 3 years.",
    ),
    "embed_admin.create": ("Tạo liên kết", "Create link"),
    "embed_admin.update": ("Lưu thay đổi", "Save changes"),
    "embed_admin.revoke": ("Thu hồi", "Revoke"),
    "embed_admin.new": ("Liên kết mới", "New link"),
    "embed_admin.no_link_chosen": (
        "Chưa chọn liên kết nào: nhấn “Tạo liên kết” hoặc chọn một liên kết trong danh sách.",
        "No link chosen: press “Create link” or choose one in the list.",
    ),
    "embed_admin.editing": (
        "Đang chọn liên kết số {id}: {label} ({status}).",
        "Link {id} chosen: {label} ({status}).",
    ),
    "embed_admin.created": (
        "Đã tạo liên kết số {id}; mã nhúng của liên kết đã sẵn sàng để sao chép.",
        "Link {id} created; its embed code is ready to copy.",
    ),
    "embed_admin.updated": (
        "Đã lưu liên kết số {id}. Hãy sao chép lại mã nhúng.",
        "Link {id} saved. Copy its embed code again.",
    ),
    "embed_admin.revoked": (
        "Đã thu hồi liên kết số {id}. Các liên kết khác vẫn hoạt động.",
        "Link {id} revoked. The other links keep working.",
    ),
    "embed_admin.revoke_confirm": (
        "Thu hồi liên kết “{label}”? Trang đang nhúng liên kết này sẽ ngừng hiển thị biểu đồ "
        "ngay và không thể khôi phục.",
        "Revoke the link “{label}”? Pages embedding it stop showing the chart at once; this "
        "cannot be undone.",
    ),
    "embed_admin.chart_fixed": (
        "Không đổi được biểu đồ của một liên kết đã tạo; hãy tạo liên kết mới.",
        "A link's chart cannot be changed; create a new link.",
    ),
    # Preview and snippet
    "embed_admin.preview": ("Xem trước", "Preview"),
    "embed_admin.portal_width": ("Độ rộng trên cổng:", "Portal width:"),
    "embed_admin.open_new_tab": ("Mở trong thẻ mới", "Open in a new tab"),
    "embed_admin.snippet": ("Mã nhúng", "Embed code"),
    "embed_admin.snippet_hint": (
        "Dán đoạn mã này vào trang của cổng thông tin. Tập lệnh đi kèm tự điều chỉnh chiều cao "
        "khung theo biểu đồ.",
        "Paste this code into the portal page. The script that comes with it fits the frame's "
        "height to the chart.",
    ),
    "embed_admin.copy": ("Sao chép", "Copy"),
    "embed_admin.copied": ("Đã sao chép.", "Copied."),
    "embed_admin.copy_failed": (
        "Trình duyệt không cho sao chép tự động; đoạn mã đã được chọn, hãy nhấn Ctrl+C.",
        "The browser does not allow copying; the code is selected, press Ctrl+C.",
    ),
    "embed_admin.copy_empty": ("Chưa có mã nhúng để sao chép.", "There is no embed code yet."),
    "embed_admin.url": ("Địa chỉ", "Address"),
    "embed_admin.note.create_first": (
        "Nhấn “Tạo liên kết” để nhận mã nhúng có chữ ký.",
        "Press “Create link” to get the signed embed code.",
    ),
    "embed_admin.note.private_no_preview": (
        "Biểu đồ này đang ở chế độ riêng tư: chỉ xem trước được sau khi tạo liên kết.",
        "This chart is private: it can be previewed once a link is created.",
    ),
    "embed_admin.note.private_public_refused": (
        "Biểu đồ này đang ở chế độ riêng tư: liên kết công khai sẽ bị từ chối. Hãy dùng liên kết "
        "có chữ ký.",
        "This chart is private: a public link is refused. Use a signed link.",
    ),
    "embed_admin.note.locked": (
        "Tham số bị khóa thay cho lựa chọn ở trên: {params}.",
        "Locked parameters replace the choice above: {params}.",
    ),
    "embed_admin.note.unsaved": (
        "Xem trước theo liên kết đã lưu; nhấn “Lưu thay đổi” để áp dụng các lựa chọn mới.",
        "The preview shows the saved link; press “Save changes” to apply the new choices.",
    ),
    "embed_admin.note.link_expired": (
        "Liên kết này đã hết hạn; chọn ngày mới rồi nhấn “Lưu thay đổi” để gia hạn.",
        "This link has expired; choose a new day and press “Save changes” to extend it.",
    ),
    "embed_admin.note.link_revoked": (
        "Liên kết này đã bị thu hồi và không dùng lại được; hãy tạo liên kết mới.",
        "This link is revoked for good; create a new link.",
    ),
    # Links table
    "embed_admin.links": ("Liên kết nhúng đã tạo", "Embed links"),
    "embed_admin.links_hint": (
        "Chọn một dòng để xem, sửa hoặc thu hồi liên kết.",
        "Choose a row to view, edit or revoke the link.",
    ),
    "embed_admin.col.chart": ("Biểu đồ", "Chart"),
    "embed_admin.col.label": ("Tên gợi nhớ", "Label"),
    "embed_admin.col.params": ("Tham số", "Parameters"),
    "embed_admin.col.created": ("Người tạo, lúc", "Created by, at"),
    "embed_admin.col.expires": ("Hết hạn", "Expires"),
    "embed_admin.col.status": ("Trạng thái", "Status"),
    "embed_admin.col.last_viewed": ("Xem lần cuối", "Last viewed"),
    "embed_admin.col.views": ("Lượt xem", "Views"),
    "embed_admin.col.chart_id": ("Mã biểu đồ", "Chart id"),
    "embed_admin.col.setting": ("Thiết lập", "Setting"),
    "embed_admin.col.updated": ("Cập nhật", "Updated"),
    "embed_admin.until": ("Hết ngày {date}", "End of {date}"),
    "embed_admin.status.active": ("Đang hiệu lực", "Active"),
    "embed_admin.status.expired": ("Hết hạn", "Expired"),
    "embed_admin.status.revoked": ("Đã thu hồi", "Revoked"),
    "embed_admin.params_default": (
        "Mặc định (kỳ mới nhất, toàn tỉnh)",
        "Defaults (latest period, whole province)",
    ),
    # Chart settings
    "embed_admin.settings": ("Thiết lập từng biểu đồ", "Chart settings"),
    "embed_admin.settings_hint": (
        "Áp dụng cho biểu đồ đang chọn ở trên. Chọn một dòng trong bảng để chuyển biểu đồ.",
        "Applies to the chart chosen above. Choose a row of the table to switch charts.",
    ),
    "embed_admin.private": ("Riêng tư", "Private"),
    "embed_admin.private_hint": (
        "Biểu đồ riêng tư chỉ hiển thị qua liên kết có chữ ký còn hiệu lực.",
        "A private chart is shown only through a valid signed link.",
    ),
    "embed_admin.private_on": ("Riêng tư", "Private"),
    "embed_admin.private_off": ("Công khai", "Public"),
    "embed_admin.lock": ("Khóa tham số của nhúng công khai", "Lock parameters of public embeds"),
    "embed_admin.lock_hint": (
        "Tham số bị khóa dùng giá trị đang chọn ở khung “Tạo mã nhúng”; địa chỉ nhúng không "
        "thay đổi được.",
        "A locked parameter takes the value chosen under “Build an embed”; the embed address "
        "cannot change it.",
    ),
    "embed_admin.locked": ("Khóa: {params}", "Locked: {params}"),
    "embed_admin.unlocked": ("Không khóa tham số", "No locked parameter"),
    "embed_admin.updated_by": ("cập nhật bởi {user} lúc {at}", "updated by {user} at {at}"),
    "embed_admin.save_chart": ("Lưu thiết lập", "Save setting"),
    "embed_admin.chart_saved": ("Đã lưu thiết lập của biểu đồ.", "The chart's setting is saved."),
    # Validation and conflicts
    "embed_admin.unknown_chart": ("Không tìm thấy biểu đồ này.", "Unknown chart."),
    "embed_admin.unknown_link": (
        "Không tìm thấy liên kết nhúng này.",
        "Unknown embed link.",
    ),
    "embed_admin.bad_params": ("Tham số không hợp lệ.", "Invalid parameters."),
    "embed_admin.param_not_read": (
        "Biểu đồ này không dùng tham số {param}.",
        "This chart does not read the parameter {param}.",
    ),
    "embed_admin.lock_needs_value": (
        "Hãy chọn một giá trị cụ thể cho {param} trước khi khóa.",
        "Choose a value for {param} before locking it.",
    ),
    "embed_admin.expiry_past": (
        "Hạn dùng phải là một ngày trong tương lai.",
        "The expiry must be in the future.",
    ),
    "embed_admin.expiry_too_far": (
        "Hạn dùng tối đa là {years} năm kể từ hôm nay.",
        "The expiry is at most {years} years from today.",
    ),
    "embed_admin.already_revoked": (
        "Liên kết này đã bị thu hồi; không sửa hay thu hồi lại được. Chưa lưu gì.",
        "This link is already revoked; it cannot be changed or revoked again. Nothing was saved.",
    ),
    "embed_admin.conflict_link": (
        "{user} đã thay đổi liên kết này lúc {at}, sau khi bạn mở nó (hiện: {status}). Chưa lưu "
        "gì; hãy chọn lại liên kết trong danh sách.",
        "{user} changed this link at {at}, after you opened it (now: {status}). Nothing was "
        "saved; choose the link again in the list.",
    ),
    "embed_admin.conflict_chart": (
        "{user} đã thay đổi thiết lập của biểu đồ này lúc {at}, sau khi bạn mở nó. Chưa lưu gì; "
        "hãy xem lại thiết lập hiện tại rồi lưu lại.",
        "{user} changed this chart's setting at {at}, after you opened it. Nothing was saved; "
        "look at the current setting and save again.",
    ),
    "embed_admin.conflict_chart_reset": (
        "Thiết lập của biểu đồ không còn như lúc bạn mở. Chưa lưu gì; hãy tải lại trang.",
        "The chart's setting is not as you opened it. Nothing was saved; reload the page.",
    ),
    # Audit trail (actions embed.revoke and embed.chart; create and update have general labels)
    "audit.action.revoke": ("Thu hồi liên kết nhúng", "Embed link revoked"),
    "audit.action.chart": ("Thiết lập biểu đồ nhúng", "Embedded chart setting"),
}
