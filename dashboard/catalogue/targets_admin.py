"""Messages of the administration of targets by scope (a unit or a commune group, with yearly
milestones) and of the communes' groups over time."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Targets tab
    "targets_admin.scope": ("Phạm vi", "Scope"),
    "targets_admin.whole_province": ("Toàn tỉnh", "Whole province"),
    "targets_admin.group": ("Nhóm {group}", "Group {group}"),
    "targets_admin.group_option": ("Nhóm {group} (các xã thuộc nhóm)", "Group {group} (communes)"),
    "targets_admin.milestones": ("Mốc theo năm", "Yearly milestones"),
    "targets_admin.milestones_hint": (
        "Không bắt buộc. Giá trị cần đạt vào cuối các năm trước năm mục tiêu, trong cùng "
        "chương trình, ví dụ: 2023: 60; 2024: 75",
        "Optional. The value to reach by the end of years before the target year, in the same "
        "programme, e.g. 2023: 60; 2024: 75",
    ),
    "targets_admin.select_hint": (
        "Chọn một dòng để sửa hoặc xóa mục tiêu đó; lưu với cùng chỉ tiêu, phạm vi và năm sẽ "
        "cập nhật mục tiêu đã có.",
        "Select a row to edit or delete it; saving the same indicator, scope and year updates "
        "the existing target.",
    ),
    "targets_admin.delete": ("Xóa mục tiêu đã chọn", "Delete the selected target"),
    "targets_admin.delete_confirm": (
        "Xóa mục tiêu {indicator} — {scope}, năm {year}?",
        "Delete the target {indicator} — {scope}, {year}?",
    ),
    "targets_admin.select_first": (
        "Chọn một mục tiêu trong bảng trước.",
        "Select a target in the table first.",
    ),
    "targets_admin.deleted": ("Đã xóa mục tiêu.", "Target deleted."),
    "targets_admin.unknown_target": (
        "Không tìm thấy mục tiêu này (có thể đã bị xóa).",
        "Unknown target (it may have been deleted).",
    ),
    "targets_admin.year_outside_programmes": (
        "Năm {year} không thuộc chương trình nào (2021-2025, 2026-2035).",
        "{year} is outside every programme.",
    ),
    "targets_admin.indicator_not_in_force": (
        "Chỉ tiêu này không có hiệu lực trong năm {year}.",
        "This indicator is not in force in {year}.",
    ),
    "targets_admin.unit_and_group": (
        "Chọn một đơn vị hoặc một nhóm xã, không chọn cả hai.",
        "Choose a unit or a commune group, not both.",
    ),
    "targets_admin.unit_not_in_year": (
        "Đơn vị mã {code} không tồn tại trong năm {year}.",
        "No unit with code {code} exists in {year}.",
    ),
    "targets_admin.no_province": (
        "Không có đơn vị cấp tỉnh vào ngày 01/01/{year}.",
        "No province on 1 January {year}.",
    ),
    "targets_admin.unit_below_level": (
        "Chỉ tiêu này tính ở {level}, không đặt mục tiêu cho đơn vị {unit}.",
        "This indicator counts at the {level} level; no target for {unit}.",
    ),
    "targets_admin.group_needs_commune_level": (
        "Mục tiêu theo nhóm xã chỉ dành cho chỉ tiêu tính ở cấp xã; chỉ tiêu này tính ở {level}.",
        "Commune-group targets are for commune-level indicators; this one counts at {level}.",
    ),
    "targets_admin.bad_group": (
        "Mã nhóm gồm 1-8 chữ cái hoặc chữ số (ví dụ 1, 2, 3).",
        "A group code is 1-8 letters or digits (e.g. 1, 2, 3).",
    ),
    "targets_admin.bad_milestones": (
        "Mốc theo năm viết dạng «năm: giá trị», cách nhau bởi dấu chấm phẩy, ví dụ "
        "2023: 60; 2024: 75. Không đọc được: «{part}».",
        "Write milestones as «year: value» separated by semicolons, e.g. 2023: 60; 2024: 75. "
        "Cannot read: «{part}».",
    ),
    "targets_admin.milestone_year": (
        "Mốc năm {year} phải trước năm mục tiêu {target_year} và từ năm {start} (đầu chương "
        "trình).",
        "The {year} milestone must fall before the target year {target_year} and from "
        "{start} (the programme's start).",
    ),
    "targets_admin.milestone_twice": (
        "Năm {year} có hai mốc.",
        "Year {year} has two milestones.",
    ),
    "targets_admin.milestone_label": ("Mốc năm {year}", "Milestone {year}"),
    "targets_admin.milestone_share": (
        "Mốc năm {year}: tỷ lệ không được vượt quá 100%.",
        "Milestone {year}: a share cannot exceed 100%.",
    ),
    # Commune groups tab
    "groups_admin.tab": ("Nhóm xã", "Commune groups"),
    "groups_admin.commune": ("Xã", "Commune"),
    "groups_admin.group": ("Nhóm", "Group"),
    "groups_admin.valid_from": ("Từ ngày", "From"),
    "groups_admin.valid_to": ("Đến ngày (không bắt buộc)", "Until (optional)"),
    "groups_admin.save": ("Lưu nhóm của xã", "Save the commune's group"),
    "groups_admin.hint": (
        "Nhóm mới có hiệu lực từ ngày đã chọn; nhóm đang áp dụng trước đó của xã được kết thúc "
        "vào ngày hôm trước.",
        "The new group applies from the chosen day; the commune's previous group ends the day "
        "before.",
    ),
    "groups_admin.not_commune": (
        "Chỉ đơn vị cấp xã mới được xếp nhóm; mã {code} là {level}.",
        "Only communes have a group; code {code} is at the {level} level.",
    ),
    "groups_admin.commune_not_on": (
        "Xã mã {code} không tồn tại vào ngày {date}.",
        "No commune with code {code} exists on {date}.",
    ),
    "groups_admin.overlaps_later": (
        "Trùng thời gian với nhóm {group} của xã từ ngày {date}; chọn ngày kết thúc trước ngày đó.",
        "Overlaps the commune's group {group} from {date}; end before that day.",
    ),
}
