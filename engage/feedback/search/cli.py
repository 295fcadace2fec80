"""``flask comments reindex``: build the staff search index of every comment again."""

import time

import click
from flask.cli import AppGroup

from engage.core.engine import write_transactions
from engage.feedback.search import index

comments_cli = AppGroup("comments", help="Comments: the staff search index.")


@comments_cli.command("reindex")
@click.option("--batch", default=2000, show_default=True, help="Comments segmented and written per transaction.")
def reindex(batch: int) -> None:
    """Segment every comment again and rewrite the index (after an upgrade, or to repair it).

    Comments stay searchable by their old entries until each batch is rewritten; new comments keep being indexed
    by the job consumers meanwhile."""
    started = time.monotonic()

    def progress(done: int) -> None:
        if done % (batch * 25) == 0:
            click.echo(f"{done} comments indexed…")

    with write_transactions():
        done = index.reindex_all(batch=batch, progress=progress)
    click.echo(f"{done} comments indexed in {time.monotonic() - started:.1f} s.")
