"""Targets by scope and the units a figure counts: how they are named on pages, charts and
exports."""

MESSAGES: dict[str, tuple[str, str]] = {
    "population.only": ("chỉ {kinds}", "{kinds} only"),
    "population.all_communes": (
        "mọi đơn vị cấp xã (xã, phường, thị trấn)",
        "every commune-level unit (communes, wards, townships)",
    ),
    "audit.verb.target_delete": ("Xóa mục tiêu", "Target deleted"),
    "audit.verb.unit_group_set": ("Xếp nhóm xã", "Commune group set"),
    "target_scope.own_target": ("Mục tiêu của đơn vị", "The unit's own target"),
    "target_scope.none_own": ("Chưa có mục tiêu riêng", "No target of its own"),
    "target_scope.milestone": ("mốc {year}: {value}", "{year} milestone: {value}"),
}
