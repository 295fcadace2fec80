"""The lost-codes API: the same use case as the page, answered 202 whether or not anything matched."""

from flask_babel import gettext as _

from engage.core.api import api_blueprint
from engage.core.schemas import request_now
from engage.lostcodes import schemas, services
from engage.lostcodes.limits import limit_per_address, limit_per_contact
from engage.notifications import services as outbox

bp = api_blueprint("lostcodes_api", __name__, "/api/v1/lost-codes",
                   "Have one's receipt numbers and confirmation codes sent to the contact given with them.")


@bp.route("", methods=["POST"])
@bp.arguments(schemas.LostCodesIn)
@bp.response(202, schemas.LostCodesOut,
             description="Accepted. The codes, if any, go to the contact by SMS or e-mail, never in this answer.")
@bp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="Neither a mobile number nor an e-mail address")
@bp.alt_response(429, response="TOO_MANY_REQUESTS", description="Asked too often from this address or for this contact")
@limit_per_address
@limit_per_contact
def request_codes(data):
    """Send the contact's receipt numbers and open sign-ups' confirmation codes to it, if it has any."""
    services.send_codes(data["contact"], language=outbox.current_language(), now=request_now())
    return {"message": _("If we have this contact, a message with your codes is on its way to it.")}, 202
