"""JSON API of decisions and the annual catalogue under /api/v1 (public, read only)."""

from engage.consultations import services as consultations
from engage.core.api import api_blueprint
from engage.core.errors import NotFound
from engage.core.http_cache import public
from engage.decisions import catalogue, schemas, services
from engage.regions import services as regions

bp = api_blueprint(
    "decisions_api", __name__, "/api/v1",
    "Final decisions with their policy interpretations, and the annual catalogue of major decisions.",
)


@bp.route("/consultations/<int:consultation_id>/decision", methods=["GET"])
@bp.response(200, schemas.DecisionOut)
@bp.alt_response(404, response="NOT_FOUND", description="No such published consultation, or no decision yet")
@public
def get_decision(consultation_id: int):
    """The final decision a consultation led to, and its interpretation with its timeliness."""
    consultations.get_public(consultation_id)
    decision = services.decision_of(consultation_id)
    if decision is None:
        raise NotFound()
    return decision


@bp.route("/catalogue/<int:year>", methods=["GET"])
@bp.arguments(schemas.CatalogueQuery, location="query")
@bp.response(200, schemas.CatalogueOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def get_catalogue(args, year: int):
    """A year's catalogue of major decisions: each entry's progress and every change with its reason."""
    if year not in catalogue.YEAR_RANGE:
        raise NotFound()
    region = regions.region_filter(args.get("region"), for_api=True)
    return {"year": year, "entries": catalogue.year_progress(year, region=region)}
