"""A contact a person typed (a mobile number or an e-mail address), in the one form messages are sent to.

Chinese input methods type full-width digits and signs, and people paste numbers with +86, spaces or dashes:
all of them are the same contact. Plain functions, shared by every domain that sends or looks up messages.
"""

import re
import unicodedata

_PHONE_NOISE = re.compile(r"[\s\-()]")
# ASCII digits only: ``\d`` would also take other scripts' digits.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
EMAIL_MAX_LENGTH = 254


def mobile_number(text: str) -> str | None:
    """The 11 digits of a mainland mobile number (``13812345678``), or None when ``text`` is not one."""
    phone = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))
    for prefix in ("+86", "0086", "86"):
        if phone.startswith(prefix) and len(phone) == len(prefix) + 11:
            phone = phone[len(prefix):]
            break
    return phone if _MOBILE.fullmatch(phone) else None


def email_address(text: str) -> str | None:
    """The address in lower case (mail systems treat the case of addresses alike), or None when not one."""
    address = unicodedata.normalize("NFKC", text or "").strip().lower()
    return address if len(address) <= EMAIL_MAX_LENGTH and _EMAIL.fullmatch(address) else None


def reachable(text: str) -> tuple[str, str] | None:
    """Where a message to this contact goes: ``("sms", mobile)`` or ``("email", address)``.

    None for anything else (a landline, which can take a call but no message).
    """
    mobile = mobile_number(text)
    if mobile:
        return "sms", mobile
    address = email_address(text)
    return ("email", address) if address else None
