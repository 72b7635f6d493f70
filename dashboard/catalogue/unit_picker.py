"""Messages of the unit picker that follows the period (districts for 2021-2025, communes and
wards after the two-tier reform) and of the map when no boundaries exist for those units."""

MESSAGES: dict[str, tuple[str, str]] = {
    "filter.unit.district": ("Huyện, thị xã, thành phố", "District"),
    "filter.unit.commune": ("Xã, phường", "Commune or ward"),
    "filter.unit.province": ("Tỉnh", "Province"),
    "filter.all_units": ("Toàn tỉnh", "Whole province"),
    "map.no_boundaries_for_units": (
        "Chưa có bản đồ: tệp ranh giới đang dùng không có ranh giới của các {units} báo cáo "
        "trong kỳ này. Số liệu theo đơn vị có ở biểu đồ xếp hạng.",
        "No map: the boundary file in use has no boundaries of the {units} that report in this "
        "period. The ranking chart has the figures by unit.",
    ),
    "entry.unit_not_reporting": (
        "Đơn vị đang chọn không báo cáo trong kỳ {period} (kỳ này báo cáo theo: {units}). "
        "Chọn một đơn vị trong danh sách.",
        "The unit chosen does not report in {period} (this period is reported by: {units}). "
        "Choose a unit in the list.",
    ),
}
