"""The handling units' and the proposer's pages, used as they use them: the reply and its PDF, the rating link."""

import io

from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.proposals.models import Proposal, Reply

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _today() -> str:
    """The cases of these tests are assigned today and a reply cannot be dated before that; taken when the
    test runs, since a run may cross midnight in China."""
    return china_date(utcnow()).isoformat()


def test_the_lead_unit_replies_with_a_pdf_and_staff_can_download_it(client, auth, assigned_case, staff):
    auth.login(staff.email)
    answer = client.post(f"/staff/proposals/{assigned_case.id}/reply", data={
        "body": "经研究，已列入明年计划。", "replied_on": _today(), "outcome": "B", "publish": "yes",
        "pdf": (io.BytesIO(MINIMAL_PDF), "答复函.pdf"),
    })
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    reply = db.session.scalars(db.select(Reply)).one()
    pdf = client.get(f"/staff/proposals/{assigned_case.id}/replies/{reply.id}/pdf")
    assert pdf.status_code == 200 and pdf.data == MINIMAL_PDF


def test_an_unpublished_reply_needs_a_reason(en_client, auth, assigned_case, staff):
    auth.login(staff.email)
    answer = en_client.post(f"/staff/proposals/{assigned_case.id}/reply", data={
        "body": "答复", "replied_on": _today(), "outcome": "A", "publish": "no", "unpublished_reason": "",
    })
    assert answer.status_code == 422
    assert "Say why the reply is not published" in answer.get_data(as_text=True)


def test_a_reply_pdf_must_be_a_pdf(client, auth, assigned_case, staff):
    auth.login(staff.email)
    answer = client.post(f"/staff/proposals/{assigned_case.id}/reply", data={
        "body": "答复", "replied_on": _today(), "outcome": "A", "publish": "yes",
        "pdf": (io.BytesIO(b"not a pdf"), "答复函.docx"),
    })
    assert answer.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Reply)) == 0


def test_the_proposer_rates_through_the_private_link_and_unsatisfied_reopens(client, auth, replied_case,
                                                                             supervisor, en_client):
    auth.login(supervisor.email)
    lead = replied_case.proposers[0]
    page = client.post(f"/staff/proposals/{replied_case.id}/proposers/{lead.id}/rating-link").get_data(as_text=True)
    link = page.split("/proposals/rate/")[1].split("<")[0]
    auth.logout()
    form = client.get(f"/proposals/rate/{link}")
    assert form.status_code == 200 and "经研究" in form.get_data(as_text=True)
    assert client.post(f"/proposals/rate/{link}", data={"satisfaction": "unsatisfied", "comments": ""}).status_code \
        == 422
    done = client.post(f"/proposals/rate/{link}", data={"satisfaction": "unsatisfied", "comments": "未解决"})
    assert done.status_code == 200
    db.session.expire_all()
    case = db.session.get(Proposal, replied_case.id)
    assert (case.status, case.round_number) == ("reopened", 2)
    assert client.get("/proposals/rate/not-a-token").status_code == 404
