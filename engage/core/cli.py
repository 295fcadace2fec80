"""What every domain's command line shares: service errors as click errors, dates as arguments."""

from contextlib import contextmanager
from datetime import date

import click
from flask_babel import gettext as _

from engage.core.errors import DomainError, ValidationFailed
from engage.extensions import db


@contextmanager
def domain_errors_as_click_errors():
    """Commit when the block succeeds; otherwise roll back and exit non-zero with the service's messages."""
    try:
        yield
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        lines = [str(error.message)]
        if isinstance(error, ValidationFailed):
            lines += [f"  {field}: {message}" for field, messages in error.errors.items() for message in messages]
        raise click.ClickException("\n".join(lines)) from None


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(_("%(value)s is not a date like 2027-10-01.", value=value), param, ctx)
