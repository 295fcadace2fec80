"""Test fixtures: an app on a database of its own (SQLite, and PostgreSQL when given), reset between tests.

Every test that uses ``app`` runs once per database. PostgreSQL runs when ``TEST_POSTGRES_URL`` names a
server (any database on it; the tests create and drop their own). In CI (``CI=true``) it is required.
"""

import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from engage import create_app, jobs
from engage.core.timeutil import utcnow
from engage.extensions import cache, db, limiter
from tests import factories

# Each domain keeps its fixtures in a plugin of its own.
pytest_plugins = ["tests.fixtures.feedback", "tests.fixtures.events", "tests.fixtures.proposals",
                  "tests.fixtures.messaging", "tests.fixtures.oidc", "tests.fixtures.regions"]

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "")


def skip_or_fail(reason: str):
    """A missing tool (chromium, axe-core, nginx) skips the test locally; in CI it is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


def _postgres_database():
    """Create a database of our own on the PostgreSQL server; yields its URL and drops it afterwards."""
    if not POSTGRES_SERVER_URL:
        if IN_CI:
            pytest.fail("CI requires PostgreSQL: set TEST_POSTGRES_URL")
        pytest.skip("PostgreSQL not configured (set TEST_POSTGRES_URL to run these tests on it too)")
    server = sa.make_url(POSTGRES_SERVER_URL)
    name = f"engage_test_{uuid.uuid4().hex[:12]}"
    admin_engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin_engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        admin_engine.dispose()
        if IN_CI:
            pytest.fail(f"CI requires PostgreSQL, which is unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'engage-test.sqlite'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


def test_config(database_url: str, instance_dir: Path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        # Limits stay on with room to spare; a test of a limit lowers it in app.config for itself.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_COMMENTS": "100000 per minute",
        "RATELIMIT_LOGIN": "100000 per minute",
        "RATELIMIT_SIGN_UPS": "100000 per minute",
        "RATELIMIT_SUBSCRIPTIONS": "100000 per minute",
        "RATELIMIT_SUBSCRIPTIONS_PER_CONTACT": "100000 per minute",
        "UPLOAD_FOLDER": str(instance_dir / "uploads"),
        # A real queue, in a file of the test session's own.
        "JOBS_URL": "",
        "JOBS_SQLITE_PATH": str(instance_dir / "jobs.sqlite"),
        # A delivery run after every commit that queued messages, so that a test's next run_queued_jobs sends them.
        "OUTBOX_DELIVERY_REQUEST_SECONDS": 0,
        # Comments are indexed for the staff search by the tests that need it (search.index.index_pending), so that
        # other tests' queues hold only their own jobs; tests/services/test_comment_search.py checks the request.
        "COMMENT_SEARCH_INDEX_SECONDS": -1,
        "MAIL_FILE_PATH": str(instance_dir / "outbox" / "email"),
        "SMS_FILE_PATH": str(instance_dir / "outbox" / "sms"),
        "SERVER_NAME": None,
        # Tests change records and read the page at once; production trusts a worker's reading for a second.
        "PAGE_CACHE_STATE_SECONDS": 0,
        # Hashing at production cost takes most of the suite's time; test_passwords checks the real values.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def _migrated_app(database_url, instance_dir):
    """One app per database, its schema made by the Alembic migrations (never by create_all)."""
    app = create_app(test_config(database_url, instance_dir))
    with app.app_context():
        upgrade()
        # Migrations may seed rows (the regions migration's root region): every test starts from empty tables.
        _empty_all_tables()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_migrated_app):
    """The application, on an empty database; configuration changes made by a test are undone."""
    saved = dict(_migrated_app.config)
    with _migrated_app.app_context():
        yield _migrated_app
        db.session.rollback()
        _empty_all_tables()
        limiter.reset()
        cache.clear()
        # Jobs left by this test would act on the next test's rows (ids start again at 1).
        jobs.huey.flush()
        db.session.remove()
    _migrated_app.config.clear()
    _migrated_app.config.update(saved)


@pytest.fixture
def make_app(database_url, instance_dir):
    """Build an extra app on the same database with other settings (rate limits on, CSRF on...)."""
    built = []

    def make(**overrides):
        new_app = create_app(test_config(database_url, instance_dir, **overrides))
        built.append(new_app)
        return new_app

    yield make
    for extra in built:
        with extra.app_context():
            db.engine.dispose()


@pytest.fixture
def is_postgres(app) -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def now():
    return utcnow()


class AuthActions:
    """Log in and out through the real login form (flaskr's helper)."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/account/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/account/logout")


@pytest.fixture
def en_client(client):
    """A client whose visitor chose English, for tests that read interface text."""
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def department(app):
    return factories.make_department("市生态环境局", "Municipal Ecology and Environment Bureau")


@pytest.fixture
def other_department(app):
    return factories.make_department("市交通运输局", "Municipal Transport Bureau")


@pytest.fixture
def admin(app):
    return factories.make_user("admin@example.gov.cn", role="admin")


@pytest.fixture
def staff(app, department):
    return factories.make_user("staff@example.gov.cn", role="department_staff", department=department)


@pytest.fixture
def other_staff(app, other_department):
    return factories.make_user("other@example.gov.cn", role="department_staff", department=other_department)


@pytest.fixture
def open_consultation(app, department, staff, now):
    return factories.make_consultation(department, staff, opens_at=now - timedelta(days=1),
                                       closes_at=now + timedelta(days=30))
