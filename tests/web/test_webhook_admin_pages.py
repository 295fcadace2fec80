"""The administrators' webhook pages: register, see the secret and the delivery log; nobody else gets in."""

import re

import sqlalchemy as sa

from engage.extensions import db
from engage.webhooks.models import Webhook
from tests import factories


def test_an_administrator_registers_a_hook_and_sees_its_deliveries(client, auth, admin, department, staff):
    auth.login(admin.email)
    form = client.get("/admin/webhooks/new", headers={"Accept-Language": "en"})
    assert form.status_code == 200 and "consultation.opened" in form.get_data(as_text=True)
    refused = client.post("/admin/webhooks/new", data={"name": "平台", "url": "not an address",
                                                       "event_types": ["consultation.opened"]})
    assert refused.status_code == 422 and db.session.scalar(sa.select(sa.func.count()).select_from(Webhook)) == 0
    made = client.post("/admin/webhooks/new", data={"name": "平台", "url": "https://zwfw.example.gov.cn/hook",
                                                    "event_types": ["consultation.opened"], "is_active": "y"})
    assert made.status_code == 303
    hook = db.session.scalar(sa.select(Webhook))
    factories.make_consultation(department, staff)
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert hook.secret in page and "https://zwfw.example.gov.cn/hook" in page
    assert len(re.findall(r'class="badge status-queued"', page)) == 1
    listed = client.get("/admin/webhooks/").get_data(as_text=True)
    assert "平台" in listed and "意见征集开始" in listed


def test_staff_who_are_not_administrators_get_403(client, auth, staff):
    auth.login(staff.email)
    assert client.get("/admin/webhooks/").status_code == 403
    assert client.get("/admin/erasures/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/admin/webhooks/").status_code in (302, 303)
