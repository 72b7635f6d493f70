"""Messages of the indicator sets (`/quan-tri/chi-tieu`, `services.indicator_admin`): the office
adds, changes and ends the indicators of a programme."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Page
    "indicator_admin.nav": ("Bộ chỉ tiêu", "Indicator sets"),
    "indicator_admin.title": ("Bộ chỉ tiêu của các chương trình", "The programmes' indicator sets"),
    "indicator_admin.intro": (
        "Văn phòng Điều phối thêm, sửa hoặc kết thúc chỉ tiêu của từng chương trình. Chỉ tiêu "
        "do Văn phòng thêm hoặc sửa được giữ nguyên khi hệ thống khởi động lại hay nạp lại dữ "
        "liệu tham chiếu. Chỉ tiêu của tiêu chí 7 (Khoa học, công nghệ và chuyển đổi số) theo "
        "Quyết định 51/2025/QĐ-TTg được nhập tại đây, theo văn bản hướng dẫn chính thức.",
        "The Coordination Office adds, changes or ends each programme's indicators. Indicators "
        "the office added or changed are kept as they are when the system restarts or reloads "
        "its reference data. The indicators of criterion 7 (Science, technology and digital "
        "transformation) of Decision 51/2025/QĐ-TTg are entered here, from the official "
        "guidance.",
    ),
    "indicator_admin.groups_hint": (
        "Ngưỡng đạt của mỗi chỉ tiêu khác nhau theo nhóm xã (nhóm 1: xã giáp đô thị, định hướng "
        "lên đô thị hoặc nông nghiệp dưới 10% cơ cấu kinh tế; nhóm 3: xã khu vực II, III vùng "
        "đồng bào dân tộc thiểu số và miền núi; nhóm 2: các xã còn lại). Đặt ngưỡng ở trang Quản "
        "trị, thẻ “Mục tiêu”, phạm vi “Nhóm 1/2/3”; xếp xã vào nhóm ở thẻ “Nhóm xã”.",
        "Each indicator's threshold differs by commune group (group 1: communes next to urban "
        "areas, oriented to become urban or with agriculture under 10% of the economy; group 3: "
        "zone II and III communes of ethnic-minority and mountain areas; group 2: the others). "
        "Set the thresholds in Administration, tab “Targets”, scope “Group 1/2/3”; put communes "
        "in groups in the tab “Commune groups”.",
    ),
    "indicator_admin.link": (
        "Bộ chỉ tiêu của các chương trình (thêm, sửa, kết thúc chỉ tiêu) →",
        "The programmes' indicator sets (add, change, end indicators) →",
    ),
    "indicator_admin.programme": ("Chương trình", "Programme"),
    "indicator_admin.select_hint": (
        "Nhấn vào một dòng để sửa hoặc kết thúc chỉ tiêu đó; nhấn “Thêm mới” để nhập chỉ tiêu mới.",
        "Click a row to change or end that indicator; click “New” to enter a new one.",
    ),
    "indicator_admin.none": (
        "Chương trình này chưa có chỉ tiêu nào.",
        "This programme has no indicators yet.",
    ),
    "indicator_admin.col.code": ("Mã", "Code"),
    "indicator_admin.col.name": ("Tên chỉ tiêu", "Indicator"),
    "indicator_admin.col.criterion": ("Tiêu chí", "Criterion"),
    "indicator_admin.col.pillar": ("Trụ cột", "Pillar"),
    "indicator_admin.col.level": ("Cấp tính", "Counted over"),
    "indicator_admin.col.validity": ("Hiệu lực", "In force"),
    "indicator_admin.col.values": ("Số giá trị", "Values"),
    "indicator_admin.col.targets": ("Số mục tiêu", "Targets"),
    "indicator_admin.col.office": ("Văn phòng đã sửa", "Changed by the office"),
    "indicator_admin.open_end": ("không thời hạn", "open-ended"),
    "indicator_admin.form_title": ("Thông tin chỉ tiêu", "The indicator"),
    "indicator_admin.mode_new": (
        "Đang nhập chỉ tiêu mới cho chương trình đã chọn.",
        "Entering a new indicator of the chosen programme.",
    ),
    "indicator_admin.mode_edit": ("Đang sửa chỉ tiêu {code}.", "Changing indicator {code}."),
    "indicator_admin.locked_note": (
        "Chỉ tiêu đã có số liệu hoặc mục tiêu: cách tính bị khóa (muốn đổi, hãy kết thúc chỉ "
        "tiêu này và tạo chỉ tiêu mới).",
        "The indicator has values or targets: how it counts is locked (to change it, end this "
        "indicator and create a new one).",
    ),
    "indicator_admin.section.what": ("Chỉ tiêu", "Indicator"),
    "indicator_admin.section.counting": ("Cách tính", "How it counts"),
    "indicator_admin.section.meaning": ("Giải thích", "Explanation"),
    "indicator_admin.counting_hint": (
        "Đạt/không đạt theo đơn vị: kiểu Có/Không, cách tổng hợp “Tỷ lệ đơn vị đạt”. Tỷ lệ "
        "tổng tử số/tổng mẫu số: kiểu Tỷ số. Tổng số: kiểu Số đếm. Sổ theo dõi: chọn nguồn là "
        "sổ và cách tổng hợp theo bản ghi.",
        "Met / not met per unit: type Yes/No, rollup “Share of units meeting”. Sum of numerators "
        "over sum of denominators: type Ratio. A total: type Count. Registries: choose the "
        "registry as source and a rollup over its records.",
    ),
    "indicator_admin.legal_basis_hint": (
        "Để trống: căn cứ của tiêu chí đã chọn.",
        "Blank: the chosen criterion's legal basis.",
    ),
    "indicator_admin.unit_hint": ("Ví dụ: hồ sơ (để trống nếu là tỷ lệ đơn vị).", "E.g. dossiers."),
    "indicator_admin.valid_to_hint": (
        "Để trống: đến hết chương trình.",
        "Blank: to the programme's end.",
    ),
    "indicator_admin.none_level": ("— Không —", "— None —"),
    "indicator_admin.unit_kinds_hint": (
        "Để trống: mọi đơn vị của cấp. Tiêu chí xã nông thôn mới: chọn “Xã”.",
        "Blank: every unit of the level. New-rural commune criteria: choose “Rural commune”.",
    ),
    "indicator_admin.source_filter_hint": (
        "Chỉ dùng với sổ theo dõi: điều kiện của bản ghi, và với tỷ lệ bản ghi thêm “:điều kiện "
        "tử số” (ví dụ raw_material_area:applies_digital).",
        "Registries only: the records' condition and, for a share of records, “:numerator "
        "condition” (e.g. raw_material_area:applies_digital).",
    ),
    "indicator_admin.create": ("Thêm chỉ tiêu", "Add indicator"),
    "indicator_admin.update": ("Lưu thay đổi", "Save changes"),
    "indicator_admin.new": ("Thêm mới", "New"),
    "indicator_admin.created": ("Đã thêm chỉ tiêu {code}.", "Indicator {code} added."),
    "indicator_admin.saved": ("Đã lưu chỉ tiêu {code}.", "Indicator {code} saved."),
    "indicator_admin.problems": ("Chưa lưu được:", "Not saved:"),
    "indicator_admin.select_first": (
        "Hãy chọn một chỉ tiêu trong bảng trước.",
        "Choose an indicator in the table first.",
    ),
    "indicator_admin.end_title": ("Kết thúc chỉ tiêu", "End an indicator"),
    "indicator_admin.end_hint": (
        "Chỉ tiêu không còn được tính trong các kỳ sau ngày kết thúc; số liệu đã nhập vẫn được "
        "giữ.",
        "The indicator is not counted in periods after its end; values entered are kept.",
    ),
    "indicator_admin.end_date": ("Ngày kết thúc hiệu lực", "Last day in force"),
    "indicator_admin.end": ("Kết thúc chỉ tiêu", "End the indicator"),
    "indicator_admin.end_confirm": (
        "Kết thúc chỉ tiêu {code} ({name}) vào ngày {date}?",
        "End indicator {code} ({name}) on {date}?",
    ),
    "indicator_admin.ended": ("Đã kết thúc chỉ tiêu {code}.", "Indicator {code} ended."),
    # Fields
    "indicator_admin.field.code": ("Mã chỉ tiêu", "Code"),
    "indicator_admin.field.programme": ("Chương trình", "Programme"),
    "indicator_admin.field.criterion": ("Tiêu chí", "Criterion"),
    "indicator_admin.field.pillar": ("Trụ cột", "Pillar"),
    "indicator_admin.field.name_vi": ("Tên chỉ tiêu (tiếng Việt)", "Name (Vietnamese)"),
    "indicator_admin.field.name_en": ("Tên chỉ tiêu (tiếng Anh)", "Name (English)"),
    "indicator_admin.field.short_vi": ("Tên ngắn (tiếng Việt)", "Short name (Vietnamese)"),
    "indicator_admin.field.short_en": ("Tên ngắn (tiếng Anh)", "Short name (English)"),
    "indicator_admin.field.level": ("Cấp đơn vị được tính", "Level counted"),
    "indicator_admin.field.extra_level": ("Cấp tính thêm", "Second level counted"),
    "indicator_admin.field.unit_kinds": ("Loại đơn vị được tính", "Unit kinds counted"),
    "indicator_admin.field.value_type": ("Kiểu giá trị", "Value type"),
    "indicator_admin.field.rollup": ("Cách tổng hợp", "Rollup"),
    "indicator_admin.field.source": ("Nguồn số liệu", "Data source"),
    "indicator_admin.field.source_filter": ("Điều kiện bản ghi", "Record condition"),
    "indicator_admin.field.denominator_rule": ("Mẫu số", "Denominator"),
    "indicator_admin.field.unit": ("Đơn vị tính", "Unit"),
    "indicator_admin.field.valid_from": ("Hiệu lực từ", "In force from"),
    "indicator_admin.field.valid_to": ("Hiệu lực đến", "In force until"),
    "indicator_admin.lang.vi": ("tiếng Việt", "Vietnamese"),
    "indicator_admin.lang.en": ("tiếng Anh", "English"),
    "indicator_admin.value_type.boolean": ("Có/Không (đạt/không đạt)", "Yes/No (met/not met)"),
    "indicator_admin.value_type.ratio": ("Tỷ số (tử số/mẫu số)", "Ratio (numerator/denominator)"),
    "indicator_admin.value_type.count": ("Số đếm", "Count"),
    "indicator_admin.value_type.category": ("Phân loại", "Category"),
    "indicator_admin.rollup.share_meeting": ("Tỷ lệ đơn vị đạt", "Share of units meeting"),
    "indicator_admin.rollup.ratio_of_sums": (
        "Tổng tử số / tổng mẫu số",
        "Sum of numerators / sum of denominators",
    ),
    "indicator_admin.rollup.sum": ("Tổng số", "Total"),
    "indicator_admin.rollup.share_with_rows": (
        "Tỷ lệ đơn vị có bản ghi",
        "Share of units with a record",
    ),
    "indicator_admin.rollup.share_of_rows": (
        "Tỷ lệ bản ghi thỏa điều kiện",
        "Share of records meeting a condition",
    ),
    "indicator_admin.rollup.count_rows": ("Số bản ghi", "Number of records"),
    "indicator_admin.denominator.reported": (
        "Các đơn vị đã báo cáo",
        "The units that reported",
    ),
    "indicator_admin.denominator.expected": (
        "Mọi đơn vị (chưa báo cáo tính là chưa đạt)",
        "Every unit (not reported counts as not met)",
    ),
    "indicator_admin.source.values": ("Số liệu đơn vị báo cáo", "Values reported by units"),
    # Service
    "indicator_admin.bad_code": (
        "Mã chỉ tiêu chỉ gồm chữ in hoa không dấu và chữ số, các phần nối bằng “-” hoặc “_” "
        "(ví dụ NTM26-C7_1).",
        "A code is capital letters and digits, parts joined by “-” or “_” (e.g. NTM26-C7_1).",
    ),
    "indicator_admin.legal_basis_needed": (
        "Vui lòng nhập căn cứ pháp lý, hoặc chọn tiêu chí để dùng căn cứ của tiêu chí.",
        "Enter the legal basis, or choose a criterion to use its legal basis.",
    ),
    "indicator_admin.code_taken": ("Đã có chỉ tiêu mã {code}.", "Indicator {code} exists."),
    "indicator_admin.unknown_programme": (
        "Không tìm thấy chương trình này.",
        "Unknown programme.",
    ),
    "indicator_admin.bad_criterion": (
        "Tiêu chí không thuộc chương trình của chỉ tiêu.",
        "The criterion is not one of the indicator's programme.",
    ),
    "indicator_admin.bad_kind": (
        "Loại đơn vị “{kind}” không hợp lệ.",
        "Unknown unit kind “{kind}”.",
    ),
    "indicator_admin.kind_not_at_level": (
        "Không có đơn vị loại “{kind}” ở {level}.",
        "There are no units of kind “{kind}” at the level {level}.",
    ),
    "indicator_admin.level_ended": (
        "{level} không còn tồn tại từ sau ngày {date}: chỉ tiêu sẽ không tính được đơn vị nào.",
        "{level} no longer exists after {date}: the indicator would count no unit.",
    ),
    "indicator_admin.bad_rollup": (
        "Nguồn “{source}” không tổng hợp được theo “{rollup}”; chọn: {allowed}.",
        "“{source}” cannot be counted as “{rollup}”; choose: {allowed}.",
    ),
    "indicator_admin.bad_pairing": (
        "Cách tổng hợp “{rollup}” cần kiểu giá trị “{needs}”.",
        "The rollup “{rollup}” needs the value type “{needs}”.",
    ),
    "indicator_admin.bad_filter": (
        "Điều kiện bản ghi không hợp lệ với sổ “{source}” (các điều kiện có: {known}; tỷ lệ bản "
        "ghi cần dạng “điều kiện:điều kiện tử số”).",
        "Not a valid condition of “{source}” (its conditions: {known}; a share of records needs "
        "“condition:numerator condition”).",
    ),
    "indicator_admin.bad_filter_none": (
        "Nguồn “{source}” không có điều kiện bản ghi: để trống ô này.",
        "“{source}” takes no record condition: leave it blank.",
    ),
    "indicator_admin.bad_registry_level": (
        "Sổ “{source}” không có bản ghi của đơn vị {level}.",
        "“{source}” holds no records of units at the level {level}.",
    ),
    "indicator_admin.outside_programme": (
        "Thời gian hiệu lực phải nằm trong chương trình ({start} – {end}).",
        "The validity must lie within the programme ({start} – {end}).",
    ),
    "indicator_admin.validity_drops_values": (
        "Kỳ {period} đã có số liệu của chỉ tiêu này và sẽ không còn được tính: giữ kỳ đó trong "
        "thời gian hiệu lực (hoặc xóa số liệu trước).",
        "Period {period} has values of this indicator that would no longer count: keep it "
        "within the validity (or clear the values first).",
    ),
    "indicator_admin.validity_drops_targets": (
        "Chỉ tiêu có mục tiêu năm {year}: giữ năm đó trong thời gian hiệu lực (hoặc xóa mục "
        "tiêu trước).",
        "The indicator has a target for {year}: keep that year within the validity (or delete "
        "the target first).",
    ),
    "indicator_admin.locked": (
        "Chỉ tiêu {code} đã có {values} giá trị và mục tiêu của {targets} năm: không đổi được "
        "cách tính. Hãy kết thúc chỉ tiêu này và tạo chỉ tiêu mới.",
        "Indicator {code} has {values} values and targets for {targets} years: how it counts "
        "cannot change. End it and create a new indicator.",
    ),
    # Audit log
    "audit.action.indicator_create": ("Thêm chỉ tiêu", "Indicator added"),
    "audit.action.indicator_update": ("Sửa chỉ tiêu", "Indicator changed"),
    "audit.action.indicator_end": ("Kết thúc chỉ tiêu", "Indicator ended"),
}
