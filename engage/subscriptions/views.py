"""Following, for citizens: the form, the confirmation by link or SMS code, and the "my subscriptions" page.

The public pages show the follow form without any visitor's token (their tokens come from /form-tokens), and it
posts here; refusals come back on this blueprint's own page, which is private.
"""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from engage.core.error_handlers import too_many_requests
from engage.core.errors import NotFound, RuleViolation, ValidationFailed
from engage.core.forms import ask_to_confirm, lacks_valid_token, show_refusal
from engage.core.timeutil import utcnow
from engage.extensions import csrf, db
from engage.notifications import services as outbox
from engage.notifications.rules import mask_contact
from engage.subscriptions import services, targets
from engage.subscriptions.forms import CodeForm, ConfirmForm, EndForm, FollowForm, FrequencyForm
from engage.subscriptions.limits import limit_per_address, limit_per_contact
from engage.subscriptions.models import ContactChannel, Frequency, SubscriptionStatus

bp = Blueprint("subscriptions", __name__, url_prefix="/follow")

TOO_MANY = _l("Following was asked for too often from this network or for this contact. Messages already sent are "
              "on their way: please wait for them, or try again later.")


def _target_of(form: FollowForm):
    parsed = form.parsed_target()
    return targets.find_public(*parsed) if parsed else None


def _form_page(form: FollowForm, status: int = 200, *, confirm: bool = False):
    return render_template("subscriptions/follow.html", form=form, target=_target_of(form),
                           confirm=confirm), status


@bp.get("/")
def follow_page():
    """The follow form on a page of its own (for ``?target=consultation:12``), with this visitor's token."""
    form = FollowForm(formdata=None, target=request.args.get("target", ""))
    if _target_of(form) is None:
        raise NotFound()
    return _form_page(form)


@bp.post("/")
@csrf.exempt  # the form checks its token itself, so that one sent without it can be shown back to confirm
@limit_per_address
@limit_per_contact
def request_follow():
    """Ask to follow; the confirmation goes to the contact, and the answer is the same whoever it is."""
    form = FollowForm()
    if not form.validate_on_submit():
        if lacks_valid_token(form):
            ask_to_confirm(form)
            return _form_page(form, 400, confirm=True)
        return _form_page(form, 422)
    kind, target_id = form.parsed_target() or ("", 0)
    try:
        sent = services.request_follow(kind, target_id, form.contact.data, form.frequency.data,
                                       language=outbox.current_language(), now=utcnow())
    except ValidationFailed as error:
        show_refusal(error, form)
        return _form_page(form, 422)
    db.session.commit()
    if sent.channel == ContactChannel.SMS:
        return redirect(url_for(".enter_code", ticket=sent.ticket), code=303)
    return redirect(url_for(".sent"), code=303)


@bp.get("/sent")
def sent():
    """After an e-mail follow request: look for the confirmation link."""
    return render_template("subscriptions/sent.html")


@bp.route("/code/<ticket>", methods=["GET", "POST"])
def enter_code(ticket: str):
    """Type back the code the SMS brought."""
    subscription = services.pending_for_ticket(ticket)
    form, refusal = CodeForm(), None
    if form.validate_on_submit():
        try:
            services.confirm_code(subscription, form.code.data, now=utcnow())
        except ValidationFailed as error:
            db.session.commit()  # the wrong try counts
            show_refusal(error, form)
        except RuleViolation as error:
            db.session.commit()
            refusal = error.message
        else:
            db.session.commit()
            return _confirmed(subscription)
    return render_template("subscriptions/code.html", form=form, refusal=refusal, title=subscription.target_title,
                           masked=mask_contact(subscription.contact)), 422 if form.errors or refusal else 200


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The e-mail's link: a page with one button (a mail scanner opening the link confirms nothing)."""
    form, refusal = ConfirmForm(), None
    if form.validate_on_submit():
        try:
            subscription = services.confirm_link(token, now=utcnow())
        except RuleViolation as error:
            refusal = error.message
        else:
            db.session.commit()
            return _confirmed(subscription)
    return render_template("subscriptions/confirm.html", form=form, refusal=refusal), 409 if refusal else 200


def _confirmed(subscription):
    return redirect(url_for(".mine", token=services.manage_token(subscription.channel, subscription.contact),
                            followed=subscription.id), code=303)


@bp.route("/mine/<token>", methods=["GET", "POST"])
def mine(token: str):
    """What this contact follows, to change how often or to end; reached from any message's link."""
    channel, contact = services.contact_of(token)
    frequency_form, end_form = FrequencyForm(prefix="f"), EndForm(prefix="e")
    now = utcnow()
    if request.method == "POST":
        if "f-subscription_id" in request.form and frequency_form.validate_on_submit():
            services.change_frequency(channel, contact, frequency_form.subscription_id.data,
                                      frequency_form.frequency.data, now=now)
        elif "e-subscription_id" in request.form and end_form.validate_on_submit():
            if end_form.chosen_id():
                services.end(channel, contact, end_form.chosen_id(), now=now)
            else:
                services.end_all(channel, contact, now=now)
        db.session.commit()
        return redirect(url_for(".mine", token=token), code=303)
    followed = request.args.get("followed", type=int)
    return render_template("subscriptions/mine.html", token=token, masked=mask_contact(contact),
                           subscriptions=services.subscriptions_of(channel, contact), followed=followed,
                           frequencies=Frequency, statuses=SubscriptionStatus, csrf_form=ConfirmForm())


@bp.errorhandler(429)
def too_many(error):
    return too_many_requests(error, TOO_MANY)
