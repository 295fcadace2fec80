"""Handling use cases against the database: co-unit opinions, replies, ratings and their private links."""

import io
from datetime import timedelta

import pytest
from flask import current_app

from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date, utcnow
from engage.proposals import services
from engage.proposals.handling import services as handling_services
from engage.proposals.models import ProposalStatus
from tests.fixtures.proposals import assign_case, make_case, reply_to


def config():
    return current_app.config


def test_co_unit_opinion_then_reply_records_every_status(assigned_case, staff, other_staff):
    handling_services.submit_opinion(assigned_case, "建议由住建局牵头", actor=other_staff, now=utcnow())
    assert handling_services.missing_opinions(assigned_case) == []
    reply_to(assigned_case, staff, outcome="B")
    assert assigned_case.status == ProposalStatus.REPLIED
    assert [c.to_status for c in assigned_case.status_changes] == ["registered", "assigned", "in_progress",
                                                                   "replied"]
    assert (assigned_case.outcome, assigned_case.replied_on_time, assigned_case.reply_published) == ("B", True, True)


def test_a_co_unit_cannot_reply(assigned_case, other_staff):
    with pytest.raises(NotAllowed):
        reply_to(assigned_case, other_staff)


@pytest.mark.parametrize(("changes", "field"), [
    ({"outcome": "Z"}, "outcome"),
    ({"body": " "}, "body"),
    ({"is_published": False, "unpublished_reason": ""}, "unpublished_reason"),
    ({"replied_on": None}, "replied_on"),
    ({"replied_on": timedelta(days=1)}, "replied_on"),
    # the case was assigned today: a reply dated the day before predates its handling
    ({"replied_on": timedelta(days=-1)}, "replied_on"),
])
def test_a_reply_is_checked(assigned_case, staff, changes, field):
    # Dates are taken when the test runs, not when it is collected: a run may cross midnight in China.
    today = china_date(utcnow())
    if isinstance(changes.get("replied_on"), timedelta):
        changes = {"replied_on": today + changes["replied_on"]}
    values = {"body": "答复", "replied_on": today, "outcome": "A", "is_published": True,
              "unpublished_reason": "", **changes}
    with pytest.raises(ValidationFailed) as refused:
        handling_services.record_reply(assigned_case, handling_services.ReplyFields(**values), actor=staff,
                                       now=utcnow(), config=config())
    assert field in refused.value.errors


def test_proposal_outcome_classes_differ_from_suggestions(app, supervisor, department, staff):
    case = assign_case(make_case(kind="proposal", actor=supervisor), [department], actor=supervisor)
    with pytest.raises(ValidationFailed):
        reply_to(case, staff, outcome="D")  # D exists only for suggestions


def test_every_proposer_rates_and_then_the_case_is_rated(replied_case, supervisor):
    lead, co_signer = replied_case.proposers
    handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())
    assert replied_case.status == ProposalStatus.REPLIED
    handling_services.rate(co_signer, "basically_satisfied", "", actor=None, now=utcnow(), config=config())
    assert replied_case.status == ProposalStatus.RATED
    assert replied_case.satisfaction == "basically_satisfied"


def test_unsatisfied_reopens_with_a_new_round_and_keeps_the_history(replied_case, supervisor, staff):
    lead = replied_case.proposers[0]
    handling_services.rate(lead, "unsatisfied", "补贴标准未落实", actor=supervisor, now=utcnow(), config=config())
    assert replied_case.status == ProposalStatus.REOPENED and replied_case.round_number == 2
    assert replied_case.due_on == services.rules.add_months(china_date(utcnow()), 1)
    assert [r.number for r in replied_case.rounds] == [1, 2]
    reply_to(replied_case, staff, body="补贴标准已落实。")
    assert [r.round_number for r in replied_case.replies] == [1, 2]
    handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())
    assert len(replied_case.ratings) == 2


def test_unsatisfied_needs_comments_and_a_proposer_rates_once(replied_case, supervisor):
    lead = replied_case.proposers[0]
    with pytest.raises(ValidationFailed):
        handling_services.rate(lead, "unsatisfied", "", actor=supervisor, now=utcnow(), config=config())
    handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())
    with pytest.raises(RuleViolation):
        handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())


def test_the_private_link_finds_only_its_proposer(replied_case, supervisor):
    lead = replied_case.proposers[0]
    token = handling_services.issue_rating_link(lead, actor=supervisor, now=utcnow())
    assert handling_services.proposer_for_token(token) is lead
    assert lead.rating_token_hash != token  # only the hash is kept
    handling_services.issue_rating_link(lead, actor=supervisor, now=utcnow())
    with pytest.raises(services.NotFound):
        handling_services.proposer_for_token(token)  # a new link replaces the old one


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_reply_pdf_is_found_only_under_its_own_case(assigned_case, staff, supervisor, department):
    fields = handling_services.ReplyFields(body="答复", replied_on=china_date(utcnow()), outcome="A",
                                           is_published=True, unpublished_reason="")
    with_pdf = handling_services.record_reply(assigned_case, fields, actor=staff, now=utcnow(), config=config(),
                                              pdf=io.BytesIO(MINIMAL_PDF), pdf_filename="答复函.pdf")
    other = assign_case(make_case(number="0002", actor=supervisor), [department], actor=supervisor)
    without_pdf = reply_to(other, staff)
    assert handling_services.reply_with_pdf(assigned_case, with_pdf.id) is with_pdf
    for case, reply_id in ((other, with_pdf.id), (other, without_pdf.id), (assigned_case, without_pdf.id + 1)):
        with pytest.raises(NotFound):
            handling_services.reply_with_pdf(case, reply_id)


def test_a_proposer_is_found_only_among_the_proposers_of_the_case(registered_case, supervisor):
    other = make_case(number="0002", proposers=("王强",), actor=supervisor)
    lead = registered_case.proposers[0]
    assert handling_services.proposer_of(registered_case, lead.id) is lead
    with pytest.raises(NotFound):
        handling_services.proposer_of(registered_case, other.proposers[0].id)
