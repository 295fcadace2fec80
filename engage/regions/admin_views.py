"""Administration of the region tree: add, rename, move, (de)activate, delete an empty region; place departments
and scope administrators and supervisors. Open to every administrator, each within its own subtree."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from engage.accounts.models import Role
from engage.core.errors import NotAllowed, RuleViolation, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.extensions import login_manager
from engage.regions import permissions, rules, services
from engage.regions.forms import NewDepartmentForm, PlaceDepartmentForm, RegionAccountForm, RegionForm, ScopeUserForm

bp = Blueprint("regions_admin", __name__, url_prefix="/admin/regions")


@bp.before_request
def require_region_admin():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.is_region_admin(current_user):
        raise NotAllowed()
    return None


@bp.app_template_global()
def is_installation_admin(user) -> bool:
    """For links: the installation's administrator has the whole administration, a region's only its regions."""
    return permissions.is_region_admin(user) and permissions.is_installation_wide(user)


def _indented(region) -> str:
    return "\u3000" * rules.depth_of(region.path) + region.name


def _parent_choices(region=None) -> list[tuple]:
    """Regions the region may go under: within the actor's subtree, never itself or below itself."""
    choices = [SelectChoice("", _("(none: a root region)"))] if permissions.is_installation_wide(current_user) else []
    return choices + [SelectChoice(r.id, _indented(r)) for r in services.tree_for(current_user)
                      if region is None or rules.may_move_under(region.path, r.path)]


@bp.get("/")
def index():
    """The regions this administrator manages, as a tree."""
    return render_template("regions/admin/index.html", tree=services.tree_for(current_user),
                           depth_of=rules.depth_of)


@bp.route("/new", methods=["GET", "POST"], defaults={"region_id": None})
@bp.route("/<int:region_id>", methods=["GET", "POST"])
def edit(region_id: int | None):
    """Add a region, or rename, move and (de)activate one."""
    region = services.get_region(region_id) if region_id else None
    if region is not None and not permissions.can_administer_region(current_user, region):
        raise NotAllowed()
    form = RegionForm(obj=region, parent=region.parent_id if region else None)
    form.parent.choices = _parent_choices(region)
    if form.validate_on_submit():
        try:
            saved = _save(region, form)
        except (ValidationFailed, RuleViolation) as error:
            show_refusal(error, form)
        else:
            flash(_("The region has been saved."), "success")
            return redirect(url_for(".edit", region_id=saved.id))
    return _render_edit(region, form)


def _save(region, form):
    """Each change through its own service, which checks that the actor may make it (a region's own
    administrator may rename nothing of the region it answers for; one above it may)."""
    now = utcnow()
    parent = services.get_region(form.parent.data) if form.parent.data else None
    fields = {"name": form.name.data, "name_en": form.name_en.data or "", "slug": form.slug.data,
              "level": form.level.data}
    if region is None:
        return services.create_region(**fields, parent=parent, actor=current_user, now=now)
    if parent != region.parent:
        services.move_region(region, parent, actor=current_user, now=now)
    if form.is_active.data != region.is_active:
        services.set_active(region, form.is_active.data, actor=current_user, now=now)
    return services.update_region(region, **fields, actor=current_user, now=now)


def _account_form(region, formdata=None) -> RegionAccountForm:
    form = RegionAccountForm(formdata=formdata) if formdata is not None else RegionAccountForm(formdata=None)
    form.department.choices = [SelectChoice("", "—")] + [SelectChoice(d.id, d.name)
                                                          for d in services.departments_of(region)]
    return form


def _render_edit(region, form, *, place_form=None, scope_form=None, department_form=None, account_form=None):
    place_form = place_form or PlaceDepartmentForm(formdata=None)
    account_form = account_form or (_account_form(region) if region is not None else None)
    department_form = department_form or NewDepartmentForm(formdata=None)
    scope_form = scope_form or ScopeUserForm(formdata=None)
    if region is not None:
        place_form.department.choices = [SelectChoice(d.id, d.name)
                                         for d in services.placeable_departments(current_user)
                                         if d.region is not region]
        scope_form.user.choices = [SelectChoice(u.id, f"{u.name} ({u.email}, {u.role.label})")
                                   for u in services.scopable_users(current_user)]
    return render_template(
        "regions/admin/edit.html", region=region, form=form, place_form=place_form, scope_form=scope_form,
        department_form=department_form, account_form=account_form,
        departments=services.departments_of(region) if region else [],
        scoped=services.scoped_users_of(region) if region else [],
        may_manage=region is None or permissions.can_manage_region(current_user, region),
        may_delete=region is not None and permissions.can_manage_region(current_user, region)
        and not services.holds_records(region),
    ), 422 if (form.errors or place_form.errors or scope_form.errors or department_form.errors
               or (account_form is not None and account_form.errors)) else 200


@bp.post("/<int:region_id>/departments/new")
def add_department(region_id: int):
    """Add a department to this region."""
    region = services.get_region(region_id)
    form = NewDepartmentForm()
    if form.validate_on_submit():
        try:
            department = services.add_department(region, name=form.name.data, name_en=form.name_en.data or "",
                                                 actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"region": "name"})
        else:
            flash(_("%(department)s now belongs to %(region)s.", department=department.name, region=region.name),
                  "success")
            return redirect(url_for(".edit", region_id=region.id))
    return _render_edit(region, _edit_form(region), department_form=form)


@bp.post("/<int:region_id>/accounts")
def create_account(region_id: int):
    """Add an account to this region: staff of one of its departments, or its administrator or supervisor."""
    region = services.get_region(region_id)
    form = _account_form(region, formdata=request.form)
    if form.validate_on_submit():
        try:
            user = services.create_account(region, email=form.email.data, name=form.name.data,
                                           password=form.password.data, role=Role(form.role.data),
                                           department_id=form.department.data, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"department_id": "department"})
        else:
            flash(_("The account of %(name)s has been created.", name=user.name), "success")
            return redirect(url_for(".edit", region_id=region.id))
    return _render_edit(region, _edit_form(region), account_form=form)


@bp.post("/<int:region_id>/departments")
def place_department(region_id: int):
    """Put a department in this region."""
    region = services.get_region(region_id)
    form = PlaceDepartmentForm()
    form.department.choices = [SelectChoice(d.id, d.name) for d in services.placeable_departments(current_user)]
    if form.validate_on_submit():
        department = next(d for d in services.placeable_departments(current_user) if d.id == form.department.data)
        try:
            services.place_department(department, region, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"region": "department"})
        else:
            flash(_("%(department)s now belongs to %(region)s.", department=department.name, region=region.name),
                  "success")
            return redirect(url_for(".edit", region_id=region.id))
    return _render_edit(region, _edit_form(region), place_form=form)


@bp.post("/<int:region_id>/users")
def scope_user(region_id: int):
    """Scope an administrator or supervisor to this region and everything below it."""
    region = services.get_region(region_id)
    form = ScopeUserForm()
    form.user.choices = [SelectChoice(u.id, u.name) for u in services.scopable_users(current_user)]
    if form.validate_on_submit():
        user = next(u for u in services.scopable_users(current_user) if u.id == form.user.data)
        try:
            services.scope_user(user, region, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"region": "user"})
        else:
            flash(_("%(name)s now works for %(region)s and the regions below it.", name=user.name,
                    region=region.name), "success")
            return redirect(url_for(".edit", region_id=region.id))
    return _render_edit(region, _edit_form(region), scope_form=form)


@bp.post("/<int:region_id>/delete")
def delete(region_id: int):
    """Delete a region added by mistake; one that holds anything is deactivated instead."""
    region = services.get_region(region_id)
    try:
        services.delete_region(region, actor=current_user, now=utcnow())
    except RuleViolation as error:
        show_refusal(error)
        return redirect(url_for(".edit", region_id=region.id))
    flash(_("The region has been deleted."), "success")
    return redirect(url_for(".index"))


def _edit_form(region) -> RegionForm:
    form = RegionForm(formdata=None, obj=region, parent=region.parent_id)
    form.parent.choices = _parent_choices(region)
    return form
