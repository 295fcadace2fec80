"""Lost-code rules: which contact was typed, and how many codes one message lists."""

from dataclasses import dataclass

from engage.core.contacts import email_address, mobile_number

#: codes listed in one SMS: with its two links it stays within three segments even on a long PUBLIC_URL
SMS_ITEMS = 3
#: codes listed in one e-mail
EMAIL_ITEMS = 20
CONTACT_MAX_LENGTH = 254


@dataclass(frozen=True)
class Contact:
    channel: str  # "sms" or "email", the channel the codes go back by
    address: str  # 11 digits, or the e-mail address in lower case


def parse_contact(text: str) -> Contact | None:
    """The mobile number or e-mail address typed, or None when it is neither (a landline takes no SMS)."""
    if "@" in (text or ""):
        address = email_address(text)
        return Contact("email", address) if address else None
    number = mobile_number(text)
    return Contact("sms", number) if number else None


def items_per_kind(comments: int, sign_ups: int, cap: int) -> tuple[int, int]:
    """How many receipts and sign-ups one message lists: ``cap`` in all, each kind its share when both have more.

    Sign-ups go first when the cap is odd: an event is soon, a comment's receipt can wait for the next request.
    """
    shown_sign_ups = min(sign_ups, max(cap - comments, (cap + 1) // 2))
    return min(comments, cap - shown_sign_ups), shown_sign_ups


def contact_key(text: str) -> str:
    """The key a contact is rate-limited by: the same for every way of typing it."""
    contact = parse_contact(text)
    return f"{contact.channel}:{contact.address}" if contact else "unreadable:" + (text or "").strip().lower()[:100]
