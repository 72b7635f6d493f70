"""Messages of the language switch and the `lang` parameter."""

MESSAGES: dict[str, tuple[str, str]] = {
    "lang.switch": ("Ngôn ngữ", "Language"),
    "lang.name.vi": ("Tiếng Việt", "Vietnamese"),
    "lang.name.en": ("Tiếng Anh", "English"),
    "lang.unsupported": (
        "Ngôn ngữ không được hỗ trợ. Vui lòng chọn vi (tiếng Việt) hoặc en (tiếng Anh).",
        "Unsupported language. Choose vi (Vietnamese) or en (English).",
    ),
}
