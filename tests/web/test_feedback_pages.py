"""Feedback pages through the browser's eyes: the staff work view, groups, offline opinions, publishing,
the public report, downloads, and the receipt lookup showing the answer."""

import io
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from engage.consultations.models import Comment, CommentStatus
from engage.core.models import AuditEvent
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, services
from engage.feedback.models import OpinionGroup
from engage.feedback.presentation import GROUPS_PER_PAGE
from engage.feedback.search import index as search_index
from tests.fixtures.feedback import FORM_LETTER
from tests.fixtures.messaging import run_queued_jobs


@pytest.fixture
def staff_client(client, auth, staff):
    auth.login(staff.email)
    return client


def _token(client, url):
    import re

    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _work_url(consultation, **args):
    return f"/staff/consultations/{consultation.id}/feedback/" + (
        "?" + "&".join(f"{k}={v}" for k, v in args.items()) if args else "")


def test_work_view_lists_and_filters_unanswered(staff_client, answered_consultation, comments_of):
    comment = comments_of(answered_consultation)[3]
    comment.answer_outcome = None
    db.session.commit()
    page = staff_client.get(_work_url(answered_consultation, answered="unanswered"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert comment.receipt_number in html and FORM_LETTER not in html


def test_work_view_filters_by_text(staff_client, closed_consultation):
    search_index.index_pending()  # what the job consumer does a moment after the comments arrive
    html = staff_client.get(_work_url(closed_consultation, q="物业")).get_data(as_text=True)
    assert "推迟半年" in html and FORM_LETTER not in html


def test_bulk_answer_needs_reason(staff_client, closed_consultation, comments_of):
    url = _work_url(closed_consultation)
    ids = [c.id for c in comments_of(closed_consultation)[:2]]
    response = staff_client.post(url, data={"csrf_token": _token(staff_client, url), "comment_ids": ids,
                                            "action": "answer", "outcome": "not_adopted", "reason": ""})
    assert response.status_code == 422
    assert services.unanswered_count(closed_consultation.id) == 4


def test_refused_bulk_answer_keeps_the_answer_and_says_why_by_the_reason(staff_client, closed_consultation,
                                                                        comments_of):
    url = _work_url(closed_consultation)
    ids = [c.id for c in comments_of(closed_consultation)[:2]]
    html = staff_client.post(url, data={"csrf_token": _token(staff_client, url), "comment_ids": ids,
                                        "action": "answer", "outcome": "not_adopted", "reason": "  "}).text
    assert re.search(r'value="not_adopted" id="outcome-\d" checked', html)
    assert '<p class="error-message" id="reason-error">请填写理由，理由将与答复一并公开。</p>' in html
    assert all(re.search(rf'value="{i}" id="select-{i}" form="bulk-answer"\s+checked', html) for i in ids)


def _groups_url(consultation) -> str:
    return f"/staff/consultations/{consultation.id}/feedback/groups"


@pytest.fixture
def form_letter_group(staff, closed_consultation, comments_of):
    group = answer_services.create_group(closed_consultation, [c.id for c in comments_of(closed_consultation)[:3]],
                                         "投放点", actor=staff, now=utcnow())
    db.session.commit()
    return group


def test_refused_group_answer_keeps_what_was_typed_and_says_why_by_the_reason(staff_client, closed_consultation,
                                                                             form_letter_group):
    url, group_id = _groups_url(closed_consultation), form_letter_group.id
    response = staff_client.post(f"{url}/{group_id}/answer", data={
        "csrf_token": _token(staff_client, url), "outcome": "not_adopted", "reason": ""})
    html = response.text
    assert response.status_code == 422
    assert re.search(rf'value="not_adopted" id="group-{group_id}-outcome-\d" checked', html)
    assert f'<p class="error-message" id="group-{group_id}-reason-error">请填写理由，理由将与答复一并公开。</p>' in html
    db.session.expire_all()
    assert form_letter_group.outcome is None


def test_refused_group_answer_keeps_a_long_reason(staff_client, closed_consultation, form_letter_group):
    """An answer refused for its missing outcome still shows the reason the staff member wrote."""
    url, group_id = _groups_url(closed_consultation), form_letter_group.id
    html = staff_client.post(f"{url}/{group_id}/answer", data={
        "csrf_token": _token(staff_client, url), "reason": "与上位法不一致，"}).text
    assert "与上位法不一致，</textarea>" in html
    assert f'id="group-{group_id}-outcome-error">请选择对该意见的处理结果。</p>' in html


def test_refused_rename_keeps_the_form_open_with_its_error(staff_client, closed_consultation, form_letter_group):
    url, group_id = _groups_url(closed_consultation), form_letter_group.id
    response = staff_client.post(f"{url}/{group_id}/rename", data={"csrf_token": _token(staff_client, url),
                                                                    "title": "   "})
    assert response.status_code == 422
    assert f'<p class="error-message" id="title-{group_id}-error">请为该组意见命名。</p>' in response.text
    assert "<details open>\n          <summary>" in response.text
    db.session.expire_all()
    assert form_letter_group.title == "投放点"


def test_bulk_group_then_answer_group(staff_client, closed_consultation, comments_of):
    url = _work_url(closed_consultation)
    ids = [c.id for c in comments_of(closed_consultation)[:3]]
    response = staff_client.post(url, data={"csrf_token": _token(staff_client, url), "comment_ids": ids,
                                            "action": "group", "title": "投放点"})
    assert response.status_code == 302
    group = db.session.scalar(db.select(OpinionGroup))
    groups_url = f"/staff/consultations/{closed_consultation.id}/feedback/groups"
    response = staff_client.post(f"{groups_url}/{group.id}/answer",
                                 data={"csrf_token": _token(staff_client, groups_url), "outcome": "adopted"})
    assert response.status_code == 302
    assert services.unanswered_count(closed_consultation.id) == 1


def test_propose_groups_from_the_groups_page(staff_client, closed_consultation):
    groups_url = f"/staff/consultations/{closed_consultation.id}/feedback/groups"
    answer = staff_client.post(f"{groups_url}/proposals", data={"csrf_token": _token(staff_client, groups_url)})
    assert answer.status_code == 302
    waiting = staff_client.get(groups_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting and "等待任务处理程序" in waiting  # queued, refreshing by itself
    assert "强烈建议在每个小区" not in waiting
    # A second click while it waits starts nothing more.
    again = staff_client.post(f"{groups_url}/proposals", data={"csrf_token": _token(staff_client, groups_url)},
                              follow_redirects=True)
    assert "已在进行" in again.get_data(as_text=True)
    assert run_queued_jobs() == 1
    done = staff_client.get(groups_url + "?status=proposed").get_data(as_text=True)
    assert "强烈建议在每个小区" in done and "上次查找" in done and 'http-equiv="refresh"' not in done


def test_propose_themes_from_the_groups_page(staff_client, closed_consultation):
    groups_url = f"/staff/consultations/{closed_consultation.id}/feedback/groups"
    page = staff_client.get(groups_url).get_data(as_text=True)
    assert "提出主题建议" in page
    answer = staff_client.post(f"{groups_url}/themes", data={"csrf_token": _token(staff_client, groups_url)})
    assert answer.status_code == 302
    assert run_queued_jobs() == 1
    done = staff_client.get(groups_url + "?status=proposed").get_data(as_text=True)
    assert "上次查找" in done


def test_offline_opinion_form_records_a_letter(staff_client, closed_consultation):
    url = f"/staff/consultations/{closed_consultation.id}/feedback/offline"
    response = staff_client.post(url, data={"csrf_token": _token(staff_client, url), "channel": "letter",
                                            "received_on": "2026-10-01", "body": "来信建议增加宣传。"})
    assert response.status_code == 302
    comment = db.session.scalar(db.select(Comment).where(Comment.channel == "letter"))
    assert comment.status == CommentStatus.RECORDED


def test_offline_opinion_form_refuses_empty_body(staff_client, closed_consultation):
    url = f"/staff/consultations/{closed_consultation.id}/feedback/offline"
    response = staff_client.post(url, data={"csrf_token": _token(staff_client, url), "channel": "phone",
                                            "received_on": "2026-10-01", "body": ""})
    assert response.status_code == 422


def test_refused_offline_opinion_keeps_what_was_typed(staff_client, closed_consultation):
    url = f"/staff/consultations/{closed_consultation.id}/feedback/offline"
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    response = staff_client.post(url, data={"csrf_token": _token(staff_client, url), "channel": "letter",
                                            "received_on": future, "display_name": "城南餐饮商会",
                                            "body": "来信建议增加宣传。"})
    assert response.status_code == 422
    assert 'value="城南餐饮商会"' in response.text and "来信建议增加宣传。</textarea>" in response.text
    assert 'id="received_on-error"' in response.text
    assert db.session.scalar(db.select(Comment).where(Comment.channel == "letter")) is None


def test_a_correction_without_any_change_is_refused_keeping_its_reason(en_client, auth, staff,
                                                                       answered_consultation):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    auth.login(staff.email)
    url = f"/staff/consultations/{answered_consultation.id}/feedback/report"
    response = en_client.post(f"/staff/consultations/{answered_consultation.id}/feedback/publish",
                              data={"csrf_token": _token(en_client, url), "reason": "再次核对后公布"})
    assert response.status_code == 409
    assert "Nothing has changed since revision 1 was published: there is nothing to correct." in response.text
    assert "再次核对后公布</textarea>" in response.text
    assert [r.number for r in services.list_revisions(answered_consultation.id)] == [1]


def test_a_correction_without_reason_is_refused_by_the_reason(en_client, auth, staff, answered_consultation):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    services.save_explanation(answered_consultation, "说明已补充。", actor=staff, now=utcnow())
    db.session.commit()
    auth.login(staff.email)
    url = f"/staff/consultations/{answered_consultation.id}/feedback/report"
    response = en_client.post(f"/staff/consultations/{answered_consultation.id}/feedback/publish",
                              data={"csrf_token": _token(en_client, url), "reason": ""})
    assert response.status_code == 422
    assert re.search(r'id="reason-error">Say why the published report is corrected', response.text)


def test_publish_refused_page_says_why(en_client, auth, staff, closed_consultation):
    auth.login(staff.email)
    url = f"/staff/consultations/{closed_consultation.id}/feedback/report"
    response = en_client.post(f"/staff/consultations/{closed_consultation.id}/feedback/publish",
                              data={"csrf_token": _token(en_client, url)}, follow_redirects=True)
    assert "Some comments have no answer yet" in response.get_data(as_text=True)
    assert services.current_revision(closed_consultation.id) is None


def test_publish_then_public_report_and_receipt(staff_client, answered_consultation, comments_of, client):
    url = f"/staff/consultations/{answered_consultation.id}/feedback/report"
    response = staff_client.post(f"/staff/consultations/{answered_consultation.id}/feedback/publish",
                                 data={"csrf_token": _token(staff_client, url)})
    assert response.status_code == 302
    report = staff_client.get(f"/consultations/{answered_consultation.id}/feedback").get_data(as_text=True)
    assert "增设厨余垃圾投放点" in report and "<svg" in report and "共收到意见4条" in report
    receipt = comments_of(answered_consultation)[3].receipt_number
    lookup = staff_client.get(f"/consultations/receipt?receipt_number={receipt}").get_data(as_text=True)
    assert "施行日期已征求多方意见。" in lookup


def test_receipt_hides_draft_answers_before_publication(client, answered_consultation, comments_of):
    receipt = comments_of(answered_consultation)[3].receipt_number
    lookup = client.get(f"/consultations/receipt?receipt_number={receipt}").get_data(as_text=True)
    assert "施行日期已征求多方意见。" not in lookup


def test_public_report_before_publication_says_so(client, closed_consultation):
    response = client.get(f"/consultations/{closed_consultation.id}/feedback")
    assert response.status_code == 200 and "<svg" not in response.get_data(as_text=True)


def test_report_downloads_have_no_contact_data(client, answered_consultation, staff):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    csv_text = client.get(f"/consultations/{answered_consultation.id}/feedback.csv").get_data(as_text=True)
    assert "增设厨余垃圾投放点" in csv_text and "@" not in csv_text
    xlsx = client.get(f"/consultations/{answered_consultation.id}/feedback.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert len(workbook.sheetnames) == 2


def test_contact_download_is_audited(staff_client, closed_consultation, comments_of):
    comment = comments_of(closed_consultation)[0]
    comment.contact = "13800138000"
    db.session.commit()
    response = staff_client.get(f"/staff/consultations/{closed_consultation.id}/feedback/comments.csv")
    assert "13800138000" in response.get_data(as_text=True)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "feedback.contacts_downloaded"))
    assert event is not None and event.subject_id == closed_consultation.id


def test_contact_download_is_named_in_the_page_language(staff_client, closed_consultation):
    response = staff_client.get(f"/staff/consultations/{closed_consultation.id}/feedback/comments.xlsx")
    assert f"意见及联系方式-{closed_consultation.id}.xlsx" in unquote(response.headers["Content-Disposition"])


def test_groups_page_shows_the_numbers_merging_asks_for(staff_client, staff, closed_consultation, comments_of):
    ids = [c.id for c in comments_of(closed_consultation)[:2]]
    group = answer_services.create_group(closed_consultation, ids, "投放点", actor=staff, now=utcnow())
    db.session.commit()
    html = staff_client.get(f"/staff/consultations/{closed_consultation.id}/feedback/groups").get_data(as_text=True)
    assert f"组号 {group.id}" in html


def test_staff_report_draft_shows_figures_and_unanswered(staff_client, closed_consultation):
    html = staff_client.get(f"/staff/consultations/{closed_consultation.id}/feedback/report").get_data(as_text=True)
    assert "<svg" in html and "answered=unanswered" in html


def test_staff_report_after_publication_asks_for_a_correction_reason(staff_client, answered_consultation, staff):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    html = staff_client.get(f"/staff/consultations/{answered_consultation.id}/feedback/report").get_data(as_text=True)
    assert 'name="reason"' in html


@pytest.fixture
def report_of_45_groups(department, staff):
    """A published report whose 45 groups (two comments each) are named in the order the report lists them."""
    from tests.fixtures.feedback import make_closed_consultation

    bodies = [f"关于第{n}个问题的意见，副本{copy}。" for n in range(1, 46) for copy in (1, 2)]
    consultation, comments = make_closed_consultation(department, staff, bodies)
    now = utcnow()
    for n in range(45):
        pair = comments[2 * n:2 * n + 2]
        group = answer_services.create_group(consultation, [c.id for c in pair], f"意见组{n + 1:02d}", actor=staff,
                                             now=now)
        answer_services.answer_group(group, "adopted", "", actor=staff, now=now)
    services.save_explanation(consultation, "逐组答复。", actor=staff, now=now)
    services.publish(consultation, actor=staff, now=now)
    db.session.commit()
    return consultation


def test_public_report_lists_the_groups_a_page_at_a_time(en_client, report_of_45_groups):
    url = f"/consultations/{report_of_45_groups.id}/feedback"
    first = en_client.get(url).get_data(as_text=True)
    assert "意见组01" in first and "意见组20" in first and "意见组21" not in first
    assert "Groups 1 to 20 of 45, largest first." in first
    assert "Page 1 of 3" in first and 'rel="next"' in first
    last = en_client.get(url + "?page=3").get_data(as_text=True)
    assert "意见组41" in last and "意见组45" in last and "意见组40" not in last
    assert '<ol class="opinion-groups" start="41">' in last and "Groups 41 to 45 of 45" in last
    assert "Revision history" in last  # the rest of the report is on every page
    beyond = en_client.get(url + "?page=99").get_data(as_text=True)
    assert "意见组45" in beyond and "Page 3 of 3" in beyond


def test_page_links_after_a_refused_answer_lead_back_to_the_group_list(staff_client, report_of_45_groups):
    url = _groups_url(report_of_45_groups)
    group_id = db.session.scalar(
        db.select(OpinionGroup.id).where(OpinionGroup.consultation_id == report_of_45_groups.id).limit(1))
    response = staff_client.post(f"{url}/{group_id}/answer", data={
        "csrf_token": _token(staff_client, url), "outcome": "not_adopted", "reason": ""})
    assert response.status_code == 422
    assert f'<a href="{url}?page=2" rel="next">' in response.text


def test_comment_export_writes_control_characters_stored_by_old_rows(staff_client, closed_consultation, comments_of):
    comment = comments_of(closed_consultation)[0]
    comment.body = "x \u0001 y"  # stored directly, as rows from before the forms refused it
    db.session.commit()
    downloads = f"/staff/consultations/{closed_consultation.id}/feedback/comments"
    response = staff_client.get(f"{downloads}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert "x \ufffd y" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    csv_text = staff_client.get(f"{downloads}.csv").get_data(as_text=True)
    assert "x \ufffd y" in csv_text and "\u0001" not in csv_text


def test_an_adoptions_explanation_shows_in_the_report_and_on_the_receipt(en_client, answered_consultation, staff,
                                                                       comments_of):
    first = comments_of(answered_consultation)[0]
    group = db.session.get(OpinionGroup, first.opinion_group_id)
    answer_services.answer_group(group, "adopted", "第三条已增加两个投放点的要求。", actor=staff, now=utcnow())
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    report = en_client.get(f"/consultations/{answered_consultation.id}/feedback").get_data(as_text=True)
    assert "How it was taken up:</strong> <span class=\"comment-body\">第三条已增加两个投放点的要求。" in report
    receipt = en_client.get(f"/consultations/receipts/{first.receipt_number}").get_data(as_text=True)
    assert "How it was taken up:</strong> <span class=\"comment-body\">第三条已增加两个投放点的要求。" in receipt
    alone = en_client.get(f"/consultations/receipts/{comments_of(answered_consultation)[3].receipt_number}")
    assert "Reason:</strong> <span class=\"comment-body\">施行日期已征求多方意见。" in alone.get_data(as_text=True)


def test_a_receipt_names_its_group_and_links_to_it_in_the_report(en_client, answered_consultation, staff,
                                                                comments_of):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    first = comments_of(answered_consultation)[0]
    receipt = en_client.get(f"/consultations/receipt?receipt_number={first.receipt_number}").get_data(as_text=True)
    link = (f'href="/consultations/{answered_consultation.id}/feedback#group-{first.opinion_group_id}">'
            "增设厨余垃圾投放点")
    assert "merged with similar comments into the opinion group" in receipt and link in receipt
    report = en_client.get(f"/consultations/{answered_consultation.id}/feedback").get_data(as_text=True)
    assert f'id="group-{first.opinion_group_id}"' in report
    alone = comments_of(answered_consultation)[3].receipt_number
    assert "opinion group" not in en_client.get(f"/consultations/receipts/{alone}").get_data(as_text=True)


def test_a_receipt_links_to_the_report_page_its_group_is_on(en_client, department, staff):
    from tests.fixtures.feedback import make_closed_consultation

    count = GROUPS_PER_PAGE + 1
    bodies = [f"意见第{n}号：建议{n}" for n in range(count)]
    consultation, comments = make_closed_consultation(department, staff, bodies)
    for comment in comments:
        group = answer_services.create_group(consultation, [comment.id], f"组{comment.id}", actor=staff, now=utcnow())
        answer_services.answer_group(group, "adopted", "", actor=staff, now=utcnow())
    services.save_explanation(consultation, "说明", actor=staff, now=utcnow())
    services.publish(consultation, actor=staff, now=utcnow())
    db.session.commit()
    links = {}
    for comment in comments:
        page = en_client.get(f"/consultations/receipts/{comment.receipt_number}").get_data(as_text=True)
        links[comment.id] = re.search(rf'href="/consultations/{consultation.id}/feedback(\?page=\d+)?#group-(\d+)"',
                                      page)
    on_second = [match for match in links.values() if match.group(1) == "?page=2"]
    assert len(on_second) == 1
    second_page = en_client.get(f"/consultations/{consultation.id}/feedback?page=2").get_data(as_text=True)
    assert f'id="group-{on_second[0].group(2)}"' in second_page





