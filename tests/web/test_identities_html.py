"""The unified sign-in pages pass the Nu HTML checker: login with both ways, admin pages, my participation."""

import json
import subprocess

import pytest

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.identities import rules, services
from tests import factories
from tests.conftest import AuthActions
from tests.fixtures.events import sign_up
from tests.fixtures.oidc import callback_path
from tests.web.test_html_validity import _vnu_jar

ISSUER = "https://id.example.gov.cn"


def _save(client, path: str, folder, name: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    target = folder / f"{name}.html"
    target.write_text(response.text, encoding="utf-8")
    return str(target)


def test_the_unified_sign_in_pages_are_valid_html(app, client, oidc_provider, admin, open_consultation, open_event,
                                                  tmp_path):
    app.config["OIDC_CITIZENS"] = True
    with pytest.raises(services.AwaitingApproval):
        services.sign_in_staff(ISSUER, rules.Person("s", "王小明", "w@example.gov.cn", None), now=utcnow())
    db.session.commit()
    factories.make_comment(open_consultation, contact="13800001111", consent=True)
    sign_up(open_event, phone="13800001111")
    files = [_save(client, "/account/login", tmp_path, "login"), _save(client, "/me/", tmp_path, "me-anonymous")]
    oidc_provider.add_account("c", name="陈", phone_number="13800001111", phone_number_verified=True)
    started = client.get("/me/sign-in")
    client.get(callback_path(oidc_provider.log_in(started.headers["Location"], "c")))
    files.append(_save(client, "/me/", tmp_path, "me"))
    oidc_provider.add_account("new", name="新人")
    started = client.get("/account/sign-in")
    waiting = client.get(callback_path(oidc_provider.log_in(started.headers["Location"], "new")))
    (tmp_path / "waiting.html").write_text(waiting.text, encoding="utf-8")
    files.append(str(tmp_path / "waiting.html"))
    staff_client = app.test_client()
    AuthActions(staff_client).login(admin.email)
    identity = services.find_identity(ISSUER, "s")
    files += [_save(staff_client, "/admin/identities/", tmp_path, "identities"),
              _save(staff_client, f"/admin/identities/{identity.id}", tmp_path, "identity"),
              _save(staff_client, "/admin/identities/map", tmp_path, "map")]
    result = subprocess.run(["java", "-Xss8m", "-jar", _vnu_jar(), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    errors = [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in json.loads(result.stderr)["messages"] if m["type"] == "error"]
    assert not errors, "\n".join(errors)
