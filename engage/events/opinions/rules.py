"""Rules of event questionnaires as plain functions: what a question and a response must hold, the figures.

No Flask, no database: services call these, tests call them directly.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

RATING_MIN, RATING_MAX = 1, 5
QUESTION_MAX_LENGTH = 300
CHOICE_MAX_LENGTH = 200
MIN_CHOICES, MAX_CHOICES = 2, 10
OPINION_MAX_LENGTH = 2000
MAX_QUESTIONS = 20

#: registration statuses whose holders were (or are expected) at the event and may give their opinion
MAY_GIVE_OPINION = frozenset({"attended", "confirmed"})


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the organiser defines it."""

    kind: str
    text: str
    choices: tuple[str, ...] = ()
    is_required: bool = False


def clean_choices(lines: Iterable[str]) -> tuple[str, ...]:
    """The options of a single-choice question: one a line, blanks and repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for line in lines:
        text = line.strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def question_problems(spec: QuestionSpec) -> dict[str, list]:
    """What is wrong with a question definition, by field; empty when it may be saved."""
    problems: dict[str, list] = {}
    if not spec.text.strip():
        problems["text"] = [_l("Write the question.")]
    elif len(spec.text) > QUESTION_MAX_LENGTH:
        problems["text"] = [_l("A question may be at most %(n)d characters.", n=QUESTION_MAX_LENGTH)]
    if spec.kind == "single_choice":
        if not MIN_CHOICES <= len(spec.choices) <= MAX_CHOICES:
            problems["choices"] = [_l("Give between %(low)d and %(high)d options, one a line.",
                                      low=MIN_CHOICES, high=MAX_CHOICES)]
        elif any(len(choice) > CHOICE_MAX_LENGTH for choice in spec.choices):
            problems["choices"] = [_l("An option may be at most %(n)d characters.", n=CHOICE_MAX_LENGTH)]
    elif spec.choices:
        problems["choices"] = [_l("Only single-choice questions have options.")]
    return problems


def item_problem(kind: str, choices: Iterable[str], is_required: bool, value) -> str | None:
    """Why one answer to a question cannot be accepted (a translatable message), or None.

    ``value`` is the rating (an int), the chosen option, or the text, as the attendee sent it (None if absent).
    """
    if value in (None, ""):
        return _l("Answer this question.") if is_required else None
    if kind == "rating":
        if not isinstance(value, int) or isinstance(value, bool) or not RATING_MIN <= value <= RATING_MAX:
            return _l("Choose a rating from %(low)d to %(high)d.", low=RATING_MIN, high=RATING_MAX)
    elif kind == "single_choice":
        if value not in tuple(choices):
            return _l("Choose one of the options.")
    elif len(str(value)) > OPINION_MAX_LENGTH:
        return _l("At most %(n)d characters.", n=OPINION_MAX_LENGTH)
    return None


def may_open(event_starts_at, now) -> bool:
    """Opinions are about the event people took part in: the questionnaire opens once the event has begun."""
    return now >= event_starts_at


def may_give_opinion(registration_status: str, questionnaire_open: bool) -> bool:
    return questionnaire_open and str(registration_status) in MAY_GIVE_OPINION


def average_rating(ratings: Iterable[int]) -> float | None:
    """The mean of the ratings given, to one decimal; None when nobody rated."""
    values = [r for r in ratings if r is not None]
    return round(sum(values) / len(values), 1) if values else None


def choice_counts(choices: Iterable[str], chosen: Iterable[str]) -> list[tuple[str, int]]:
    """How often each option was chosen, every option listed (zero where none) in the question's order."""
    counts = Counter(chosen)
    return [(choice, counts.get(choice, 0)) for choice in choices]


def rating_distribution(ratings: Iterable[int]) -> list[tuple[int, int]]:
    counts = Counter(r for r in ratings if r is not None)
    return [(score, counts.get(score, 0)) for score in range(RATING_MAX, RATING_MIN - 1, -1)]
