"""Who may do what. Predicates only: services raise NotAllowed, templates hide links."""

from engage.accounts.models import Role, User


def is_staff(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user) -> bool:
    return is_staff(user) and user.role == Role.ADMIN


def can_manage_accounts(user) -> bool:
    return is_admin(user)


def acts_for_department(user, department_id: int) -> bool:
    """Administrators act for every department; department staff for their own."""
    if is_admin(user):
        return True
    return is_staff(user) and user.role == Role.DEPARTMENT_STAFF and user.department_id == department_id


def can_create_consultation(user) -> bool:
    return is_admin(user) or (is_staff(user) and user.role == Role.DEPARTMENT_STAFF and user.department_id)


def can_edit_consultation(user: User, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_moderate(user: User, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_publish(user: User, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_view_staff_side(user: User, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)
