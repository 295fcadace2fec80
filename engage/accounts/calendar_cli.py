"""flask calendar ...: the working-day calendar for years chinesecalendar does not know."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from engage.accounts import calendar_services
from engage.core import calendar_days
from engage.core.cli import DateType, domain_errors_as_click_errors
from engage.core.timeutil import utcnow

calendar_cli = AppGroup("calendar", help="The working-day calendar.")


@calendar_cli.command("set")
@click.argument("day", type=DateType())
@click.option("--working/--holiday", "is_working_day", required=True,
              help="--working for a (make-up) working day, --holiday for a day off.")
@click.option("--note", default="", help="E.g. Spring Festival.")
@click.option("--correction", is_flag=True, help="Confirm that the day corrects an official (built-in) year.")
def set_day(day, is_working_day, note, correction):
    """Enter whether DAY is a working day."""
    with domain_errors_as_click_errors():
        calendar_services.set_calendar_day(day, is_working_day=is_working_day, note=note, correction=correction,
                                           actor=None, now=utcnow())
    kind = _("working day") if is_working_day else _("day off")
    click.echo(_("%(day)s is now a %(kind)s.", day=day.isoformat(), kind=kind))


@calendar_cli.command("unset")
@click.argument("day", type=DateType())
def unset_day(day):
    """Remove what was entered for DAY."""
    with domain_errors_as_click_errors():
        calendar_services.unset_calendar_day(day, actor=None, now=utcnow())
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
    days = calendar_services.calendar_days(year)
    for entry in days:
        kind = _("working day") if entry.is_working_day else _("day off")
        click.echo(f"{entry.day.isoformat()}\t{entry.day.strftime('%a')}\t{kind}\t{entry.note}")
    if not days:
        click.echo(_("No days entered for %(year)d.", year=year))
