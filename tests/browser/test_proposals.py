"""The proposal tracker in the browser: import with errors then corrected, a unit replies, the public sees the
reply, an unsatisfied rating reopens the case."""

import re

from playwright.sync_api import expect

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.proposals.handling import services as handling_services
from engage.proposals.models import Proposal
from tests.browser.conftest import PHONE, writing
from tests.browser.test_staff import log_in

SESSION = "第十八届人大第三次会议"


def write_list(tmp_path, name: str, rows: list[str]):
    path = tmp_path / name
    path.write_text("编号,标题,领衔人,附议人,主办单位,交办日期\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def import_file(page, path):
    page.get_by_role("link", name="Suggestions and proposals").first.click()
    page.get_by_role("link", name="Import a list").click()
    page.get_by_label("Kind").select_option("suggestion")
    page.get_by_label("Session").fill(SESSION)
    page.get_by_label("List (CSV or XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Check and import").click()


def test_import_reply_public_page_and_reopening(page, open_page, supervisor, staff, department, tmp_path,
                                                check_accessibility):
    bad = write_list(tmp_path, "bad.csv", [
        f"0001,关于老旧小区加装电梯的建议,张明,李华,{department.name},2026-03-01",
        f",关于增设公交线路的建议,王芳,,{department.name},2026-03-01",
        "0003,关于学校周边交通的建议,赵强,,不存在的局,2026-03-01",
    ])
    log_in(page, supervisor.email)
    import_file(page, bad)
    problems = page.get_by_role("table")
    expect(problems).to_contain_text("The number is missing.", timeout=15000)
    expect(problems).to_contain_text("Unknown unit")
    expect(page.get_by_role("row").filter(has_text="Lead unit(s)")).to_contain_text("4")  # row 4 of the sheet
    check_accessibility(page, "import problems")

    good = write_list(tmp_path, "good.csv", [
        f"0001,关于老旧小区加装电梯的建议,张明,李华,{department.name},2026-11-02",
        f"0002,关于增设公交线路的建议,王芳,,{department.name},2026-11-02",
    ])
    page.get_by_role("link", name="Import a corrected file").click()
    page.get_by_label("Kind").select_option("suggestion")
    page.get_by_label("Session").fill(SESSION)
    page.get_by_label("List (CSV or XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("status")).to_contain_text("2 cases imported", timeout=15000)
    log_out(page)

    # The lead unit finds the case in its queue and replies.
    log_in(page, staff.email)
    page.get_by_role("link", name="Suggestions and proposals").first.click()
    page.get_by_role("link", name="0001 关于老旧小区加装电梯的建议").first.click()
    page.get_by_label("Full text of the reply").fill("经研究，已将加装电梯补贴列入明年民生实事。")
    page.get_by_role("radio", name="B Being solved or planned").check()
    page.get_by_role("radio", name="Publish the reply").check()
    page.get_by_role("button", name="Record the reply").click()
    expect(page.locator(".flash-success, [role=status]").first).to_contain_text("Reply recorded")
    check_accessibility(page, "staff case page")
    log_out(page)

    # The public case page shows the reply (and no contact details).
    db.session.rollback()  # end the test's read transaction, whose snapshot predates the import
    case_id = db.session.scalar(db.select(Proposal.id).where(Proposal.number == "0001"))
    public = open_page(viewport=PHONE)
    public.goto(f"/proposals/{case_id}")
    expect(public.locator("body")).to_contain_text("经研究，已将加装电梯补贴列入明年民生实事。")

    # The supervisor enters the lead proposer's unsatisfied rating: the case is handled again.
    log_in(page, supervisor.email)
    page.goto(f"/staff/proposals/{case_id}")
    page.get_by_label("Proposer", exact=True).select_option(label="张明")
    page.get_by_role("radio", name="Unsatisfied").check()
    page.get_by_label("Comments", exact=True).fill("补贴标准不明确")
    page.get_by_role("button", name="Record the rating").click()
    expect(page.locator("h1 + .meta .badge")).to_have_text(re.compile("Re-handling"))
    expect(page.locator("#timeline")).to_contain_text("补贴标准不明确")


def test_the_proposer_rates_on_a_phone_through_the_private_link(open_page, replied_case, supervisor,
                                                                check_accessibility):
    with writing():  # the reply's messages are being delivered meanwhile
        token = handling_services.issue_rating_link(replied_case.proposers[1], actor=supervisor, now=utcnow())
    phone = open_page(lang="zh", viewport=PHONE)
    phone.goto(f"/proposals/rate/{token}")
    check_accessibility(phone, "rating page")
    phone.get_by_role("radio").nth(1).check()  # 基本满意
    phone.get_by_role("button").last.click()
    expect(phone.get_by_role("status")).to_be_visible()
    db.session.rollback()
    assert db.session.get(Proposal, replied_case.id).ratings[0].satisfaction == "basically_satisfied"


def test_the_figures_table_is_readable_on_a_phone(open_page, figures_cases):
    for lang in ("zh", "en"):
        phone = open_page(lang=lang, viewport=PHONE)
        phone.goto("/proposals/stats")
        table = phone.locator(".figures-table")
        # headings wrap between words: no column so narrow that its heading stacks character by character
        assert table.locator("thead").bounding_box()["height"] < 100, lang
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], lang  # the table scrolls
        wrap = phone.locator(".table-wrap")
        wrap.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        unit = table.locator("tbody th").first.bounding_box()
        assert unit["x"] < 40, lang  # the unit column stays in view while the figures scroll

