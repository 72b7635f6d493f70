"""Messages of what a figure means: coverage, reporting, publication, projections, charts."""

MESSAGES: dict[str, tuple[str, str]] = {
    "chart.title.trend": ("Xu hướng theo năm", "Yearly trend"),
    "chart.title.ranking": ("Xếp hạng các huyện", "Districts ranked"),
    "chart.title.map": ("Bản đồ theo huyện", "Map by district"),
    "chart.title.by_district": ("Theo huyện", "By district"),
}
