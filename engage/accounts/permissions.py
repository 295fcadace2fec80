"""Who may do what. Predicates only: services raise NotAllowed, templates hide links."""

from engage.accounts.models import Role, User


def is_staff(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user) -> bool:
    """An installation-wide administrator. One scoped to a region is a region administrator: it is granted only
    what engage.regions.permissions gives it, so every page built before regions stays closed to it."""
    return is_staff(user) and user.role == Role.ADMIN and getattr(user, "scope_region", None) is None


def can_manage_accounts(user) -> bool:
    return is_admin(user)


def acts_for_department(user, department_id: int) -> bool:
    """Administrators act for every department; department staff for their own."""
    if is_admin(user):
        return True
    if is_staff(user) and user.role == Role.ADMIN:
        return _region_admin_acts_for(user, department_id)
    return is_staff(user) and user.role == Role.DEPARTMENT_STAFF and user.department_id == department_id


def _region_admin_acts_for(user, department_id: int) -> bool:
    """A region's administrator acts for the departments of its own level; lower levels are read-only to it."""
    from engage.accounts.models import Department
    from engage.extensions import db
    from engage.regions import permissions as regions  # regions build on accounts, not the other way round

    return regions.acts_for_department_region(user, db.session.get(Department, department_id))


def can_create_consultation(user) -> bool:
    # Region administrators too: create_draft then checks that they act for the department named.
    return is_staff(user) and (user.role == Role.ADMIN or (user.role == Role.DEPARTMENT_STAFF and user.department_id))


def can_edit_consultation(user: User, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_moderate(user: User, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_publish(user: User, consultation) -> bool:
    return acts_for_department(user, consultation.department_id)


def can_view_staff_side(user: User, consultation) -> bool:
    """Those who act for it, and (read-only) the administrators of a region above its department."""
    department_id = consultation.department_id
    return acts_for_department(user, department_id) or oversees_department(user, department_id)


def oversees_department(user, department_id: int) -> bool:
    """A scoped administrator sees the staff side of the departments of its region and below (supervisors see the
    proposal side only)."""
    if not (is_staff(user) and user.role == Role.ADMIN):
        return False
    from engage.accounts.models import Department
    from engage.extensions import db
    from engage.regions import permissions as regions

    return regions.sees_department(user, db.session.get(Department, department_id))
