"""flask demo ...: load the demo data."""

import click
from flask.cli import AppGroup

from engage.core.errors import DomainError, ValidationFailed
from engage.core.timeutil import utcnow
from engage.demo import data, loader
from engage.demo import regions as demo_regions
from engage.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command():
    """Load demo departments, accounts and consultations; does nothing when they are already loaded."""
    try:
        result = loader.load(now=utcnow())
    except DomainError as error:
        db.session.rollback()
        detail = getattr(error, "errors", None) if isinstance(error, ValidationFailed) else None
        raise click.ClickException(
            f"The demo data could not be loaded: {error.message} {detail or ''}".strip()
        ) from error
    if result is None:
        click.echo("The demo data is already loaded; nothing was changed.")
        return
    db.session.commit()
    click.echo(
        f"Loaded the demo data: {result.departments} departments, {result.accounts} accounts, "
        f"{result.consultations} consultations, {result.comments} comments, {result.events} events, "
        f"{result.proposals} proposal cases."
    )
    click.echo(f"Demo accounts (password {data.DEMO_PASSWORD}): " + ", ".join(
        row[0] for row in data.ACCOUNTS + demo_regions.ACCOUNTS))
