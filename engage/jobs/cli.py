"""``flask jobs consume``: run a Huey consumer inside the application."""

import click
from flask.cli import AppGroup

from engage import jobs

jobs_cli = AppGroup("jobs", help="The background job queue.")


@jobs_cli.command("consume")
@click.option("--workers", "-w", default=2, show_default=True, help="Jobs run at the same time.")
@click.option("--worker-type", "-k", type=click.Choice(["thread", "process", "greenlet"]), default="thread",
              show_default=True)
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also run the periodic tasks (reminders, outbox sweeper); one consumer per deployment "
                   "is enough, several are harmless.")
def consume(workers: int, worker_type: str, periodic: bool) -> None:
    """Take jobs from the queue until stopped (SIGTERM / Ctrl-C finishes running jobs first)."""
    jobs.record_heartbeat()
    consumer = jobs.huey.create_consumer(workers=workers, worker_type=worker_type, periodic=periodic,
                                         check_worker_health=True)
    consumer.run()


@jobs_cli.command("status")
def status() -> None:
    """Print whether a consumer was seen lately and how many jobs wait."""
    for key, value in jobs.health().items():
        click.echo(f"{key}: {value}")
