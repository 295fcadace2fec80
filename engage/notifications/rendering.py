"""Messages rendered from ``templates/messages/<template>/`` in the language the person used.

Each template folder holds ``sms.txt`` for SMS and ``subject.txt`` plus ``email.txt`` (and optionally
``email.html``) for e-mail. Templates see the message's ``params`` (plain values, kept on the row and sent to
SMS platforms that check texts against registered templates) and ``link(endpoint, **values)`` for absolute
links on ``PUBLIC_URL``.
"""

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from engage.core.links import public_url
from engage.notifications import rules
from engage.notifications.models import Channel


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template: str, channel: Channel, language: str, params: dict, unsubscribe_url: str = "") -> Rendered:
    if channel == Channel.WEBHOOK:
        # A webhook's body is the JSON its sender made (engage/webhooks/payloads.py), not a text for people.
        return Rendered(subject=params["event"], text=params["body"], html="")
    context = {"params": params, "link": public_url, "unsubscribe_url": unsubscribe_url}
    with force_locale(language):
        if channel == Channel.SMS:
            text = " ".join(render_template(f"messages/{template}/sms.txt", **context).split())
            signature = current_app.config["SMS_SIGNATURE"]
            return Rendered(subject="", text=rules.fit_sms(f"【{signature}】{text}"), html="")
        subject = " ".join(render_template(f"messages/{template}/subject.txt", **context).split())
        text = render_template(f"messages/{template}/email.txt", **context).strip() + "\n"
        try:
            html = render_template(f"messages/{template}/email.html", **context)
        except TemplateNotFound:
            html = ""
    return Rendered(subject=subject, text=text, html=html)
