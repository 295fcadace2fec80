"""What the staff case page shows of supervision: chasing notices, the reply under review, the 督办 timeline."""

from dataclasses import dataclass
from datetime import datetime

from flask_login import current_user

from engage.proposals import permissions as case_permissions
from engage.proposals import rules as case_rules
from engage.proposals.supervision import chasing, permissions, review
from engage.proposals.supervision.forms import ChaseAnswerForm, ChaseForm, ConfirmForm, ReturnReplyForm, SignOffForm


@dataclass
class HistoryEntry:
    at: datetime
    label: str
    actor: object = None
    text: str = ""


def history(proposal) -> list[HistoryEntry]:
    """Status changes and 督办 steps together, in the order they happened."""
    entries = [HistoryEntry(change.changed_at, str(change.to_status.label), change.actor, change.reason)
               for change in proposal.status_changes]
    for step in chasing.steps_of(proposal.id):
        label = str(step.kind.label)
        if step.department is not None:
            label = f"{label} · {step.department.name}"
        entries.append(HistoryEntry(step.at, label, step.actor, step.text))
    return sorted(entries, key=lambda entry: entry.at)


def context(proposal, given: dict) -> dict:
    """The supervision parts of the case page for the current user; ``given`` are forms that failed."""
    user = current_user
    draft = review.open_draft(proposal)
    notices = chasing.chasing_notices(proposal.id)
    is_open = proposal.status in case_rules.OPEN_STATUSES
    can_review = permissions.can_review(user)
    return {
        "history": history(proposal),
        "chasing": notices,
        "review_required": review.is_review_required(proposal),
        "review_draft": draft,
        "past_drafts": [d for d in review.drafts_of(proposal) if d is not draft],
        "chase_form": given.get("chase_form") or (ChaseForm(formdata=None) if permissions.can_chase(user)
                                                  and is_open else None),
        "answer_form": given.get("answer_form") or ChaseAnswerForm(formdata=None),
        "can_answer": lambda step: permissions.acts_for_unit(user, step.department_id),
        "return_form": given.get("return_form") or (ReturnReplyForm(formdata=None) if can_review and draft
                                                    else None),
        "confirm_form": ConfirmForm(formdata=None),
        "signoff_form": given.get("signoff_form") or SignOffForm(formdata=None),
        "can_review": can_review,
        "my_signoff": next((s for s in draft.signoffs if s.signed_at is None
                            and permissions.acts_for_unit(user, s.department_id)
                            and not case_permissions.is_supervisor(user)), None) if draft else None,
    }
