"""Messages of the Excel template and upload: limits, formulas, stale cells, the page's size
check."""

MESSAGES: dict[str, tuple[str, str]] = {
    "xl.help.5": (
        "5. Không thêm, xóa, đổi tên trang, dòng hoặc cột; không sửa mã và tên đơn vị; không "
        "nhập gì ngoài vùng của mẫu. Chỉ nhập giá trị, không nhập công thức (nếu đã tính bằng "
        "công thức, hãy sao chép rồi dán dạng giá trị).",
        "5. Do not add, delete or rename sheets, rows or columns, change unit codes or names, or "
        "type anything outside the template. Enter values, not formulas (paste values only).",
    ),
    "xl.help.7": (
        "7. Nếu người khác đã sửa một ô sau khi bạn tải mẫu mà bạn cũng sửa ô đó, tệp bị từ chối "
        "kèm giá trị hiện tại và người đã sửa; hãy tải mẫu mới rồi nhập lại.",
        "7. If someone else changed a cell after you downloaded the template and you changed it "
        "too, the file is refused with the current value and who changed it; download a new "
        "template.",
    ),
    "xl.error.more": ("… và {count} lỗi khác.", "… and {count} more problems."),
    "xl.error.members": (
        "Tệp gồm {count} thành phần nén, vượt quá giới hạn {limit} thành phần. Hãy dùng mẫu tải "
        "từ hệ thống.",
        "The file has {count} archive members, above the limit of {limit}. Use the downloaded "
        "template.",
    ),
    "xl.error.unpacked": (
        "Tệp khi giải nén có dung lượng {size} MB, vượt quá giới hạn {limit} MB dữ liệu giải "
        "nén. Hãy dùng mẫu tải từ hệ thống, không thêm dữ liệu ngoài mẫu.",
        "The file unpacks to {size} MB, above the {limit} MB limit on unpacked data. Use the "
        "downloaded template.",
    ),
    "xl.error.ratio": (
        "Thành phần “{member}” của tệp có tỷ lệ nén {ratio}:1, vượt quá giới hạn tỷ lệ nén "
        "{limit}:1 (tệp có dấu hiệu “bom nén”). Hãy dùng mẫu tải từ hệ thống.",
        "Member “{member}” has a compression ratio of {ratio}:1, above the {limit}:1 limit "
        "(a possible zip bomb). Use the downloaded template.",
    ),
    "xl.error.rows": (
        "Trang “{sheet}” có quá nhiều dòng: vượt quá giới hạn {limit} dòng có dữ liệu hoặc định "
        "dạng. Hãy xóa các dòng thừa ngoài mẫu rồi tải lên lại.",
        "Sheet “{sheet}” has too many rows: above the limit of {limit} rows with data or "
        "formatting. Remove the extra rows and upload again.",
    ),
    "xl.error.columns": (
        "Dòng {row} của trang “{sheet}” có quá nhiều ô: vượt quá giới hạn {limit} ô mỗi dòng. "
        "Hãy xóa các cột thừa ngoài mẫu rồi tải lên lại.",
        "Row {row} of sheet “{sheet}” has too many cells: above the limit of {limit} cells per "
        "row. Remove the extra columns and upload again.",
    ),
    "xl.error.cells": (
        "Trang “{sheet}” có quá nhiều ô: vượt quá giới hạn {limit} ô có dữ liệu hoặc định dạng. "
        "Hãy xóa dữ liệu và định dạng thừa ngoài mẫu rồi tải lên lại.",
        "Sheet “{sheet}” has too many cells: above the limit of {limit} cells with data or "
        "formatting. Remove what is outside the template and upload again.",
    ),
    "xl.error.cell_parts": (
        "Một ô của trang “{sheet}” có nội dung quá phức tạp: vượt quá giới hạn {limit} phần "
        "định dạng trong một ô. Hãy nhập giá trị đơn giản.",
        "A cell of sheet “{sheet}” is too complex: above the limit of {limit} formatted parts "
        "in one cell. Enter a plain value.",
    ),
    "xl.error.formula": (
        "Ô chứa công thức ({formula}); hãy nhập giá trị, không nhập công thức (sao chép rồi dán "
        "dạng giá trị).",
        "The cell holds a formula ({formula}); enter a value, not a formula (paste values only).",
    ),
    "xl.upload.too_large": (
        "Không tải lên tệp {name}: dung lượng {size} MB vượt quá giới hạn {limit} MB. Hãy dùng "
        "mẫu tải từ hệ thống, không thêm dữ liệu ngoài mẫu.",
        "File {name} not uploaded: {size} MB is above the {limit} MB limit. Use the downloaded "
        "template.",
    ),
}
