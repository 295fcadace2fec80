"""Configuration read from environment variables, with defaults that are safe for a single machine."""

import json
import os
import secrets
from pathlib import Path

#: Minimum comment periods per kind of consultation (docs/DOMAIN.md §1). ``unit`` is "days" (calendar days)
#: or "working_days" (Chinese working days, holidays and make-up days included).
DEFAULT_MIN_PERIODS = {
    "major_decision": {"length": 30, "unit": "days"},
    "draft_rule": {"length": 30, "unit": "days"},
    "normative_document": {"length": 7, "unit": "working_days"},
    "normative_document_market": {"length": 30, "unit": "days"},
}

#: Outcome classes of replies per kind (docs/DOMAIN.md §5); places differ, so they are configurable.
DEFAULT_PROPOSAL_OUTCOME_CLASSES = {
    "suggestion": [
        {"code": "A", "label": "已解决或基本解决", "label_en": "Solved or largely solved"},
        {"code": "B", "label": "正在解决或已列入计划解决", "label_en": "Being solved or planned"},
        {"code": "C", "label": "因条件限制待以后解决", "label_en": "To be solved when conditions allow"},
        {"code": "D", "label": "留作参考", "label_en": "Kept for reference"},
    ],
    "proposal": [
        {"code": "A", "label": "已解决或采纳", "label_en": "Solved or adopted"},
        {"code": "B", "label": "计划解决或准备采纳", "label_en": "Planned or to be adopted"},
        {"code": "C", "label": "留作参考", "label_en": "Kept for reference"},
    ],
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
        "RATELIMIT_SIGN_UPS": env("RATELIMIT_SIGN_UPS", "10 per minute;50 per day"),
        # Asking for lost codes: per network address, and per contact (whoever asks, from wherever).
        "RATELIMIT_LOST_CODES": env("RATELIMIT_LOST_CODES", "5 per minute;30 per day"),
        "RATELIMIT_LOST_CODES_PER_CONTACT": env("RATELIMIT_LOST_CODES_PER_CONTACT", "3 per hour;5 per day"),
        "UPLOAD_FOLDER": env("UPLOAD_FOLDER") or str(instance / "uploads"),
        "MAX_UPLOAD_MB": int(env("MAX_UPLOAD_MB", "20")),
        # Rendered public pages, per worker process; "NullCache" switches the cache off.
        "CACHE_TYPE": env("PAGE_CACHE", "SimpleCache"),
        # How long a worker trusts what it last read of a cached page's state (a new comment shows that late).
        "PAGE_CACHE_STATE_SECONDS": int(env("PAGE_CACHE_STATE_SECONDS", "1")),
        # How long a shared cache (a proxy, a CDN) may keep a public page, and serve it stale while it fetches anew.
        "HTTP_CACHE_MAX_AGE": int(env("PUBLIC_CACHE_SECONDS") or 5),
        "HTTP_CACHE_STALE_SECONDS": int(env("PUBLIC_CACHE_STALE_SECONDS") or 30),
        "BABEL_DEFAULT_LOCALE": env("DEFAULT_LANGUAGE", "zh"),
        "LOGIN_MAX_FAILURES": int(env("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCKOUT_MINUTES": int(env("LOGIN_LOCKOUT_MINUTES", "15")),
        "SESSION_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE"), False),
        "REMEMBER_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE"), False),
        "PREFERRED_URL_SCHEME": env("PREFERRED_URL_SCHEME", "http"),
        #: how many reverse proxies in front of Engage set X-Forwarded-For/-Proto (0: trust none)
        "TRUSTED_PROXIES": int(env("TRUSTED_PROXIES") or 0),
        #: who may show Engage in a frame (CSP frame-ancestors): 'none', 'self' or a portal's origins
        "FRAME_ANCESTORS": env("FRAME_ANCESTORS") or "'none'",
        #: Strict-Transport-Security max-age, sent only on answers served over HTTPS (0: never)
        "HSTS_SECONDS": int(env("HSTS_SECONDS") or 31536000),
        #: a staff session ends after this many minutes without a request, and this many hours after login
        "SESSION_IDLE_MINUTES": int(env("SESSION_IDLE_MINUTES") or 30),
        "SESSION_MAX_HOURS": int(env("SESSION_MAX_HOURS") or 12),
        # Atom entry ids must never change; without it they are built from the host name the reader used.
        "FEED_ID_DOMAIN": env("FEED_ID_DOMAIN") or None,
        "INTERPRETATION_WORKING_DAYS": int(env("INTERPRETATION_WORKING_DAYS") or Defaults.INTERPRETATION_WORKING_DAYS),
        # The reminder before an event: days before its day, at this time in China (a negative number: none).
        "EVENT_REMINDER_DAYS_BEFORE": int(env("EVENT_REMINDER_DAYS_BEFORE") or 1),
        "EVENT_REMINDER_TIME": env("EVENT_REMINDER_TIME") or "09:00",
        # The job queue: Redis when JOBS_URL is redis://..., otherwise a SQLite file under instance/.
        "JOBS_URL": env("JOBS_URL") or "",
        "JOBS_SQLITE_PATH": env("JOBS_SQLITE_PATH") or str(instance / "jobs.sqlite"),
        # Supervision (督办): reminders days before a reply is due, escalation to the unit's head, digests.
        "PROPOSAL_REMINDER_DAYS": [int(n) for n in (env("PROPOSAL_REMINDER_DAYS") or "14,7,3").split(",") if n.strip()],
        #: days before a co-unit's opinion is due on which it is reminded (then on the due day), if it sent none
        "PROPOSAL_OPINION_REMINDER_DAYS": [int(n) for n in (env("PROPOSAL_OPINION_REMINDER_DAYS") or "7,3").split(",")
                                           if n.strip()],
        "PROPOSAL_ESCALATION_DAYS": int(env("PROPOSAL_ESCALATION_DAYS") or Defaults.PROPOSAL_ESCALATION_DAYS),
        #: China time at which staff digests (units, supervisors, self-check) go out, on working days
        "STAFF_DIGEST_TIME": env("STAFF_DIGEST_TIME") or "08:30",
        #: the weekday (0 = Monday) of a supervisor's weekly digest (the first working day from it)
        "SUPERVISOR_DIGEST_WEEKDAY": int(env("SUPERVISOR_DIGEST_WEEKDAY") or 0),
        # Department self-check (自查): days after a consultation closed by which its feedback report is owed,
        # and days after the report by which the decision should be linked.
        "INSPECTION_REPORT_DAYS": int(env("INSPECTION_REPORT_DAYS") or Defaults.INSPECTION_REPORT_DAYS),
        "INSPECTION_DECISION_DAYS": int(env("INSPECTION_DECISION_DAYS") or Defaults.INSPECTION_DECISION_DAYS),
        # ... and days a session still being handled may go without (re)publishing its handling figures.
        "INSPECTION_FIGURES_DAYS": int(env("INSPECTION_FIGURES_DAYS") or Defaults.INSPECTION_FIGURES_DAYS),
        # Following (engage/subscriptions): requests per network address, and per contact from wherever.
        "RATELIMIT_SUBSCRIPTIONS": env("RATELIMIT_SUBSCRIPTIONS", "5 per minute;30 per day"),
        "RATELIMIT_SUBSCRIPTIONS_PER_CONTACT": env("RATELIMIT_SUBSCRIPTIONS_PER_CONTACT", "3 per hour;10 per day"),
        # Daily digests of what followed things did go out at this time in China.
        "SUBSCRIPTION_DIGEST_TIME": env("SUBSCRIPTION_DIGEST_TIME") or "08:00",
        **_unified_sign_in_settings(env),
        **_proposal_settings(env),
        **_delivery_settings(env, instance),
        **_retention_settings(env),
    }


def _unified_sign_in_settings(env) -> dict:
    """The unified identity provider (统一身份认证, OIDC): off while OIDC_ISSUER or OIDC_CLIENT_ID is empty."""
    return {
        "OIDC_ISSUER": (env("OIDC_ISSUER") or "").strip(),
        "OIDC_CLIENT_ID": (env("OIDC_CLIENT_ID") or "").strip(),
        "OIDC_CLIENT_SECRET": env("OIDC_CLIENT_SECRET") or "",
        # Citizens may sign in too, to see their own comments and sign-ups together (off by default).
        "OIDC_CITIZENS": _bool(env("OIDC_CITIZENS"), False),
    }


def _retention_settings(env) -> dict:
    """How long personal data is kept once its purpose is over (engage/privacy; named in the privacy notices)."""
    return {
        # a sign-up's name, phone and ID number: days after the event ended
        "RETENTION_SIGN_UP_DAYS": int(env("RETENTION_SIGN_UP_DAYS") or 90),
        # a commenter's contact: days after the consultation's decision was published
        "RETENTION_COMMENT_CONTACT_DAYS": int(env("RETENTION_COMMENT_CONTACT_DAYS") or 180),
        # the texts of sent messages (the row, its status and its tries are kept): days after it was queued
        "RETENTION_MESSAGE_BODY_DAYS": int(env("RETENTION_MESSAGE_BODY_DAYS") or 180),
    }


def _delivery_settings(env, instance: Path) -> dict:
    """Channels and outbox limits (README "Messages"); without servers, messages are files under instance/outbox/."""
    return {
        "MAIL_BACKEND": env("MAIL_BACKEND") or ("smtp" if env("MAIL_SERVER") else "file"),
        "MAIL_SERVER": env("MAIL_SERVER") or "localhost",
        "MAIL_PORT": int(env("MAIL_PORT") or 25),
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS"), False),
        "MAIL_USE_SSL": _bool(env("MAIL_USE_SSL"), False),
        "MAIL_USERNAME": env("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env("MAIL_DEFAULT_SENDER") or "engage@localhost",
        "MAIL_TIMEOUT": int(env("MAIL_TIMEOUT") or 30),
        "MAIL_FILE_PATH": env("MAIL_FILE_PATH") or str(instance / "outbox" / "email"),
        "SMS_BACKEND": env("SMS_BACKEND") or ("gateway" if env("SMS_GATEWAY_URL") else "file"),
        "SMS_GATEWAY_URL": env("SMS_GATEWAY_URL") or "",
        "SMS_GATEWAY_TOKEN": env("SMS_GATEWAY_TOKEN") or "",
        "SMS_GATEWAY_TIMEOUT": float(env("SMS_GATEWAY_TIMEOUT") or 10),
        "SMS_SIGNATURE": env("SMS_SIGNATURE") or "政民互动",
        "SMS_FILE_PATH": env("SMS_FILE_PATH") or str(instance / "outbox" / "sms"),
        # Links in messages are built on this address (messages are rendered outside any request too).
        "PUBLIC_URL": env("PUBLIC_URL") or "http://127.0.0.1:5000",
        # A consumer killed while sending leaves its rows in 'sending': the sweeper takes them up after this long.
        "OUTBOX_STALE_SECONDS": int(env("OUTBOX_STALE_SECONDS") or Defaults.OUTBOX_STALE_SECONDS),
        # A web process asks the queue for a delivery run at most this often; rows committed in between go with a
        # run asked for at the end of the window (0: a run after every commit that queued rows).
        "OUTBOX_DELIVERY_REQUEST_SECONDS": float(env("OUTBOX_DELIVERY_REQUEST_SECONDS")
                                                 or Defaults.OUTBOX_DELIVERY_REQUEST_SECONDS),
        # A commit that stored comments has them indexed for the staff search by a run this many seconds later;
        # commits in between go with that run. New comments can be found by their words after about this long.
        # Negative: no run is asked for, and the sweep every minute indexes them.
        "COMMENT_SEARCH_INDEX_SECONDS": float(env("COMMENT_SEARCH_INDEX_SECONDS")
                                              or Defaults.COMMENT_SEARCH_INDEX_SECONDS),
        # A queued row whose job has not started this long after it was due is enqueued again by the sweeper.
        "OUTBOX_LOST_JOB_SECONDS": int(env("OUTBOX_LOST_JOB_SECONDS") or Defaults.OUTBOX_LOST_JOB_SECONDS),
        "OUTBOX_LIMITS": {
            "sms": {"hour": int(env("OUTBOX_SMS_PER_HOUR") or 5), "day": int(env("OUTBOX_SMS_PER_DAY") or 10)},
            "email": {"hour": int(env("OUTBOX_EMAIL_PER_HOUR") or 20), "day": int(env("OUTBOX_EMAIL_PER_DAY") or 100)},
            # per registered address: a guard against a loop, far above what a day of events sends
            "hook": {"hour": int(env("OUTBOX_WEBHOOK_PER_HOUR") or 2000),
                     "day": int(env("OUTBOX_WEBHOOK_PER_DAY") or 20000)},
        },
    }


def _proposal_settings(env) -> dict:
    """Proposal-handling periods and outcome classes, where the environment sets them (else ``Defaults``)."""
    settings = {}
    due = {kind: int(env(f"PROPOSAL_DUE_MONTHS_{kind.upper()}") or months)
           for kind, months in Defaults.PROPOSAL_DUE_MONTHS.items()}
    if due != Defaults.PROPOSAL_DUE_MONTHS:
        settings["PROPOSAL_DUE_MONTHS"] = due
    for name in ("PROPOSAL_MAX_EXTENDED_MONTHS", "PROPOSAL_REOPEN_MONTHS", "PROPOSAL_CO_OPINION_MONTHS",
                 "PROPOSAL_OBJECTION_WORKING_DAYS", "PROPOSAL_DUE_SOON_DAYS", "PROPOSAL_IMPORT_STALE_SECONDS",
                 "FEEDBACK_GROUPING_STALE_SECONDS", "CAMPAIGN_MIN_COPIES", "EXPORT_DIRECT_ROWS", "EXPORT_KEEP_HOURS",
                 "EXPORT_STALE_SECONDS"):
        if env(name):
            settings[name] = int(env(name))
    if env("PROPOSAL_OUTCOME_CLASSES"):
        # JSON in the shape of DEFAULT_PROPOSAL_OUTCOME_CLASSES: {"suggestion": [{"code", "label", "label_en"}...]}
        settings["PROPOSAL_OUTCOME_CLASSES"] = json.loads(env("PROPOSAL_OUTCOME_CLASSES"))
    return settings


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
    # Argon2id cost: argon2-cffi's RFC 9106 "low memory" profile (about 0.05-0.1 s a hash on one core).
    # Tests lower these; tests/unit/test_passwords.py keeps the production values honest.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    CONSULTATION_MIN_PERIODS = DEFAULT_MIN_PERIODS
    COMMENTS_PER_PAGE = 20
    #: working days after a decision's publication by which its policy interpretation is due (docs/DOMAIN.md §3)
    INTERPRETATION_WORKING_DAYS = 3
    #: entries in the Atom feed of opened consultations and published feedback reports
    FEED_ENTRIES = 30
    CACHE_DEFAULT_TIMEOUT = 600
    CACHE_THRESHOLD = 2000
    # Proposal handling (docs/DOMAIN.md §5): months are calendar months, clamped to the month's end.
    PROPOSAL_DUE_MONTHS = {"suggestion": 3, "proposal": 3}
    PROPOSAL_MAX_EXTENDED_MONTHS = 6
    PROPOSAL_REOPEN_MONTHS = 1
    PROPOSAL_CO_OPINION_MONTHS = 1
    PROPOSAL_OBJECTION_WORKING_DAYS = 5
    PROPOSAL_DUE_SOON_DAYS = 14
    PROPOSAL_OUTCOME_CLASSES = DEFAULT_PROPOSAL_OUTCOME_CLASSES
    PROPOSAL_IMPORT_MAX_ROWS = 20000
    #: a case overdue by more than this many days is escalated to its unit's head contact (once per round)
    PROPOSAL_ESCALATION_DAYS = 30
    INSPECTION_REPORT_DAYS = 30
    INSPECTION_DECISION_DAYS = 60
    INSPECTION_FIGURES_DAYS = 90
    #: an import whose consumer gave no sign of life this long was cut off; the sweep takes it up again
    PROPOSAL_IMPORT_STALE_SECONDS = 300
    #: a search for similar comments still running after this long was cut off (it sends no sign of life while
    #: it works, so this must exceed the longest search: about a minute for 400,000 comments)
    FEEDBACK_GROUPING_STALE_SECONDS = 900
    #: one text received this many times in a consultation is shown to its moderators as a suspected campaign
    CAMPAIGN_MIN_COPIES = 20
    #: up to this many comments a download is written while the request waits; above, a job prepares the file
    EXPORT_DIRECT_ROWS = 20000
    #: a prepared download (it holds contact details) is deleted this long after it was written
    EXPORT_KEEP_HOURS = 24
    #: an export whose consumer wrote no progress this long was cut off; the sweep queues it again
    EXPORT_STALE_SECONDS = 300
    #: run jobs at once in the caller instead of queueing them (only for tests that say so)
    JOBS_IMMEDIATE = False
    #: a row in 'sending' this long was left by a killed consumer; the sweeper takes it up again
    OUTBOX_STALE_SECONDS = 300
    OUTBOX_DELIVERY_REQUEST_SECONDS = 0.5
    COMMENT_SEARCH_INDEX_SECONDS = 1.0
    #: a queued row whose job has not started this long after it was due is enqueued again by the sweeper
    OUTBOX_LOST_JOB_SECONDS = 60
    OUTBOX_MAX_ATTEMPTS = 5
    #: seconds a webhook receiver has to answer a delivery before it counts as failed (and is tried again)
    WEBHOOK_TIMEOUT = 10
    #: how long a follow request's e-mail link and SMS code stay valid
    SUBSCRIPTION_CONFIRM_HOURS = 48
    SUBSCRIPTION_CODE_MINUTES = 30
    SUBSCRIPTION_CODE_ATTEMPTS = 5
    # flask-smorest: the OpenAPI document lives at /api/v1/openapi.json
    API_TITLE = "Engage API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
