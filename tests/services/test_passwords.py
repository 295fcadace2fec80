"""Password hashing: the suite hashes cheaply by configuration, production keeps its Argon2 cost."""

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY

from engage import config
from engage.accounts import passwords, services
from tests import factories


def test_production_cost_is_rfc_9106_low_memory():
    production = PasswordHasher(time_cost=config.Defaults.ARGON2_TIME_COST,
                                memory_cost=config.Defaults.ARGON2_MEMORY_COST,
                                parallelism=config.Defaults.ARGON2_PARALLELISM)
    low_memory = RFC_9106_LOW_MEMORY
    assert (production.time_cost, production.memory_cost, production.parallelism) == (
        low_memory.time_cost, low_memory.memory_cost, low_memory.parallelism)


def test_hash_carries_the_configured_parameters(app):
    app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=16, ARGON2_PARALLELISM=1)
    assert "$m=16,t=2,p=1$" in passwords.hash_password("correct horse")


def test_hash_made_at_another_cost_is_verified_and_flagged_for_rehash(app):
    old_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse")
    app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=16, ARGON2_PARALLELISM=1)
    assert passwords.verify_password(old_hash, "correct horse")
    assert passwords.needs_rehash(old_hash)


def test_login_rehashes_a_password_made_at_an_older_cost(app, staff, now):
    app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=16)
    services.authenticate(staff.email, factories.PASSWORD, now=now, max_failures=5, lockout=timedelta(minutes=15))
    assert "$m=16,t=2,p=1$" in staff.password_hash


def test_unknown_password_hash_is_refused_not_raised(app):
    assert not passwords.verify_password(None, "anything")
    assert not passwords.verify_password("not-a-hash", "anything")
