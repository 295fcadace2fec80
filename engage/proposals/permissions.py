"""Who may do what with proposal cases. Predicates only: services raise NotAllowed, templates hide links.

A unit (department staff) sees and answers only the cases it handles, as lead unit or co-unit; only the
supervising office (supervisors) and administrators register, assign, reassign, extend and enter ratings.
A supervisor scoped to a region is the office of that level's 人大 or 政协: it acts on the cases of sessions held
at its level and sees (read-only) those of the levels below; a sibling's cases are out of its sight.
"""

from engage.accounts.models import Role
from engage.accounts.permissions import is_admin, is_staff
from engage.proposals.models import UnitRole
from engage.regions import permissions as regions


def is_supervisor(user) -> bool:
    """The supervising office (and administrators, who may do everything)."""
    return is_staff(user) and user.role in (Role.SUPERVISOR, Role.ADMIN)


def session_path(session) -> str | None:
    region = getattr(session, "region", None) if session is not None else None
    return region.path if region is not None else None


def acts_on_session(user, session) -> bool:
    """The supervising office of the session's level (any session for an installation-wide one)."""
    return is_supervisor(user) and regions.acts_at_path(user, session_path(session))


def oversees_session(user, session) -> bool:
    """The office of the session's level or of one above it: it sees the cases and the figures."""
    return is_supervisor(user) and regions.sees_path(user, session_path(session))


def can_register(user, session=None) -> bool:
    return is_supervisor(user) and (session is None or acts_on_session(user, session))


def can_assign(user, proposal=None) -> bool:
    """The supervising office; given the case, the office of its session's level."""
    return is_supervisor(user) and (proposal is None or acts_on_session(user, proposal.session))


def can_enter_ratings(user, proposal=None) -> bool:
    return can_assign(user, proposal)


def is_unit_staff(user) -> bool:
    return is_staff(user) and user.role == Role.DEPARTMENT_STAFF and user.department_id is not None


def handles(user, proposal) -> bool:
    """Department staff of a unit assigned to the case (lead or co-unit)."""
    return is_unit_staff(user) and user.department_id in proposal.unit_ids()


def can_view_staff_side(user, proposal) -> bool:
    return oversees_session(user, proposal.session) or handles(user, proposal)


def can_see_queue(user) -> bool:
    return is_unit_staff(user) or is_supervisor(user)


def can_reply(user, proposal) -> bool:
    """Lead units reply; administrators may act for them."""
    if is_admin(user):
        return True
    return is_unit_staff(user) and user.department_id in proposal.unit_ids(UnitRole.LEAD)


def can_record_progress(user, proposal) -> bool:
    return can_reply(user, proposal)


def can_submit_opinion(user, proposal) -> bool:
    """Co-units send their opinion to the lead unit."""
    return is_unit_staff(user) and user.department_id in proposal.unit_ids(UnitRole.CO)


def can_object(user, proposal) -> bool:
    return handles(user, proposal)

