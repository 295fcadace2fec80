"""JSON API for the region tree under /api/v1/regions (public, no authentication)."""

from engage.core.api import api_blueprint
from engage.core.http_cache import public
from engage.regions import rules, schemas, services

bp = api_blueprint(
    "regions_api", __name__, "/api/v1/regions",
    "The tree of regions (市 / 区县 / 乡镇街道); lists filter by a region's short name with every region below it.",
)


class _TreeEntry:
    """A region with its depth, for the answer (the model keeps only the path)."""

    def __init__(self, region):
        self._region = region
        self.depth = rules.depth_of(region.path)

    def __getattr__(self, name):
        return getattr(self._region, name)


@bp.route("", methods=["GET"])
@bp.response(200, schemas.RegionTreeOut)
@public
def list_regions():
    """Every active region, parents before their children."""
    return {"items": [_TreeEntry(region) for region in services.list_tree(active_only=True)]}
