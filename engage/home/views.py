"""The home page: what the public can take part in now, in each of Engage's four parts."""

from flask import Blueprint, render_template

from engage.consultations import services as consultations
from engage.core import page_cache
from engage.core.http_cache import public
from engage.core.timeutil import utcnow
from engage.events import listings as events
from engage.feedback import services as feedback
from engage.proposals import public_services as proposals

bp = Blueprint("home", __name__)

#: how many items each section shows before its link to the full list
SECTION_SIZE = 4


@bp.get("/")
@public
def index():
    """Open consultations, upcoming events with seats, the latest replies to proposals and feedback reports."""
    now = utcnow()
    if not page_cache.is_cacheable():
        return _render(now)
    # Kept for anonymous visitors until anything shown in one of the four sections changes.
    state = page_cache.remembered("home", lambda: _state(now))
    return page_cache.serve(("home", state), lambda: _render(now))


def _state(now) -> tuple:
    return (consultations.public_list_state(now), events.public_events_state(now), proposals.list_version(),
            feedback.reports_state())


def _render(now) -> str:
    upcoming = events.EventFilters(seats_left_only=True, upcoming_at=now, sign_up_open_at=now)
    return render_template(
        "home/index.html", now=now,
        open_consultations=consultations.list_public(now, status="open", per_page=SECTION_SIZE).items,
        scheduled_consultations=consultations.list_public(now, status="scheduled", per_page=3).items,
        events=events.list_public_events(upcoming, per_page=SECTION_SIZE).items,
        replies=proposals.latest_published_replies(SECTION_SIZE),
        reports=feedback.latest_reports(SECTION_SIZE),
    )
