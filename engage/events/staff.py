"""The organiser desk under /staff/events. One parent blueprint holds the guard, so the event, sign-up and
opinion pages nested in it cannot be reached past it."""

from flask import Blueprint
from flask_login import current_user, login_required

from engage.core.errors import NotAllowed
from engage.events import permissions, staff_views
from engage.events.opinions import staff_views as opinions_staff
from engage.events.registrations import staff_views as registrations_staff

bp = Blueprint("events_staff", __name__, url_prefix="/staff/events")
for child in (staff_views.bp, registrations_staff.bp, opinions_staff.bp):
    bp.register_blueprint(child)


@bp.before_request
@login_required
def require_organiser():
    """Only organisers and administrators use the desk; everyone else logged in is refused."""
    if not permissions.can_organise(current_user):
        raise NotAllowed()
