"""flask user ...: operator commands for staff accounts."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from engage.accounts import services
from engage.accounts.models import Role
from engage.core.cli import domain_errors_as_click_errors
from engage.core.timeutil import utcnow

user_cli = AppGroup("user", help="Manage staff accounts.")


def _user_or_fail(email: str):
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(_("No account has the e-mail address %(email)s.", email=email))
    return user


def _password_option(help_text: str):
    return click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help=help_text)


@user_cli.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]), help="The account's role.")
@click.option("--department", "department_name", help="Department name (Chinese or English); required for staff.")
@_password_option("Initial password; asked for (hidden) when not given.")
def create_user(email, name, role, department_name, password):
    """Create a staff account."""
    department_id = None
    if department_name:
        department = services.find_department_by_name(department_name)
        if department is None:
            raise click.ClickException(_("No department is named %(name)s.", name=department_name))
        department_id = department.id
    with domain_errors_as_click_errors():
        user = services.create_user(email=email, name=name, password=password, role=Role(role),
                                    department_id=department_id, actor=None, now=utcnow())
    click.echo(_("Created %(email)s (%(role)s).", email=user.email, role=user.role.label))


@user_cli.command("set-password")
@click.argument("email")
@_password_option("New password; asked for (hidden) when not given.")
def set_password(email, password):
    """Give an account a new password (this also lifts a lockout)."""
    user = _user_or_fail(email)
    with domain_errors_as_click_errors():
        services.set_password(user, password, actor=None, now=utcnow())
    click.echo(_("The password of %(email)s has been set.", email=user.email))


@user_cli.command("unlock")
@click.argument("email")
def unlock(email):
    """Lift a lockout after failed logins."""
    user = _user_or_fail(email)
    with domain_errors_as_click_errors():
        services.unlock_user(user, actor=None, now=utcnow())
    click.echo(_("%(email)s can log in again.", email=user.email))


@user_cli.command("list")
def list_users():
    """List every staff account."""
    now = utcnow()
    page_number = 1
    while True:
        page = services.list_users(page_number, per_page=200)
        for user in page.items:
            state = [_("active") if user.is_active else _("inactive")]
            if user.is_locked(now):
                state.append(_("locked"))
            department = user.department.name if user.department else "-"
            click.echo(f"{user.email}\t{user.name}\t{user.role.value}\t{department}\t{', '.join(state)}")
        if not page.has_next:
            break
        page_number += 1
    if page.total == 0:
        click.echo(_("There are no accounts yet."))
