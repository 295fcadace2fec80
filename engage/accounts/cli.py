"""flask user ...: operator commands for staff accounts."""

import click
from flask.cli import AppGroup

user_cli = AppGroup("user", help="Manage staff accounts.")
