"""The password policy for passwords set by an administrator or on the command line.

A password must have at least `MIN_LENGTH` characters (and at most `MAX_LENGTH`, what the login
form accepts), must not be one of the 30 000 most common passwords (the list shipped with the
`zxcvbn` package, compared without regard to case) and must not be or contain the username.
"""

from __future__ import annotations

from functools import cache

from dashboard.i18n import _

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list (lower case), loaded once."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def check_password(password: str | None, username: str | None) -> list[str]:
    """Every rule `password` breaks for the account `username`, as Vietnamese messages; an
    empty list means the password may be set."""
    text = "" if password is None else str(password)
    problems: list[str] = []
    if len(text) < MIN_LENGTH:
        problems.append(_("authsec.pw.too_short", n=MIN_LENGTH))
    elif len(text) > MAX_LENGTH:
        problems.append(_("authsec.pw.too_long", n=MAX_LENGTH))
    if text and text.lower() in common_passwords():
        problems.append(_("authsec.pw.common"))
    name = (username or "").strip().lower()
    if name and name in text.lower():
        problems.append(_("authsec.pw.contains_username"))
    return problems


def policy_hint() -> str:
    """One line describing the policy, for forms."""
    return _("authsec.pw.hint", n=MIN_LENGTH)
