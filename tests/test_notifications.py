"""In-app notifications of the reporting round and their e-mail: who is told of what, in the
transition's transaction; deadline reminders once each; each user reads and marks only their own
(also through replayed callbacks); e-mail after the commit, a dead mail server changing nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging
import socketserver
import threading

import pytest
import sqlalchemy as sa
from flask_login import login_user

from dashboard.callbacks import notifications as notification_callbacks
from dashboard.errors import Conflict
from dashboard.i18n import _
from dashboard.models import DistrictReport, Notification, User
from dashboard.services import indicators as svc
from dashboard.services import notifications, workflow
from tests.conftest import get_user

pytestmark = pytest.mark.db

REASON = "Thiếu số liệu hồ sơ trực tuyến của 3 xã"
DEADLINE_2025 = dt.date(2026, 1, 15)


def user(session, name) -> User:
    return session.scalar(sa.select(User).where(User.username == name))


def notes(session, name: str) -> list[Notification]:
    return list(
        session.scalars(
            sa.select(Notification)
            .join(User, User.id == Notification.user_id)
            .where(User.username == name)
            .order_by(Notification.id)
        )
    )


def count_all(session) -> int:
    return session.scalar(sa.select(sa.func.count(Notification.id)))


# --- who is told of what ---------------------------------------------------------------------


def test_submit_tells_the_office_and_return_tells_the_districts_editor_with_the_reason(session):
    """Catches notifications sent to the wrong people (another district's editor, viewers, the
    person who acted) or a returned report whose notification omits the reason."""
    editor, admin = user(session, "editor-622"), user(session, "admin")
    workflow.transition(session, editor, "submit", "622", "2024")
    [submitted] = notes(session, "admin")
    assert submitted.kind == "submitted" and notes(session, "editor-622") == []
    assert notifications.text_of(submitted, lang="vi") == (
        "Thành phố Pleiku đã gửi báo cáo kỳ 2024, chờ phê duyệt."
    )
    workflow.transition(session, admin, "return", "622", "2024", reason=REASON)
    [returned] = notes(session, "editor-622")
    assert returned.kind == "returned" and returned.read_at is None
    assert notifications.text_of(returned, lang="vi") == (
        f"Báo cáo kỳ 2024 của Thành phố Pleiku bị trả lại. Lý do: {REASON}"
    )
    assert notifications.link_of(returned) == "/nhap-lieu?district=622&period=2024"
    for other in ("editor-633", "viewer"):
        assert notes(session, other) == []
    assert len(notes(session, "admin")) == 1  # the admin is not told of their own return


def test_reopen_and_approve_tell_the_districts_editors(session):
    """Catches reopened or approved reports that leave the district's editors uninformed."""
    editor, admin = user(session, "editor-633"), user(session, "admin")
    workflow.transition(session, editor, "submit", "633", "2024")
    workflow.transition(session, admin, "approve", "633", "2024")
    workflow.transition(session, admin, "reopen", "633", "2024", reason="Điều chỉnh số liệu")
    kinds = [n.kind for n in notes(session, "editor-633")]
    assert kinds == ["approved", "reopened"]
    reopened = notes(session, "editor-633")[-1]
    assert "Điều chỉnh số liệu" in notifications.text_of(reopened, lang="vi")
    assert notes(session, "editor-622") == []


def test_admin_submitting_for_a_district_is_not_told_of_it(session):
    """Catches the office being notified of a submission it made itself."""
    workflow.transition(session, user(session, "admin"), "submit", "622", "2024")
    assert notes(session, "admin") == []


def test_messages_are_put_into_words_in_the_readers_language(session):
    """Catches notifications stored as finished Vietnamese text (an English reader would get
    Vietnamese) instead of kind + parameters rendered when shown."""
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2024")
    workflow.transition(session, user(session, "admin"), "return", "622", "2024", reason=REASON)
    [returned] = notes(session, "editor-622")
    assert notifications.text_of(returned, lang="en") == (
        f"The 2024 report of Thành phố Pleiku was returned. Reason: {REASON}"
    )
    assert "Thành phố Pleiku" in returned.params and "bị trả lại" not in returned.params


def test_notifications_are_rolled_back_with_a_failed_transition(session, monkeypatch):
    """Catches notifications committed on their own: a transition that fails at the end (a
    concurrent change) must leave no notification behind."""
    real = notifications.on_transition

    def then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise sa.exc.IntegrityError("INSERT", {}, Exception("duplicate report"))

    monkeypatch.setattr(notifications, "on_transition", then_fail)
    before = count_all(session)
    with pytest.raises(Conflict):
        workflow.transition(session, user(session, "editor-622"), "submit", "622", "2024")
    assert count_all(session) == before
    period = svc.get_period(session, "2024")
    assert workflow.status_of(session, user(session, "editor-622").unit_id, period.id) == "draft"


def test_inactive_accounts_are_not_told(session):
    """Catches notifications for deactivated editors (who can no longer act on them)."""
    editor = user(session, "editor-622")
    workflow.transition(session, editor, "submit", "622", "2024")
    editor.active = False
    session.commit()
    workflow.transition(session, user(session, "admin"), "return", "622", "2024", reason=REASON)
    assert notes(session, "editor-622") == []


# --- deadline reminders ----------------------------------------------------------------------


def test_deadline_reminder_once_per_period_only_when_due_and_unsent(session):
    """Catches reminders created again on every read, outside the window (more than 7 days
    before, or after the deadline), or for a report already sent."""
    editor = user(session, "editor-622")
    assert notifications.remind(session, editor, DEADLINE_2025 - dt.timedelta(days=8)) == []
    created = notifications.remind(session, editor, DEADLINE_2025 - dt.timedelta(days=7))
    assert len(created) == 1
    assert notifications.remind(session, editor, DEADLINE_2025 - dt.timedelta(days=7)) == []
    assert notifications.remind(session, editor, DEADLINE_2025) == []
    [reminder] = notes(session, "editor-622")
    assert reminder.kind == "deadline"
    assert notifications.text_of(reminder, lang="vi") == (
        "Sắp đến hạn nộp báo cáo kỳ 2025 (15/01/2026): báo cáo của Thành phố Pleiku chưa được gửi."
    )
    # A district whose report is submitted is not reminded; after the deadline nobody is.
    workflow.transition(session, user(session, "editor-633"), "submit", "633", "2025")
    assert notifications.remind(session, user(session, "editor-633"), DEADLINE_2025) == []
    after = DEADLINE_2025 + dt.timedelta(days=1)
    assert notifications.remind(session, user(session, "editor-623"), after) == []
    # Viewers and admins get no reminders.
    assert notifications.remind(session, user(session, "admin"), DEADLINE_2025) == []


def test_moved_deadline_gives_a_new_reminder(session):
    """Catches a reminder keyed on the period only: when the office moves the deadline, the
    editor must be reminded of the new date."""
    editor = user(session, "editor-622")
    assert len(notifications.remind(session, editor, dt.date(2026, 1, 10))) == 1
    period = workflow.period_of_day(session, dt.date(2025, 6, 1))
    period.deadline = dt.date(2026, 1, 20)
    session.commit()
    assert len(notifications.remind(session, editor, dt.date(2026, 1, 15))) == 1
    assert len(notes(session, "editor-622")) == 2


def test_remind_command_reminds_every_unsent_district_once(runner, session):
    """Catches the cron command reminding twice when run twice, or missing districts."""
    first = runner.invoke(args=["remind", "--today", "2026-01-10"])
    assert first.exit_code == 0, first.output
    assert "17 reminders created, 0 e-mailed." in first.output
    again = runner.invoke(args=["remind", "--today", "2026-01-10"])
    assert "0 reminders created" in again.output
    bad = runner.invoke(args=["remind", "--today", "10/01/2026"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


# --- reading and marking: one's own only ------------------------------------------------------


def _returned_for_622(session) -> Notification:
    workflow.transition(session, user(session, "editor-622"), "submit", "622", "2024")
    workflow.transition(session, user(session, "admin"), "return", "622", "2024", reason=REASON)
    return notes(session, "editor-622")[0]


def test_a_user_reads_and_marks_only_their_own_notifications(session):
    """Catches a list or a "mark read" that is not limited to the current user: another
    editor passing someone else's notification id must change nothing."""
    mine = _returned_for_622(session)
    other = user(session, "editor-633")
    assert notifications.for_user(session, other) == []
    assert notifications.unread_count(session, other) == 0
    assert notifications.mark_read(session, other, [mine.id]) == 0
    assert notifications.mark_read(session, other) == 0  # "mark all" of someone else
    session.refresh(mine)
    assert mine.read_at is None
    owner = user(session, "editor-622")
    assert notifications.unread_count(session, owner) == 1
    assert [n.id for n in notifications.for_user(session, owner)] == [mine.id]
    assert notifications.mark_read(session, owner, [mine.id]) == 1
    session.refresh(mine)
    assert mine.read_at is not None and notifications.unread_count(session, owner) == 0


def _ensure_callbacks(app) -> None:
    """Register the bell's callbacks on the test app unless the factory already does."""
    dash_app = app.extensions["dash_app"]
    if not any("notif-changed.data" in key for key in dash_app.callback_map):
        notification_callbacks.register(dash_app)


def _replay_mark(dash_caller, notification_id):
    pattern = {"type": "notif-read", "index": notification_id}
    return dash_caller.post(
        "notif-changed.data",
        inputs=[
            {"id": "notif-mark-all", "property": "n_clicks", "value": None},
            [
                {
                    "id": {"type": "notif-read", "index": notification_id},
                    "property": "n_clicks",
                    "value": 1,
                }
            ],
        ],
        changed=[json.dumps(pattern, sort_keys=True, separators=(",", ":")) + ".n_clicks"],
    )


def _read_at(app, notification_id):
    with app.app_context():
        return app.extensions["db"].session().get(Notification, notification_id).read_at


def test_replayed_mark_read_of_another_users_notification_changes_nothing(app, auth, dash_caller):
    """Catches the "mark read" callback trusting the id it receives: replayed by another
    logged-in editor with the owner's notification id, nothing may change."""
    _ensure_callbacks(app)
    with app.app_context():
        mine = _returned_for_622(app.extensions["db"].session()).id
    auth.login("editor-633")
    response = _replay_mark(dash_caller, mine)
    assert response.status_code == 204  # no update: nothing of the caller's was marked
    assert _read_at(app, mine) is None
    auth.logout()
    auth.login("editor-622")
    response = _replay_mark(dash_caller, mine)
    assert response.status_code == 200
    assert _read_at(app, mine) is not None


def test_replayed_mark_read_with_a_malformed_id_is_refused(app, auth, dash_caller):
    """Catches a forged pattern id reaching the database (500) instead of a 400."""
    _ensure_callbacks(app)
    auth.login("editor-622")
    response = _replay_mark(dash_caller, "1; DROP TABLE notification")
    assert response.status_code == 400


def test_bell_callback_counts_the_users_unread_notifications(app, session):
    """Catches a bell that counts everyone's notifications, or an unread count that ignores
    what was marked read; also creates the due deadline reminder when the bell is refreshed."""
    mine = _returned_for_622(session)
    with app.test_request_context():
        login_user(get_user(app, "editor-633"))
        badge, style, label, _title, listing, disabled = notification_callbacks.refresh(
            "/", None, False, 0
        )
    assert badge == "" and style == {"display": "none"} and disabled is True
    assert label == "Thông báo: không có thông báo mới"
    with app.test_request_context():
        login_user(get_user(app, "editor-622"))
        badge, style, label, _title, listing, disabled = notification_callbacks.refresh(
            "/", None, False, 0
        )
    assert (badge, style, label, disabled) == ("1", {}, "Thông báo: 1 chưa đọc", False)
    assert f"notif-item-{mine.id}" in str(listing) and REASON in str(listing)


def test_bell_label_follows_the_language(app):
    """Catches the bell's accessible name fixed in Vietnamese."""
    from dashboard.components.notifications import bell_label

    with app.test_request_context("/?lang=en"):
        from flask import g

        g.lang = "en"
        assert bell_label(3) == "Notifications: 3 unread"
        assert _("notify.mark_all") == "Mark all as read"


# --- e-mail ----------------------------------------------------------------------------------


class _SMTPSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages: each DATA block is kept in `server.messages`."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append(data)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")


@pytest.fixture
def smtp_sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPSink)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _mail_app(app_factory, database_url, port: int):
    return app_factory(
        database_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_FROM="ntm@gialai.gov.vn",
        SMTP_STARTTLS=False,
        SMTP_TIMEOUT_SECONDS=5,
    )


def test_return_is_emailed_after_commit_to_editors_with_an_address(
    app_factory, database_url, smtp_sink
):
    """Catches e-mail that is never sent, sent to the wrong person, not recorded as sent
    (`emailed_at`), or sent again."""
    mail_app = _mail_app(app_factory, database_url, smtp_sink.server_address[1])
    with mail_app.app_context():
        session = mail_app.extensions["db"].session()
        editor = user(session, "editor-622")
        # No e-mail column on users yet: the notifier reads `email` when present.
        editor.email = "canbo.pleiku@example.vn"
        workflow.transition(session, editor, "submit", "622", "2024")
        workflow.transition(session, user(session, "admin"), "return", "622", "2024", reason=REASON)
        [returned] = notes(session, "editor-622")
        assert returned.emailed_at is not None
        assert notes(session, "admin")[0].emailed_at is None  # the admin has no address
        [message] = smtp_sink.messages
        text = message.decode("ascii")
        assert "To: canbo.pleiku@example.vn" in text
        assert "Subject: =?utf-8?" in text  # the Vietnamese subject, encoded
        import email

        parsed = email.message_from_bytes(message)
        body = parsed.get_payload(decode=True).decode("utf-8")
        assert REASON in body and "/nhap-lieu?district=622&period=2024" in body
        assert "The 2024 report of Thành phố Pleiku was returned" in body
        # Sending again sends nothing: it was recorded.
        from dashboard.services import mail

        assert notifications.send_emails(session, [returned.id], mail.current_settings()) == 0
        assert len(smtp_sink.messages) == 1


def test_mail_server_down_does_not_undo_the_transition(app_factory, database_url, caplog):
    """Catches e-mail sent inside the transition's transaction (or errors let through): with
    the SMTP server unreachable the return is still committed, the notification kept, the
    failure logged."""
    mail_app = _mail_app(app_factory, database_url, _free_port())
    with mail_app.app_context():
        session = mail_app.extensions["db"].session()
        editor = user(session, "editor-622")
        editor.email = "canbo.pleiku@example.vn"
        workflow.transition(session, editor, "submit", "622", "2024")
        with caplog.at_level(logging.WARNING, logger="dashboard.services.mail"):
            report = workflow.transition(
                session, user(session, "admin"), "return", "622", "2024", reason=REASON
            )
        assert report.status == "returned"
        assert any("E-mail not sent" in r.message for r in caplog.records)
        report_id = report.id
    # Read back through a new session: committed.
    with mail_app.app_context():
        fresh = mail_app.extensions["db"].session()
        assert fresh.get(DistrictReport, report_id).status == "returned"
        [returned] = notes(fresh, "editor-622")
        assert returned.emailed_at is None


def test_mail_is_off_without_smtp_host(app, session, monkeypatch):
    """Catches an attempt to connect to a mail server when none is configured (the default)."""
    import smtplib

    def refuse(*_args, **_kwargs):
        raise AssertionError("no SMTP connection expected")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    editor = user(session, "editor-622")
    editor.email = "canbo.pleiku@example.vn"
    workflow.transition(session, editor, "submit", "622", "2024")
    workflow.transition(session, user(session, "admin"), "return", "622", "2024", reason=REASON)
    assert notes(session, "editor-622")[0].emailed_at is None


def test_smtp_settings_need_a_sender_address():
    """Catches a configuration that would send mail without a valid From address."""
    from dashboard.config import ConfigError, load_config

    with pytest.raises(ConfigError):
        load_config({"SMTP_HOST": "mail.gialai.gov.vn"})
    config = load_config({"SMTP_HOST": "mail.gialai.gov.vn", "SMTP_FROM": "ntm@gialai.gov.vn"})
    assert (config["SMTP_PORT"], config["SMTP_STARTTLS"], config["SMTP_SSL"]) == (587, True, False)
    assert load_config({})["SMTP_HOST"] == ""
