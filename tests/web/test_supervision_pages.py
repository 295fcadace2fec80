"""Supervision pages used as staff use them: the dashboard, chasing notices, the review, the self-check, and
the message settings."""

from datetime import timedelta

from sqlalchemy import select

from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.proposals.models import ProposalStatus
from engage.proposals.supervision.models import ReplyDraft, ReviewState, StepKind, SupervisionStep
from tests.fixtures.proposals import assign_case, make_case


def overdue_case(department, supervisor, number="0009"):
    case = make_case(number=number, title="关于治理城区积水点的建议", actor=supervisor)
    return assign_case(case, [department], actor=supervisor, now=utcnow() - timedelta(days=100))


def test_the_supervisor_sees_overdue_cases_by_unit_and_lateness(en_client, auth, department, supervisor):
    overdue_case(department, supervisor)
    auth.login(supervisor.email)
    page = en_client.get("/staff/proposals/supervision")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Municipal Ecology and Environment Bureau" in html and "Overdue by unit and by how long" in html
    assert "8–30 days" in html


def test_units_do_not_see_the_dashboard(client, auth, staff):
    auth.login(staff.email)
    assert client.get("/staff/proposals/supervision").status_code == 403


def test_a_chasing_notice_is_sent_from_the_case_page_and_answered_there(client, en_client, auth, assigned_case,
                                                                         supervisor, staff):
    auth.login(supervisor.email)
    refused = en_client.post(f"/staff/proposals/{assigned_case.id}/chasing-notices", data={"chase_text": ""})
    assert refused.status_code == 422 and db.session.scalar(select(SupervisionStep)) is None
    sent = client.post(f"/staff/proposals/{assigned_case.id}/chasing-notices", data={"chase_text": "请本周报送进度。"})
    assert sent.status_code == 302
    step = db.session.scalar(select(SupervisionStep).where(SupervisionStep.kind == StepKind.CHASED))
    auth.logout()
    auth.login(staff.email)
    page = client.get(f"/staff/proposals/{assigned_case.id}").get_data(as_text=True)
    assert "请本周报送进度。" in page and f"/staff/proposals/chasing-notices/{step.id}/answer" in page
    answered = client.post(f"/staff/proposals/chasing-notices/{step.id}/answer", data={"answer_text": "月底前答复。"})
    assert answered.status_code == 302
    page = client.get(f"/staff/proposals/{assigned_case.id}").get_data(as_text=True)
    assert "月底前答复。" in page


def test_units_cannot_chase(client, auth, assigned_case, staff):
    auth.login(staff.email)
    answer = client.post(f"/staff/proposals/{assigned_case.id}/chasing-notices", data={"chase_text": "催办"})
    assert answer.status_code == 403
    assert db.session.scalar(select(SupervisionStep)) is None


def test_a_reviewed_reply_goes_to_the_supervisor_who_approves_it(en_client, auth, assigned_case, staff, supervisor):
    assigned_case.session.review_required = True
    db.session.commit()
    auth.login(staff.email)
    sent = en_client.post(f"/staff/proposals/{assigned_case.id}/reply", follow_redirects=True, data={
        "body": "经研究，已列入明年计划。", "replied_on": china_date(utcnow()).isoformat(), "outcome": "B",
        "publish": "yes"})
    html = sent.get_data(as_text=True)
    assert "Reply sent to the supervising office for review." in html and "Reply under review" in html
    assert "Record the reply" not in html  # no second reply while this one is reviewed
    draft = db.session.scalar(select(ReplyDraft))
    auth.logout()
    auth.login(supervisor.email)
    approved = en_client.post(f"/staff/proposals/{assigned_case.id}/review/{draft.id}/approve")
    assert approved.status_code == 302
    db.session.refresh(assigned_case)
    assert assigned_case.status == ProposalStatus.REPLIED and draft.state == ReviewState.APPROVED
    history = en_client.get(f"/staff/proposals/{assigned_case.id}").get_data(as_text=True)
    assert "Reply submitted for review" in history and "Reply approved" in history


def test_returning_a_reply_needs_a_reason(en_client, auth, assigned_case, staff, supervisor):
    assigned_case.session.review_required = True
    db.session.commit()
    auth.login(staff.email)
    en_client.post(f"/staff/proposals/{assigned_case.id}/reply", data={
        "body": "答复", "replied_on": china_date(utcnow()).isoformat(), "outcome": "A", "publish": "yes"})
    draft = db.session.scalar(select(ReplyDraft))
    auth.logout()
    auth.login(supervisor.email)
    refused = en_client.post(f"/staff/proposals/{assigned_case.id}/review/{draft.id}/return",
                             data={"return_reason": ""})
    assert refused.status_code == 422 and draft.state == ReviewState.PENDING
    returned = en_client.post(f"/staff/proposals/{assigned_case.id}/review/{draft.id}/return",
                              data={"return_reason": "请补充资金来源。"})
    assert returned.status_code == 302 and draft.state == ReviewState.RETURNED


def test_the_self_check_page_lists_what_to_fix_with_links(en_client, auth, department, staff, supervisor):
    case = overdue_case(department, supervisor)
    auth.login(staff.email)
    html = en_client.get("/staff/self-check/").get_data(as_text=True)
    assert "Proposal reply overdue" in html and f'href="/staff/proposals/{case.id}"' in html


def test_the_administrators_self_check_covers_every_department(en_client, auth, department, admin, supervisor):
    overdue_case(department, supervisor)
    auth.login(admin.email)
    html = en_client.get("/staff/self-check/all").get_data(as_text=True)
    assert "Municipal Ecology and Environment Bureau (1)" in html


def test_staff_choose_sms_only_with_a_mobile_number(en_client, auth, staff):
    auth.login(staff.email)
    refused = en_client.post("/account/messages", data={"phone": "", "notify_by": "sms", "message_timing": "daily"})
    assert refused.status_code == 422 and "Give your mobile number" in refused.get_data(as_text=True)
    saved = en_client.post("/account/messages", data={"phone": "139-0000-4444", "notify_by": "sms",
                                                      "message_timing": "daily"})
    assert saved.status_code == 302
    db.session.refresh(staff)
    assert (staff.phone, staff.notify_by, staff.message_timing) == ("13900004444", "sms", "daily")


def test_staff_choose_the_language_of_their_messages(en_client, auth, staff):
    auth.login(staff.email)
    page = en_client.get("/account/messages").get_data(as_text=True)
    assert '<input checked id="message_language-0" lang="zh" name="message_language" type="radio" value="zh">' in page
    refused = en_client.post("/account/messages", data={"notify_by": "email", "message_timing": "immediate",
                                                        "message_language": "fr"})
    assert refused.status_code == 422
    db.session.refresh(staff)
    assert staff.message_language == "zh"
    saved = en_client.post("/account/messages", data={"notify_by": "email", "message_timing": "immediate",
                                                      "message_language": "en"})
    assert saved.status_code == 302
    db.session.refresh(staff)
    assert staff.message_language == "en"


def test_the_administrator_sets_a_users_phone_and_a_units_head_contact(client, auth, admin, staff, department):
    auth.login(admin.email)
    answer = client.post(f"/admin/users/{staff.id}", data={
        "email": staff.email, "name": staff.name, "role": "department_staff", "department_id": department.id,
        "is_active": "y", "phone": "13900005555", "notify_by": "sms", "message_timing": "immediate"})
    assert answer.status_code == 302
    db.session.refresh(staff)
    assert staff.phone == "13900005555" and staff.notify_by == "sms"
    answer = client.post(f"/admin/departments/{department.id}", data={
        "name": department.name, "name_en": department.name_en, "is_active": "y", "head_contact_name": "王局长",
        "head_contact_email": "Head@Example.gov.cn", "head_contact_phone": "13900006666"})
    assert answer.status_code == 302
    db.session.refresh(department)
    assert (department.head_contact_email, department.head_contact_phone) == ("head@example.gov.cn", "13900006666")
