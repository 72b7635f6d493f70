"""The login form (Flask-WTF: CSRF token included)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.i18n import _, lazy_


def _required(field_key: str):
    return DataRequired(message=lazy_("login.field_required", field=lambda: _(field_key).lower()))


def _at_most(field_key: str, size: int):
    return Length(
        max=size, message=lazy_("validation.too_long", field=lambda: _(field_key), max=size)
    )


class LoginForm(FlaskForm):
    """Labels and messages are translated when shown, in the request's language."""

    username = StringField(
        lazy_("login.username"),
        validators=[_required("login.username"), _at_most("login.username", 64)],
    )
    password = PasswordField(
        lazy_("login.password"),
        validators=[_required("login.password"), _at_most("login.password", 200)],
    )
