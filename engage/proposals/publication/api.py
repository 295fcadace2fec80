"""Staff API of the figures' publication (token required): publish a session's handling figures, list them."""

from engage.accounts.auth import token_user
from engage.core import api as core_api
from engage.core.errors import NotAllowed
from engage.core.schemas import request_now
from engage.proposals.publication import schemas, services
from engage.proposals.publication.permissions import can_publish_figures

bp = core_api.api_blueprint("proposals_figures_api", __name__, url_prefix="/api/v1/proposals/sessions",
                            description="Publication of a session's overall handling figures (办理情况公开, staff "
                                        "token required).")


def _publishes(session_id: int) -> None:
    """The supervising office (and administrators), on a session that exists."""
    if not can_publish_figures(token_user()):
        raise NotAllowed()
    services.get_session(session_id)


@bp.route("/<int:session_id>/figures-publications", methods=["POST"])
@core_api.staff_endpoint(bp, 404, 409, 415, 422, authorise=_publishes)
@bp.arguments(schemas.PublishFiguresIn, required=False)  # no body: no summary
@bp.response(201, schemas.FiguresPublicationOut)
def publish_figures(data, session_id: int):
    """Publish the session's handling figures as they are now, dated today (China date); earlier ones stay."""
    return services.publish_figures(services.get_session(session_id), data["note"], actor=token_user(),
                                    now=request_now())


@bp.route("/<int:session_id>/figures-publications", methods=["GET"])
@core_api.staff_endpoint(bp, 404, authorise=_publishes)
@bp.response(200, schemas.FiguresPublicationListOut)
def list_figures_publications(session_id: int):
    """Every publication of the session's handling figures, the latest first."""
    return {"items": services.publications_of(session_id)}
