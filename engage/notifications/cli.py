"""``flask outbox sweep`` and ``flask outbox status``: the outbox from a terminal."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import delivery, rules
from engage.notifications.models import MessageStatus, OutboxMessage

outbox_cli = AppGroup("outbox", help="The outbox of e-mail and SMS messages.")


@outbox_cli.command("sweep")
def sweep() -> None:
    """Take up rows a killed consumer left in 'sending' and rows whose delivery run was lost, and ask for a run.

    The periodic task does the same every minute; this is for right after a crash, or with no consumer running
    periodic tasks.
    """
    waiting = delivery.sweep(now=utcnow())
    if waiting:
        delivery.request_run()
    click.echo(f"waiting: {waiting}")


@outbox_cli.command("status")
@click.option("--failed", "failed_shown", default=10, show_default=True,
              help="How many of the latest failed messages to list (contacts masked).")
def status(failed_shown: int) -> None:
    """Print the number of messages in each status, the oldest still waiting, and the latest failures."""
    counts = dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all())
    for message_status in MessageStatus:
        click.echo(f"{message_status.value}: {counts.get(message_status, 0)}")
    oldest = db.session.scalar(sa.select(sa.func.min(OutboxMessage.created_at))
                               .where(OutboxMessage.status.in_(rules.CLAIMABLE)))
    if oldest is not None:
        click.echo(f"oldest waiting: {oldest.isoformat(timespec='seconds')}")
    failed = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED)
                                .order_by(OutboxMessage.id.desc()).limit(failed_shown))
    for message in failed:
        # A terminal's output ends up in logs and tickets: contacts are masked there.
        click.echo(f"failed #{message.id} {message.channel.value} {rules.mask_contact(message.recipient)} "
                   f"{message.template}: {message.last_error}")
