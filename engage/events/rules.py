"""Rules of open-government events: seats, the registration window, the waitlist, sign-up states,
phone and resident ID checks, masking. Plain functions of values and ``now``: no Flask, no database.

Seats count people, not sign-ups. A sign-up holds seats while it is *pending* (awaiting the organiser's
approval), *confirmed*, *attended* or *no_show*: holding seats for pending sign-ups is what makes approval
unable to overbook, since approving never needs a seat that is not already set aside.
"""

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from engage.core.errors import InvalidTransition
from engage.core.timeutil import CHINA_TZ, china_date

PENDING, CONFIRMED, WAITLISTED = "pending", "confirmed", "waitlisted"
CANCELLED, REJECTED, ATTENDED, NO_SHOW = "cancelled", "rejected", "attended", "no_show"
REGISTRATION_STATUSES = (PENDING, CONFIRMED, WAITLISTED, CANCELLED, REJECTED, ATTENDED, NO_SHOW)
#: statuses that hold seats (see the module docstring for why pending does)
SEAT_HOLDING = frozenset({PENDING, CONFIRMED, ATTENDED, NO_SHOW})
#: statuses that block a second sign-up with the same phone for the same event
ACTIVE = frozenset({PENDING, CONFIRMED, WAITLISTED, ATTENDED, NO_SHOW})

# actions on a sign-up
APPROVE, REJECT, CANCEL, PROMOTE, PROMOTE_FOR_REVIEW = "approve", "reject", "cancel", "promote", "promote_for_review"
CHECK_IN, MARK_NO_SHOW = "check_in", "mark_no_show"

#: (current status, action) -> new status; anything not listed is refused
TRANSITIONS = {
    (PENDING, APPROVE): CONFIRMED,
    (PENDING, REJECT): REJECTED,
    (PENDING, CANCEL): CANCELLED,
    (WAITLISTED, PROMOTE): CONFIRMED,
    (WAITLISTED, PROMOTE_FOR_REVIEW): PENDING,
    (WAITLISTED, REJECT): REJECTED,
    (WAITLISTED, CANCEL): CANCELLED,
    (CONFIRMED, CANCEL): CANCELLED,
    (CONFIRMED, CHECK_IN): ATTENDED,
    (CONFIRMED, MARK_NO_SHOW): NO_SHOW,
    # someone who arrives after the rest were marked no-show is still let in
    (NO_SHOW, CHECK_IN): ATTENDED,
}


def next_status(current: str, action: str) -> str:
    """The status ``action`` leads to from ``current``; ``InvalidTransition`` when the change is not allowed."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise InvalidTransition() from None


def can_change(status: str, action: str) -> bool:
    """Whether ``action`` is allowed from ``status``: what the desk offers is what the services accept."""
    return (status, action) in TRANSITIONS


def can_cancel(status: str, starts_at: datetime, now: datetime, *, by_organiser: bool = False) -> bool:
    """Whether a sign-up can be cancelled now. Citizens cancel only before the event starts, so that the
    attendance figures stay true; an organiser may also cancel afterwards."""
    return can_change(status, CANCEL) and (by_organiser or now < starts_at)


def is_event_day(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Whether ``now`` falls on a day of the event, by the calendar in China (an event may span days)."""
    return china_date(starts_at) <= china_date(now) <= china_date(ends_at)


#: how long before the event a confirmed sign-up's calendar file reminds its holder
CALENDAR_REMINDER_BEFORE = timedelta(days=1)


def calendar_status(event_status: str, registration_status: str | None) -> str:
    """The iCalendar STATUS of an event's file: only a held seat (or the public event itself) is CONFIRMED;
    a waitlist place or a sign-up awaiting approval is TENTATIVE, so no calendar claims a seat it lacks."""
    if event_status == "cancelled" or registration_status in (CANCELLED, REJECTED):
        return "CANCELLED"
    if registration_status in (WAITLISTED, PENDING):
        return "TENTATIVE"
    return "CONFIRMED"


def has_calendar_reminder(registration_status: str | None) -> bool:
    """A reminder alarm goes only into the file of a confirmed sign-up: the others may never get a seat."""
    return registration_status == CONFIRMED


def holds_seats(status: str) -> bool:
    return status in SEAT_HOLDING


def is_active(status: str) -> bool:
    return status in ACTIVE


# ---- seats and the waitlist ----------------------------------------------------------------------------


def seats_left(capacity: int, taken: int) -> int:
    return max(0, capacity - taken)


def seats_taken(sign_ups: Iterable[tuple[str, int]]) -> int:
    """People holding seats among ``(status, party_size)`` pairs: the count the stored counter must equal."""
    return sum(size for status, size in sign_ups if holds_seats(status))


def initial_status(party_size: int, free_seats: int, *, requires_approval: bool, waitlist_enabled: bool) -> str | None:
    """The status a new sign-up gets, or None when it can be neither seated nor waitlisted (event full)."""
    if party_size <= free_seats:
        return PENDING if requires_approval else CONFIRMED
    return WAITLISTED if waitlist_enabled else None


def promotions(waitlist: Iterable[tuple[int, int]], free_seats: int) -> list[int]:
    """Which waitlisted sign-ups get the ``free_seats``, from ``(id, party_size)`` pairs in sign-up order.

    First come, first served; a party that does not fit is skipped, never split, and keeps its place for the
    next seats that come free.
    """
    chosen = []
    for registration_id, party_size in waitlist:
        if free_seats <= 0:
            break
        if party_size <= free_seats:
            chosen.append(registration_id)
            free_seats -= party_size
    return chosen


def skipped_parties(waitlist: Iterable[tuple[int, int]], chosen: Iterable[int]) -> list[int]:
    """The waitlisted sign-ups passed over by ``promotions``: not chosen, though someone behind them was.

    They are told that their party did not fit the seats that came free and that they keep their place.
    """
    chosen = set(chosen)
    waitlist = list(waitlist)
    last_chosen = max((index for index, (rid, _size) in enumerate(waitlist) if rid in chosen), default=-1)
    return [rid for rid, _size in waitlist[:last_chosen] if rid not in chosen]


# ---- reminders -----------------------------------------------------------------------------------------


def reminder_due_at(starts_at: datetime, days_before: int, at: time) -> datetime:
    """When the reminder of an event starting at ``starts_at`` is due: ``at`` China time, ``days_before`` days
    before the day it starts (the day before at 09:00 by default), as aware UTC."""
    day = china_date(starts_at) - timedelta(days=days_before)
    return datetime.combine(day, at, CHINA_TZ).astimezone(UTC)


def is_reminder_due(starts_at: datetime, days_before: int, at: time, now: datetime) -> bool:
    """From the due time until the event starts; afterwards a reminder is of no use."""
    return reminder_due_at(starts_at, days_before, at) <= now < starts_at


# ---- the registration window ---------------------------------------------------------------------------

NOT_YET_OPEN, OPEN, CLOSED = "not_yet_open", "open", "closed"


def registration_window_state(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """Open from ``opens_at`` inclusive until ``closes_at`` exclusive."""
    if now < opens_at:
        return NOT_YET_OPEN
    if now < closes_at:
        return OPEN
    return CLOSED


def sign_up_refusal(event_status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> str | None:
    """Why the event takes no sign-ups now (``cancelled``, ``draft``, ``not_yet_open``, ``closed``), or None."""
    if event_status != "published":
        return event_status
    window = registration_window_state(opens_at, closes_at, now)
    return None if window == OPEN else window


# ---- phones and resident identity card numbers ---------------------------------------------------------

_PHONE_NOISE = re.compile(r"[\s\-()]")
# ASCII digits only: ``\d`` would also take other scripts' digits, and one phone could then sign up twice.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _half_width(text: str) -> str:
    """Full-width digits, letters and signs (１３８, Ｘ, －, （）) as ASCII: Chinese input methods type them."""
    return unicodedata.normalize("NFKC", text or "")


def normalize_phone(text: str) -> str:
    """Digits only, without the +86 / 0086 country prefix people often type or paste."""
    phone = _PHONE_NOISE.sub("", _half_width(text))
    for prefix in ("+86", "0086", "86"):
        if phone.startswith(prefix) and len(phone) == len(prefix) + 11:
            return phone[len(prefix) :]
    return phone


def is_valid_mobile(phone: str) -> bool:
    """A mainland China mobile number (11 digits starting 13-19), after ``normalize_phone``."""
    return _MOBILE.fullmatch(phone) is not None


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_DIGITS = "10X98765432"
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")


def normalize_id_number(text: str) -> str:
    return re.sub(r"\s", "", _half_width(text)).upper()


def id_check_digit(first_seventeen: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_DIGITS[total % 11]


def is_valid_id_number(number: str) -> bool:
    """An 18-character resident ID number with a real birth date and the right check character."""
    if _ID_NUMBER.fullmatch(number) is None:
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_digit(number[:17]) == number[17]


def mask_phone(phone: str) -> str:
    """138****5678: enough for the person to recognise, too little to call."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id_number(number: str) -> str:
    """110***********002X: region digit group and last four only; the birth date is hidden."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


# ---- codes and tokens ----------------------------------------------------------------------------------

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: people read codes aloud and type them
CODE_LENGTH = 8


def new_confirmation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """Codes are typed by hand or by a scanner: ignore case, spaces and dashes."""
    return re.sub(r"[\s\-]", "", _half_width(text)).upper()


def cancel_token(secret: str, code: str) -> str:
    """The private link's token of the sign-up with ``code``: an HMAC with the application's secret.

    Derived rather than random so that a message sent later (a promotion, a reminder) can carry the same
    working link; only its hash is stored, so the database alone still hands out no link. 128 bits, short
    enough to leave room in an SMS.
    """
    digest = hmac.new(secret.encode(), f"event-sign-up:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """Only this hash is stored: a leaked database does not hand out working cancel links."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_token_match(token: str, stored_hash: str) -> bool:
    return bool(token) and secrets.compare_digest(token_hash(token), stored_hash)
