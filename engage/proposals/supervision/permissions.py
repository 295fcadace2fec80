"""Who may do what in supervision. Predicates only: services raise NotAllowed, templates hide links."""

from engage.accounts.permissions import is_admin
from engage.proposals.permissions import acts_on_session, is_supervisor, is_unit_staff


def can_chase(user, proposal=None) -> bool:
    """Chasing notices, escalation settings, the review decisions and the dashboard: the supervising office
    (given the case, the office of its session's level)."""
    return is_supervisor(user) and (proposal is None or acts_on_session(user, proposal.session))


def can_see_dashboard(user) -> bool:
    return is_supervisor(user)


def can_review(user) -> bool:
    return is_supervisor(user)


def acts_for_unit(user, department_id: int | None) -> bool:
    """Staff of that unit (administrators may act for any)."""
    return is_admin(user) or (is_unit_staff(user) and user.department_id == department_id)
