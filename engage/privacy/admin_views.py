"""The administrators' page of erasures: how much personal data of each kind expired and was erased, and when."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from engage.accounts import permissions as accounts
from engage.core.errors import NotAllowed
from engage.extensions import login_manager
from engage.privacy import rules, services

bp = Blueprint("privacy_admin", __name__, url_prefix="/admin/erasures")


@bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not accounts.is_admin(current_user):
        raise NotAllowed()
    return None


@bp.get("/")
def index():
    """The retention periods in force, the totals per kind, and every run that erased something."""
    return render_template("admin/erasures.html", retention=rules.Retention.from_config(current_app.config),
                           totals=services.totals(), log=services.erasure_log())
