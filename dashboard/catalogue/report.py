"""Messages of the printable period report (PDF and XLSX) and its page `/bao-cao`."""

MESSAGES: dict[str, tuple[str, str]] = {
    # The document
    "period_report.title": (
        "Báo cáo kết quả chuyển đổi số trong xây dựng nông thôn mới tỉnh Gia Lai — Kỳ {period}",
        "Report on digital transformation in new-rural development, Gia Lai province — "
        "Period {period}",
    ),
    "period_report.issuer": (
        "Hệ thống giám sát chuyển đổi số trong xây dựng nông thôn mới tỉnh Gia Lai",
        "Gia Lai monitor of digital transformation in new-rural development",
    ),
    "period_report.subtitle": (
        "Phụ lục số liệu kèm báo cáo của Ủy ban nhân dân tỉnh",
        "Data annex to the report of the Provincial People's Committee",
    ),
    "period_report.period_range": (
        "{period} (từ {start} đến {end})",
        "{period} ({start} to {end})",
    ),
    "period_report.mode_all": (
        "Tất cả số liệu (gồm số liệu chưa phê duyệt)",
        "All data (including data not yet approved)",
    ),
    "period_report.none_approved": (
        "Chưa có báo cáo nào của các {units} được phê duyệt",
        "No report of the {units} approved yet",
    ),
    "period_report.as_of": (
        "Số liệu tính đến: kỳ {period}, phê duyệt lần cuối {approved}, số liệu cập nhật {updated}",
        "As of: period {period}, last approved {approved}, data updated {updated}",
    ),
    "period_report.as_of_none": (
        "Số liệu tính đến: kỳ {period}, chưa có báo cáo nào của các {units} được phê duyệt",
        "As of: period {period}, no report of the {units} approved yet",
    ),
    "period_report.footer_generated": ("Lập lúc {at}", "Generated {at}"),
    "period_report.page": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    "period_report.cover.scope": ("Phạm vi", "Scope"),
    "period_report.cover.mode": ("Chế độ số liệu", "Data mode"),
    "period_report.cover.generated": ("Thời điểm lập báo cáo", "Generated at"),
    "period_report.cover.approved_at": ("Phê duyệt gần nhất", "Last approval"),
    "period_report.cover.updated_at": (
        "Số liệu đã phê duyệt cập nhật lần cuối",
        "Approved data last changed",
    ),
    "period_report.cover.reporting": ("Tình hình báo cáo", "Reporting"),
    "period_report.cover.approval": ("Phạm vi phê duyệt", "Approval"),
    "period_report.cover.rule": (
        "Cách đọc số liệu: mỗi số liệu được tính từ báo cáo của từng đơn vị trong kỳ. Đơn vị "
        "chưa báo cáo được ghi là “chưa báo cáo”, không tính là “không đạt” (trừ chỉ tiêu mà "
        "định nghĩa tính trên mọi đơn vị, có ghi rõ); tỷ lệ tính trên các đơn vị đã báo cáo và "
        "luôn kèm tỷ lệ báo cáo (cột “Phạm vi số liệu”). Ở chế độ “chỉ số liệu đã phê duyệt”, "
        "chỉ các đơn vị có báo cáo đã được phê duyệt được tính.",
        "How to read the figures: each figure is computed from the reports of every unit for "
        "the period. A unit that has not reported is shown as “not reported”, never "
        "as “not met” (except for indicators defined over every unit, which say so); shares "
        "count over the units that reported and always come with the reporting rate (column "
        "“Coverage”). In “approved only” mode, only units whose report is approved count.",
    ),
    "period_report.cover.source": (
        "Nguồn: Văn phòng Điều phối nông thôn mới tỉnh Gia Lai; chỉ tiêu và mục tiêu theo "
        "Quyết định 924/QĐ-TTg (2022), Quyết định 318/QĐ-TTg và 320/QĐ-TTg (2022) và kế "
        "hoạch của tỉnh.",
        "Source: Gia Lai NTM Coordination Office; indicators and targets from Decision "
        "924/QĐ-TTg (2022), Decisions 318/QĐ-TTg and 320/QĐ-TTg (2022) and the province's plan.",
    ),
    "period_report.section.reporting": (
        "Tình hình báo cáo của các {units}",
        "Reporting of the {units}",
    ),
    "period_report.section.districts": ("Số liệu theo {units}", "Figures by {units}"),
    "period_report.districts_intro": (
        "Kết quả của từng {units} báo cáo trong kỳ, theo cùng cách tính và cùng chế độ số liệu "
        "với các bảng trên.",
        "The results of each of the {units} that report in the period, computed as above and "
        "in the same data mode.",
    ),
    "period_report.section.not_approved": (
        "Các {units} chưa được phê duyệt báo cáo",
        "The {units} whose report is not yet approved",
    ),
    "period_report.not_approved_count": (
        "{count}/{total} {unit} chưa được phê duyệt báo cáo kỳ này:",
        "{count} of {total} {unit} have no approved report for this period:",
    ),
    "period_report.all_approved": (
        "Báo cáo kỳ {period} của tất cả các {unit} đã được phê duyệt.",
        "Every report for {period} ({unit}) is approved.",
    ),
    "period_report.days_late": ("{days} ngày", "{days} days"),
    "period_report.col.indicator_code": ("Mã chỉ tiêu", "Indicator code"),
    "period_report.col.result": ("Kết quả", "Result"),
    "period_report.col.assessment": ("Đánh giá", "Assessment"),
    "period_report.col.report": ("Báo cáo", "Report"),
    "period_report.legend.met": ("Đạt mục tiêu", "Meets target"),
    "period_report.legend.not_met": ("Chưa đạt mục tiêu", "Below target"),
    "period_report.legend.value": ("Giá trị", "Value"),
    "period_report.legend.highlight": ("Huyện được chọn", "Selected district"),
    "period_report.province_wide": (
        "Toàn tỉnh, lũy kế đến hết ngày {end}.",
        "Whole province, cumulative to {end}.",
    ),
    "period_report.font_missing": (
        "Chưa tạo được báo cáo PDF: máy chủ chưa có phông chữ tiếng Việt DejaVu Sans "
        "(DejaVuSans.ttf và DejaVuSans-Bold.ttf). Quản trị hệ thống cần cài gói "
        "fonts-dejavu-core hoặc đặt REPORT_FONT_DIR là thư mục chứa hai tệp này. Báo cáo Excel "
        "vẫn tạo được.",
        "The PDF report cannot be made: the server has no DejaVu Sans font (DejaVuSans.ttf and "
        "DejaVuSans-Bold.ttf). The system administrator should install fonts-dejavu-core or set "
        "REPORT_FONT_DIR to the folder holding both files. The Excel report can still be made.",
    ),
    "period_report.unavailable": ("Chưa tạo được báo cáo", "The report cannot be made"),
    "period_report.repeated": (
        "Tham số “{name}” chỉ được ghi một lần.",
        "The parameter “{name}” may appear only once.",
    ),
    # The workbook
    "period_report.sheet.cover": ("Bìa", "Cover"),
    "period_report.sheet.districts": ("Theo {units}", "By {units}"),
    "period_report.sheet.district_detail": ("Chi tiết theo {units}", "Details by {units}"),
    "period_report.sheet.not_approved": ("Chưa phê duyệt", "Not approved"),
    "period_report.sheet.counts": ("Thí điểm, đào tạo", "Pilots, training"),
    "period_report.col.display": ("Kết quả (như hiển thị)", "Result (as shown)"),
    "period_report.col.target_year": ("Năm mục tiêu", "Target year"),
    "period_report.col.count": ("Số lượng", "Count"),
    "period_report.col.category": ("Phân loại", "Category"),
    "period_report.col.chart": ("Biểu đồ", "Chart"),
    # The page
    "period_report.nav": ("Báo cáo định kỳ (PDF, Excel)", "Period report (PDF, Excel)"),
    "period_report.page_title": ("Báo cáo kết quả theo kỳ", "Period report"),
    "period_report.intro": (
        "Tạo báo cáo PDF và Excel của một kỳ — toàn tỉnh hoặc một đơn vị — để đính kèm báo cáo "
        "của Ủy ban nhân dân tỉnh: các chỉ tiêu so với mục tiêu, phạm vi số liệu và tỷ lệ báo "
        "cáo, bảng theo đơn vị, biểu đồ, danh sách đơn vị chưa được phê duyệt và thời điểm số "
        "liệu.",
        "Make the PDF and Excel report of a period — the whole province or one unit — to "
        "attach to a report of the Provincial People's Committee: indicators against target, "
        "coverage and reporting rate, the table by unit, charts, the units not yet "
        "approved and the “as of” stamp.",
    ),
    "period_report.options": ("Nội dung báo cáo", "Report options"),
    "period_report.mode_label": ("Chế độ số liệu", "Data mode"),
    "period_report.editor_mode": (
        "Cán bộ nhập liệu tạo báo cáo trên toàn bộ số liệu (gồm số liệu chưa phê duyệt).",
        "Editors make the report on all data (including data not yet approved).",
    ),
    "period_report.make_pdf": ("Tạo PDF", "Make PDF"),
    "period_report.make_xlsx": ("Tạo Excel", "Make Excel"),
    "period_report.building": ("Đang tạo báo cáo…", "Making the report…"),
    "period_report.ready": ("Đã tạo tệp {file}.", "{file} is ready."),
    "period_report.hint": (
        "Báo cáo được tạo trên máy chủ từ số liệu hiện có; có thể mất vài giây.",
        "The report is made on the server from the current data; it may take a few seconds.",
    ),
}
