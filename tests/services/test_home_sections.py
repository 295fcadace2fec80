"""What the home page lists of each part, and the state its cached copy is keyed on."""

from datetime import timedelta

from engage.consultations import services as consultations
from engage.core.timeutil import china_date, utcnow
from engage.events import listings
from engage.events.models import EventStatus
from engage.extensions import db
from engage.feedback import answer_services
from engage.feedback import services as feedback
from engage.proposals import public_services
from tests import factories
from tests.fixtures.events import make_event
from tests.fixtures.feedback import make_closed_consultation
from tests.fixtures.proposals import assign_case, make_case, reply_to


def publish_report(department, staff, title, *, now):
    """A closed consultation with one comment, answered and its report published at ``now``."""
    consultation, comments = make_closed_consultation(department, staff, ["建议延长试行期限。"], title=title)
    answer_services.answer_comments(consultation, [comments[0].id], "adopted", "", actor=staff, now=now)
    feedback.save_explanation(consultation, "共收到意见1条，采纳1条。", actor=staff, now=now)
    feedback.publish(consultation, actor=staff, now=now)
    db.session.commit()
    return consultation


def test_latest_replies_are_the_published_ones_newest_first(app, supervisor, department, staff, now):
    week_ago = china_date(now - timedelta(days=7))
    older = assign_case(make_case(number="0001", title="较早答复的建议", actor=supervisor), [department],
                        assigned_on=week_ago, actor=supervisor)
    reply_to(older, staff, now=now - timedelta(days=3))
    hidden = assign_case(make_case(number="0002", title="答复不公开的建议", actor=supervisor), [department],
                         assigned_on=week_ago, actor=supervisor)
    reply_to(hidden, staff, published=False, now=now - timedelta(days=1))
    newer = assign_case(make_case(number="0003", title="最新答复的建议", actor=supervisor), [department],
                        actor=supervisor)
    reply_to(newer, staff, now=now)
    assign_case(make_case(number="0004", title="尚未答复的建议", actor=supervisor), [department], actor=supervisor)
    assert [p.title for p in public_services.latest_published_replies(4)] == ["最新答复的建议", "较早答复的建议"]
    assert [p.title for p in public_services.latest_published_replies(1)] == ["最新答复的建议"]


def test_latest_reports_list_each_consultation_once_a_correction_first(app, department, staff):
    now = utcnow()
    first = publish_report(department, staff, "先公布反馈的办法", now=now - timedelta(hours=2))
    publish_report(department, staff, "后公布反馈的办法", now=now - timedelta(hours=1))
    assert [c.title for c, _at in feedback.latest_reports(4)] == ["后公布反馈的办法", "先公布反馈的办法"]
    feedback.save_explanation(first, "共收到意见1条，采纳1条，已更正说明。", actor=staff, now=now)
    feedback.publish(first, reason="更正说明", actor=staff, now=now)
    db.session.commit()
    reports = feedback.latest_reports(4)
    assert [c.title for c, _at in reports] == ["先公布反馈的办法", "后公布反馈的办法"]
    assert reports[0][1] > reports[1][1]  # the correction's time, not the first publication's


def test_reports_state_changes_with_a_new_revision(app, department, staff):
    before = feedback.reports_state()
    publish_report(department, staff, "新公布反馈的办法", now=utcnow())
    assert feedback.reports_state() != before


def test_consultation_state_moves_when_a_period_opens_by_the_clock(app, department, staff, now):
    factories.make_consultation(department, staff, opens_at=now + timedelta(hours=1),
                                closes_at=now + timedelta(days=30))
    assert consultations.public_list_state(now) == consultations.public_list_state(now + timedelta(minutes=59))
    assert consultations.public_list_state(now) != consultations.public_list_state(now + timedelta(hours=2))


def test_consultation_state_moves_with_a_new_comment(app, open_consultation):
    before = consultations.public_list_state(utcnow())
    factories.make_comment(open_consultation, "新发表的意见")
    assert consultations.public_list_state(utcnow()) != before


def test_events_state_moves_with_seats_taken_and_with_the_end_passing(app, campaign, department, now):
    event = make_event(campaign, department)
    before = listings.public_events_state(now)
    event.seats_taken, event.public_version = 1, event.public_version + 1
    db.session.commit()
    assert listings.public_events_state(now) != before
    after_end = event.ends_at + timedelta(minutes=1)
    assert listings.public_events_state(after_end) != listings.public_events_state(event.ends_at - timedelta(minutes=1))


def test_drafts_leave_both_states_alone(app, campaign, department, staff, now):
    consultation_state, events_state = consultations.public_list_state(now), listings.public_events_state(now)
    factories.make_consultation(department, staff, publish=False)
    make_event(campaign, department, status=EventStatus.DRAFT)
    assert consultations.public_list_state(now) == consultation_state
    assert listings.public_events_state(now) == events_state
