"""flask calendar ...: the working-day calendar for years chinesecalendar does not know."""

from flask.cli import AppGroup

calendar_cli = AppGroup("calendar", help="The working-day calendar.")
