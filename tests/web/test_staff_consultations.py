"""Staff pages for drafting, previewing and publishing consultations."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.consultations.models import Consultation, Stage
from engage.extensions import db
from tests import factories

PAYLOAD = '<script>alert("x")</script>'


def form_data(**changes) -> dict:
    """What the new/edit form sends: times as a datetime-local input types them, in China time."""
    now_china = datetime.now(UTC) + timedelta(hours=8)
    data = {
        "title": "生活垃圾分类管理办法（征求意见稿）",
        "kind": "major_decision",
        "summary": "为推进生活垃圾分类，现公开征求意见。",
        "draft_text": factories.DRAFT_TEXT,
        "basis": "《固体废物污染环境防治法》",
        "explanation": "起草说明",
        "contact_channels": "电子邮箱：hj@example.gov.cn",
        "opens_at": (now_china - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now_china + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
        "short_period_reason": "",
        "moderation": "review",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff_client(en_client, auth, staff):
    assert auth.login(staff.email).status_code == 302
    return en_client


@pytest.fixture
def draft(department, staff):
    return factories.make_consultation(department, staff, publish=False)


def only_consultation() -> Consultation:
    db.session.expire_all()
    return db.session.scalars(db.select(Consultation)).one()


# ---- list ----------------------------------------------------------------------------------------------


def test_list_shows_own_department_with_status_and_counts(staff_client, department, other_department, staff,
                                                          other_staff, draft, open_consultation):
    factories.make_consultation(other_department, other_staff, title="公交线网优化方案")
    factories.make_comment(open_consultation)
    page = staff_client.get("/staff/consultations/").get_data(as_text=True)
    assert "New consultation" in page
    assert "Draft" in page and "Open for comment" in page
    assert "1 received, 1 published, 0 awaiting review" in page
    assert "公交线网优化方案" not in page
    assert f"/staff/consultations/{draft.id}/edit" in page
    assert f"/staff/consultations/{open_consultation.id}/edit" not in page  # published: no edit link


def test_admin_list_shows_every_department(en_client, auth, admin, department, other_department, staff,
                                           other_staff):
    factories.make_consultation(department, staff, title="甲局的草案", publish=False)
    factories.make_consultation(other_department, other_staff, title="乙局的草案", publish=False)
    auth.login(admin.email)
    page = en_client.get("/staff/consultations/").get_data(as_text=True)
    assert "甲局的草案" in page and "乙局的草案" in page


# ---- creating and editing ------------------------------------------------------------------------------


def test_new_form_shows_minimum_period_for_each_kind(staff_client):
    page = staff_client.get("/staff/consultations/new").get_data(as_text=True)
    assert "Administrative normative document:" in page and "7 working days" in page
    assert "30 days" in page
    assert 'type="datetime-local"' in page
    assert 'name="department"' not in page  # staff draft for their own department only


def test_create_draft_stores_china_time_as_utc_and_goes_to_edit(staff_client, department):
    response = staff_client.post("/staff/consultations/new", data=form_data(
        opens_at="2027-03-02T09:00", closes_at="2027-04-02T17:30"))
    consultation = only_consultation()
    assert response.status_code == 302
    assert response.location == f"/staff/consultations/{consultation.id}/edit"
    assert consultation.opens_at == datetime(2027, 3, 2, 1, 0, tzinfo=UTC)
    assert consultation.closes_at == datetime(2027, 4, 2, 9, 30, tzinfo=UTC)
    assert consultation.department_id == department.id and consultation.stage == Stage.DRAFT
    assert len(consultation.articles) == 4
    page = staff_client.get(response.location).get_data(as_text=True)
    assert 'value="2027-03-02T09:00"' in page and 'value="2027-04-02T17:30"' in page


def test_staff_cannot_choose_another_department(staff_client, department, other_department):
    staff_client.post("/staff/consultations/new", data=form_data(department=str(other_department.id)))
    assert only_consultation().department_id == department.id


def test_admin_chooses_the_department(en_client, auth, admin, department, other_department):
    auth.login(admin.email)
    page = en_client.get("/staff/consultations/new").get_data(as_text=True)
    assert 'name="department"' in page
    response = en_client.post("/staff/consultations/new", data=form_data(department=str(other_department.id)))
    assert response.status_code == 302
    assert only_consultation().department_id == other_department.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"title": "长" * 201}, "Field cannot be longer than 200 characters."),
        ({"kind": "poem"}, "Not a valid choice."),
        ({"opens_at": "next tuesday"}, "Not a valid datetime value."),
        ({"opens_at": "2027-03-02T09:00", "closes_at": "2027-03-01T09:00"}, "The period must close after it opens."),
    ],
)
def test_invalid_draft_is_refused_with_message(staff_client, changes, message):
    response = staff_client.post("/staff/consultations/new", data=form_data(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Consultation)).first() is None


def test_edit_saves_and_goes_to_preview(staff_client, draft):
    response = staff_client.post(f"/staff/consultations/{draft.id}/edit",
                                 data=form_data(title="改过的标题", next="preview"))
    assert response.location == f"/staff/consultations/{draft.id}/preview"
    assert only_consultation().title == "改过的标题"


def test_edit_form_of_a_published_consultation_redirects_to_preview(staff_client, open_consultation):
    response = staff_client.get(f"/staff/consultations/{open_consultation.id}/edit", follow_redirects=True)
    assert response.request.path == f"/staff/consultations/{open_consultation.id}/preview"
    assert "can no longer be changed" in response.get_data(as_text=True)


def test_edit_after_publish_is_refused(staff_client, open_consultation):
    title = open_consultation.title
    response = staff_client.post(f"/staff/consultations/{open_consultation.id}/edit", data=form_data(title="改"))
    assert response.status_code == 409
    assert "can no longer be edited" in response.get_data(as_text=True)
    assert only_consultation().title == title


# ---- preview and publishing ----------------------------------------------------------------------------


def test_preview_is_marked_and_splits_articles(staff_client, draft):
    page = staff_client.get(f"/staff/consultations/{draft.id}/preview").get_data(as_text=True)
    assert "Preview — not public." in page
    for number in (1, 2, 3, 4):
        assert f'id="article-{number}"' in page
    assert "第一章 总则" in page
    assert "Publish now" in page


def test_preview_lists_what_stops_publishing_with_links_to_fix(staff_client, department, staff):
    consultation = factories.make_consultation(department, staff, publish=False, draft_text="")
    page = staff_client.get(f"/staff/consultations/{consultation.id}/preview").get_data(as_text=True)
    assert "The draft text is required before publishing." in page
    assert f'href="/staff/consultations/{consultation.id}/edit#draft_text"' in page


def test_publish_makes_the_draft_public(staff_client, draft):
    response = staff_client.post(f"/staff/consultations/{draft.id}/publish")
    assert response.status_code == 302
    assert only_consultation().stage == Stage.PUBLISHED
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "The consultation is published." in page and "Preview — not public." not in page


def test_publish_of_a_too_short_period_is_refused_with_a_link_to_the_reason(staff_client, department, staff, now):
    consultation = factories.make_consultation(department, staff, publish=False, closes_at=now + timedelta(days=10))
    response = staff_client.post(f"/staff/consultations/{consultation.id}/publish")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at least 30 days" in page
    assert f'href="/staff/consultations/{consultation.id}/edit#short_period_reason"' in page
    assert only_consultation().stage == Stage.DRAFT


def test_publish_of_a_short_period_with_reason_shows_the_reason(staff_client, department, staff, now):
    consultation = factories.make_consultation(department, staff, publish=False, closes_at=now + timedelta(days=10),
                                               short_period_reason="上级要求限期出台")
    assert staff_client.post(f"/staff/consultations/{consultation.id}/publish").status_code == 302
    page = staff_client.get(f"/staff/consultations/{consultation.id}/preview").get_data(as_text=True)
    assert "上级要求限期出台" in page


def test_publish_of_a_published_consultation_is_refused(staff_client, open_consultation):
    response = staff_client.post(f"/staff/consultations/{open_consultation.id}/publish")
    assert response.status_code == 409
    assert "already published" in response.get_data(as_text=True)


# ---- hostile input -------------------------------------------------------------------------------------


def test_html_in_every_text_field_comes_back_escaped(staff_client):
    fields = ("title", "summary", "basis", "explanation", "contact_channels", "short_period_reason")
    data = form_data(**{name: f"{name}{PAYLOAD}" for name in fields}, draft_text=f"第一条 {PAYLOAD}\n第二条 乙")
    response = staff_client.post("/staff/consultations/new", data=data)
    consultation_id = only_consultation().id
    for url in ("/staff/consultations/", f"/staff/consultations/{consultation_id}/edit",
                f"/staff/consultations/{consultation_id}/preview", response.location):
        page = staff_client.get(url).get_data(as_text=True)
        assert PAYLOAD not in page, url
        assert "&lt;script&gt;alert(" in page, url


def test_missing_csrf_token_is_refused(app, staff_client, draft):
    app.config["WTF_CSRF_ENABLED"] = True
    response = staff_client.post(f"/staff/consultations/{draft.id}/publish")
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert staff_client.post("/staff/consultations/new", data=form_data()).status_code == 400
    assert only_consultation().stage == Stage.DRAFT


def test_form_with_csrf_token_is_accepted(app, staff_client, draft):
    app.config["WTF_CSRF_ENABLED"] = True
    page = staff_client.get(f"/staff/consultations/{draft.id}/preview").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = staff_client.post(f"/staff/consultations/{draft.id}/publish", data={"csrf_token": token})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/999/edit"), ("POST", "/999/edit"), ("GET", "/999/preview"), ("POST", "/999/publish"),
        ("GET", "/999/moderation"), ("POST", "/999/moderation"), ("GET", "/999/history"),
        ("POST", "/999/attachments"), ("POST", "/{draft}/attachments/999/remove"),
        ("GET", "/{draft}/attachments/999"), ("GET", "/{draft}/moderation?status=deleted"),
    ],
)
def test_unknown_ids_give_404(staff_client, draft, method, path):
    url = "/staff/consultations" + path.format(draft=draft.id)
    response = staff_client.open(url, method=method, data=form_data() if method == "POST" else None)
    assert response.status_code == 404


def test_publish_with_a_closing_time_in_the_past_says_so(staff_client, department, staff, now):
    consultation = factories.make_consultation(department, staff, publish=False, opens_at=now - timedelta(days=40),
                                               closes_at=now - timedelta(days=1))
    response = staff_client.post(f"/staff/consultations/{consultation.id}/publish")
    assert response.status_code == 422
    assert "The closing time has already passed" in response.get_data(as_text=True)


def test_new_draft_saved_with_preview_goes_to_the_preview(staff_client):
    response = staff_client.post("/staff/consultations/new", data=form_data(next="preview"))
    assert response.location == f"/staff/consultations/{only_consultation().id}/preview"
