"""The demo shows decisions and the catalogue: an interpretation on time, one late, a postponed entry."""

import sqlalchemy as sa
from argon2 import PasswordHasher

from engage.accounts import services as account_services
from engage.consultations.models import Stage
from engage.core.timeutil import china_date
from engage.decisions.models import CatalogueEntry, Decision, EntryStatus
from engage.demo import decisions as demo_decisions
from engage.demo import loader
from engage.extensions import db


def test_demo_has_decisions_and_a_catalogue(app, now, monkeypatch):
    monkeypatch.setattr(account_services, "hash_password", PasswordHasher(time_cost=1, memory_cost=1024).hash)
    loader.load(now=now)
    db.session.commit()
    decisions = db.session.scalars(sa.select(Decision)).all()
    assert sorted(d.interpretation_state(china_date(now)) for d in decisions) == ["late", "on_time"]
    assert all(d.consultation.stage == Stage.DECIDED for d in decisions)
    entries = db.session.scalars(sa.select(CatalogueEntry).where(
        CatalogueEntry.year == demo_decisions.CATALOGUE_YEAR)).all()
    postponed = [e for e in entries if e.status == EntryStatus.POSTPONED]
    assert len(entries) == 5 and postponed and postponed[0].changes[-1].reason
    assert any(e.deliberated_on for e in entries)
