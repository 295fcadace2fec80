"""Who may see and do what in the region tree. Predicates only: services raise NotAllowed, templates hide links.

Scope: an administrator or supervisor scoped to a region sees that region and everything below it, and acts only
at its own level: records of a lower level are read-only to it, a sibling region is out of sight altogether
(分级负责、属地管理). One without a scope is the installation's: it sees and acts everywhere, as before regions.
Department staff and organisers keep acting for their department, wherever it is.
"""

from engage.accounts.models import Role
from engage.accounts.permissions import is_staff
from engage.regions import rules

#: the scope of an installation-wide account: every path starts with it
EVERYWHERE = ""


def scope_path(user) -> str | None:
    """The path every region this user oversees starts with; None for one who oversees no region."""
    if not is_staff(user):
        return None
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        region = user.scope_region
        return region.path if region is not None else EVERYWHERE
    department = user.department
    region = department.region if department is not None else None
    return region.path if region is not None else None


def is_installation_wide(user) -> bool:
    return scope_path(user) == EVERYWHERE


def sees_path(user, path: str | None) -> bool:
    """Whether the user may see the figures and staff-side records of the region at ``path``."""
    scope = scope_path(user)
    return scope == EVERYWHERE or (scope is not None and path is not None and rules.is_within(path, scope))


def acts_at_path(user, path: str | None) -> bool:
    """Whether the user acts on records of the region at ``path``: its own level, or anywhere when unscoped."""
    scope = scope_path(user)
    if scope is None:
        return False
    return scope == EVERYWHERE or path == scope


def _is_role(user, *roles: Role) -> bool:
    return is_staff(user) and user.role in roles


def is_region_admin(user) -> bool:
    """An administrator, installation-wide or of a region."""
    return _is_role(user, Role.ADMIN)


def can_administer_region(user, region) -> bool:
    """Departments, users (and their places) of ``region``'s subtree: its administrator, or one above."""
    return is_region_admin(user) and region is not None and sees_path(user, region.path)


def can_manage_region(user, region) -> bool:
    """Rename, move, deactivate or delete ``region``: an administrator above it (a region's own administrator
    cannot move or close the region it answers for)."""
    if not is_region_admin(user) or region is None:
        return False
    scope = scope_path(user)
    return scope == EVERYWHERE or rules.is_strictly_below(region.path, scope)


def can_manage_region_under(user, parent) -> bool:
    """Add a region under ``parent`` (None: a new root, installation-wide administrators only)."""
    if parent is None:
        return is_region_admin(user) and is_installation_wide(user)
    return can_administer_region(user, parent)


def can_scope_user(actor, user, region) -> bool:
    """Give ``user`` the scope ``region`` (None: installation-wide): never wider than the actor's own."""
    if not is_region_admin(actor):
        return False
    if is_installation_wide(actor):
        return True
    # A scoped administrator scopes only people already inside its subtree, and only to a region inside it.
    current = scope_path(user)
    return (region is not None and sees_path(actor, region.path)
            and current is not None and current != EVERYWHERE and sees_path(actor, current))


def supervises_region(user, region) -> bool:
    """The proposal office of ``region``'s level (or an administrator of it) acts on that level's sessions."""
    return _is_role(user, Role.SUPERVISOR, Role.ADMIN) and region is not None and acts_at_path(user, region.path)


def oversees_region(user, region) -> bool:
    """Supervisors and administrators see the figures of their region and every region below it."""
    return _is_role(user, Role.SUPERVISOR, Role.ADMIN) and region is not None and sees_path(user, region.path)


def department_path(department) -> str | None:
    region = getattr(department, "region", None) if department is not None else None
    return region.path if region is not None else None


def acts_for_department_region(user, department) -> bool:
    """An administrator acts for a department of its own level (any department when installation-wide)."""
    if not is_region_admin(user):
        return False
    return is_installation_wide(user) or acts_at_path(user, department_path(department))


def sees_department(user, department) -> bool:
    """A scoped administrator or supervisor sees the staff side of departments of its subtree, read-only below."""
    return _is_role(user, Role.ADMIN, Role.SUPERVISOR) and sees_path(user, department_path(department))
