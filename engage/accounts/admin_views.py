"""Administration: departments, users, the working-day calendar."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
