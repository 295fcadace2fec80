"""Who may do what with proposal cases. Predicates only: services raise NotAllowed, templates hide links.

A unit (department staff) sees and answers only the cases it handles, as lead unit or co-unit; only the
supervising office (supervisors) and administrators register, assign, reassign, extend and enter ratings.
"""

from engage.accounts.models import Role
from engage.accounts.permissions import is_admin, is_staff
from engage.proposals.models import UnitRole


def is_supervisor(user) -> bool:
    """The supervising office (and administrators, who may do everything)."""
    return is_staff(user) and user.role in (Role.SUPERVISOR, Role.ADMIN)


def can_register(user) -> bool:
    return is_supervisor(user)


def can_assign(user) -> bool:
    return is_supervisor(user)


def can_enter_ratings(user) -> bool:
    return is_supervisor(user)


def is_unit_staff(user) -> bool:
    return is_staff(user) and user.role == Role.DEPARTMENT_STAFF and user.department_id is not None


def handles(user, proposal) -> bool:
    """Department staff of a unit assigned to the case (lead or co-unit)."""
    return is_unit_staff(user) and user.department_id in proposal.unit_ids()


def can_view_staff_side(user, proposal) -> bool:
    return is_supervisor(user) or handles(user, proposal)


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

