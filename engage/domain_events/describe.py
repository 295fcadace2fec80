"""What an event says about its subject (the webhook payload's ``data``), and which follows it concerns.

Only what the public may see: no contact, no name of a citizen, no unpublished reply text.
"""

from datetime import date, datetime

from engage.core.links import public_url


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _department(department) -> dict | None:
    if department is None:
        return None
    return {"id": department.id, "name": department.name, "name_en": department.name_en}


def _consultation(consultation) -> dict:
    return {"consultation": {
        "id": consultation.id, "title": consultation.title, "kind": str(consultation.kind),
        "department": _department(consultation.department), "opens_at": _when(consultation.opens_at),
        "closes_at": _when(consultation.closes_at), "stage": str(consultation.stage),
        "url": public_url("consultations.detail", consultation_id=consultation.id)}}


def _event(event) -> dict:
    return {"event": {
        "id": event.id, "title": event.title, "kind": str(event.kind), "status": str(event.status),
        "campaign": {"id": event.campaign.id, "title": event.campaign.title},
        "department": _department(event.department), "starts_at": _when(event.starts_at),
        "ends_at": _when(event.ends_at), "registration_opens_at": _when(event.registration_opens_at),
        "registration_closes_at": _when(event.registration_closes_at), "capacity": event.capacity,
        "url": public_url("events.event", event_id=event.id)}}


def _proposal(proposal) -> dict:
    return {"proposal": {
        "id": proposal.id, "kind": str(proposal.kind), "session": proposal.session.name,
        "number": proposal.number, "title": proposal.title, "status": str(proposal.status),
        "lead_unit": _department(proposal.lead_unit), "replied_on": _when(proposal.replied_on),
        "outcome": proposal.outcome, "satisfaction": str(proposal.satisfaction) if proposal.satisfaction else None,
        "url": public_url("proposals.case", proposal_id=proposal.id)}}


_DESCRIBERS = {"consultations": _consultation, "events": _event, "proposals": _proposal}


def payload(subject, details: dict) -> dict:
    """The event's ``data``: the subject as the public sees it now, plus the emitter's details."""
    data = _DESCRIBERS[subject.__tablename__](subject)
    if details:
        data["details"] = {key: _when(value) if isinstance(value, date) else value for key, value in details.items()}
    return data


def follow_targets(subject_type: str, data: dict) -> list[tuple[str, int]]:
    """The (kind, id) pairs a citizen may follow that an event about this subject concerns."""
    if subject_type == "consultations":
        item = data["consultation"]
        return [("consultation", item["id"])] + ([("department", item["department"]["id"])]
                                                 if item["department"] else [])
    if subject_type == "events":
        item = data["event"]
        return [("campaign", item["campaign"]["id"])] + ([("department", item["department"]["id"])]
                                                          if item["department"] else [])
    item = data["proposal"]
    return [("proposal", item["id"])] + ([("department", item["lead_unit"]["id"])] if item["lead_unit"] else [])
