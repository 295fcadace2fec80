"""Who may do what in supervision. Predicates only: services raise NotAllowed, templates hide links."""

from engage.accounts.permissions import is_admin
from engage.proposals.permissions import is_supervisor, is_unit_staff


def can_chase(user) -> bool:
    """Chasing notices, escalation settings, the review decisions and the dashboard: the supervising office."""
    return is_supervisor(user)


def can_see_dashboard(user) -> bool:
    return is_supervisor(user)


def can_review(user) -> bool:
    return is_supervisor(user)


def acts_for_unit(user, department_id: int | None) -> bool:
    """Staff of that unit (administrators may act for any)."""
    return is_admin(user) or (is_unit_staff(user) and user.department_id == department_id)
