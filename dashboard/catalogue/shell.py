"""Messages of the frame around every page: skip link, navigation toggler, landmarks, print."""

MESSAGES: dict[str, tuple[str, str]] = {
    "shell.skip_to_main": ("Bỏ qua đến nội dung chính", "Skip to main content"),
    "shell.menu": ("Mở hoặc đóng menu điều hướng", "Open or close the navigation menu"),
    "shell.main_nav": ("Điều hướng chính", "Main navigation"),
    "shell.print_source": ("In từ địa chỉ:", "Printed from:"),
}
