"""Decision, interpretation, dashboard, Atom feed and catalogue pages, as citizens and staff use them."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest

from engage.core.timeutil import china_date, utcnow
from engage.decisions import catalogue
from engage.decisions.catalogue import EntryFields
from engage.decisions.models import ChangeKind
from engage.decisions.timing import PlannedTiming
from engage.extensions import db
from engage.feedback import services as feedback
from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def closed_consultation(department, staff, now):
    return factories.make_consultation(department, staff, opens_at=now - timedelta(days=40),
                                       closes_at=now - timedelta(days=5))


def _decision_form(**changes):
    form = {"title": "临江市生活垃圾分类管理办法", "document_number": "临府规〔2026〕5号",
            "published_on": china_date(utcnow()).isoformat(), "url": ""}
    form.update(changes)
    return form


def test_staff_link_the_decision_with_its_document(en_client, auth, staff, closed_consultation):
    auth.login(staff.email)
    url = f"/staff/consultations/{closed_consultation.id}/decision"
    assert "Link the decision" in en_client.get(url).text
    response = en_client.post(url, data={**_decision_form(), "file": (io.BytesIO(MINIMAL_PDF), "管理办法.pdf")})
    assert response.status_code == 302
    auth.logout()
    page = en_client.get(f"/consultations/{closed_consultation.id}").text
    assert "临府规〔2026〕5号" in page and "Interpretation due by" in page and "Decision published" in page
    download = en_client.get(re.search(r'href="(/decisions/files/\d+)"', page).group(1))
    assert download.data == MINIMAL_PDF and download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_decision_without_document_is_refused_with_a_message(en_client, auth, staff, closed_consultation):
    auth.login(staff.email)
    response = en_client.post(f"/staff/consultations/{closed_consultation.id}/decision", data=_decision_form())
    assert response.status_code == 422
    assert "Upload the document or give the address" in response.text


def test_a_decision_before_the_close_is_refused_next_to_its_date(client, auth, staff, closed_consultation):
    auth.login(staff.email)
    closed_on = factories.day_after_close(closed_consultation, 0)
    response = client.post(f"/staff/consultations/{closed_consultation.id}/decision", data=_decision_form(
        published_on=(closed_on - timedelta(days=1)).isoformat(), url="https://www.linjiang.gov.cn/zfgb/5.htm"))
    assert response.status_code == 422
    error = re.search(r'id="published_on-error">([^<]*)<', response.text).group(1)
    assert error == f"决策公布日期不得早于意见征集截止日（{closed_on.isoformat()}）。"
    assert 'value="临江市生活垃圾分类管理办法"' in response.text  # what was typed stays
    from engage.decisions import services

    assert services.decision_of(closed_consultation.id) is None


def test_staff_link_the_interpretation(en_client, auth, staff, closed_consultation):
    auth.login(staff.email)
    url = f"/staff/consultations/{closed_consultation.id}/decision"
    en_client.post(url, data=_decision_form(url="https://www.linjiang.gov.cn/zfgb/5.htm"))
    response = en_client.post(f"/staff/consultations/{closed_consultation.id}/interpretation", data={
        "interpretation_title": "一图读懂", "interpreted_on": china_date(utcnow()).isoformat(),
        "interpretation_url": "https://www.linjiang.gov.cn/zcjd/5.htm"})
    assert response.status_code == 302
    auth.logout()
    page = en_client.get(f"/consultations/{closed_consultation.id}").text
    assert "Interpretation on time" in page and "https://www.linjiang.gov.cn/zcjd/5.htm" in page


def test_the_cached_public_page_turns_late_when_the_deadline_passes(en_client, auth, staff, closed_consultation,
                                                                    monkeypatch):
    auth.login(staff.email)
    en_client.post(f"/staff/consultations/{closed_consultation.id}/decision",
                   data=_decision_form(url="https://www.linjiang.gov.cn/zfgb/5.htm"))
    auth.logout()
    assert "Interpretation due by" in en_client.get(f"/consultations/{closed_consultation.id}").text
    later = utcnow() + timedelta(days=30)
    for module in ("engage.consultations.views", "engage.decisions.views"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: later)
    assert "Interpretation late" in en_client.get(f"/consultations/{closed_consultation.id}").text


def test_dashboard_shows_what_the_department_owes(en_client, auth, staff, closed_consultation):
    factories.make_comment(closed_consultation, now=closed_consultation.opens_at + timedelta(days=1))
    auth.login(staff.email)
    page = en_client.get("/staff/dashboard").text
    assert "1 comment without an answer" in page and closed_consultation.title in page
    assert "Feedback reports not yet published <span class=\"meta\">(1)</span>" in page
    assert 'href="/staff/dashboard"' in page  # linked from the staff navigation


def test_every_public_page_advertises_the_feed(client, open_consultation):
    for url in ("/", "/consultations/", f"/consultations/{open_consultation.id}", "/catalogue/"):
        assert '<link rel="alternate" type="application/atom+xml" href="/feed.atom"' in client.get(url).text


def test_the_feed_is_valid_atom_with_opened_consultations_and_reports(en_client, department, staff, now):
    opened = factories.make_consultation(department, staff, title='<垃圾> & "分类"（征求意见稿）')
    reported = factories.make_consultation(department, staff, title="已反馈的征求意见稿",
                                           opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=5))
    factories.make_consultation(department, staff, title="未开始的征求意见稿", opens_at=now + timedelta(days=3),
                                closes_at=now + timedelta(days=40))
    feedback.save_explanation(reported, "未收到意见。", actor=staff, now=now)
    feedback.publish(reported, actor=staff, now=now)
    db.session.commit()
    response = en_client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}id").text.startswith("tag:")
    assert feed.find(f"{ATOM}updated").text.endswith("Z")
    entries = {e.find(f"{ATOM}title").text: e for e in feed.findall(f"{ATOM}entry")}
    assert set(entries) == {'Opened for comment: <垃圾> & "分类"（征求意见稿）',
                            "Opened for comment: 已反馈的征求意见稿", "Feedback report: 已反馈的征求意见稿"}
    report = entries["Feedback report: 已反馈的征求意见稿"]
    assert report.find(f"{ATOM}link").get("href").endswith(f"/consultations/{reported.id}/feedback")
    ids = [e.find(f"{ATOM}id").text for e in entries.values()]
    assert len(set(ids)) == 3 and all(e.find(f"{ATOM}updated") is not None for e in entries.values())
    assert opened.id



def test_feed_ids_do_not_depend_on_the_host_name_the_reader_used(app, client, open_consultation):
    app.config["FEED_ID_DOMAIN"] = "gov.example.cn"
    ids = []
    for host in ("engage.intranet", "www.example.cn"):
        feed = ElementTree.fromstring(client.get("/feed.atom", headers={"Host": host}).data)
        ids.append([e.text for e in feed.iter(f"{ATOM}id")])
    assert ids[0] == ids[1]
    assert ids[0][0] == "tag:gov.example.cn,2026:feed"
    assert f"tag:gov.example.cn,2026:consultation/{open_consultation.id}/opened" in ids[0]

@pytest.fixture
def entries(department, other_department, staff, admin, now):
    kept = catalogue.add_entry(2026, department.id,
                               EntryFields("临江市生活垃圾分类管理办法", PlannedTiming(2026, quarter=2)),
                               "列入年度目录", actor=staff, now=now)
    moved = catalogue.add_entry(2026, other_department.id,
                                EntryFields("临江市公交线网优化方案", PlannedTiming(2026, month=9)),
                                "列入年度目录", actor=admin, now=now)
    catalogue.change_status(moved, ChangeKind.POSTPONED, "需补充开展专家论证", planned=PlannedTiming(2027, quarter=1),
                            actor=admin, now=now)
    catalogue.record_deliberation(kept, meeting="市政府第12次常务会议", deliberated_on=date(2026, 6, 18),
                                  outcome="原则通过", actor=staff, now=now)
    db.session.commit()
    return kept, moved


def test_the_catalogue_shows_entries_progress_and_reasons(en_client, entries):
    assert "Catalogue 2026" in en_client.get("/catalogue/").text
    page = en_client.get("/catalogue/2026").text
    assert "临江市生活垃圾分类管理办法" in page and "市政府第12次常务会议" in page and "原则通过" in page
    assert "需补充开展专家论证" in page and "Planned: Q1 2027" in page and "Postponed" in page
    assert 'href="/catalogue/"' in en_client.get("/").text  # in the main navigation


def test_the_catalogue_links_the_consultation_report_and_decision(en_client, entries, staff, closed_consultation, now):
    kept, _moved = entries
    catalogue.update_entry(kept, EntryFields(kept.name, kept.planned, closed_consultation.id), "", actor=staff,
                           now=now)
    feedback.save_explanation(closed_consultation, "未收到意见。", actor=staff, now=now)
    feedback.publish(closed_consultation, actor=staff, now=now)
    db.session.commit()
    page = en_client.get("/catalogue/2026").text
    assert f'href="/consultations/{closed_consultation.id}"' in page
    assert f'href="/consultations/{closed_consultation.id}/feedback"' in page


@pytest.mark.parametrize("year", [1800, 2100])
def test_years_outside_the_range_do_not_exist(client, year):
    assert client.get(f"/catalogue/{year}").status_code == 404


def test_a_year_without_catalogue_says_so(en_client):
    response = en_client.get("/catalogue/2031")
    assert response.status_code == 200 and "There is no catalogue for 2031" in response.text


def test_staff_add_postpone_and_see_the_reason_required(en_client, auth, staff, department):
    auth.login(staff.email)
    response = en_client.post("/staff/catalogue/new", data={
        "year": "2026", "department": str(department.id), "name": "临江市养老服务条例",
        "planned_year": "2026", "planned_part": "q3",
        "consultation": "", "reason": ""})
    assert response.status_code == 422 and "Give the reason for this change" in response.text
    response = en_client.post("/staff/catalogue/new", data={
        "year": "2026", "department": str(department.id), "name": "临江市养老服务条例",
        "planned_year": "2026", "planned_part": "q3",
        "consultation": "", "reason": "列入年度目录"})
    assert response.status_code == 302
    entry_url = response.headers["Location"]
    refused = en_client.post(f"{entry_url}/status",
                             data={"change": "postponed", "new_year": "", "change_reason": "x"})
    assert refused.status_code == 422 and "Enter the planned year, between 2000 and 2099" in refused.text
    refused = en_client.post(f"{entry_url}/status",
                             data={"change": "postponed", "new_year": "2027", "new_part": "", "change_reason": "x"})
    assert refused.status_code == 422 and "Choose the quarter or the month it is planned for" in refused.text
    done = en_client.post(f"{entry_url}/status", data={"change": "postponed", "new_year": "2027", "new_part": "m3",
                                                       "change_reason": "立法计划调整"})
    assert done.status_code == 302
    page = en_client.get("/catalogue/2026").text
    assert "立法计划调整" in page and "Planned: March 2027" in page


def test_the_new_timing_is_asked_only_where_the_entry_can_be_postponed(en_client, auth, staff, department):
    auth.login(staff.email)
    entry_url = en_client.post("/staff/catalogue/new", data={
        "year": "2026", "department": str(department.id), "name": "临江市养老服务条例",
        "planned_year": "2026", "planned_part": "q3",
        "consultation": "", "reason": "列入年度目录"}).headers["Location"]
    assert 'name="new_year"' in en_client.get(entry_url).text
    en_client.post(f"{entry_url}/status", data={"change": "dropped", "change_reason": "不再制定"})
    page = en_client.get(entry_url).text
    assert 'value="restored"' in page and 'name="new_year"' not in page


def test_a_decision_date_in_the_past_gives_a_past_deadline(app, department, staff):
    """A decision linked some time after its publication: the deadline still counts from its date."""
    from engage.core.calendar_days import load_work_calendar
    from engage.decisions import services

    # The period ended on 31 December 2025 (China time); the decision came on Monday 5 January 2026.
    consultation = factories.make_consultation(department, staff, opens_at=datetime(2025, 11, 20, 1, tzinfo=UTC),
                                               closes_at=datetime(2025, 12, 31, 9, tzinfo=UTC))
    decision = services.link_decision(
        consultation, services.DecisionFields("办法", "临府规〔2026〕1号", factories.day_after_close(consultation, 5),
                                              "https://www.linjiang.gov.cn/1.htm"),
        None, actor=staff, now=utcnow(), working_days=3, calendar=load_work_calendar(),
        store=services.FileStore(app.config["UPLOAD_FOLDER"], 1024))
    assert decision.interpretation_due_on == date(2026, 1, 8)
    assert decision.interpretation_state(date(2026, 1, 8)) == "due"
    assert decision.interpretation_state(date(2026, 1, 9)) == "late"


def test_an_administrator_links_a_consultation_of_the_entrys_own_department(en_client, auth, admin, department,
                                                                           other_department, staff, other_staff):
    ours = factories.make_consultation(department, staff, title="本部门的征求意见稿")
    theirs = factories.make_consultation(other_department, other_staff, title="其他部门的征求意见稿")
    auth.login(admin.email)
    form = en_client.get("/staff/catalogue/new?year=2026").text
    assert "本部门的征求意见稿 · Municipal Ecology" in form and "其他部门的征求意见稿 · Municipal Transport" in form
    data = {"year": "2026", "department": str(department.id), "name": "事项", "planned_year": "2026",
            "planned_part": "q3",
            "consultation": str(theirs.id), "reason": "列入"}
    refused = en_client.post("/staff/catalogue/new", data=data)
    assert refused.status_code == 422 and "Choose a published consultation of the entry" in refused.text
    assert en_client.post("/staff/catalogue/new", data={**data, "consultation": str(ours.id)}).status_code == 302


def test_a_fake_interpretation_file_is_refused_on_its_field(en_client, auth, staff, closed_consultation):
    auth.login(staff.email)
    en_client.post(f"/staff/consultations/{closed_consultation.id}/decision",
                   data=_decision_form(url="https://www.linjiang.gov.cn/zfgb/5.htm"))
    response = en_client.post(f"/staff/consultations/{closed_consultation.id}/interpretation", data={
        "interpreted_on": china_date(utcnow()).isoformat(),
        "interpretation_file": (io.BytesIO(b"MZ not a pdf"), "解读.pdf")})
    assert response.status_code == 422
    assert 'id="interpretation_file-error"' in response.text and "does not match its type" in response.text


def test_the_planned_timing_is_worded_in_the_visitors_language(app, en_client, entries):
    chinese = app.test_client().get("/catalogue/2026").text
    assert "计划完成时间：2026年第二季度" in chinese and "计划完成时间：2027年第一季度" in chinese
    english = en_client.get("/catalogue/2026").text
    assert "Planned: Q2 2026" in english and "Planned: Q1 2027" in english and "第二季度" not in english


def test_the_catalogue_can_be_read_by_planned_timing(en_client, entries):
    kept, moved = entries
    listed = en_client.get("/catalogue/2026").text
    assert listed.index(kept.name) < listed.index(moved.name)
    by_timing = en_client.get("/catalogue/2026?sort=planned").text
    assert by_timing.index(kept.name) < by_timing.index(moved.name)  # Q2 2026 before Q1 2027
    later = catalogue.add_entry(2026, kept.department_id, EntryFields("一月计划的事项", PlannedTiming(2026, month=1)),
                                "列入年度目录", actor=kept.changes[0].actor, now=kept.created_at)
    db.session.commit()
    by_timing = en_client.get("/catalogue/2026?sort=planned").text
    assert by_timing.index(later.name) < by_timing.index(kept.name) < by_timing.index(moved.name)
    assert 'href="/catalogue/2026?sort=planned"' in listed and "<strong>by planned timing</strong>" in by_timing


def test_an_entry_form_keeps_its_timing_and_refuses_a_bad_one(en_client, auth, staff, entries):
    kept, _moved = entries
    auth.login(staff.email)
    form = en_client.get(f"/staff/catalogue/{kept.id}").text
    assert 'name="planned_year" required type="number" value="2026"' in form
    assert '<option selected value="q2">' in form
    refused = en_client.post(f"/staff/catalogue/{kept.id}", data={"name": kept.name, "planned_year": "2026",
                                                                   "planned_part": "q9", "consultation": "",
                                                                   "reason": "调整"})
    assert refused.status_code == 422
