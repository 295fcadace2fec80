"""How a government body answers an opinion: the four outcomes of 意见采纳情况反馈 and the rule on reasons.

Shared by the consultation feedback report and by the opinions gathered at open-government events.
"""

from flask_babel import lazy_gettext as _l

from engage.core.enums import LabelledStrEnum


class AnswerOutcome(LabelledStrEnum):
    ADOPTED = "adopted", _l("Adopted")  # 采纳
    PARTLY_ADOPTED = "partly_adopted", _l("Partly adopted")  # 部分采纳
    NOT_ADOPTED = "not_adopted", _l("Not adopted")  # 未采纳
    OUT_OF_SCOPE = "out_of_scope", _l("Outside the scope")  # 不属于征求范围

    @property
    def needs_reason(self) -> bool:
        return self in REASON_REQUIRED

    @property
    def reason_label(self):
        """What the text published with the answer is: for an adoption it explains how, otherwise it gives why."""
        return _l("How it was taken up") if self == AnswerOutcome.ADOPTED else _l("Reason")


#: Anything short of full adoption must say why; the reasons for not adopting are published. An adoption may
#: carry an explanation too (which article changed, and how), published the same way.
REASON_REQUIRED = frozenset({AnswerOutcome.PARTLY_ADOPTED, AnswerOutcome.NOT_ADOPTED, AnswerOutcome.OUT_OF_SCOPE})

REASON_MAX_LENGTH = 5000


def answer_problems(outcome: AnswerOutcome | str | None, reason: str) -> dict[str, list]:
    """What is wrong with an answer, by field (empty when it may be saved); messages are translatable."""
    problems: dict[str, list] = {}
    try:
        outcome = AnswerOutcome(outcome) if outcome else None
    except ValueError:
        outcome = None
    if outcome is None:
        problems["outcome"] = [_l("Choose how the opinion was handled.")]
    reason = (reason or "").strip()
    if outcome is not None and outcome.needs_reason and not reason:
        problems["reason"] = [_l("Give the reason: it is published with the answer.")]
    if len(reason) > REASON_MAX_LENGTH:
        problems["reason"] = [_l("The reason may be at most %(max)d characters.", max=REASON_MAX_LENGTH)]
    return problems


def count_outcomes(outcomes) -> dict[AnswerOutcome, int]:
    """How many of each outcome, every outcome present (zero where none), in the fixed order."""
    counts = dict.fromkeys(AnswerOutcome, 0)
    for outcome in outcomes:
        counts[AnswerOutcome(outcome)] += 1
    return counts
