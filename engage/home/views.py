"""The home page: what is open for comment now and what comes next."""

from flask import Blueprint, render_template

from engage.consultations import services as consultations
from engage.core.http_cache import public
from engage.core.timeutil import utcnow

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    now = utcnow()
    return render_template(
        "home/index.html",
        open_consultations=consultations.list_public(now, status="open", per_page=6).items,
        scheduled_consultations=consultations.list_public(now, status="scheduled", per_page=3).items,
    )
