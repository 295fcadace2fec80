"""Sending a citizen's receipt numbers and confirmation codes back to the contact they gave."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from engage.consultations import contact_lookup
from engage.core.errors import ValidationFailed
from engage.core.timeutil import china_date, to_china
from engage.events.registrations import lookup as sign_up_lookup
from engage.lostcodes import rules
from engage.notifications import services as outbox

TEMPLATE = "lost_codes"
BAD_CONTACT = _l("Enter a mobile phone number (such as 13812345678) or an e-mail address (such as name@example.cn).")


def send_codes(contact_text: str, *, language: str, now: datetime):
    """Queue one message to the contact listing its receipt numbers and open sign-ups, if it has any.

    Nothing tells the caller whether anything matched: the page says the same either way.

    :param language: the language the citizen is using, for the message
    :raises ValidationFailed: ``contact`` is neither a mobile number nor an e-mail address
    :returns: the outbox row's id, or None when the contact has nothing (for tests and the log, never the page)
    """
    contact = rules.parse_contact(contact_text)
    if contact is None:
        raise ValidationFailed({"contact": [BAD_CONTACT]})
    cap = rules.SMS_ITEMS if contact.channel == "sms" else rules.EMAIL_ITEMS
    mobile = contact.address if contact.channel == "sms" else None
    comments = contact_lookup.comments_with_contact(mobile=mobile, email=None if mobile else contact.address,
                                                    limit=cap)
    sign_ups = sign_up_lookup.open_sign_ups_for_phone(mobile, now=now, limit=cap) if mobile else None
    sign_up_total = sign_ups.total if sign_ups else 0
    if not comments.total and not sign_up_total:
        return None
    shown_comments, shown_sign_ups = rules.items_per_kind(comments.total, sign_up_total, cap)
    params = {
        "receipts": [_receipt(comment) for comment in comments.comments[:shown_comments]],
        "receipts_more": comments.total - shown_comments,
        "sign_ups": [_sign_up(registration) for registration in (sign_ups.registrations if sign_ups else [])
                     ][:shown_sign_ups],
        "sign_ups_more": sign_up_total - shown_sign_ups,
    }
    return outbox.queue_message(channel=contact.channel, recipient=contact.address, template=TEMPLATE,
                                params=params, language=language, transactional=True, now=now)


def _receipt(comment) -> dict:
    return {"number": comment.receipt_number, "title": comment.consultation.title,
            "sent_on": china_date(comment.created_at).isoformat()}


def _sign_up(registration) -> dict:
    return {"code": registration.code, "title": registration.event.title,
            "starts": to_china(registration.event.starts_at).strftime("%m-%d %H:%M")}
