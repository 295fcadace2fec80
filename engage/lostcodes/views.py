"""The lost-codes page: a contact in, the same answer out whether or not it matched."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from engage.core.error_handlers import too_many_requests
from engage.core.errors import ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.lostcodes import services
from engage.lostcodes.forms import LostCodesForm
from engage.lostcodes.limits import limit_per_address, limit_per_contact
from engage.notifications import services as outbox

bp = Blueprint("lostcodes", __name__, url_prefix="/lost-codes")

TOO_MANY = _l("Codes were asked for too often from this network or for this contact. Messages already sent are "
              "on their way: please wait for them, or try again later.")


@bp.route("/", methods=["GET", "POST"])
@limit_per_address
@limit_per_contact
def request_codes():
    """Ask for one's receipt numbers and confirmation codes to be sent to the contact one gave."""
    form = LostCodesForm()
    if form.validate_on_submit():
        try:
            services.send_codes(form.contact.data, language=outbox.current_language(), now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            return redirect(url_for(".sent"), code=303)
    return render_template("lostcodes/request.html", form=form), 422 if form.errors else 200


@bp.get("/sent")
def sent():
    """The one answer to every accepted request, matched or not."""
    return render_template("lostcodes/sent.html")


@bp.errorhandler(429)
def too_many(error):
    return too_many_requests(error, TOO_MANY)
