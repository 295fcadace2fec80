"""Public proposal pages: the list with filters, a case with its timeline and reply, the figures and their XLSX."""

import io
import zipfile

import pytest

from tests.fixtures.proposals import PRIVATE_DETAILS


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _assert_no_private_details(text: str) -> None:
    for detail in PRIVATE_DETAILS:
        assert detail not in text


def test_navigation_links_to_the_public_list(en_client, app):
    page = _text(en_client.get("/"))
    assert 'href="/proposals/"' in page and "Proposal handling" in page


def test_list_shows_every_case_with_its_status_and_lead_unit(en_client, figures_cases):
    page = _text(en_client.get("/proposals/"))
    assert "6 cases found" in page
    assert "关于加快老旧小区加装电梯的建议" in page and "Municipal Ecology and Environment Bureau" in page
    assert "Overdue" in page  # case 3


def test_list_search_finds_a_two_character_word(en_client, figures_cases):
    page = _text(en_client.get("/proposals/?q=电梯"))
    assert "1 case found" in page and "加装电梯" in page and "公交线网" not in page


def test_list_filters_by_unit_and_status(en_client, figures_cases, other_department):
    page = _text(en_client.get(f"/proposals/?unit={other_department.id}&status=assigned"))
    assert "1 case found" in page and "学校周边交通设施" in page


def test_unknown_filter_values_are_ignored_not_an_error(en_client, figures_cases):
    page = _text(en_client.get("/proposals/?kind=other&status=nonsense&unit=abc&session=999&outcome=Z&page=0"))
    assert "6 cases found" in page


def test_list_never_shows_contact_details(client, figures_cases):
    _assert_no_private_details(_text(client.get("/proposals/")))


def test_case_page_shows_units_proposers_reply_and_timeline(en_client, figures_cases):
    page = _text(en_client.get(f"/proposals/{figures_cases[0].id}"))
    assert "张明" in page and "临江代表团" in page and "李华" in page
    assert "Municipal Transport Bureau" in page  # co-unit
    assert "经研究，已将该事项列入明年计划。" in page and "A Solved or largely solved" in page
    assert "张明 rated the handling: Satisfied" in page and "李华 rated the handling: Basically satisfied" in page


def test_case_page_never_shows_contact_details(client, figures_cases):
    for case in figures_cases:
        _assert_no_private_details(_text(client.get(f"/proposals/{case.id}")))


def test_unpublished_reply_shows_only_that_it_was_answered_and_why(en_client, figures_cases):
    page = _text(en_client.get(f"/proposals/{figures_cases[4].id}"))
    assert "The reply is not published." in page and "涉及未公开的规划内容" in page
    assert "涉及未公开规划的答复全文" not in page and "C 因条件限制待以后解决" not in page


def test_reopened_case_shows_the_new_round(en_client, figures_cases):
    page = _text(en_client.get(f"/proposals/{figures_cases[1].id}"))
    assert "Re-handling began (round 2)" in page and "re-handling, round 2" in page
    assert "答复没有具体措施" not in page  # the proposer's comments stay with the office


def test_registered_case_says_it_is_not_assigned_yet(en_client, figures_cases):
    page = _text(en_client.get(f"/proposals/{figures_cases[5].id}"))
    assert "No reply yet." in page and "Registered; not yet assigned to a handling unit." in page


def test_unknown_case_is_a_404_page(en_client, app):
    assert en_client.get("/proposals/999").status_code == 404


def test_stats_page_shows_the_figures_as_charts_and_a_table(en_client, figures_cases):
    page = _text(en_client.get("/proposals/stats"))
    assert page.count("<svg") == 5 and "Cases assigned per lead unit" in page
    assert "Satisfaction rate" in page and "66.7%" in page
    assert "All units (each case once)" in page


def test_stats_table_heads_outcome_columns_by_code_and_lists_their_labels(en_client, figures_cases):
    page = _text(en_client.get("/proposals/stats"))
    table = page[page.index('<table class="figures-table">'):]
    assert '<span aria-hidden="true">A</span><span class="visually-hidden">A Solved or largely solved</span>' in table
    legend = page[page.index('<ul class="outcome-legend"'):page.index('<table class="figures-table">')]
    assert "<li>A Solved or largely solved</li>" in legend and "<li>D Kept for reference</li>" in legend


def test_stats_page_says_when_a_rate_chart_has_nothing_to_count(en_client, app, supervisor, department):
    from tests.fixtures.proposals import assign_case, make_case

    assign_case(make_case(actor=supervisor), [department], actor=supervisor)  # assigned, neither replied nor rated
    page = _text(en_client.get("/proposals/stats"))
    assert page.count("<svg") == 3 and page.count("Nothing to count yet.") == 2


def test_stats_page_without_any_session_says_so(en_client, app):
    assert "No session has been registered yet." in _text(en_client.get("/proposals/stats"))


def test_stats_page_of_a_kind_without_cases_says_so(en_client, figures_cases):
    page = _text(en_client.get(f"/proposals/stats?session={figures_cases[0].session_id}&kind=proposal"))
    assert "No case of this session has been assigned yet." in page


def test_cached_stats_page_follows_a_change(client, figures_cases, staff):
    from tests.fixtures.proposals import reply_to

    before = _text(client.get("/proposals/stats"))
    reply_to(figures_cases[2], staff, outcome="D")
    after = _text(client.get("/proposals/stats"))
    assert before != after and "D 留作参考" in after


def _xlsx_cells(response) -> list[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_stats_download_is_an_xlsx_with_a_row_per_unit_and_the_totals(en_client, figures_cases):
    response = en_client.get("/proposals/stats.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _xlsx_cells(response)
    assert rows[0][:7] == ["Unit", "Assigned (lead)", "Co-handled", "Replied", "Replied on time", "Replied late",
                           "Overdue now"]
    assert rows[1][:7] == ["Municipal Ecology and Environment Bureau", 3, 1, 2, 1, 1, 1]
    assert rows[-1][0] == "All units (each case once)" and rows[-1][1] == 5
    assert rows[0][-1] == "Satisfaction rate (%)" and rows[1][-1] == 66.7  # a number offices can compute with


def test_stats_download_never_holds_contact_details(client, figures_cases):
    archive = zipfile.ZipFile(io.BytesIO(client.get("/proposals/stats.xlsx").data))
    text = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    _assert_no_private_details(text)


@pytest.mark.parametrize("path", ["/proposals/", "/proposals/stats"])
def test_public_pages_render_in_chinese_by_default(client, figures_cases, path):
    page = _text(client.get(path))
    assert 'lang="zh-CN"' in page


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _reply_with_pdf(case, actor, *, published: bool):
    from flask import current_app

    from engage.core.timeutil import china_date, utcnow
    from engage.extensions import db
    from engage.proposals.handling import services as handling_services
    from engage.proposals.handling.services import ReplyFields

    fields = ReplyFields(body="答复全文。", replied_on=china_date(utcnow()), outcome="A", is_published=published,
                         unpublished_reason="" if published else "涉密")
    reply = handling_services.record_reply(case, fields, actor=actor, now=utcnow(), config=current_app.config,
                                           pdf=io.BytesIO(PDF), pdf_filename="答复函.pdf")
    db.session.commit()
    return reply


def test_published_reply_pdf_can_be_downloaded(en_client, figures_cases, staff):
    reply = _reply_with_pdf(figures_cases[2], staff, published=True)

    page = _text(en_client.get(f"/proposals/{figures_cases[2].id}"))
    response = en_client.get(f"/proposals/replies/{reply.id}.pdf")

    assert f"/proposals/replies/{reply.id}.pdf" in page
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and "attachment" in response.headers["Content-Disposition"]
    api = en_client.get(f"/api/v1/proposals/{figures_cases[2].id}").get_json()
    assert api["reply"]["pdf_url"] == f"/proposals/replies/{reply.id}.pdf"


def test_unpublished_reply_pdf_is_not_found(en_client, figures_cases, staff):
    reply = _reply_with_pdf(figures_cases[2], staff, published=False)

    assert en_client.get(f"/proposals/replies/{reply.id}.pdf").status_code == 404
    assert "replies/" not in _text(en_client.get(f"/proposals/{figures_cases[2].id}"))


def test_cached_list_follows_a_change(en_client, figures_cases, staff):
    from tests.fixtures.proposals import reply_to

    assert "Overdue" in _text(en_client.get("/proposals/?q=积水"))
    reply_to(figures_cases[2], staff, outcome="D")
    page = _text(en_client.get("/proposals/?q=积水"))
    assert "Overdue" not in page and "D Kept for reference" in page


def test_reassignment_shows_in_the_timeline(en_client, figures_cases, supervisor, third_department):
    from flask import current_app

    from engage.core.timeutil import utcnow
    from engage.extensions import db
    from engage.proposals import services

    services.reassign(figures_cases[3], [third_department.id], [], reason="不属于本单位职责", actor=supervisor,
                      now=utcnow(), config=current_app.config)
    db.session.commit()

    page = _text(en_client.get(f"/proposals/{figures_cases[3].id}"))
    assert "Reassigned to other handling units." in page and "Municipal Housing Bureau" in page
    assert "不属于本单位职责" not in page  # the office's reasons stay on the staff side
