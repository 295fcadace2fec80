"""The staff area of the proposal tracker under /staff/proposals: one login guard for every blueprint in it."""

from flask import Blueprint
from flask_login import login_required


@login_required
def _require_login():
    """Every staff page needs a logged-in user; anonymous visitors are sent to the login page."""


def blueprint(*children: Blueprint) -> Blueprint:
    """The parent of ``children`` (endpoints ``proposals_staff.<child>.<view>``), guarded once.

    Built for each app: Flask takes no more nested blueprints on a parent once an app has registered it, and the
    tests build many apps.
    """
    parent = Blueprint("proposals_staff", __name__, url_prefix="/staff/proposals")
    parent.before_request(_require_login)
    for child in children:
        parent.register_blueprint(child)
    return parent
