"""Messages of the unit page `/don-vi` and of the one-line lineage notes
(`services.unit_profile`)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # The page
    "unit_page.title": ("Đơn vị hành chính", "Administrative unit"),
    "unit_page.intro": (
        "Thông tin, quá trình sáp nhập, chia tách, đổi tên và số liệu của một đơn vị hành chính.",
        "An administrative unit: its details, its mergers, splits and renamings, and its data.",
    ),
    "unit_page.lookup.label": ("Mã đơn vị (mã thống kê)", "Unit code (GSO code)"),
    "unit_page.lookup.hint": (
        "Nhập mã hoặc chọn đơn vị trong danh sách gợi ý.",
        "Type the code or pick a unit from the suggestions.",
    ),
    "unit_page.lookup.submit": ("Xem đơn vị", "Show the unit"),
    "unit_page.lookup.ended": ("{name} (đã hết hiệu lực)", "{name} (no longer in force)"),
    "unit_page.unknown": (
        "Không tìm thấy đơn vị hành chính có mã “{code}”. Vui lòng kiểm tra lại mã.",
        "No administrative unit has the code “{code}”. Check the code.",
    ),
    "unit_page.current": ("Còn hiệu lực", "In force"),
    "unit_page.ended": ("Đã hết hiệu lực", "No longer in force"),
    "unit_page.not_yet": ("Chưa có hiệu lực", "Not yet in force"),
    # The unit
    "unit_page.details": ("Thông tin đơn vị", "The unit"),
    "unit_page.name": ("Tên đơn vị", "Name"),
    "unit_page.kind": ("Loại đơn vị", "Kind"),
    "unit_page.level": ("Cấp hành chính", "Level"),
    "unit_page.parent": ("Trực thuộc", "Part of"),
    "unit_page.no_parent": ("Không có (cấp cao nhất)", "None (top level)"),
    "unit_page.code": ("Mã thống kê", "GSO code"),
    "unit_page.validity": ("Hiệu lực", "In force"),
    "unit_page.versions": ("Các phiên bản khác cùng mã", "Other versions with this code"),
    "unit_page.valid.from": ("từ {start}", "from {start}"),
    "unit_page.valid.to": ("đến {end}", "until {end}"),
    "unit_page.valid.between": ("từ {start} đến {end}", "from {start} to {end}"),
    "unit_page.valid.always": ("đang có hiệu lực", "in force"),
    # Lineage
    "unit_page.lineage": ("Quá trình hình thành và thay đổi", "Lineage"),
    "unit_page.predecessors": ("Đơn vị trước", "Predecessors"),
    "unit_page.predecessors.intro": (
        "Các đơn vị đã sáp nhập, chia tách hoặc đổi tên thành đơn vị này.",
        "The units merged, split or renamed into this unit.",
    ),
    "unit_page.successors": ("Đơn vị sau", "Successors"),
    "unit_page.successors.intro": (
        "Nơi địa bàn của đơn vị này chuyển đến, và đơn vị nào tiếp nhận số liệu của nó.",
        "Where this unit's territory went, and which unit took over its records.",
    ),
    "unit_page.col.unit": ("Đơn vị", "Unit"),
    "unit_page.col.date": ("Ngày hiệu lực", "Effective"),
    "unit_page.col.change": ("Hình thức", "Change"),
    "unit_page.col.legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "unit_page.col.heir": ("Tiếp nhận số liệu", "Takes over the records"),
    "unit_page.heir.yes": ("Có", "Yes"),
    "unit_page.heir.no": ("Không", "No"),
    "unit_page.change.merge": ("Sáp nhập", "Merger"),
    "unit_page.change.split": ("Chia tách", "Split"),
    "unit_page.change.rename": ("Đổi tên", "Renaming"),
    "unit_page.no_predecessors": (
        "Không có đơn vị trước trong danh mục của ứng dụng.",
        "No predecessor in the application's unit list.",
    ),
    "unit_page.no_successors": ("Chưa có thay đổi nào sau đơn vị này.", "No change since."),
    "unit_page.new_unit": (
        "Đơn vị mới thành lập từ {date}: ứng dụng không có số liệu của đơn vị này trước ngày đó.",
        "A new unit from {date}: the application holds no data of this unit before that day.",
    ),
    "unit_page.new_unit_new_province": (
        "Đơn vị mới thành lập từ {date} (khu vực tỉnh Bình Định cũ, không có đơn vị tiền thân "
        "trong ứng dụng): ứng dụng không có số liệu của đơn vị này trước ngày đó.",
        "A new unit from {date} (in the former Bình Định province, with no predecessor in the "
        "application): the application holds no data of this unit before that day.",
    ),
    "unit_page.records_went_to": (
        "Từ {date}, số liệu và bản ghi của đơn vị này được tính cho",
        "From {date}, this unit's data and records count for",
    ),
    "unit_page.ended_without_heir": (
        "Đơn vị chấm dứt hoạt động từ {date}; không đơn vị nào tiếp nhận số liệu của đơn vị này.",
        "The unit no longer exists from {date}; no unit took over its records.",
    ),
    # Records
    "unit_page.records": ("Số liệu của đơn vị", "The unit's data"),
    "unit_page.values": ("Số liệu chỉ tiêu đã lưu", "Indicator values stored"),
    "unit_page.values.intro": (
        "Giá trị các chỉ tiêu đã nhập cho chính đơn vị này, theo kỳ báo cáo.",
        "The indicator values entered for this unit itself, by reporting period.",
    ),
    "unit_page.values.none": (
        "Chưa có số liệu chỉ tiêu nào được lưu cho đơn vị này.",
        "No indicator value is stored for this unit.",
    ),
    "unit_page.values.indicator": ("Chỉ tiêu", "Indicator"),
    "unit_page.registries": ("Bản ghi trong các sổ theo dõi", "Registry records"),
    "unit_page.registries.intro": (
        "Bản ghi của đơn vị này và bản ghi của các đơn vị trước được tính cho đơn vị này từ "
        "ngày sáp nhập.",
        "This unit's records and its predecessors' records counted for it from the day they "
        "merged.",
    ),
    "unit_page.registries.none": (
        "Không có bản ghi nào được tính cho đơn vị này.",
        "No registry record counts for this unit.",
    ),
    "unit_page.registries.from": ("(từ {name})", "(from {name})"),
    "unit_page.registries.from_earlier": (
        "(từ {name}, phiên bản trước)",
        "(from {name}, earlier version)",
    ),
    "unit_page.registries.counts_from": (
        "tính cho đơn vị này từ {date}",
        "counted here from {date}",
    ),
    "unit_page.registries.periods": ("Kỳ được tính", "Periods counted"),
    "unit_page.registries.no_period": ("chưa có kỳ nào", "no period yet"),
    # One-line lineage notes (for grids)
    "unit_page.note.new": ("Thành lập mới từ {date}", "New unit from {date}"),
    "unit_page.note.formed_from_many": (
        "Hình thành từ {count} đơn vị ngày {date}",
        "Formed from {count} units on {date}",
    ),
    "unit_page.note.formed_from_one": (
        "Hình thành từ {name} ngày {date}",
        "Formed from {name} on {date}",
    ),
    "unit_page.note.renamed_from": (
        "Đổi tên từ {name} ngày {date}",
        "Renamed from {name} on {date}",
    ),
    "unit_page.note.absorbed_one": (
        "Nhận sáp nhập {name} từ {date}",
        "Absorbed {name} from {date}",
    ),
    "unit_page.note.absorbed_many": (
        "Nhận sáp nhập {count} đơn vị từ {date}",
        "Absorbed {count} units from {date}",
    ),
    "unit_page.note.received_part": (
        "Nhận một phần địa bàn {name} từ {date}",
        "Received part of {name} from {date}",
    ),
    "unit_page.note.merged_into": (
        "Sáp nhập vào {name} từ {date}",
        "Merged into {name} from {date}",
    ),
    "unit_page.note.renamed_to": ("Đổi tên thành {name} từ {date}", "Renamed {name} from {date}"),
    "unit_page.note.part_to": (
        "Chuyển một phần địa bàn cho {name} từ {date}",
        "Gave part of its territory to {name} from {date}",
    ),
    "unit_page.note.split_into": (
        "Chia tách, nhập vào {count} đơn vị từ {date}",
        "Split among {count} units from {date}",
    ),
    "unit_page.note.split_into_heir": (
        "Chia tách, nhập vào {count} đơn vị từ {date} (số liệu chuyển cho {name})",
        "Split among {count} units from {date} (records passed to {name})",
    ),
    "unit_page.note.ended": ("Chấm dứt hoạt động từ {date}", "No longer exists from {date}"),
}
