"""flask proposals ...: import a session's list, and report what is due (for a daily reminder job)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from engage.accounts.models import User
from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.proposals import queues, rules
from engage.proposals.importing import jobs as import_jobs
from engage.proposals.importing.rows import column_label, problem_text
from engage.proposals.models import ImportState

proposals_cli = AppGroup("proposals", help="Deputies' suggestions and members' proposals.")


@proposals_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--session", "session_name", required=True, help="Session (届次), e.g. 第十八届人大第三次会议.")
@click.option("--kind", type=click.Choice(rules.KINDS), required=True,
              help="suggestion (人大代表建议) or proposal (政协委员提案).")
@click.option("--by", "by_email", help="E-mail of the supervisor the import is recorded under.")
def import_command(file: Path, session_name: str, kind: str, by_email: str | None):
    """Import a session's list from CSV or XLSX; a file with any bad row imports nothing."""
    actor = _actor(by_email)
    now = utcnow()
    job = import_jobs.create_job(kind, session_name, file.name, actor=actor, now=now)
    with click.progressbar(length=1, label="Checking", show_pos=True) as bar:
        def progress(state, done, total):
            bar.label = "Checking" if state == ImportState.VALIDATING else "Importing"
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        import_jobs.run_import(job, file.read_bytes(), actor=actor, now=now, config=current_app.config,
                               progress=progress)
    db.session.commit()
    if job.state == ImportState.FAILED:
        for error in job.errors:
            where = f"row {error['line']}" if error["line"] else "file"
            click.echo(f"{where}: {column_label(error['field'])}: {problem_text(error)}", err=True)
        raise click.ClickException(f"{len(job.errors)} problem(s) found; nothing was imported.")
    click.echo(f"Imported {job.imported_rows} cases into {session_name}.")


def _actor(email: str | None):
    if not email:
        return None
    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    return user


@proposals_cli.command("due")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=0),
              help="Also list what is due within this many days.")
def due_command(days: int):
    """List, per lead unit, the cases overdue and those due within --days days."""
    today = china_date(utcnow())
    lines = queues.due_report(today, days)
    if not lines:
        click.echo(f"Nothing is overdue or due within {days} days.")
        return
    for line in lines:
        click.echo(f"{line.unit.name}: {len(line.overdue)} overdue, {len(line.due_soon)} due within {days} days")
        for case in line.overdue + line.due_soon:
            late = rules.days_until(case.due_on, today)
            when = f"{-late} days overdue" if late < 0 else f"due in {late} days"
            click.echo(f"  {case.session.name} {case.number} {case.title} — due {case.due_on.isoformat()} ({when})")
