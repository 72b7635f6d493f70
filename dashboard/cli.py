"""Command line: `ntm-dashboard init-db | create-user | load-demo | move-accounts | run` (also as
`flask ...`)."""

from __future__ import annotations

import getpass
import os
import sys

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from dashboard import scope
from dashboard.auth import policy
from dashboard.auth.passwords import check_password, hash_password
from dashboard.db import get_db, get_session
from dashboard.models import User
from dashboard.models.users import ROLES
from dashboard.services import audit


def init_db() -> None:
    """Apply migrations, then insert or update the reference data."""
    from dashboard.migrate import upgrade
    from dashboard.services import aggregates
    from dashboard.services.reference import seed_reference

    upgrade(get_db().url)
    session = get_session()
    seed_reference(session)
    session.commit()
    if aggregates.rebuild_if_stale(session):  # first start after the cells were added
        session.commit()


@click.command("rebuild-aggregates")
@with_appcontext
def rebuild_aggregates_command() -> None:
    """Recompute the pre-aggregated figures from the records (after loading data with SQL
    outside the application; every change made through it keeps them current by itself)."""
    from dashboard.services import aggregates

    session = get_session()
    aggregates.rebuild(session)
    session.commit()
    click.echo("Figures recomputed.")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema and load reference data."""
    init_db()
    click.echo("Database ready.")


@click.command("load-demo")
@with_appcontext
@click.option(
    "--reset",
    is_flag=True,
    help="Delete the demo rows (and their audit rows) and load them afresh; rows users "
    "entered stay.",
)
def load_demo_command(reset: bool) -> None:
    """Load the deterministic demo data and demo accounts (APP_MODE=demo only). Run again, it
    keeps the demo data and users' changes and resets the demo accounts' passwords."""
    from dashboard.services.demo import DemoNotAllowed, load_demo

    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException(
            "load-demo only runs with APP_MODE=demo: demo accounts must not exist in production."
        )
    init_db()
    try:
        counts = load_demo(get_session(), current_app.config["DEMO_PASSWORD"], reset=reset)
    except DemoNotAllowed as exc:
        raise click.ClickException(str(exc)) from exc
    if counts["kept"]:
        click.echo(
            f"Demo data already present: kept as it is, with users' changes (use --reset to "
            f"rebuild it). {counts['users']} demo accounts reset to the demo password."
        )
        return
    click.echo(
        f"Demo data loaded: {counts['values']} values, {counts['registry_rows']} registry rows, "
        f"{counts['users']} accounts."
    )


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--district", "district_code", help="GSO code of the editor's district.")
@click.option("--full-name", default="")
@click.option("--email", default="", help="Address for e-mailed notifications (optional).")
@click.option("--password", envvar="NEW_USER_PASSWORD", help="Prompted for when omitted.")
def create_user_command(username, role, district_code, full_name, email, password) -> None:
    """Create an account (editors need --district). The password must pass the same policy as
    passwords set by an administrator."""
    from dashboard.services.admin import USERNAME, clean_email

    username = username.strip().lower()
    if not USERNAME.match(username):
        raise click.ClickException(
            "The username needs 3 to 64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    session = get_session()
    if session.scalar(sa.select(User).where(User.username == username)):
        raise click.ClickException(f"User {username!r} already exists.")
    unit = None
    if policy.role_is_scoped(role):
        if not district_code:
            raise click.ClickException("Editors need --district (GSO code, e.g. 622).")
        unit = scope.find_scope_unit(session, district_code)
        if unit is None:
            raise click.ClickException(
                f"No district or commune an editor can be limited to has GSO code "
                f"{district_code!r}."
            )
    if not password:
        if not sys.stdin.isatty():
            raise click.ClickException("Give --password or NEW_USER_PASSWORD.")
        password = getpass.getpass("Password: ")
    problems = check_password(password, username)
    if problems:
        raise click.ClickException(" ".join(problems))
    bad: dict[str, str] = {}
    address = clean_email(email, bad)
    if bad:
        raise click.ClickException(f"Not an e-mail address: {email!r}.")
    user = User(
        username=username,
        role=role,
        unit=unit,
        full_name=full_name,
        email=address,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    # Run by whoever operates the server (the first administrator is made this way): the audit
    # row names the command line as the actor.
    audit.record(
        session,
        None,
        "user.create",
        "user",
        entity_id=user.id,
        after={"username": username, "role": role, "unit_id": user.unit_id, "source": "cli"},
    )
    session.commit()
    click.echo(f"User {username} ({role}) created.")


@click.command("remind")
@with_appcontext
@click.option(
    "--today",
    "today_text",
    metavar="YYYY-MM-DD",
    help="The day to remind as of (default: today in Vietnam).",
)
def remind_command(today_text: str | None) -> None:
    """Create the "deadline approaching" notifications due today for every editor (once per
    period and deadline; safe to run again) and e-mail them when SMTP is configured. Run it
    daily, e.g. from cron."""
    import datetime as dt

    from dashboard.services import mail, notifications, workflow

    try:
        today = dt.date.fromisoformat(today_text) if today_text else workflow.today_in_vietnam()
    except ValueError as exc:
        raise click.ClickException(
            f"--today must be a date as YYYY-MM-DD; got {today_text!r}."
        ) from exc
    session = get_session()
    created = notifications.remind_all(session, today)
    emailed = notifications.send_emails(session, created, mail.current_settings())
    click.echo(f"{len(created)} reminders created, {emailed} e-mailed.")


def _parse_map(entries) -> dict[str, str]:
    """`--map username=code` entries (code `deactivate` to deactivate the account)."""
    chosen: dict[str, str] = {}
    for entry in entries:
        username, sep, code = entry.partition("=")
        if not sep or not username.strip() or not code.strip():
            raise click.BadParameter(
                f"{entry!r}: expected USERNAME=CODE (a GSO code, or 'deactivate').",
                param_hint="--map",
            )
        chosen[username.strip().lower()] = code.strip()
    return chosen


@click.command("move-accounts")
@with_appcontext
@click.option(
    "--on",
    "on_text",
    required=True,
    metavar="YYYY-MM-DD",
    help="The day whose units the accounts move to (e.g. 2025-07-01).",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="USERNAME=CODE",
    help="The unit (GSO code) to move an account to, or 'deactivate'; repeatable. Overrides "
    "the proposal.",
)
@click.option(
    "--apply",
    "apply_moves",
    is_flag=True,
    help="Move the accounts given by --map and those with an obvious proposal (else only print).",
)
@click.option("--actor", help="The administrator account the moves are made as (with --apply).")
def move_accounts_command(on_text, mapping, apply_moves, actor) -> None:
    """List the editor accounts whose unit is not in force on --on, with the units they could
    move to (the heir first) and the one proposed; with --apply, move them (all or nothing,
    audited, as --actor, who must be an administrator)."""
    import datetime as dt

    from dashboard.errors import ServiceError, ValidationError
    from dashboard.services import account_moves

    try:
        on = dt.date.fromisoformat(on_text)
    except ValueError as exc:
        raise click.ClickException(f"--on must be a date as YYYY-MM-DD; got {on_text!r}.") from exc
    chosen = _parse_map(mapping)
    session = get_session()
    found = account_moves.proposals(session, on)
    click.echo(f"{len(found)} accounts limited to a unit not in force on {on.isoformat()}.")
    for p in found:
        click.echo(
            f"{p.user.username}\t{p.user.full_name}\t{p.user.role}\t"
            f"{account_moves.old_unit_label(p.unit)}"
        )
        if p.user.username in chosen:
            click.echo(f"  chosen: {chosen[p.user.username]}")
        elif p.proposed is not None:
            click.echo(f"  proposed: {account_moves.unit_label(p.proposed)}")
        else:
            click.echo("  needs a choice (--map USERNAME=CODE)")
        if p.candidates:
            names = ", ".join(
                account_moves.unit_label(c.unit)
                + (f" [heir of {c.inherits} former units]" if c.inherits else "")
                for c in p.candidates
            )
            click.echo(f"  candidates: {names}")
    if not apply_moves:
        if chosen:
            click.echo("Nothing changed: add --apply to move the accounts.")
        return
    if not actor:
        raise click.ClickException("--apply needs --actor (an administrator's username).")
    actor_user = session.scalar(sa.select(User).where(User.username == actor.strip().lower()))
    if actor_user is None:
        raise click.ClickException(f"No account {actor!r}.")
    moves = dict(account_moves.obvious_moves(found))
    moves.update(chosen)
    if not moves:
        click.echo("Nothing to apply.")
        return
    try:
        done = account_moves.move(session, actor_user, list(moves.items()), on)
    except ValidationError as exc:
        session.rollback()
        raise click.ClickException("Nothing changed:\n" + "\n".join(exc.errors.values())) from exc
    except ServiceError as exc:
        session.rollback()
        raise click.ClickException(f"Nothing changed: {exc.message}") from exc
    for m in done:
        before = account_moves.unit_label(m.before) if m.before else "-"
        if m.after is None:
            click.echo(f"Deactivated {m.user.username} ({before}).")
        else:
            click.echo(f"Moved {m.user.username}: {before} -> {account_moves.unit_label(m.after)}.")
    left = [p.user.username for p in found if p.user.username not in moves]
    click.echo(
        f"{len(done)} accounts changed; {len(left)} left needing a choice"
        + (f": {', '.join(left)}." if left else ".")
    )


COMMANDS = (
    init_db_command,
    load_demo_command,
    create_user_command,
    remind_command,
    rebuild_aggregates_command,
    move_accounts_command,
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app_for_cli():
    from dashboard import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app_for_cli, add_default_commands=False)
def main() -> None:
    """Gia Lai NTM digital-transformation monitor."""


@main.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1")
@click.option("--port", type=int, default=None, help="Default: PORT or 8050.")
def serve_command(host: str, port: int | None) -> None:
    """Run the development server (use gunicorn in production)."""
    app = current_app._get_current_object()
    port = port or int(os.environ.get("PORT") or app.config["PORT"])
    from werkzeug.serving import run_simple

    click.echo(f"Serving on http://{host}:{port}")
    from dashboard.security import QuietRequestHandler

    run_simple(
        host,
        port,
        app,
        threaded=True,
        use_reloader=False,
        use_debugger=False,
        request_handler=QuietRequestHandler,
    )


for _command in COMMANDS:
    main.add_command(_command)
