"""marshmallow schemas of the regions API."""

from flask import url_for
from marshmallow import fields

from engage.core.schemas import Schema
from engage.regions.models import RegionLevel


class RegionOut(Schema):
    """One region of the tree; ``parent`` names its parent's short name (null for a root)."""

    id = fields.Integer()
    slug = fields.String(metadata={"description": "Short name: ?region=<slug> on the list endpoints"})
    name = fields.String(metadata={"description": "Chinese name"})
    name_en = fields.String(metadata={"description": "English name (may be empty)"})
    level = fields.Enum(RegionLevel, by_value=True)
    parent = fields.Function(lambda r: r.parent.slug if r.parent_id else None, allow_none=True,
                             metadata={"description": "The parent region's short name; null for a root"})
    depth = fields.Integer(metadata={"description": "0 for a root, 1 for its children, and so on"})
    url = fields.Function(lambda r: url_for("regions.portal", slug=r.slug, _external=True),
                          metadata={"description": "The region's public portal page"})


class RegionTreeOut(Schema):
    items = fields.List(fields.Nested(RegionOut), metadata={
        "description": "Every active region, parents before their children"})
