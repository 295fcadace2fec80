"""Self-check pages: one per department for its staff, one for administrators over every department."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from engage.accounts.permissions import is_admin
from engage.core.errors import NotAllowed
from engage.core.timeutil import utcnow
from engage.inspection import services
from engage.proposals.permissions import is_supervisor

bp = Blueprint("inspection", __name__, url_prefix="/staff/self-check")


def _settings() -> dict:
    config = current_app.config
    return {"report_days": config["INSPECTION_REPORT_DAYS"], "decision_days": config["INSPECTION_DECISION_DAYS"],
            "interpretation_days": config["INTERPRETATION_WORKING_DAYS"],
            "figures_days": config["INSPECTION_FIGURES_DAYS"]}


@bp.get("/")
@login_required
def department():
    """My department's self-check, or the supervising office's for supervisors (administrators: everything)."""
    if is_admin(current_user):
        return everything()
    found = services.findings_for(current_user, now=utcnow())
    return render_template("inspection/department.html", department=current_user.department, findings=found,
                           office=is_supervisor(current_user), **_settings())


@bp.get("/all")
@login_required
def everything():
    """Every department's self-check, for administrators."""
    if not is_admin(current_user):
        raise NotAllowed()
    found = services.findings_for(current_user, now=utcnow())
    return render_template("inspection/all.html", grouped=services.departments_with(found), total=len(found),
                           **_settings())
