"""Staff login, logout and personal API tokens."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")
