"""Public region pages: the tree of regions and each region's portal (/regions/<slug>/)."""

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from engage.consultations import services as consultations
from engage.core import page_cache
from engage.core.http_cache import public
from engage.core.timeutil import china_date, utcnow
from engage.events import listings as events
from engage.proposals import public_services as proposals
from engage.regions import figures, services

bp = Blueprint("regions", __name__, url_prefix="/regions")

#: how many items each section of a portal shows before its link to the full, region-filtered list
SECTION_SIZE = 4


@bp.app_template_filter()
def region_name(region) -> str:
    return region.display_name(str(get_locale())) if region else ""


@bp.get("/")
@public
def index():
    """Every active region, as an indented tree, each linking to its portal."""
    tree = services.list_tree(active_only=True)
    return render_template("regions/index.html", tree=tree, depth_of=services.rules.depth_of)


@bp.get("/<slug>/")
@public
def portal(slug: str):
    """A region's portal: its path, the regions below it, what is open there and its figures, rolled up."""
    region = services.get_public_by_slug(slug)
    now = utcnow()
    if not page_cache.is_cacheable():
        return _render(region, now)
    # The same inputs as the home page's (anything shown changes one of them), and the day for the overdue counts.
    state = page_cache.remembered("regions:portal-state", lambda: (
        consultations.public_list_state(now), events.public_events_state(now), proposals.list_version()))
    depends_on = (state, china_date(now).isoformat(), region.path, region.name, region.name_en)
    return page_cache.serve(depends_on, lambda: _render(region, now))


def _figure_rows(rolled: figures.RollUp) -> list[tuple[str, figures.RegionFigures]]:
    """(label, figures) per row of the portal's figures: this level's own, each region below, the total."""
    rows = [(_("%(region)s (this level)", region=region_name(row.region)) if row.own_level else region_name(row.region),
             row) for row in rolled.rows]
    return [*rows, (_("Total"), rolled.total)]


def _render(region, now) -> str:
    upcoming = events.EventFilters(upcoming_at=now, region=region)
    rolled = figures.roll_up(region, china_date(now), now)
    return render_template(
        "regions/portal.html", region=region, path=services.ancestors_of(region),
        children=services.children_of(region),
        open_consultations=consultations.list_public(now, status="open", per_page=SECTION_SIZE, region=region).items,
        events=events.list_public_events(upcoming, per_page=SECTION_SIZE).items,
        replies=proposals.latest_published_replies(SECTION_SIZE, region=region),
        figure_rows=_figure_rows(rolled),
    )
