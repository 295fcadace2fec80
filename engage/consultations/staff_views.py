"""Department staff: drafting, publishing and moderating consultations."""

from flask import Blueprint

bp = Blueprint("consultations_staff", __name__, url_prefix="/staff/consultations")
