"""Messages of the open-data API (`/api/v1/...`): parameter errors, the rate limit and the
descriptions in its OpenAPI document."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Parameter errors (400) and the rate limit (429)
    "api.error.unknown_parameter": (
        "Tham số “{name}” không được hỗ trợ. Các tham số hợp lệ: {allowed}.",
        "The parameter “{name}” is not supported. Valid parameters: {allowed}.",
    ),
    "api.error.repeated_parameter": (
        "Tham số “{name}” chỉ được nêu một lần.",
        "Give the parameter “{name}” only once.",
    ),
    "api.error.period_required": (
        "Vui lòng nêu kỳ báo cáo, ví dụ period=2024 (năm), 2026-H1 (6 tháng) hoặc 2026-Q3 (quý).",
        "Please give the reporting period, e.g. period=2024 (a year), 2026-H1 (a half-year) or "
        "2026-Q3 (a quarter).",
    ),
    "api.error.unknown_period": (
        "Không có kỳ báo cáo năm “{value}”. Các kỳ hiện có: {periods}.",
        "There is no yearly reporting period “{value}”. Available periods: {periods}.",
    ),
    "api.error.unknown_district": (
        "Không tìm thấy đơn vị báo cáo có mã “{value}” (huyện, thị xã, thành phố đến 30/6/2025; "
        "xã, phường từ 1/7/2025).",
        "No reporting unit has the code “{value}” (districts, towns and cities to 30/6/2025; "
        "communes and wards from 1/7/2025).",
    ),
    "api.error.district_not_valid": (
        "Đơn vị có mã “{value}” không báo cáo trong kỳ {period}.",
        "The unit with code “{value}” does not report in the period {period}.",
    ),
    "api.error.bad_format": (
        "Định dạng “{value}” không được hỗ trợ; vui lòng dùng {formats}.",
        "The format “{value}” is not supported; please use {formats}.",
    ),
    "api.error.bad_lang": (
        "Ngôn ngữ “{value}” không được hỗ trợ; vui lòng dùng vi hoặc en.",
        "The language “{value}” is not supported; please use vi or en.",
    ),
    "api.error.bad_value": (
        "Giá trị của tham số “{name}” không hợp lệ (chỉ gồm chữ, số, dấu chấm, gạch ngang).",
        "The value of “{name}” is not valid (letters, digits, dots and dashes only).",
    ),
    "api.error.not_found": (
        "Không có địa chỉ này trong API. Xem /api/v1/openapi.json.",
        "No such API address. See /api/v1/openapi.json.",
    ),
    "api.error.rate_limited": (
        "Địa chỉ của bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {seconds} giây.",
        "Too many requests from your address. Please try again in {seconds} seconds.",
    ),
    # The OpenAPI document
    "api.doc.title": (
        "API dữ liệu mở — Chuyển đổi số trong xây dựng nông thôn mới tỉnh Gia Lai",
        "Open data API — digital transformation in new-rural development, Gia Lai province",
    ),
    "api.doc.description": (
        "Số liệu chỉ tiêu, định nghĩa chỉ tiêu và danh mục đơn vị hành chính, không cần đăng "
        "nhập. Chỉ gồm số liệu đã được phê duyệt: số liệu của tỉnh hoặc huyện chỉ tính các đơn "
        "vị có báo cáo huyện đã được phê duyệt. Mỗi câu trả lời có ETag và được lưu đệm 5 phút; "
        "số yêu cầu từ mỗi địa chỉ bị giới hạn theo thời gian.",
        "Indicator figures, indicator definitions and the list of administrative units, without "
        "logging in. Approved figures only: a province or district figure counts only the units "
        "whose district report is approved. Every answer carries an ETag and may be cached for "
        "5 minutes; requests from each address are rate-limited.",
    ),
    "api.doc.kpis.summary": (
        "Số liệu đã phê duyệt của mọi chỉ tiêu trong một kỳ",
        "Approved figures of every indicator in one period",
    ),
    "api.doc.kpis.description": (
        "Mỗi dòng là một chỉ tiêu: giá trị, tử số, mẫu số, số đơn vị phải báo cáo, đã báo cáo và "
        "đã phê duyệt, mục tiêu và việc đạt mục tiêu. Khi chưa có đơn vị nào được phê duyệt, "
        "giá trị là null (chưa có số liệu công bố), không bao giờ là 0. Khi chọn một huyện, các "
        "chỉ tiêu cấp tỉnh được bỏ qua.",
        "One row per indicator: value, numerator, denominator, units expected, reported and "
        "approved, the target and whether it is met. While no unit is approved the value is "
        "null (no published figure), never 0. For one district, province-level indicators are "
        "left out.",
    ),
    "api.doc.indicators.summary": (
        "Định nghĩa các chỉ tiêu",
        "Indicator definitions",
    ),
    "api.doc.indicators.description": (
        "Mã, trụ cột, tên, cấp và loại đơn vị áp dụng, đơn vị tính, cách tổng hợp, quy tắc mẫu "
        "số, căn cứ pháp lý, thời gian hiệu lực và các mục tiêu.",
        "Code, pillar, names, level and unit kinds counted, unit of measure, rollup, "
        "denominator rule, legal basis, validity and targets.",
    ),
    "api.doc.units.summary": (
        "Các đơn vị hành chính tồn tại vào cuối kỳ",
        "Administrative units in existence at the end of a period",
    ),
    "api.doc.units.description": (
        "Tỉnh, các huyện, thị xã, thành phố và các xã, phường, thị trấn tồn tại vào ngày cuối "
        "của kỳ báo cáo, với mã đơn vị cấp trên và thời gian hiệu lực.",
        "The province, its districts and its communes, wards and townships in existence on the "
        "last day of the period, with the parent's code and the validity dates.",
    ),
    "api.doc.openapi.summary": (
        "Tài liệu OpenAPI của API này",
        "This API's OpenAPI document",
    ),
    "api.doc.param.period": (
        "Kỳ báo cáo: năm (2024), 6 tháng (2026-H1, 2026-H2) hoặc quý (2026-Q1 đến 2026-Q4), khi "
        "Văn phòng Điều phối đã tạo kỳ đó.",
        "Reporting period: a year (2024), a half-year (2026-H1, 2026-H2) or a quarter (2026-Q1 "
        "to 2026-Q4), once the Coordination Office has created it.",
    ),
    "api.doc.param.district": (
        "Mã thống kê (GSO) của một đơn vị báo cáo trong kỳ — huyện, thị xã, thành phố đến "
        "30/6/2025; xã, phường từ 1/7/2025 —; bỏ trống để lấy số liệu toàn tỉnh.",
        "GSO code of one unit that reports in the period — a district, town or city to "
        "30/6/2025; a commune or ward from 1/7/2025 —; leave out for the whole province.",
    ),
    "api.doc.param.format": (
        "Định dạng câu trả lời: json (mặc định) hoặc csv (UTF-8, mở được bằng Excel).",
        "Answer format: json (default) or csv (UTF-8, opens in Excel).",
    ),
    "api.doc.param.lang": (
        "Ngôn ngữ của tên và thông báo: vi (mặc định) hoặc en.",
        "Language of names and messages: vi (default) or en.",
    ),
    "api.doc.response.ok": ("Thành công.", "Success."),
    "api.doc.response.not_modified": (
        "Không thay đổi so với ETag đã gửi trong If-None-Match.",
        "Unchanged since the ETag sent in If-None-Match.",
    ),
    "api.doc.response.bad_request": (
        "Tham số không hợp lệ: thông báo lỗi và tên tham số.",
        "A bad parameter: the message and the parameter's name.",
    ),
    "api.doc.response.rate_limited": (
        "Quá nhiều yêu cầu; thử lại sau số giây trong Retry-After.",
        "Too many requests; retry after the seconds in Retry-After.",
    ),
    "api.doc.field.value": (
        "Giá trị: phần trăm với chỉ tiêu tỷ lệ, số lượng với chỉ tiêu đếm; null khi chưa có số "
        "liệu công bố hoặc chưa có đơn vị báo cáo.",
        "Value: a percent for shares and ratios, a count otherwise; null when there is no "
        "published figure or no unit has reported.",
    ),
    "api.doc.field.units_expected": (
        "Số đơn vị mà chỉ tiêu áp dụng, trong phạm vi và kỳ đã chọn.",
        "Units the indicator applies to in the scope and period.",
    ),
    "api.doc.field.units_reported": (
        "Số đơn vị đã báo cáo, chỉ tính trong các đơn vị đã được phê duyệt.",
        "Units that reported, among the approved units only.",
    ),
    "api.doc.field.units_approved": (
        "Số đơn vị có báo cáo huyện đã được phê duyệt.",
        "Units whose district report is approved.",
    ),
    "api.doc.field.met": (
        "Đã đạt mục tiêu hay chưa; null khi không có mục tiêu hoặc không có số liệu công bố.",
        "Whether the target is met; null without a target or a published figure.",
    ),
    "api.doc.field.as_of": (
        "Thời điểm phê duyệt gần nhất của các báo cáo trong phạm vi (ISO 8601, UTC); null khi "
        "chưa có báo cáo nào được phê duyệt.",
        "Time of the latest approval of a report in scope (ISO 8601, UTC); null when none is "
        "approved.",
    ),
    "api.doc.field.published": (
        "Có số liệu công bố hay không (ít nhất một đơn vị đã được phê duyệt).",
        "Whether there is a published figure (at least one unit approved).",
    ),
}
