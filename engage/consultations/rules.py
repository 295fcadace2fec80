"""Rules of a comment period: status, minimum length, articles, comment checks. No Flask, no database."""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import cn2an
from flask_babel import lazy_gettext as _l

from engage.core.enums import LabelledStrEnum
from engage.core.timeutil import china_date, end_of_china_day
from engage.core.workdays import WorkCalendar, add_working_days


class ConsultationStatus(LabelledStrEnum):
    """A consultation's status as people read it: its stage, with a published period split by the clock."""

    DRAFT = "draft", _l("Draft")  # seen by staff only
    SCHEDULED = "scheduled", _l("Not started yet")
    OPEN = "open", _l("Open for comment")
    CLOSED = "closed", _l("Comment period ended")
    FEEDBACK_PUBLISHED = "feedback_published", _l("Feedback published")
    DECIDED = "decided", _l("Decision published")


DRAFT, SCHEDULED, OPEN, CLOSED = (ConsultationStatus.DRAFT, ConsultationStatus.SCHEDULED, ConsultationStatus.OPEN,
                                  ConsultationStatus.CLOSED)
FEEDBACK_PUBLISHED, DECIDED = ConsultationStatus.FEEDBACK_PUBLISHED, ConsultationStatus.DECIDED
#: the statuses the public can see and filter by, in life-cycle order
PUBLIC_STATUSES = (SCHEDULED, OPEN, CLOSED, FEEDBACK_PUBLISHED, DECIDED)

COMMENT_MAX_LENGTH = 5000
#: a search of the published comments needs a word: one Chinese character is found in nearly every comment
COMMENT_SEARCH_MIN_LENGTH = 2
COMMENT_SEARCH_MAX_LENGTH = 50
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: people read these aloud


def public_status(stage: str, opens_at: datetime | None, closes_at: datetime | None, now: datetime
                  ) -> ConsultationStatus:
    """The status people see: the stored stage, with a published period split by the server clock."""
    if stage != "published":
        return ConsultationStatus(stage)
    if now < opens_at:
        return SCHEDULED
    if now < closes_at:
        return OPEN
    return CLOSED


def is_comment_period_open(opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """Open from ``opens_at`` inclusive until ``closes_at`` exclusive."""
    return opens_at <= now < closes_at


def days_left(closes_at: datetime, now: datetime) -> int:
    """Calendar days (China time) after today until the period's last day: 0 means today is the last day."""
    # A period closing at midnight has the day before as its last day.
    last_day = china_date(closes_at - timedelta(microseconds=1))
    return max(0, (last_day - china_date(now)).days)


@dataclass(frozen=True)
class MinimumPeriod:
    length: int
    unit: str  # "days" or "working_days"


def earliest_close(opens_at: datetime, minimum: MinimumPeriod, calendar: WorkCalendar) -> datetime:
    """The earliest closing time that gives the minimum period.

    Counted as the law counts periods: the opening day itself does not count and the period runs to the end
    of its last day (China time).
    """
    start = china_date(opens_at)
    if minimum.unit == "working_days":
        last_day = add_working_days(start, minimum.length, calendar)
    else:
        last_day = start + timedelta(days=minimum.length)
    return end_of_china_day(last_day)


def is_period_too_short(opens_at: datetime, closes_at: datetime, minimum: MinimumPeriod, calendar) -> bool:
    # A period closing any time on its last required day is accepted: staff pick times like 17:00.
    return china_date(closes_at) < china_date(earliest_close(opens_at, minimum, calendar))


_ARTICLE = re.compile(r"^\s*(第([零〇一二两三四五六七八九十百千\d]+)条)[\s　]*(.*)$")
_CHAPTER = re.compile(r"^\s*第[零〇一二两三四五六七八九十百千\d]+[章节编](?:[\s　]+.*)?$")


@dataclass
class ParsedArticle:
    number: int
    label: str
    chapter: str
    body: str


def _article_number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else int(cn2an.cn2an(numeral, "smart"))


def split_articles(text: str) -> tuple[str, list[ParsedArticle]]:
    """Split a draft into its preamble and its articles (第X条), keeping chapter headings with the next article.

    A number that repeats or goes backwards is not a new article (it is a quotation of another rule inside
    the text), so such lines stay in the article they appear in.
    """
    preamble: list[str] = []
    articles: list[ParsedArticle] = []
    pending_chapter = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        article = _ARTICLE.match(line)
        number = _article_number(article.group(2)) if article else None
        if article and (not articles or number > articles[-1].number):
            articles.append(ParsedArticle(number, article.group(1), pending_chapter, article.group(3).strip()))
            pending_chapter = ""
        elif _CHAPTER.match(line):
            pending_chapter = line.strip()
        elif articles:
            articles[-1].body = f"{articles[-1].body}\n{line.strip()}".strip("\n")
        else:
            preamble.append(line)
    for parsed in articles:
        parsed.body = parsed.body.strip()
    return "\n".join(preamble).strip(), articles


def new_receipt_number() -> str:
    """A receipt number (回执编号) such as ``K7M2-9XQP-4HTA``: short to copy, impossible to guess."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt_number(text: str) -> str:
    """Accept what people type: lower case, spaces, missing dashes."""
    raw = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


_PHONE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_valid_contact(contact: str) -> bool:
    """A mainland mobile or landline number, or an e-mail address."""
    contact = contact.strip().replace(" ", "")
    return bool(_PHONE.match(contact) or _EMAIL.match(contact))


def initial_comment_status(moderation: str) -> str:
    return "published" if moderation == "immediate" else "pending"
