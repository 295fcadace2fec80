"""Public JSON API of proposal handling under /api/v1/proposals: the list, one case, the figures.

No authentication: everything here is public. Contact details of deputies and members are never in it.
"""

from flask_babel import lazy_gettext as _l

from engage.core import api as core_api
from engage.core.api import api_blueprint
from engage.core.errors import NotFound
from engage.core.http_cache import public
from engage.core.timeutil import china_date
from engage.proposals import public_services, schemas, stats
from engage.regions import services as regions

bp = api_blueprint(
    "proposals_api", __name__, "/api/v1/proposals",
    "Deputies' suggestions (人大代表建议) and members' proposals (政协委员提案): cases, replies and figures.",
)


@bp.route("", methods=["GET"])
@bp.arguments(schemas.ProposalQuery, location="query")
@bp.response(200, schemas.ProposalPageOut)
@public
def list_proposals(args):
    """List cases: latest session first, suggestions before proposals, newest number first."""
    filters = public_services.CaseFilters(
        kind=args.get("kind"), session_id=args.get("session"), unit_id=args.get("unit"),
        status=args.get("status"), outcome=args.get("outcome"), q=args.get("q"),
        region=regions.region_filter(args.get("region"), for_api=True),
    )
    return public_services.list_cases(filters, **core_api.page_args(args))


@bp.route("/stats", methods=["GET"])
@bp.arguments(schemas.StatsQuery, location="query")
@bp.response(200, schemas.ProposalStatsOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def get_stats(args):
    """Handling figures of a session per unit, with totals (the latest session when none is named)."""
    session = (public_services.get_session(args["session"]) if args.get("session")
               else public_services.latest_session())
    if session is None:
        raise NotFound(_l("No session has been registered yet."))
    today = china_date(schemas.request_now())
    figures = stats.session_figures(session.id, today, args.get("kind"))
    return {"session": session, "kind": figures.kind, "date": today, "units": figures.units,
            "total": figures.total}


@bp.route("/<int:proposal_id>", methods=["GET"])
@bp.response(200, schemas.ProposalOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def get_proposal(proposal_id: int):
    """One case with its proposers (no contact details), units, timeline and published reply."""
    return public_services.get_case(proposal_id)
