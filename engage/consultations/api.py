"""JSON API for consultations, comments and receipts under /api/v1."""

from flask_smorest import Blueprint

bp = Blueprint("consultations_api", __name__, url_prefix="/api/v1/consultations")
receipts_bp = Blueprint("receipts_api", __name__, url_prefix="/api/v1/receipts")
