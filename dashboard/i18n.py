"""The one translation mechanism: message catalogue, lookup, number formatting and the language
of each request.

User-facing text lives in `MESSAGES` (Vietnamese first, English beside it; more in the modules of
`dashboard.catalogue`) and is read with `_("key", **params)` in the request's language. Numbers
are formatted with Babel for that language: vi-VN `12.345,6`, en `12,345.6`.

The request's language (`flask.g.lang`, set by `init_app`) comes from the `lang` query parameter
(`vi` or `en`), else the `lang` cookie that `GET /ngon-ngu/<lang>?next=<path>` stores, else
Vietnamese. `python -m dashboard.i18n_tools check` lists keys used but missing and keys unused.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from numbers import Real
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import Blueprint, Flask, current_app, g, redirect, request
from markupsafe import escape

from dashboard.errors import ValidationError

LOCALE = "vi"
LANGUAGES = ("vi", "en")
LANG_PARAM = "lang"
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600  # one year
SWITCH_PREFIX = "/ngon-ngu/"
# Paths where a `lang` parameter applies to that answer only and is not remembered: embeds in
# other sites' pages, open data, Dash's own requests, files.
NOT_REMEMBERED_PREFIXES = ("/nhung/", "/api/", "/_dash", "/_reload-hash", "/assets/", "/xuat/")


def current_lang() -> str:
    """The language of the current request (`flask.g.lang`, set from the `lang` parameter or
    the user's choice), Vietnamese outside a request or when unset."""
    from flask import has_app_context

    if has_app_context():
        lang = g.get("lang")
        if lang in LANGUAGES:
            return lang
    return LOCALE


MESSAGES: dict[str, tuple[str, str]] = {
    # Application and navigation
    "app.title": (
        "Giám sát chuyển đổi số trong xây dựng NTM — Gia Lai",
        "NTM digital transformation monitor — Gia Lai",
    ),
    "app.brand": ("Chuyển đổi số NTM Gia Lai", "Gia Lai NTM digital transformation"),
    "nav.overview": ("Tổng quan", "Overview"),
    "nav.government": ("Chính quyền số", "Digital government"),
    "nav.economy": ("Kinh tế số", "Digital economy"),
    "nav.society": ("Xã hội số", "Digital society"),
    "nav.pilots": ("Mô hình thí điểm", "Pilot models"),
    "nav.training": ("Đào tạo, truyền thông", "Training & outreach"),
    "nav.entry": ("Nhập liệu", "Data entry"),
    "nav.group.reporting": ("Báo cáo", "Reporting"),
    "nav.group.admin": ("Quản trị", "Admin"),
    "nav.logout": ("Đăng xuất", "Log out"),
    "nav.signed_in_as": ("Đăng nhập: {user} ({role})", "Signed in: {user} ({role})"),
    "role.admin": ("Quản trị", "Administrator"),
    "role.viewer": ("Xem", "Viewer"),
    "role.editor": ("Biên tập {unit}", "Editor {unit}"),
    "role.approver": ("Phê duyệt (cấp tỉnh)", "Approver (province)"),
    "demo.banner": (
        "Dữ liệu minh họa (demo) — không phải số liệu chính thức.",
        "Demo data — not official figures.",
    ),
    # Login
    "login.title": ("Đăng nhập", "Log in"),
    "login.username": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Log in"),
    "login.failed": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."),
    "login.throttled": (
        "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau một phút.",
        "Too many failed logins. Try again in a minute.",
    ),
    "login.csrf": (
        "Phiên biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.",
        "The form expired. Reload the page and try again.",
    ),
    "login.field_required": ("Vui lòng nhập {field}.", "Please enter {field}."),
    "logout.done": ("Bạn đã đăng xuất.", "You are logged out."),
    # Errors
    "error.404.title": ("Không tìm thấy trang", "Page not found"),
    "error.404.body": ("Trang bạn yêu cầu không tồn tại.", "The page does not exist."),
    "error.back_home": ("Về trang tổng quan", "Back to the overview"),
    "error.403": ("Bạn không có quyền thực hiện thao tác này.", "You may not do this."),
    "error.500": ("Đã xảy ra lỗi hệ thống. Vui lòng thử lại.", "A server error occurred."),
    "error.bad_request": ("Yêu cầu không hợp lệ.", "Bad request."),
    # Levels and kinds
    "level.province": ("Cấp tỉnh", "Province"),
    "level.district": ("Cấp huyện", "District"),
    "level.commune": ("Cấp xã", "Commune"),
    "level.commune+district": ("Cấp xã và cấp huyện", "Communes and districts"),
    "kind.tinh": ("Tỉnh", "Province"),
    "kind.thanh_pho": ("Thành phố", "City"),
    "kind.thi_xa": ("Thị xã", "Town"),
    "kind.huyen": ("Huyện", "District"),
    "kind.xa": ("Xã", "Rural commune"),
    "kind.phuong": ("Phường", "Ward"),
    "kind.thi_tran": ("Thị trấn", "Township"),
    # Pillars
    "pillar.government": ("Chính quyền số", "Digital government"),
    "pillar.economy": ("Kinh tế số", "Digital economy"),
    "pillar.society": ("Xã hội số", "Digital society"),
    "pillar.pilot": ("Mô hình thí điểm", "Pilot models"),
    "pillar.government.intro": (
        "Hồ sơ công việc xử lý trên môi trường mạng, ứng dụng CNTT và dịch vụ công trực tuyến "
        "theo Bộ tiêu chí xã, huyện NTM.",
        "Dossiers processed online, IT use and online public services under the NTM criteria.",
    ),
    "pillar.economy.intro": (
        "Hợp tác xã, mô hình liên kết sản xuất gắn với tiêu thụ nông sản chủ lực và ứng dụng "
        "công nghệ số.",
        "Cooperatives, production-linkage models and digital technology.",
    ),
    "pillar.society.intro": (
        "Đơn vị cấp xã, huyện cung cấp ít nhất một dịch vụ số thiết yếu.",
        "Communes and districts providing at least one essential digital service.",
    ),
    # Filters and common labels
    "filter.period": ("Kỳ báo cáo", "Period"),
    "filter.district": ("Đơn vị báo cáo", "Reporting unit"),
    "filter.indicator": ("Chỉ tiêu", "Indicator"),
    "common.loading": ("Đang tải…", "Loading…"),
    "common.none": ("Chưa có dữ liệu", "No data"),
    "common.target": ("Mục tiêu", "Target"),
    "common.current": ("Hiện tại", "Current"),
    "common.gap": ("So với mục tiêu", "Against the target"),
    "common.gap_reached": ("Đã đạt mục tiêu", "Target reached"),
    "common.points": ("Còn thiếu {value} điểm phần trăm", "{value} percentage points short"),
    "common.projection": ("Dự báo {year}", "Projected {year}"),
    "common.on_track": ("Đúng tiến độ", "On track"),
    "common.off_track": ("Chậm tiến độ", "Off track"),
    "common.no_projection": ("Chưa đủ số liệu để dự báo", "Not enough data to project"),
    "common.no_target": ("Không có mục tiêu định lượng", "No numeric target"),
    "common.records": ("Xem bản ghi", "Show records"),
    "common.download_csv": ("Tải CSV", "Download CSV"),
    "common.download_xlsx": ("Tải Excel", "Download Excel"),
    "common.link": ("Liên kết đến chế độ xem này", "Link to this view"),
    "common.yes": ("Đạt", "Met"),
    "common.no": ("Không đạt", "Not met"),
    "common.save": ("Lưu", "Save"),
    "common.optional": ("không bắt buộc", "optional"),
    "common.add": ("Thêm", "Add"),
    "common.delete": ("Xóa", "Delete"),
    "common.saved": ("Đã lưu.", "Saved."),
    "common.deleted": ("Đã xóa.", "Deleted."),
    "common.legal_basis": ("Căn cứ", "Legal basis"),
    "common.level": ("Cấp", "Level"),
    "common.value": ("Giá trị", "Value"),
    "common.status": ("Trạng thái", "Status"),
    "common.updated_by": ("Người cập nhật", "Updated by"),
    "common.updated_at": ("Thời điểm cập nhật", "Updated at"),
    "common.unit": ("Đơn vị", "Unit"),
    "common.district": ("Huyện", "District"),
    "common.kind": ("Loại", "Kind"),
    "common.code": ("Mã", "Code"),
    "common.numerator": ("Tử số", "Numerator"),
    "common.denominator": ("Mẫu số", "Denominator"),
    "common.met_total": ("Đạt/Tổng", "Met/Total"),
    "common.year": ("Năm", "Year"),
    # Overview
    "overview.title": (
        "Tổng quan chương trình chuyển đổi số trong xây dựng NTM",
        "Programme overview",
    ),
    "overview.intro": (
        "Giá trị của kỳ báo cáo so với mục tiêu của tỉnh, của từng huyện hoặc xã, theo chương "
        "trình của kỳ.",
        "The period's values against the targets of the province, or of each district or "
        "commune, in the period's programme.",
    ),
    "overview.trend": ("Xu hướng", "Trend"),
    "overview.trend_years": ("Xu hướng {years}", "Trend {years}"),
    "overview.ranking": ("Xếp hạng", "Ranking"),
    "overview.ranking_of": ("Xếp hạng các {units}", "Ranking of the {units}"),
    "overview.map": ("Bản đồ", "Map"),
    "overview.map_of": ("Bản đồ các {units}", "Map of the {units}"),
    "overview.map_attribution": (
        'Ranh giới huyện: Open Development Vietnam / Open Development Mekong, "Địa phận huyện" '
        "(nguồn: Cục Đo đạc và Bản đồ Việt Nam), CC BY-SA 4.0. Đã chỉnh sửa: chỉ Gia Lai, thay "
        "thuộc tính, làm tròn tọa độ.",
        "District boundaries: Open Development Vietnam / Open Development Mekong, CC BY-SA 4.0.",
    ),
    # Pillar pages
    "pillar.summary": ("Các chỉ tiêu và mục tiêu", "Indicators and targets"),
    "pillar.by_district": ("Theo đơn vị báo cáo", "By reporting unit"),
    "pillar.by_units": ("Theo {units}", "By {units}"),
    "pillar.trend": ("Xu hướng theo kỳ", "Trend over periods"),
    "pillar.records": ("Bản ghi nguồn", "Source records"),
    "pillar.records_hint": (
        "Các bản ghi tạo nên số liệu đang chọn.",
        "The records behind the selected figure.",
    ),
    "pillar.drill_hint": (
        "Chọn một đơn vị (hoặc nhấp vào cột) để xem các bản ghi của đơn vị đó.",
        "Pick a unit (or click a bar) to see its records.",
    ),
    "chart.target_line": ("Mục tiêu {value}", "Target {value}"),
    "chart.province": ("Toàn tỉnh", "Province"),
    # Editing
    "edit.title": ("Cập nhật số liệu", "Update a value"),
    "edit.scope": (
        "Phạm vi được cập nhật: {unit} và các xã trực thuộc.",
        "You may update: {unit} and its communes.",
    ),
    "edit.scope_all": ("Phạm vi được cập nhật: toàn tỉnh.", "You may update: whole province."),
    "edit.unit": ("Đơn vị", "Unit"),
    "edit.value_bool": ("Kết quả", "Result"),
    "edit.value_num": ("Giá trị (số)", "Value (number)"),
    "edit.numerator": ("Số hồ sơ xử lý trên môi trường mạng", "Dossiers processed online"),
    "edit.denominator": ("Tổng số hồ sơ", "Total dossiers"),
    "edit.saved": (
        "Đã lưu {indicator} của {unit}, kỳ {period}.",
        "Saved {indicator} for {unit}, period {period}.",
    ),
    "registry.title": ("Sổ theo dõi", "Registry"),
    "registry.add_title": ("Thêm bản ghi", "Add a record"),
    "registry.delete_hint": (
        "Chọn một dòng trong bảng rồi nhấn Xóa.",
        "Select a row, then Delete.",
    ),
    "registry.none_selected": ("Chưa chọn dòng nào để xóa.", "No row selected."),
    # Validation messages
    "validation.required": ("Vui lòng nhập {field}.", "{field} is required."),
    "validation.not_number": ("{field} phải là số.", "{field} must be a number."),
    "validation.not_integer": ("{field} phải là số nguyên.", "{field} must be a whole number."),
    "validation.negative": ("{field} không được âm.", "{field} cannot be negative."),
    "validation.numerator_gt_denominator": (
        "Số hồ sơ xử lý trên môi trường mạng không được lớn hơn tổng số hồ sơ.",
        "Online dossiers cannot exceed total dossiers.",
    ),
    "validation.share_over_100": ("Tỷ lệ không được vượt quá 100%.", "A share cannot exceed 100%."),
    "validation.unknown_unit": ("Không tìm thấy đơn vị hành chính này.", "Unknown unit."),
    "validation.unknown_indicator": ("Không tìm thấy chỉ tiêu này.", "Unknown indicator."),
    "validation.unknown_period": (
        "Kỳ báo cáo không thuộc chương trình (2021-2025).",
        "The period is outside the programme (2021-2025).",
    ),
    "validation.unit_not_valid": (
        "Đơn vị không tồn tại trong kỳ báo cáo này.",
        "The unit did not exist in this period.",
    ),
    "validation.wrong_level": (
        "Chỉ tiêu này không thu thập ở cấp của đơn vị đã chọn.",
        "This indicator is not collected at the unit's level.",
    ),
    "validation.not_editable": (
        "Chỉ tiêu này được tính từ sổ theo dõi, không nhập trực tiếp.",
        "This indicator is computed from a registry.",
    ),
    "validation.bad_choice": ("Giá trị của {field} không hợp lệ.", "Invalid {field}."),
    "validation.bad_date": ("{field} phải là ngày hợp lệ (YYYY-MM-DD).", "{field}: invalid date."),
    "validation.date_order": ("Ngày kết thúc phải sau ngày bắt đầu.", "End must follow start."),
    "validation.too_long": (
        "{field} quá dài (tối đa {max} ký tự).",
        "{field} is too long (at most {max} characters).",
    ),
    "validation.unknown_registry": ("Không tìm thấy sổ theo dõi này.", "Unknown registry."),
    "validation.unknown_row": ("Không tìm thấy bản ghi.", "Unknown record."),
    "validation.conflict": (
        "Bản ghi đã được người khác thay đổi. Vui lòng tải lại.",
        "Someone else changed the record. Reload.",
    ),
    "validation.indicator_not_in_force": (
        "Chỉ tiêu này không áp dụng cho kỳ {period} (ngoài thời gian hiệu lực của chỉ tiêu).",
        "This indicator does not apply to period {period} (outside its validity).",
    ),
    "auth.forbidden_unit": (
        "Bạn không có quyền cập nhật số liệu của {unit}.",
        "You may not change the records of {unit}.",
    ),
    "auth.scope_ended": (
        "Tài khoản phụ trách {unit}, đơn vị này chỉ tồn tại đến {date}: không thể cập nhật số "
        "liệu sau ngày đó. Đề nghị Văn phòng Điều phối chuyển tài khoản sang đơn vị mới.",
        "This account is for {unit}, which existed until {date}: it cannot change records "
        "after that day. Ask the Coordination Office to move the account to a current unit.",
    ),
    "auth.read_only": ("Tài khoản chỉ có quyền xem.", "This account is read-only."),
    "auth.not_logged_in": (
        "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
        "Your session expired. Log in again.",
    ),
    # Reporting workflow
    "status.draft": ("Đang nhập", "Draft"),
    "status.submitted": ("Đã gửi", "Submitted"),
    "status.returned": ("Bị trả lại", "Returned"),
    "status.approved": ("Đã phê duyệt", "Approved"),
    "workflow.action.submit": ("gửi báo cáo", "submit"),
    "workflow.action.approve": ("phê duyệt", "approve"),
    "workflow.action.return": ("trả lại", "return"),
    "workflow.action.reopen": ("mở lại", "reopen"),
    "workflow.locked": (
        "Báo cáo kỳ {period} của {district} {status}: số liệu đã khóa, không thể sửa.",
        "The {period} report of {district} is {status}: its records are locked.",
    ),
    "workflow.reason": ("Lý do", "Reason"),
    "workflow.reason_required": ("Vui lòng nêu lý do.", "A reason is required."),
    "workflow.bad_transition": (
        'Không thể {action} khi báo cáo đang ở trạng thái "{current}".',
        "Cannot {action} a report that is {current}.",
    ),
    "workflow.changed": (
        'Trạng thái báo cáo vừa được người khác thay đổi (hiện là "{status}"). Vui lòng tải lại.',
        "Someone else changed the report (now {status}). Reload.",
    ),
    "workflow.done.submit": ("Đã gửi báo cáo kỳ {period}.", "Report for {period} submitted."),
    "workflow.done.approve": ("Đã phê duyệt báo cáo.", "Report approved."),
    "workflow.done.return": ("Đã trả lại báo cáo.", "Report returned."),
    "workflow.done.reopen": ("Đã mở lại báo cáo.", "Report reopened."),
    "workflow.on_time": ("Đúng hạn", "On time"),
    "workflow.late": ("Trễ hạn", "Late"),
    "workflow.not_submitted": ("Chưa gửi", "Not submitted"),
    # Data entry page
    "entry.title": ("Nhập liệu báo cáo kỳ", "Period data entry"),
    "entry.intro": (
        "Nhập hoặc sửa số liệu của đơn vị báo cáo — huyện và các xã trực thuộc (2021-2025), "
        "hoặc xã, phường (từ 1/7/2025) — rồi gửi báo cáo cho Văn phòng Điều phối NTM tỉnh phê "
        "duyệt.",
        "Enter or correct the figures of the reporting unit — a district and its communes "
        "(2021-2025), or a commune or ward (from 1/7/2025) — then submit the report.",
    ),
    "entry.report": ("Báo cáo của đơn vị", "The unit's report"),
    "entry.status_line": (
        "Trạng thái: {status}. Hạn nộp: {deadline}.",
        "Status: {status}. Deadline: {deadline}.",
    ),
    "entry.submitted_line": (
        "Gửi lúc {at} bởi {user} ({timing}).",
        "Submitted {at} by {user} ({timing}).",
    ),
    "entry.reason_line": ("Lý do: {reason}", "Reason: {reason}"),
    "entry.locked": (
        "Báo cáo đã gửi hoặc đã phê duyệt: số liệu kỳ này đã khóa.",
        "Submitted or approved: this period is locked.",
    ),
    "entry.submit": ("Gửi báo cáo", "Submit"),
    "entry.approve": ("Phê duyệt", "Approve"),
    "entry.return": ("Trả lại", "Return"),
    "entry.reopen": ("Mở lại", "Reopen"),
    "entry.reason_placeholder": ("Lý do trả lại / mở lại", "Reason to return or reopen"),
    "entry.tab_grid": ("Nhập theo bảng", "Grid"),
    "entry.tab_excel": ("Nhập bằng Excel", "Excel"),
    "entry.tab_registries": ("Sổ theo dõi", "Registries"),
    "entry.grid_help": (
        "Nhấp vào ô để sửa. Ô màu vàng là thay đổi chưa lưu, ô viền đỏ có lỗi (di chuột để xem). "
        "Ô xám không áp dụng cho đơn vị. Nút Lưu ghi tất cả thay đổi cùng lúc, hoặc không ghi gì "
        "nếu còn lỗi.",
        "Click a cell to edit. Yellow: unsaved; red: error; grey: not applicable.",
    ),
    "entry.changes": ("{count} ô thay đổi chưa lưu.", "{count} unsaved changes."),
    "entry.no_changes": ("Không có thay đổi chưa lưu.", "No unsaved changes."),
    "entry.save_all": ("Lưu tất cả thay đổi", "Save all changes"),
    "entry.discard": ("Hủy thay đổi", "Discard changes"),
    "entry.saved": (
        "Đã lưu {written} giá trị ({unchanged} không đổi).",
        "Saved {written} values ({unchanged} unchanged).",
    ),
    "entry.nothing_to_save": ("Không có gì để lưu.", "Nothing to save."),
    "entry.errors": (
        "Không lưu: {count} ô có lỗi. Sửa các ô được đánh dấu rồi lưu lại.",
        "Not saved: {count} cells have errors.",
    ),
    "entry.excel_help": (
        "Tải mẫu Excel đã điền sẵn số liệu hiện có của đơn vị, nhập trong Excel rồi tải lên. Tệp "
        "được kiểm tra toàn bộ: nếu có lỗi, không giá trị nào được lưu và mọi lỗi được liệt kê.",
        "Download the prefilled template, fill it in Excel, upload it.",
    ),
    "entry.download_template": ("Tải mẫu Excel", "Download the Excel template"),
    "entry.upload_drop": ("Kéo thả tệp .xlsx vào đây hoặc ", "Drop an .xlsx file here or "),
    "entry.upload_pick": ("chọn tệp", "pick a file"),
    "entry.uploaded": (
        "Đã nhập tệp {name}: {written} giá trị được ghi, {unchanged} không đổi.",
        "Imported {name}: {written} written, {unchanged} unchanged.",
    ),
    "entry.upload_refused": (
        "Không nhập tệp {name}: {count} lỗi.",
        "File {name} refused: {count} errors.",
    ),
    "entry.sheet": ("Trang tính", "Sheet"),
    "entry.row": ("Dòng", "Row"),
    "entry.column": ("Cột", "Column"),
    "entry.reason": ("Lý do", "Reason"),
    # Completeness and audit pages
    "nav.progress": ("Tiến độ báo cáo", "Reporting progress"),
    "nav.audit": ("Nhật ký", "Audit log"),
    "progress.title": ("Tiến độ báo cáo của các đơn vị", "Reporting progress by unit"),
    "progress.intro": (
        "Trạng thái báo cáo của từng đơn vị báo cáo trong kỳ (huyện đến 30/6/2025; xã, phường "
        "từ 1/7/2025), gửi đúng hạn hay trễ hạn, và tỷ lệ số liệu đã nhập so với số liệu cần "
        "báo cáo.",
        "Each reporting unit's status in the period (districts to 30/6/2025; communes and wards "
        "from 1/7/2025), timeliness and share of expected values filled.",
    ),
    "progress.summary": (
        "Kỳ {period}: {submitted}/{total} {unit} đã gửi, {approved}/{total} đã phê duyệt; "
        "đã nhập {filled} giá trị cần báo cáo.",
        "{period}: {submitted}/{total} {unit} submitted, {approved}/{total} approved; "
        "{filled} filled.",
    ),
    "progress.filled": ("Đã nhập", "Filled"),
    "progress.submitted_at": ("Thời điểm gửi", "Submitted at"),
    "progress.timing": ("Đúng hạn / trễ hạn", "On time / late"),
    "audit.title": ("Nhật ký thay đổi", "Audit log"),
    "audit.intro": (
        "Mọi thay đổi số liệu, sổ theo dõi và trạng thái báo cáo: ai, khi nào, đơn vị, "
        "trước → sau.",
        "Every change: who, when, unit, before → after.",
    ),
    "audit.at": ("Thời điểm", "When"),
    "audit.user": ("Người thực hiện", "User"),
    "audit.action": ("Thao tác", "Action"),
    "audit.before": ("Trước", "Before"),
    "audit.after": ("Sau", "After"),
    "audit.all_users": ("Tất cả người dùng", "All users"),
    "audit.all_units": ("Tất cả đơn vị", "All units"),
    "audit.all_indicators": ("Tất cả chỉ tiêu", "All indicators"),
    "audit.count": ("{count} dòng (tối đa {limit}).", "{count} rows (at most {limit})."),
    "audit.action.set": ("Cập nhật giá trị", "Value set"),
    "audit.action.create": ("Thêm bản ghi", "Row added"),
    "audit.action.update": ("Sửa bản ghi", "Row changed"),
    "audit.action.delete": ("Xóa bản ghi", "Row deleted"),
    "audit.action.submit": ("Gửi báo cáo", "Report submitted"),
    "audit.action.approve": ("Phê duyệt báo cáo", "Report approved"),
    "audit.action.return": ("Trả lại báo cáo", "Report returned"),
    "audit.action.reopen": ("Mở lại báo cáo", "Report reopened"),
    "audit.action.user": ("Quản trị người dùng", "User administration"),
    # Administration
    "nav.admin": ("Quản trị", "Administration"),
    "admin.title": ("Quản trị hệ thống", "Administration"),
    "admin.users": ("Người dùng", "Users"),
    "admin.periods": ("Kỳ báo cáo và hạn nộp", "Periods and deadlines"),
    "admin.targets": ("Mục tiêu", "Targets"),
    "admin.username": ("Tên đăng nhập", "Username"),
    "admin.full_name": ("Họ tên, đơn vị", "Full name"),
    "admin.role": ("Vai trò", "Role"),
    "admin.scope": ("Phạm vi (huyện)", "Scope (district)"),
    "admin.active": ("Đang hoạt động", "Active"),
    "admin.last_login": ("Đăng nhập lần cuối", "Last login"),
    "admin.password": ("Mật khẩu mới", "New password"),
    "admin.kind": ("Loại kỳ", "Period kind"),
    "admin.deadline": ("Hạn nộp", "Deadline"),
    "admin.code": ("Mã kỳ", "Period code"),
    "admin.create_user": ("Tạo người dùng", "Create user"),
    "admin.update_user": ("Lưu thay đổi", "Save changes"),
    "admin.reset_password": ("Đặt lại mật khẩu", "Reset password"),
    "admin.save_period": ("Lưu kỳ / hạn nộp", "Save period"),
    "admin.save_target": ("Lưu mục tiêu", "Save target"),
    "admin.select_user_hint": ("Chọn một dòng để sửa người dùng đó.", "Select a row to edit."),
    "admin.bad_username": (
        "Tên đăng nhập gồm 3-64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang.",
        "Usernames are 3-64 lowercase letters, digits, dots or dashes.",
    ),
    "admin.username_taken": ("Tên đăng nhập đã tồn tại.", "Username taken."),
    "admin.editor_needs_district": (
        "Tài khoản biên tập cần chọn huyện.",
        "Editors need a district.",
    ),
    "admin.unknown_user": ("Không tìm thấy người dùng.", "Unknown user."),
    "admin.not_yourself": (
        "Không thể tự hạ quyền hoặc khóa tài khoản của chính mình.",
        "You cannot demote or deactivate yourself.",
    ),
    "admin.period_outside_programmes": (
        "Kỳ báo cáo phải nằm trọn trong thời gian của một chương trình (2021-2025 hoặc 2026-2035).",
        "A period must lie within one programme (2021-2025 or 2026-2035).",
    ),
    "admin.period_level_ended": (
        "Kỳ này bắt đầu sau khi {level} kết thúc ({date}): không còn đơn vị nào báo cáo.",
        "This period starts after the {level} level ended ({date}): no unit would report.",
    ),
    "admin.bad_period_code": (
        "Mã kỳ dạng 2024, 2024-H1 hoặc 2024-Q3.",
        "Period codes look like 2024, 2024-H1, 2024-Q3.",
    ),
    "admin.deadline_before_end": (
        "Hạn nộp phải sau ngày kết thúc kỳ.",
        "The deadline must follow the period's end.",
    ),
    "admin.target_source": ("Văn phòng Điều phối NTM tỉnh cập nhật", "Set by the province office"),
    "admin.done": ("Đã lưu.", "Saved."),
    "period_kind.year": ("Năm", "Year"),
    "period_kind.half": ("6 tháng", "Half-year"),
    "period_kind.quarter": ("Quý", "Quarter"),
    # Excel template and upload
    "excel.title": (
        "{district} — số liệu chỉ tiêu chuyển đổi số trong xây dựng NTM, kỳ {period}",
        "{district} — NTM digital transformation indicator values, period {period}",
    ),
    "excel.code_row": ("Mã chỉ tiêu", "Indicator code"),
    "excel.row": ("dòng {row}", "row {row}"),
    "excel.col.numerator_dossier": ("{name}: số hồ sơ trên mạng", "{name}: dossiers online"),
    "excel.col.denominator_dossier": ("{name}: tổng số hồ sơ", "{name}: total dossiers"),
    "excel.col.numerator": ("{name}: tử số", "{name}: numerator"),
    "excel.col.denominator": ("{name}: mẫu số", "{name}: denominator"),
    "excel.dv.bool": ("Chọn Đạt hoặc Không đạt.", "Pick Đạt (met) or Không đạt (not met)."),
    "excel.dv.whole": ("Nhập số nguyên không âm.", "Enter a whole number, 0 or more."),
    "excel.dv.text": ("Tối đa 200 ký tự.", "At most 200 characters."),
    "excel.dv.title": ("Giá trị không hợp lệ", "Invalid value"),
    "excel.help.title": ("Hướng dẫn nhập số liệu", "How to fill in this template"),
    "excel.help.1": (
        "1. Nhập số liệu vào trang “Số liệu”: mỗi dòng là một đơn vị (huyện và các xã, phường, "
        "thị trấn trực thuộc), mỗi cột là một chỉ tiêu.",
        "1. Enter values on the “Số liệu” sheet: one row per unit, one column per indicator.",
    ),
    "excel.help.2": (
        "2. Ô màu xám là chỉ tiêu không áp dụng cho đơn vị đó và không nhập được.",
        "2. Grey cells do not apply to the unit and cannot be filled in.",
    ),
    "excel.help.3": (
        "3. Chỉ tiêu Đạt/Không đạt: chọn trong danh sách. Hồ sơ, số người: nhập số nguyên "
        "không âm; số trên mạng không được lớn hơn tổng số.",
        "3. Met/not met: pick from the list. Counts: whole numbers ≥ 0; the online count "
        "cannot exceed the total.",
    ),
    "excel.help.4": (
        "4. Mẫu đã điền sẵn số liệu hiện có. Ô để trống được bỏ qua (không xóa số liệu đã có); "
        "ô giữ nguyên như lúc tải mẫu không ghi đè thay đổi của người khác.",
        "4. The template is prefilled. Empty cells are skipped (nothing is deleted); cells left "
        "as downloaded do not overwrite changes made by others since.",
    ),
    "excel.help.6": (
        "6. Tải tệp lên tại trang cập nhật số liệu. Tệp có lỗi sẽ không được nhập ô nào; danh "
        "sách lỗi ghi rõ trang, dòng, cột cần sửa.",
        "6. Upload the file on the update page. A file with any error is not imported at all; "
        "the error list names the sheet, row and column to fix.",
    ),
    "excel.help.meta": (
        "Mẫu {version} — {district}, kỳ {period}, tạo lúc {created}.",
        "Template {version} — {district}, period {period}, created {created}.",
    ),
    "excel.error.too_large": (
        "Tệp có dung lượng {size} MB, vượt quá giới hạn {limit} MB.",
        "The file is {size} MB, above the {limit} MB limit.",
    ),
    "excel.error.not_xlsx": (
        "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ. Hãy dùng mẫu tải từ hệ thống và lưu "
        "ở định dạng .xlsx.",
        "The file is not a valid Excel workbook (.xlsx). Use the downloaded template, saved as "
        ".xlsx.",
    ),
    "excel.error.no_meta": (
        "Tệp không phải mẫu nhập liệu của hệ thống hoặc là mẫu cũ (thiếu trang _mau). Hãy tải "
        "mẫu mới.",
        "The file is not this system's template, or an old one (no _mau sheet). Download a new "
        "template.",
    ),
    "excel.error.bad_version": (
        "Mẫu nhập liệu phiên bản “{found}” không được hỗ trợ (phiên bản hiện tại: {expected}). "
        "Hãy tải mẫu mới.",
        "Template version “{found}” is not supported (current: {expected}). Download a new "
        "template.",
    ),
    "excel.error.bad_meta": (
        "Trang _mau của mẫu bị hỏng hoặc đã bị sửa. Hãy tải mẫu mới.",
        "The template's _mau sheet is damaged or was edited. Download a new template.",
    ),
    "excel.error.no_sheet": (
        "Không tìm thấy trang “{sheet}” trong tệp.",
        "The file has no “{sheet}” sheet.",
    ),
    "excel.error.unit_mismatch": (
        "Mã đơn vị “{found}” không khớp với mẫu (dòng này dành cho {expected} — {name}). Không "
        "sửa cột mã và tên đơn vị.",
        "Unit code “{found}” does not match the template (this row is for {expected} — "
        "{name}). Do not change unit codes or names.",
    ),
    "excel.error.unit_other_district": (
        "Mã đơn vị {found} là {name}, không thuộc {district}. Mỗi tệp chỉ nhập số liệu của "
        "một huyện.",
        "Unit code {found} is {name}, not part of {district}. A file holds one district.",
    ),
    "excel.error.unit_unknown_code": (
        "Không tìm thấy đơn vị có mã “{found}”.",
        "No unit has the code “{found}”.",
    ),
    "excel.error.row_not_in_district": (
        "Đơn vị của dòng này không thuộc {district} trong kỳ {period}.",
        "This row's unit is not part of {district} in period {period}.",
    ),
    "excel.error.extra_row": (
        "Dòng này không có trong mẫu; hãy xóa số liệu ở dòng này (không thêm dòng vào mẫu).",
        "This row is not in the template; remove its contents (do not add rows).",
    ),
    "excel.error.extra_column": (
        "Cột này không có trong mẫu; hãy xóa số liệu ở cột này (không thêm cột vào mẫu).",
        "This column is not in the template; remove its contents (do not add columns).",
    ),
    "excel.error.column_mismatch": (
        "Cột này không khớp với mẫu (cần chỉ tiêu {code}). Không thêm, xóa hay di chuyển cột.",
        "This column does not match the template (expected {code}). Do not move columns.",
    ),
    "excel.error.not_applicable": (
        "Chỉ tiêu này không áp dụng cho đơn vị này (ô màu xám); hãy để trống.",
        "This indicator does not apply to this unit (grey cell); leave it empty.",
    ),
    "excel.error.formula_error": (
        "Ô có lỗi công thức {error}; hãy sửa công thức hoặc nhập số.",
        "The cell holds the formula error {error}; fix the formula or enter a number.",
    ),
    # Approved-only / all data
    "approval.mode": ("Số liệu hiển thị", "Data shown"),
    "approval.mode_all": ("Tất cả", "All data"),
    "approval.mode_approved": ("Chỉ số liệu đã phê duyệt", "Approved only"),
    "approval.only": (
        "Chỉ gồm số liệu đã phê duyệt ({approved}/{total} {unit} đã phê duyệt).",
        "Approved data only ({approved}/{total} {unit} approved).",
    ),
    "approval.includes": (
        "Gồm số liệu chưa phê duyệt ({pending}/{total} {unit} chưa được phê duyệt báo cáo).",
        "Includes unapproved data ({pending}/{total} {unit} not approved).",
    ),
    "approval.all_approved": (
        "Toàn bộ số liệu đã được phê duyệt ({total}/{total} {unit}).",
        "All data approved ({total}/{total} {unit}).",
    ),
    "approval.badge": ("Gồm số liệu chưa duyệt", "Includes unapproved"),
    # AG Grid labels
    "grid.page": ("Trang", "Page"),
    "grid.of": ("trên", "of"),
    "grid.more": ("nhiều hơn", "more"),
    "grid.page_size": ("Số dòng mỗi trang:", "Page size:"),
    "grid.first_page": ("Trang đầu", "First page"),
    "grid.previous_page": ("Trang trước", "Previous page"),
    "grid.next_page": ("Trang sau", "Next page"),
    "grid.last_page": ("Trang cuối", "Last page"),
    "grid.filter": ("Lọc…", "Filter…"),
    "grid.contains": ("Chứa", "Contains"),
    "grid.not_contains": ("Không chứa", "Does not contain"),
    "grid.equals": ("Bằng", "Equals"),
    "grid.not_equal": ("Khác", "Not equal"),
    "grid.starts_with": ("Bắt đầu bằng", "Starts with"),
    "grid.ends_with": ("Kết thúc bằng", "Ends with"),
    "grid.blank": ("Trống", "Blank"),
    "grid.not_blank": ("Không trống", "Not blank"),
    "grid.and": ("Và", "And"),
    "grid.or": ("Hoặc", "Or"),
    # Pilots and training pages
    "pilots.title": (
        "Mô hình thí điểm xã, thôn NTM thông minh",
        "Smart NTM commune and village pilots",
    ),
    "pilots.intro": (
        "Mô hình thí điểm theo lĩnh vực và trạng thái; mô hình tiêu biểu: "
        "xã NTM thông minh Biển Hồ (thành phố Pleiku).",
        "Pilots by field and status; flagship: Biển Hồ smart commune (Pleiku).",
    ),
    "pilots.by_status": ("Theo trạng thái", "By status"),
    "pilots.by_field": ("Theo lĩnh vực", "By field"),
    "training.title": ("Đào tạo, tập huấn và truyền thông", "Training and communication"),
    "training.intro": (
        "Các lớp tập huấn, hội nghị và hoạt động truyền thông về chuyển đổi số.",
        "Training courses, conferences and communication on digital transformation.",
    ),
    "training.by_audience": ("Số lượt người tham gia theo đối tượng", "Participants by audience"),
    "training.by_year": ("Số lượt người tham gia theo năm", "Participants by year"),
    # Registry field labels and choices
    "field.name": ("Tên", "Name"),
    "field.title": ("Tiêu đề", "Title"),
    "field.unit": ("Đơn vị", "Unit"),
    "field.established_on": ("Ngày thành lập", "Established on"),
    "field.dissolved_on": ("Ngày giải thể", "Dissolved on"),
    "field.members": ("Số thành viên", "Members"),
    "field.key_products": ("Nông sản chủ lực", "Key products"),
    "field.raw_material_area": ("Gắn với vùng nguyên liệu", "Tied to a raw-material area"),
    "field.applies_digital": ("Ứng dụng công nghệ số", "Applies digital technology"),
    "field.started_on": ("Ngày bắt đầu", "Started on"),
    "field.ended_on": ("Ngày kết thúc", "Ended on"),
    "field.field": ("Lĩnh vực", "Field"),
    "field.document_number": ("Số văn bản", "Document number"),
    "field.issued_on": ("Ngày ban hành", "Issued on"),
    "field.model_type": ("Loại mô hình", "Model type"),
    "field.status": ("Trạng thái", "Status"),
    "field.proposed_on": ("Ngày đề xuất", "Proposed on"),
    "field.results": ("Kết quả", "Results"),
    "field.kind": ("Hình thức", "Kind"),
    "field.held_on": ("Ngày tổ chức", "Held on"),
    "field.audience": ("Đối tượng", "Audience"),
    "field.participants": ("Số người tham gia", "Participants"),
    "registry.cooperatives": ("Hợp tác xã", "Cooperatives"),
    "registry.linkage_models": ("Mô hình liên kết sản xuất", "Production-linkage models"),
    "registry.digital_services": ("Dịch vụ số thiết yếu", "Essential digital services"),
    "registry.district_plans": ("Kế hoạch của huyện", "District plans"),
    "registry.pilot_models": ("Mô hình thí điểm", "Pilot models"),
    "registry.training_events": ("Sự kiện đào tạo, truyền thông", "Training events"),
    "choice.field.health": ("Y tế", "Health"),
    "choice.field.education": ("Giáo dục", "Education"),
    "choice.field.community_monitoring": ("Giám sát cộng đồng", "Community monitoring"),
    "choice.field.security_order": ("An ninh trật tự", "Security and order"),
    "choice.field.environment": ("Môi trường", "Environment"),
    "choice.field.culture": ("Văn hóa", "Culture"),
    "choice.field.production_economy": (
        "Tổ chức sản xuất, phát triển kinh tế nông thôn",
        "Production and rural economy",
    ),
    "choice.field.tourism": ("Du lịch", "Tourism"),
    "choice.model_type.smart_commune": ("Xã NTM thông minh", "Smart NTM commune"),
    "choice.model_type.smart_village": ("Thôn NTM thông minh", "Smart NTM village"),
    "choice.status.proposed": ("Đề xuất", "Proposed"),
    "choice.status.approved": ("Đã phê duyệt", "Approved"),
    "choice.status.implementing": ("Đang triển khai", "Implementing"),
    "choice.status.evaluated": ("Đã đánh giá", "Evaluated"),
    "choice.audience.state_agency": ("Cơ quan quản lý nhà nước", "State agencies"),
    "choice.audience.ntm_cadre": ("Cán bộ xây dựng NTM các cấp", "NTM cadres"),
    "choice.audience.residents": ("Người dân, cộng đồng nông thôn", "Rural residents"),
    "choice.kind.training": ("Tập huấn", "Training"),
    "choice.kind.conference": ("Hội nghị", "Conference"),
    "choice.kind.communication": ("Truyền thông", "Communication"),
    "choice.bool.true": ("Có", "Yes"),
    "choice.bool.false": ("Không", "No"),
}


def _merge_catalogue() -> None:
    from dashboard.catalogue import collect

    for key, entry in collect().items():
        if key in MESSAGES:
            raise RuntimeError(f"Message key {key!r} is defined twice (i18n and catalogue)")
        MESSAGES[key] = entry


_merge_catalogue()


def _(key: str, /, lang: str | None = None, **params) -> str:
    """Translate `key` into `lang` (default: the request's language); unknown keys return the
    key itself so a gap is visible, not fatal."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry[0] if (lang or current_lang()) == "vi" else entry[1]
    return text.format(**params) if params else text


class LazyText:
    """A message looked up each time it is shown (`str()`), in that request's language: for
    text fixed when a module is imported, such as form labels and validator messages.
    Parameters may be callables, called when the text is shown."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, params: dict) -> None:
        self.key = key
        self.params = params

    def __str__(self) -> str:
        params = {k: v() if callable(v) else v for k, v in self.params.items()}
        return _(self.key, **params)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __mod__(self, values) -> str:
        """`%`-formatting, as WTForms does with validator messages: the text in the current
        request's language."""
        return str(self) % values

    def __repr__(self) -> str:
        return f"LazyText({self.key!r})"


def lazy_(key: str, /, **params) -> LazyText:
    """`_(key, **params)` evaluated when shown rather than now."""
    return LazyText(key, params)


# --- formatting ------------------------------------------------------------------------------


def _missing(value) -> bool:
    """None, or a float NaN (pandas' gap)."""
    return value is None or (isinstance(value, float) and value != value)


def fmt_number(value: float | None, digits: int = 0) -> str:
    """`12345.6` → `12.346` in Vietnamese, `12,346` in English; `None` (or NaN) → en dash."""
    if _missing(value):
        return "–"
    return _formatted(value, digits, current_lang())


@functools.lru_cache(maxsize=8192)
def _formatted(value: float, digits: int, lang: str) -> str:
    """Babel's formatting, remembered: a page formats the same few hundred numbers again and
    again, and each Babel call parses its pattern anew."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=lang)


VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving time


def fmt_datetime(value: dt.datetime | None) -> str:
    """A stored (naive UTC) time in Vietnam time: `14:05 29/11/2026` in Vietnamese,
    `29 Nov 2026, 14:05` in English; `None` → en dash."""
    if value is None:
        return "–"
    local = value.replace(tzinfo=dt.UTC).astimezone(VIETNAM_TIME)
    if current_lang() == "en":
        return format_datetime(local, "d MMM y, HH:mm", locale="en")
    return local.strftime("%H:%M %d/%m/%Y")


def fmt_date(value: dt.date | None) -> str:
    """A calendar day: `15/01/2026` in Vietnamese, `15 Jan 2026` in English; `None` → en dash."""
    if value is None:
        return "–"
    if current_lang() == "en":
        return format_date(value, "d MMM y", locale="en")
    return format_date(value, "dd/MM/y", locale="vi")


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """`52.197` → `52,2%` (`52.2%` in English); whole numbers lose the decimals: `100%`."""
    if _missing(value):
        return "–"
    if round(value, digits) == round(value):
        return f"{fmt_number(value, 0)}%"
    return f"{fmt_number(value, digits)}%"


def fmt_value(value: float | None, *, percent: bool) -> str:
    """A figure's value as pages show it: `52,2%` for a percent, `2.710` for a count."""
    return fmt_pct(value) if percent else fmt_number(value)


# Number patterns of Plotly (d3-format) for axes and hover labels. A figure's `separators`
# (`figure_separators()`) turns the marks into the request's language: `,~f` shows 2710 as
# `2.710`, 2.5 as `2,5` and 2.0 as `2` in Vietnamese.
D3_NUMBER = ",~f"
D3_INTEGER = ",.0f"
# Plotly's `separators`: the decimal mark, then the thousands separator.
PLOTLY_SEPARATORS = {"vi": ",.", "en": ".,"}


def figure_separators() -> str:
    """Number separators of charts in the request's language: `12.345,6` (vi), `12,345.6` (en)."""
    return PLOTLY_SEPARATORS[current_lang()]


def number_digits(values) -> int | None:
    """How a column of numbers is shown: 0 decimals when every value is whole, else 1; None
    when the column holds anything but numbers and gaps (booleans are not numbers here)."""
    present = [v for v in values if not (v is pd.NA or _missing(v))]
    if not present:
        return None
    for v in present:
        if isinstance(v, bool | np.bool_) or not isinstance(v, Real):
            return None
    return 0 if all(float(v).is_integer() for v in present) else 1


def fmt_share(met: float | None, total: float | None) -> str:
    """`95, 182` → `95/182 (52,2%)`."""
    if met is None or not total:
        return "–"
    return f"{fmt_number(met)}/{fmt_number(total)} ({fmt_pct(100.0 * met / total)})"


# --- the request's language ------------------------------------------------------------------


def language_or_none(value) -> str | None:
    """`value` if it names a supported language (`vi`, `en`), else None."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def use_language(value: str | None) -> str:
    """For routes that take `lang=`: set the request's language to `value` (None or empty keeps
    the current one) and return it; anything but `vi` or `en` is a `ValidationError`."""
    if value is None or value == "":
        return current_lang()
    lang = language_or_none(value)
    if lang is None:
        raise ValidationError({LANG_PARAM: _("lang.unsupported")})
    g.lang = lang
    return lang


def _set_request_language() -> None:
    """Before every request (first of all, so that even the login guard's answers follow it):
    the `lang` parameter, else the `lang` cookie, else Vietnamese. Other values are ignored here;
    routes that take `lang=` refuse them with `use_language`."""
    from_query = language_or_none(request.args.get(LANG_PARAM))
    g.lang = from_query or language_or_none(request.cookies.get(LANG_COOKIE)) or LOCALE
    g.lang_from_query = from_query is not None


def remember_language(response, lang: str):
    """Store `lang` in the `lang` cookie of `response` for a year."""
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=LANG_COOKIE_MAX_AGE,
        path="/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


def _remember_language_of_page(response):
    """A page opened with `?lang=` (a shared link) keeps that language for the pages that follow,
    as the switch does; embeds, open data and Dash's own requests do not store anything."""
    if not g.get("lang_from_query") or request.method != "GET":
        return response
    if response.status_code != 200 or response.mimetype != "text/html":
        return response
    if request.path.startswith(NOT_REMEMBERED_PREFIXES):
        return response
    if request.cookies.get(LANG_COOKIE) != g.lang:
        remember_language(response, g.lang)
    return response


def without_lang(target: str) -> str:
    """`target` (a local path with its query) without its `lang` parameter, so the language
    chosen by the switch is not overridden by the page's old one."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != LANG_PARAM]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def switch_url(lang: str, next_path: str) -> str:
    """The switch's link: `/ngon-ngu/en?next=%2Fkinh-te-so`."""
    return f"{SWITCH_PREFIX}{lang}?{urlencode({'next': without_lang(next_path)})}"


LANGUAGE_CODES = {"vi": "VI", "en": "EN"}  # shown on the switch, the same in every language


def switch_links(next_path: str) -> list[dict]:
    """The switch's entries, `VI | EN`: code, language, link, title, whether it is current."""
    return [
        {
            "lang": lang,
            "code": LANGUAGE_CODES[lang],
            "href": switch_url(lang, next_path),
            "title": _(f"lang.name.{lang}"),
            "current": lang == current_lang(),
        }
        for lang in LANGUAGES
    ]


bp = Blueprint("i18n", __name__)


@bp.get(f"{SWITCH_PREFIX}<lang>")
def switch_language(lang: str):
    """Remember `lang` (cookie, one year) and go back to `next`, a local path only."""
    from dashboard import security
    from dashboard.auth.login import safe_next

    if language_or_none(lang) is None:
        return security.error_response(400, _("lang.unsupported"))
    g.lang = lang
    target = without_lang(safe_next(request.args.get("next")))
    return remember_language(redirect(target, code=303), lang)


_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)
_LANG_ATTR = re.compile(r"""\s+lang=("[^"]*"|'[^']*'|[^\s>]*)""", re.IGNORECASE)


def html_lang(page: str) -> str:
    """`page` with `<html lang>` set to the request's language."""

    def replace(match: re.Match) -> str:
        others = _LANG_ATTR.sub("", match.group(1))
        return f'<html lang="{current_lang()}"{others}>'

    return _HTML_TAG.sub(replace, page, count=1)


_dash_hooks = {"installed": False}


def _install_dash_hooks() -> None:
    """Once per process, before the Dash application is built: its index page's `<html lang>`
    follows the request, and the navbar's language switch returns to the page shown now (the
    page changes in the browser without reloading the navbar)."""
    if _dash_hooks["installed"]:
        return
    import dash

    from dashboard.components import shell

    dash.hooks.index()(html_lang)
    shell.install_language_switch(dash.hooks)
    _dash_hooks["installed"] = True


def init_app(app: Flask) -> None:
    """Set `g.lang` on every request (before any other check), register the language switch
    `GET /ngon-ngu/<lang>?next=<path>`, give templates `_` and `current_lang`, and make the Dash
    index page declare the request's language."""
    app.before_request_funcs.setdefault(None, []).insert(0, _set_request_language)
    app.after_request(_remember_language_of_page)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(_=_, current_lang=current_lang, switch_links=switch_links)
    _install_dash_hooks()
