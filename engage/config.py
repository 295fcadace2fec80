"""Configuration read from environment variables, with defaults that are safe for a single machine."""

import os
import secrets
from pathlib import Path

#: Minimum comment periods per kind of consultation (DOMAIN.md §1). ``unit`` is "days" (calendar days)
#: or "working_days" (Chinese working days, holidays and make-up days included).
DEFAULT_MIN_PERIODS = {
    "major_decision": {"length": 30, "unit": "days"},
    "draft_rule": {"length": 30, "unit": "days"},
    "normative_document": {"length": 7, "unit": "working_days"},
    "normative_document_market": {"length": 30, "unit": "days"},
}


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept under instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Exclusive create: of several workers starting at once, only one writes the key.
        try:
            with open(key_file, "x", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32))
            key_file.chmod(0o600)
        except FileExistsError:
            pass
    return key_file.read_text(encoding="ascii").strip()


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping from environment variables (see the README table)."""
    instance = Path(instance_path)
    env = os.environ.get
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": env("DATABASE_URL") or f"sqlite:///{instance / 'engage.sqlite'}",
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": _bool(env("RATELIMIT_ENABLED"), True),
        "RATELIMIT_COMMENTS": env("RATELIMIT_COMMENTS", "10 per minute;100 per day"),
        "RATELIMIT_LOGIN": env("RATELIMIT_LOGIN", "10 per minute"),
        "UPLOAD_FOLDER": env("UPLOAD_FOLDER") or str(instance / "uploads"),
        "MAX_UPLOAD_MB": int(env("MAX_UPLOAD_MB", "20")),
        # Rendered public pages, per worker process; "NullCache" switches the cache off.
        "CACHE_TYPE": env("PAGE_CACHE", "SimpleCache"),
        # How long a worker trusts what it last read of a cached page's state (a new comment shows that late).
        "PAGE_CACHE_STATE_SECONDS": int(env("PAGE_CACHE_STATE_SECONDS", "1")),
        "BABEL_DEFAULT_LOCALE": env("DEFAULT_LANGUAGE", "zh"),
        "LOGIN_MAX_FAILURES": int(env("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCKOUT_MINUTES": int(env("LOGIN_LOCKOUT_MINUTES", "15")),
        "SESSION_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE"), False),
        "REMEMBER_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE"), False),
        "PREFERRED_URL_SCHEME": env("PREFERRED_URL_SCHEME", "http"),
        #: how many reverse proxies in front of Engage set X-Forwarded-For/-Proto (0: trust none)
        "TRUSTED_PROXIES": int(env("TRUSTED_PROXIES") or 0),
    }


class Defaults:
    """Values that do not come from the environment."""

    LANGUAGES = ("zh", "en")
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a citizen may read a long draft before commenting
    RATELIMIT_HEADERS_ENABLED = True
    CONSULTATION_MIN_PERIODS = DEFAULT_MIN_PERIODS
    COMMENTS_PER_PAGE = 20
    CACHE_DEFAULT_TIMEOUT = 600
    CACHE_THRESHOLD = 2000
    # flask-smorest: the OpenAPI document lives at /api/v1/openapi.json
    API_TITLE = "Engage API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
