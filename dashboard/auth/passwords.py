"""How passwords are stored, and the policy for passwords set by an administrator or on the
command line.

Every password is hashed by `hash_password` and checked by `password_matches`: werkzeug's
scrypt (N=2**15, r=8, p=1), about 0.1 s per hash on purpose. A stored hash names its method, so
hashes made another way still verify (the test suite sets `HASH_METHOD` to a fast one; a
server never changes it).

A password must have at least `MIN_LENGTH` characters (and at most `MAX_LENGTH`, what the login
form accepts), must not be one of the 30 000 most common passwords (the list shipped with the
`zxcvbn` package, compared without regard to case) and must not be or contain the username.
"""

from __future__ import annotations

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.i18n import _

DEFAULT_HASH_METHOD = "scrypt"
HASH_METHOD = DEFAULT_HASH_METHOD

MIN_LENGTH = 10
MAX_LENGTH = 200


def hash_password(password: str) -> str:
    """The hash to store for `password` (salted; the method and its parameters included)."""
    return generate_password_hash(password, method=HASH_METHOD)


def password_matches(stored: str, password: str) -> bool:
    """Whether `password` is the one `stored` was made from, by the method `stored` names."""
    return check_password_hash(stored, password)


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
