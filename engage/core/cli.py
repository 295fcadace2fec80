"""flask calendar ...: the working-day calendar for years chinesecalendar does not know."""

from contextlib import contextmanager
from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from engage.core import calendar_days
from engage.core.errors import DomainError, ValidationFailed
from engage.core.timeutil import utcnow
from engage.extensions import db

calendar_cli = AppGroup("calendar", help="The working-day calendar.")


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


@calendar_cli.command("set")
@click.argument("day", type=DateType())
@click.option("--working/--holiday", "is_working_day", required=True,
              help="--working for a (make-up) working day, --holiday for a day off.")
@click.option("--note", default="", help="E.g. Spring Festival.")
@click.option("--correction", is_flag=True, help="Confirm that the day corrects an official (built-in) year.")
def set_day(day, is_working_day, note, correction):
    """Enter whether DAY is a working day."""
    with domain_errors_as_click_errors():
        calendar_days.set_calendar_day(day, is_working_day=is_working_day, note=note, correction=correction, actor=None,
                                  now=utcnow())
    kind = _("working day") if is_working_day else _("day off")
    click.echo(_("%(day)s is now a %(kind)s.", day=day.isoformat(), kind=kind))


@calendar_cli.command("unset")
@click.argument("day", type=DateType())
def unset_day(day):
    """Remove what was entered for DAY."""
    with domain_errors_as_click_errors():
        calendar_days.unset_calendar_day(day, actor=None, now=utcnow())
    click.echo(_("The entry for %(day)s has been removed.", day=day.isoformat()))


@calendar_cli.command("show")
@click.argument("year", type=click.IntRange(1900, 9999))
def show_year(year):
    """List the days entered for YEAR and say whether its official calendar is built in."""
    if calendar_days.is_official_year(year):
        click.echo(_("%(year)d: the official calendar is built in; entries below correct it.", year=year))
    else:
        click.echo(_("%(year)d: no official calendar is built in; Monday to Friday are working days "
                     "except the entries below.", year=year))
    days = calendar_days.calendar_days(year)
    for entry in days:
        kind = _("working day") if entry.is_working_day else _("day off")
        click.echo(f"{entry.day.isoformat()}\t{entry.day.strftime('%a')}\t{kind}\t{entry.note}")
    if not days:
        click.echo(_("No days entered for %(year)d.", year=year))
