"""What can be followed: the public records behind a (kind, id), and their titles and pages."""

from dataclasses import dataclass

from engage.extensions import db
from engage.subscriptions.models import TargetKind


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    id: int
    title: str
    url_endpoint: str
    url_values: dict


def find_public(kind: str, target_id: int) -> Target | None:
    """The followable record, or None when there is none the public may see (a draft, a department closed)."""
    from engage.accounts.models import Department
    from engage.consultations.models import Consultation, Stage
    from engage.events.models import Campaign, CampaignStatus
    from engage.proposals.models import Proposal

    try:
        kind = TargetKind(kind)
    except ValueError:
        return None
    if kind == TargetKind.CONSULTATION:
        found = db.session.get(Consultation, target_id)
        if found and found.stage != Stage.DRAFT:
            return Target(kind, found.id, found.title, "consultations.detail", {"consultation_id": found.id})
    elif kind == TargetKind.DEPARTMENT:
        found = db.session.get(Department, target_id)
        if found and found.is_active:
            return Target(kind, found.id, found.name, "consultations.index", {"department": found.id})
    elif kind == TargetKind.CAMPAIGN:
        found = db.session.get(Campaign, target_id)
        if found and found.status == CampaignStatus.PUBLISHED:
            return Target(kind, found.id, found.title, "events.campaign", {"campaign_id": found.id})
    else:
        found = db.session.get(Proposal, target_id)
        if found:  # every registered case is public (docs/DOMAIN.md §4)
            return Target(kind, found.id, found.title, "proposals.case", {"proposal_id": found.id})
    return None

