"""Who may link decisions and keep the catalogue. Predicates only: services raise NotAllowed, templates hide links."""

from engage.accounts.models import Role
from engage.accounts.permissions import acts_for_department, is_admin, is_staff  # noqa: F401  (is_admin: for views)


def can_link_decision(user, consultation) -> bool:
    """The drafting department links its decision and interprets it (谁起草谁解读); administrators may too."""
    return acts_for_department(user, consultation.department_id)


def can_see_dashboard(user) -> bool:
    """Department staff, and administrators: a region's sees its subtree rolled up (read-only below its level)."""
    return is_staff(user) and (user.role == Role.ADMIN
                               or (user.role == Role.DEPARTMENT_STAFF and bool(user.department_id)))


def can_keep_catalogue(user) -> bool:
    """Whether the catalogue's staff pages are for ``user`` at all (entries are then checked one by one)."""
    return can_see_dashboard(user)


def can_manage_entry(user, department_id: int) -> bool:
    return acts_for_department(user, department_id)
