"""The proposer's private rating page, reached through the link the supervising office sends."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from engage.core.errors import ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.proposals import services
from engage.proposals.handling import services as handling_services
from engage.proposals.staff_forms import ProposerRatingForm

bp = Blueprint("proposal_rating", __name__, url_prefix="/proposals/rate")


@bp.route("/<token>", methods=["GET", "POST"])
def rate(token: str):
    """Show the published reply of the current round and take the proposer's rating."""
    proposer = handling_services.proposer_for_token(token)
    # A rating changes the case: hold its row, as the staff pages do.
    proposal = services.get_case(proposer.proposal_id, lock=request.method == "POST")
    form = ProposerRatingForm()
    done = handling_services.has_rated_this_round(proposer)
    if not done and form.validate_on_submit():
        try:
            handling_services.rate(proposer, form.satisfaction.data, form.comments.data or "", actor=None,
                                   now=utcnow(), config=current_app.config)
        except ValidationFailed as error:
            db.session.rollback()
            show_refusal(error, form)
        else:
            return render_template("proposals/rate_done.html", proposal=proposal, proposer=proposer,
                                   unsatisfied=form.satisfaction.data == "unsatisfied",
                                   message=_("Thank you. Your rating has been recorded."))
    return render_template("proposals/rate.html", proposal=proposal, proposer=proposer, form=form, done=done,
                           reply=proposal.current_reply), 422 if form.errors else 200
