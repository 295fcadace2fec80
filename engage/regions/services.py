"""Region use cases: build and change the tree, place departments and scoped staff in it, look regions up."""

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.accounts.models import Department, Role, User
from engage.core import audit
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.extensions import db
from engage.regions import permissions, rules
from engage.regions.models import Region, RegionLevel, department_regions, session_regions, user_regions


class RegionHoldsRecords(RuleViolation):
    default_message = _l("This region still holds regions, departments, staff or sessions: deactivate it instead.")


def get_region(region_id: int) -> Region:
    region = db.session.get(Region, region_id)
    if region is None:
        raise NotFound()
    return region


def find_by_slug(slug: str, *, active_only: bool = True) -> Region | None:
    statement = select(Region).where(Region.slug == slug.strip().lower())
    if active_only:
        statement = statement.where(Region.is_active.is_(True))
    return db.session.scalar(statement)


def get_public_by_slug(slug: str) -> Region:
    region = find_by_slug(slug)
    if region is None:
        raise NotFound(_l("There is no region with this short name."))
    return region


def list_tree(*, active_only: bool = False) -> list[Region]:
    """Every region, parents before children and siblings by name: the order the tree is drawn in."""
    regions = list(db.session.scalars(select(Region)))
    by_id = {region.id: region for region in regions}
    if active_only:  # a region under an inactive one is out of the tree too
        regions = [r for r in regions if all(by_id[i].is_active for i in rules.ids_on_path(r.path) if i in by_id)]

    def sort_key(region: Region):
        return [by_id[i].name if i in by_id else "" for i in rules.ids_on_path(region.path)]

    return sorted(regions, key=sort_key)


def ancestors_of(region: Region) -> list[Region]:
    """The region's path from the root down to it (itself included), for breadcrumbs."""
    ids = rules.ids_on_path(region.path)
    found = {r.id: r for r in db.session.scalars(select(Region).where(Region.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def children_of(region: Region, *, active_only: bool = True) -> list[Region]:
    statement = select(Region).where(Region.parent_id == region.id).order_by(Region.name)
    if active_only:
        statement = statement.where(Region.is_active.is_(True))
    return list(db.session.scalars(statement))


def subtree_region_ids(region: Region):
    """A subquery of the ids of ``region`` and every region below it (one prefix match on the indexed path)."""
    return select(Region.id).where(Region.path.startswith(region.path, autoescape=True)).scalar_subquery()


def departments_under(region: Region):
    """A subquery of the ids of the departments of ``region`` and every region below it."""
    return (select(department_regions.c.department_id)
            .join(Region, Region.id == department_regions.c.region_id)
            .where(Region.path.startswith(region.path, autoescape=True)))


def sessions_under(region: Region):
    """A subquery of the ids of the proposal sessions held at ``region`` or any level below it."""
    return (select(session_regions.c.session_id)
            .join(Region, Region.id == session_regions.c.region_id)
            .where(Region.path.startswith(region.path, autoescape=True)))


def _check_fields(slug: str, name: str, level: str, *, region: Region | None) -> dict:
    errors: dict = {}
    if not rules.is_valid_slug(slug):
        errors["slug"] = [rules.SLUG_HELP]
    else:
        holder = db.session.scalar(select(Region).where(Region.slug == slug))
        if holder is not None and holder is not region:
            errors["slug"] = [_l("Another region already has this short name.")]
    if not name or len(name) > 100:
        errors["name"] = [_l("Give the region a name of at most 100 characters.")]
    if level not in {member.value for member in RegionLevel}:
        errors["level"] = [_l("Choose one of the levels offered.")]
    return errors


def create_region(*, name: str, name_en: str = "", slug: str, level: str, parent: Region | None, actor,
                  now: datetime) -> Region:
    """Add a region under ``parent`` (None: a new root, for installation administrators only)."""
    if not permissions.can_manage_region_under(actor, parent):
        raise NotAllowed()
    name, name_en, slug = name.strip(), name_en.strip(), slug.strip().lower()
    errors = _check_fields(slug, name, level, region=None)
    if errors:
        raise ValidationFailed(errors)
    # The path holds the region's own id, known only once it is inserted: a unique placeholder until then.
    region = Region(name=name, name_en=name_en, slug=slug, level=RegionLevel(level), parent=parent,
                    path=f"/new-{uuid.uuid4().hex}/", is_active=True)
    db.session.add(region)
    db.session.flush()
    region.path = rules.path_for(parent.path if parent else None, region.id)
    db.session.flush()
    audit.record("region.created", region, actor=actor, now=now, path=region.path)
    return region


def update_region(region: Region, *, name: str, name_en: str, slug: str, level: str, actor, now: datetime) -> Region:
    """Rename a region (its names, short name or level); its place in the tree does not change."""
    if not permissions.can_manage_region(actor, region):
        raise NotAllowed()
    name, name_en, slug = name.strip(), name_en.strip(), slug.strip().lower()
    errors = _check_fields(slug, name, level, region=region)
    if errors:
        raise ValidationFailed(errors)
    region.name, region.name_en, region.slug, region.level = name, name_en, slug, RegionLevel(level)
    db.session.flush()
    audit.record("region.updated", region, actor=actor, now=now)
    return region


def move_region(region: Region, new_parent: Region | None, *, actor, now: datetime) -> Region:
    """Put ``region`` and its subtree under ``new_parent``: never under itself or one of its descendants."""
    if not (permissions.can_manage_region(actor, region) and permissions.can_manage_region_under(actor, new_parent)):
        raise NotAllowed()
    if not rules.may_move_under(region.path, new_parent.path if new_parent else None):
        raise ValidationFailed({"parent": [_l("A region cannot move under itself or one of its own sub-regions.")]})
    old_prefix = region.path
    new_prefix = rules.path_for(new_parent.path if new_parent else None, region.id)
    # A tree has hundreds of regions, not millions: the subtree is rewritten row by row, the same on every database.
    for member in db.session.scalars(select(Region).where(Region.path.startswith(old_prefix, autoescape=True))):
        member.path = rules.moved_path(member.path, old_prefix, new_prefix)
    region.parent = new_parent
    db.session.flush()
    audit.record("region.moved", region, actor=actor, now=now, old_path=old_prefix, new_path=new_prefix)
    return region


def set_active(region: Region, is_active: bool, *, actor, now: datetime) -> Region:
    """Deactivate (or reactivate) a region: it leaves the public lists and takes no new departments."""
    if not permissions.can_manage_region(actor, region):
        raise NotAllowed()
    region.is_active = is_active
    db.session.flush()
    audit.record("region.activated" if is_active else "region.deactivated", region, actor=actor, now=now)
    return region


def holds_records(region: Region) -> bool:
    """Whether anything lives in the region: sub-regions, departments, scoped staff or proposal sessions."""
    checks = (
        select(Region.id).where(Region.parent_id == region.id),
        select(department_regions.c.department_id).where(department_regions.c.region_id == region.id),
        select(user_regions.c.user_id).where(user_regions.c.region_id == region.id),
        select(session_regions.c.session_id).where(session_regions.c.region_id == region.id),
    )
    return any(db.session.scalar(check.limit(1)) is not None for check in checks)


def delete_region(region: Region, *, actor, now: datetime) -> None:
    """Delete a region created by mistake; one that holds anything is only ever deactivated."""
    if not permissions.can_manage_region(actor, region):
        raise NotAllowed()
    if holds_records(region):
        raise RegionHoldsRecords()
    audit.record("region.deleted", region, actor=actor, now=now, path=region.path, slug=region.slug)
    db.session.delete(region)
    db.session.flush()


def place_department(department: Department, region: Region, *, actor, now: datetime) -> None:
    """Put a department in ``region`` (an active one the actor administers)."""
    if not permissions.can_administer_region(actor, region) or (
            department.region is not None and not permissions.can_administer_region(actor, department.region)):
        raise NotAllowed()
    if not region.is_active:
        raise ValidationFailed({"region": [_l("This region is no longer active.")]})
    department.region = region
    db.session.flush()
    audit.record("department.placed", department, actor=actor, now=now, region=region.slug)


def add_department(region: Region, *, name: str, name_en: str, actor, now: datetime) -> Department:
    """A department of ``region``, added by an administrator of the region (or of one above it).

    :raises NotAllowed: for anyone else
    :raises ValidationFailed: no name, a name too long or taken, an inactive region
    """
    if not permissions.can_administer_region(actor, region):
        raise NotAllowed()
    name, name_en = name.strip(), name_en.strip()
    errors: dict = {}
    if not name or len(name) > 100:
        errors["name"] = [_l("Give the department a name of at most 100 characters.")]
    elif db.session.scalar(select(Department.id).where(Department.name == name)) is not None:
        errors["name"] = [_l("A department with this name already exists.")]
    if not region.is_active:
        errors["region"] = [_l("This region is no longer active.")]
    if errors:
        raise ValidationFailed(errors)
    department = Department(name=name, name_en=name_en[:150], is_active=True)
    department.region = region
    db.session.add(department)
    db.session.flush()
    audit.record("department.created", department, actor=actor, now=now, region=region.slug)
    return department


def create_account(region: Region, *, email: str, name: str, password: str, role: Role, department_id: int | None,
                   actor, now: datetime) -> User:
    """An account of ``region``, made by an administrator of the region (or of one above it): department staff or
    an organiser of one of the region's own departments, or an administrator or supervisor scoped to the region.

    :raises NotAllowed: for anyone else
    :raises ValidationFailed: as for any account, and a department that is not the region's
    """
    if not permissions.can_administer_region(actor, region):
        raise NotAllowed()
    scoped = role in (Role.ADMIN, Role.SUPERVISOR)
    if not scoped and department_id not in {d.id for d in departments_of(region)}:
        raise ValidationFailed({"department_id": [_l("Choose one of this region's departments.")]})
    from engage.accounts import services as accounts  # accounts' services know nothing of regions

    user = accounts.create_user(email=email, name=name, password=password, role=role,
                                department_id=None if scoped else department_id, actor=actor, now=now,
                                authorised=True)
    if scoped:
        user.scope_region = region
        db.session.flush()
    audit.record("user.created_in_region", user, actor=actor, now=now, region=region.slug)
    return user


def scope_user(user: User, region: Region | None, *, actor, now: datetime) -> None:
    """Scope an administrator or supervisor to ``region`` and everything below it (None: the whole installation)."""
    target = region or None
    if not permissions.can_scope_user(actor, user, target):
        raise NotAllowed()
    if target is not None and user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise ValidationFailed({"region": [_l("Only administrators and supervisors are scoped to a region.")]})
    user.scope_region = target
    db.session.flush()
    audit.record("user.scoped", user, actor=actor, now=now, region=target.slug if target else "")


def place_session(session, region: Region, *, actor, now: datetime) -> None:
    """Say which level's 人大 or 政协 holds a proposal session."""
    if not permissions.supervises_region(actor, region):
        raise NotAllowed()
    session.region = region
    db.session.flush()
    audit.record("proposal_session.placed", session, actor=actor, now=now, region=region.slug)


def root_for_new_records() -> Region | None:
    """The region records go to when nobody says: the first root (an installation has one after migrating)."""
    return db.session.scalar(select(Region).where(Region.parent_id.is_(None)).order_by(Region.id).limit(1))


def region_filter(slug: str | None, *, for_api: bool = False) -> Region | None:
    """The region a public list is filtered by (``?region=<slug>``), None when none is asked for.

    An unknown or inactive short name is refused, not ignored: a list quietly showing every region would
    look like the region's own list. Pages answer 404 with the reason, the API 422 on the ``region`` field.
    """
    if slug is None or not slug.strip():
        return None
    region = find_by_slug(slug)
    if region is None:
        message = _l("There is no region with this short name.")
        if for_api:
            raise ValidationFailed({"region": [message]})
        raise NotFound(message)
    return region


def indented_choices(locale: str) -> list[tuple[str, str]]:
    """``(slug, name)`` of every active region, parents first, each name indented by its depth (for a select)."""
    return [(region.slug, "\u3000" * rules.depth_of(region.path) + region.display_name(locale))
            for region in list_tree(active_only=True)]


def tree_for(actor) -> list[Region]:
    """The part of the tree ``actor`` administers: all of it installation-wide, else its region and below."""
    return [region for region in list_tree() if permissions.can_administer_region(actor, region)]


def departments_of_level(region: Region):
    """A subquery of the ids of the departments placed right in ``region`` (its own level, none below)."""
    return select(department_regions.c.department_id).where(department_regions.c.region_id == region.id)


def departments_of(region: Region) -> list[Department]:
    """The departments placed right in ``region`` (not below it), by name."""
    return list(db.session.scalars(
        select(Department).join(department_regions, department_regions.c.department_id == Department.id)
        .where(department_regions.c.region_id == region.id).order_by(Department.name)))


def placeable_departments(actor) -> list[Department]:
    """Departments ``actor`` may move: unplaced ones (installation-wide only) and those of its subtree."""
    departments = db.session.scalars(select(Department).where(Department.is_active).order_by(Department.name))
    return [d for d in departments if (d.region is None and permissions.is_installation_wide(actor))
            or (d.region is not None and permissions.can_administer_region(actor, d.region))]


def scoped_users_of(region: Region) -> list[User]:
    return list(db.session.scalars(
        select(User).join(user_regions, user_regions.c.user_id == User.id)
        .where(user_regions.c.region_id == region.id).order_by(User.name)))


def scopable_users(actor) -> list[User]:
    """Administrators and supervisors ``actor`` may (re)scope."""
    users = db.session.scalars(select(User).where(User.is_active, User.role.in_((Role.ADMIN, Role.SUPERVISOR)))
                               .order_by(User.name))
    return [u for u in users if u.id != actor.id and (permissions.is_installation_wide(actor) or (
        u.scope_region is not None and permissions.can_administer_region(actor, u.scope_region)))]
