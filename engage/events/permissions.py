"""Who may organise open-government events. Predicates only: services raise NotAllowed, templates hide links.

The rule, as the open-government office works:

- Administrators manage every campaign and every event.
- An organiser *without* a department works for the office that runs the open month (政务公开办): it manages
  the campaigns and every event in them.
- An organiser *with* a department organises the events its department hosts: it creates events only for
  that department and sees, checks in, exports and answers only those. It may read the campaigns (to place an
  event in one) but not change them.
- Department staff, supervisors and the public do not organise events.

Opening citizens' unmasked personal data (an unmasked export) follows the same rule as managing the event:
the organiser of an event needs the full phone numbers to reach its guests; every such export is recorded.
"""

from engage.accounts.models import Role
from engage.accounts.permissions import is_admin, is_staff


def is_organiser(user) -> bool:
    return is_staff(user) and user.role == Role.ORGANISER


def is_office_organiser(user) -> bool:
    """An organiser of the whole open month (no department of its own)."""
    return is_organiser(user) and user.department_id is None


def can_organise(user) -> bool:
    """Whether the user sees the organiser desk at all."""
    return is_admin(user) or is_organiser(user)


def can_manage_campaigns(user) -> bool:
    return is_admin(user) or is_office_organiser(user)


def can_host_for(user, department_id: int | None) -> bool:
    """Whether the user may organise events hosted by ``department_id``."""
    if is_admin(user) or is_office_organiser(user):
        return True
    return is_organiser(user) and department_id is not None and user.department_id == department_id


def can_manage_event(user, event) -> bool:
    return can_host_for(user, event.department_id)


def can_export_unmasked(user, event) -> bool:
    return can_manage_event(user, event)


def organised_department_id(user) -> int | None:
    """The department whose events the user is limited to; None when it organises every department's events."""
    if is_admin(user) or is_office_organiser(user):
        return None
    return user.department_id
