"""The login form (Flask-WTF: CSRF token included)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.i18n import _


class LoginForm(FlaskForm):
    username = StringField(
        _("login.username"),
        validators=[
            DataRequired(message=_("login.field_required", field=_("login.username").lower())),
            Length(max=64),
        ],
    )
    password = PasswordField(
        _("login.password"),
        validators=[
            DataRequired(message=_("login.field_required", field=_("login.password").lower())),
            Length(max=200),
        ],
    )
