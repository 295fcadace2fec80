"""Control characters (NUL above all, which PostgreSQL cannot store) in every place a citizen or a searcher types.

Text fields refuse them with a message in the user's language (the page shows the text again without them);
searches and look-ups drop them. Both databases behave the same: every test runs on each.
"""

import pytest

from engage.accounts import services as accounts
from engage.consultations.models import Comment
from engage.core.timeutil import utcnow
from engage.events.models import Registration
from engage.extensions import db
from tests.fixtures.events import sign_up
from tests.fixtures.proposals import make_case

NUL = "\x00"
REFUSED = ["x\x00y", "x\x01y", "x\x1by", "x\x7fy", "x\x85y"]


def _comment_form(**fields):
    return {"body": "正文", "article": "", "name": "", "contact": "", "submission_token": "t", **fields}


def _token(user) -> dict:
    _record, token = accounts.create_api_token(user, name="tests", now=utcnow())
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


# ---- refused in what is stored ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", REFUSED)
@pytest.mark.parametrize("field", ["body", "name", "contact"])
def test_comment_form_refuses_control_characters_and_shows_the_text_without_them(client, open_consultation,
                                                                                 field, text):
    page = client.post(f"/consultations/{open_consultation.id}/comments", data=_comment_form(**{field: text}))
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "请检查后重新提交" in html and text not in html and "xy" in html
    assert db.session.scalars(db.select(Comment)).all() == []


@pytest.mark.parametrize("text", REFUSED)
@pytest.mark.parametrize("field", ["body", "name", "contact"])
def test_comment_api_refuses_control_characters(client, open_consultation, field, text):
    body = {"body": "正文", "consent": True, field: text}
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", json=body)
    assert answer.status_code == 422
    assert "控制字符" in answer.json["errors"][field][0]
    assert db.session.scalars(db.select(Comment)).all() == []


def test_api_refusal_follows_the_users_language(client, open_consultation):
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", json={"body": f"a{NUL}b"},
                         headers={"Accept-Language": "en"})
    assert answer.json["errors"]["body"] == ["Must not contain invisible control characters (such as NUL)."]


def test_lone_surrogates_in_json_are_refused(client, open_consultation):
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    answer = client.post(url, data='{"body": "a\\ud800b"}', content_type="application/json")
    assert answer.status_code == 422 and "body" in answer.json["errors"]


def test_a_comment_keeps_its_tabs_and_line_breaks(client, open_consultation):
    text = "第一段\r\n\t第二段\n第三段"
    page = client.post(f"/consultations/{open_consultation.id}/comments", data=_comment_form(body=text))
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", json={"body": text})
    assert page.status_code == 303 and answer.status_code == 201
    assert {c.body for c in db.session.scalars(db.select(Comment))} <= {text, text.replace("\r\n", "\n")}


@pytest.mark.parametrize("text", ["张\t三", "张\n三"])
def test_a_name_is_one_line(client, open_consultation, text):
    page = client.post(f"/consultations/{open_consultation.id}/comments", data=_comment_form(name=text))
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", json={"body": "正文", "name": text})
    assert page.status_code == 422 and answer.status_code == 422
    assert "一行" in answer.json["errors"]["name"][0]


@pytest.mark.parametrize("text", ["张\x00三", "张\x0b三"])
def test_sign_up_form_refuses_control_characters_in_the_name(client, open_event, text):
    page = client.post(f"/events/{open_event.id}/sign-up",
                       data={"name": text, "phone": "13812345678", "party_size": "1"})
    assert page.status_code == 422 and text not in page.get_data(as_text=True)
    assert db.session.scalars(db.select(Registration)).all() == []


@pytest.mark.parametrize("field", ["name", "phone", "id_number"])
def test_sign_up_api_refuses_control_characters(client, open_event, field):
    body = {"name": "张三", "phone": "13812345678", "party_size": 1, field: "1\x00"}
    answer = client.post(f"/api/v1/events/{open_event.id}/registrations", json=body)
    assert answer.status_code == 422 and field in answer.json["errors"]
    assert db.session.scalars(db.select(Registration)).all() == []


# ---- dropped in searches and look-ups ----------------------------------------------------------------------


def test_consultation_search_drops_control_characters(client, open_consultation):
    page = client.get("/consultations/", query_string={"q": f"{open_consultation.title[:4]}{NUL}\x01"})
    api = client.get("/api/v1/consultations", query_string={"q": f"{open_consultation.title[:4]}{NUL}"})
    assert page.status_code == 200 and NUL not in page.get_data(as_text=True)
    assert open_consultation.title in page.get_data(as_text=True)
    assert api.status_code == 200 and [c["id"] for c in api.json["items"]] == [open_consultation.id]


def test_proposal_search_drops_control_characters(client, app):
    case = make_case()
    db.session.commit()
    page = client.get("/proposals/", query_string={"q": f"加装{NUL}电梯"})
    api = client.get("/api/v1/proposals", query_string={"q": f"加装{NUL}电梯"})
    assert page.status_code == 200 and NUL not in page.get_data(as_text=True)
    assert api.status_code == 200 and [c["id"] for c in api.json["items"]] == [case.id]


def test_staff_registration_search_drops_control_characters(client, open_event, organiser):
    sign_up(open_event, name="张三")
    answer = client.get(f"/api/v1/events/{open_event.id}/registrations", query_string={"q": f"张{NUL}三"},
                        headers=_token(organiser))
    assert answer.status_code == 200 and [r["name"] for r in answer.json["items"]] == ["张三"]


def test_registration_lookup_by_phone_drops_control_characters(client, open_event):
    registration = sign_up(open_event, phone="13812345678")
    found = client.get(f"/api/v1/registrations/{registration.code}", query_string={"phone": f"138{NUL}12345678"})
    unknown = client.get(f"/api/v1/registrations/{registration.code}", query_string={"phone": f"{NUL}"})
    assert found.status_code == 200 and found.json["code"] == registration.code
    assert unknown.status_code == 404


def test_lookup_page_drops_control_characters(client, open_event):
    registration = sign_up(open_event, phone="13812345678")
    found = client.post("/events/lookup", data={"code": f"{registration.code}{NUL}", "phone": f"138{NUL}12345678"})
    missing = client.post("/events/lookup", data={"code": f"X{NUL}", "phone": "13812345678"})
    assert found.status_code == 200 and registration.code in found.get_data(as_text=True)
    assert missing.status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/receipts/A%00B", "/api/v1/registrations/A%00B",
                                  "/consultations/receipts/A%00B"])
def test_control_characters_in_a_path_find_nothing(client, app, path):
    assert client.get(path).status_code == 404


def test_receipt_lookup_form_drops_control_characters(client, open_consultation):
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", json={"body": "正文"})
    receipt = answer.json["receipt_number"]
    page = client.get("/consultations/receipt", query_string={"receipt_number": f"{receipt}{NUL}"})
    assert page.status_code in (200, 302, 303) and NUL not in page.get_data(as_text=True)


def test_staff_forms_refuse_control_characters(client, auth, staff, department):
    auth.login(staff.email)
    page = client.post("/staff/consultations/new", data={"title": f"标题{NUL}", "kind": "regulation"})
    assert page.status_code in (200, 422) and NUL not in page.get_data(as_text=True)
    assert "请检查后重新提交" in page.get_data(as_text=True)
