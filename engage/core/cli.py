"""flask demo ... and flask calendar ...: operator commands."""

from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")
calendar_cli = AppGroup("calendar", help="The working-day calendar.")
