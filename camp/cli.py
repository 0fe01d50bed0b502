"""The `camp` command: `camp up`, `camp users`, `camp cohorts`, plus Flask's `db` and `routes`.

Commands print one line and exit non-zero on bad input; they share the services the views use.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from camp import create_app
from camp.accounts import services
from camp.accounts.errors import AccountError
from camp.accounts.models import Role
from camp.extensions import current_app_object, db
from camp.schema import needs_current_schema
from camp.server import DEFAULT_THREADS


def _create_app() -> Flask:
    return create_app()


cli = FlaskGroup(
    create_app=_create_app,
    help="Camp: quizzes and lesson modules for a training camp.",
)


def fail(message: str) -> None:
    """Roll back, print one line to stderr, exit 1."""
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def upgrade_database() -> None:
    from flask_migrate import upgrade

    upgrade()


def load_content() -> None:
    """Load lesson modules; on a content problem, say so and serve what is already loaded."""
    from camp.formats.lesson_file import ContentError
    from camp.lessons.loader import content_root, load_content

    root = content_root(current_app)
    if not root.is_dir():
        click.echo(f"No content folder at {root}; no lesson modules loaded.")
        return
    try:
        report = load_content(root)
    except ContentError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Content NOT loaded (see the problems above); serving what was loaded before.")
        return
    db.session.commit()
    click.echo(f"Content loaded from {root}: {report.summary()}")


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--threads", default=DEFAULT_THREADS, show_default=True, type=int, help="Threads per worker."
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes (default: two per CPU core, at most 8).",
)
@with_appcontext
def up(host: str, port: int, threads: int, workers: int | None) -> None:
    """Upgrade the database, load content, create demo data if empty, and serve."""
    from camp.demo import create_demo_data, database_has_users
    from camp.server import default_workers, serve

    # Each request thread, the writer and a margin keep a connection of the pool; past
    # its size SQLite's per-thread pool closes other threads' connections (camp.config).
    pool_size = current_app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_size")
    if pool_size is not None and threads + 2 > pool_size:
        raise click.UsageError(
            f"--threads {threads} needs CAMP_DB_POOL_SIZE of at least {threads + 2} "
            f"(it is {pool_size}): set it higher, or use fewer threads."
        )
    upgrade_database()
    load_content()
    if not database_has_users():
        demo = create_demo_data()
        db.session.commit()
        click.echo("Demo data created. These logins are shown once:")
        for login in demo.logins:
            click.echo(f"  {login.role:<9} {login.email:<24} password: {login.password}")
        click.echo(f"  Demo cohort join code: {demo.join_code}")
        if demo.live_code:
            click.echo(
                f"  Demo live session code: {demo.live_code} (the organiser presents it from "
                "Live sessions)"
            )
    app = current_app_object()

    def before_fork() -> None:
        # Workers must not share the parent's database connections.
        db.session.remove()
        db.engine.dispose()

    try:
        serve(app, host, port, threads, workers or default_workers(), before_fork=before_fork)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise click.ClickException(
            f"Port {port} on {host} is already in use (is Camp already running?). "
            "Stop what is using it, or choose another port with --port."
        ) from error


@click.group("users")
def users_group() -> None:
    """Create accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role], case_sensitive=False)
)
@click.option("--password", default=None, help="Prompted for when left out.")
@needs_current_schema
def users_create(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(
            email=email, display_name=name, password=password, role=role.lower()
        )
    except AccountError as exc:
        fail(str(exc))
        return
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}")


@click.group("cohorts")
def cohorts_group() -> None:
    """Create cohorts and add people to them."""


@cohorts_group.command("create")
@click.argument("name")
@needs_current_schema
def cohorts_create(name: str) -> None:
    """Create a cohort and print its join code."""
    try:
        cohort = services.create_cohort(name)
    except AccountError as exc:
        fail(str(exc))
        return
    db.session.commit()
    click.echo(
        f"Created cohort {cohort.name}; join code {services.format_join_code(cohort.join_code)}"
    )


@cohorts_group.command("add")
@click.argument("name")
@click.argument("emails", nargs=-1, required=True)
@needs_current_schema
def cohorts_add(name: str, emails: tuple[str, ...]) -> None:
    """Add existing users (by email) to a cohort."""
    from camp.accounts.models import MemberRole

    try:
        cohort = services.get_cohort_by_name(name)
        users = []
        for email in emails:
            user = services.find_user_by_email(email)
            if user is None:
                raise AccountError(f"There is no user with the email {email}.")
            users.append(user)
    except AccountError as exc:
        fail(str(exc))
        return
    for user in users:
        role = MemberRole.ORGANISER if user.role == Role.ORGANISER else MemberRole.STUDENT
        services.add_member(cohort, user, role=role)
    db.session.commit()
    click.echo(f"{cohort.name} now includes {', '.join(u.email for u in users)}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Write a consistent copy of the database to PATH while Camp keeps running."""
    from camp.backup import PG_DUMP_ADVICE, BackupError, backup_sqlite, sqlite_path

    try:
        source = sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
        if source is None:
            click.echo(PG_DUMP_ADVICE, err=True)
            sys.exit(1)
        pages = backup_sqlite(source, path)
    except BackupError as error:
        fail(str(error))
        return
    click.echo(f"Backed up {source} to {path} ({pages} pages).")


def register_commands(app: Flask) -> None:
    """Attach Camp's commands to ``app.cli`` so `camp` and `flask --app camp` both have them."""
    app.cli.add_command(up)
    app.cli.add_command(backup)
    app.cli.add_command(users_group)
    app.cli.add_command(cohorts_group)

    from camp.bank.cli import bank_group
    from camp.lessons.cli import content_group
    from camp.quizzes.cli import attempts_group
    from camp.reports.cli import report_group

    app.cli.add_command(bank_group)
    app.cli.add_command(content_group)
    app.cli.add_command(attempts_group)
    app.cli.add_command(report_group)


def main() -> None:
    cli.main(prog_name="camp")
