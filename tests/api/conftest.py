"""Fixtures of the consultations API tests: staff API tokens."""

import pytest
from flask import g

from engage.accounts import services as accounts
from engage.core.timeutil import utcnow
from engage.extensions import db


def _token_for(user) -> dict:
    _record, token = accounts.create_api_token(user, name="tests", now=utcnow())
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def staff_token(staff) -> dict:
    """Headers carrying a personal API token of ``staff``."""
    return _token_for(staff)


@pytest.fixture
def other_staff_token(other_staff) -> dict:
    return _token_for(other_staff)


@pytest.fixture
def supervisor_token(supervisor) -> dict:
    return _token_for(supervisor)


@pytest.fixture
def fresh_request_globals(client, monkeypatch):
    """The test app context outlives requests, so ``g`` would keep the first token's user; forget it each time."""
    original = client.open

    def open_afresh(*args, **kwargs):
        g.pop("token_user", None)
        g.pop("now", None)
        return original(*args, **kwargs)

    monkeypatch.setattr(client, "open", open_afresh)


@pytest.fixture
def admin_token(admin) -> dict:
    return _token_for(admin)
