"""The home page shows all four parts of Engage, each with its link, and its cached copy is never stale."""

from datetime import timedelta

import pytest

from engage.core.timeutil import china_date
from engage.events.models import EventStatus
from engage.extensions import db
from tests import factories
from tests.fixtures.events import make_event
from tests.fixtures.proposals import assign_case, make_case, reply_to
from tests.services.test_home_sections import publish_report


def _case_replied(supervisor, department, staff, now, *, number="0001", title="关于加快老旧小区加装电梯的建议",
                  published=True):
    case = assign_case(make_case(number=number, title=title, actor=supervisor), [department],
                       assigned_on=china_date(now - timedelta(days=7)), actor=supervisor)
    reply_to(case, staff, published=published, now=now)
    return case


@pytest.fixture
def all_four(app, open_consultation, campaign, department, staff, supervisor, now):
    """One of each: an open consultation, an event with seats, a published reply, a published report."""
    event = make_event(campaign, department, title="走进市生态环境局")
    case = _case_replied(supervisor, department, staff, now)
    report = publish_report(department, staff, "生活垃圾分类管理办法（征求意见稿）", now=now)
    return open_consultation, event, case, report


def test_the_home_page_shows_all_four_parts_with_their_links(en_client, all_four):
    consultation, event, case, report = all_four
    page = en_client.get("/").text
    assert f'href="/consultations/{consultation.id}"' in page
    assert f'href="/events/{event.id}"' in page and "50 seats left" in page
    assert f'href="/proposals/{case.id}"' in page and "Replied on" in page
    assert f'href="/consultations/{report.id}/feedback"' in page and "Feedback report: 生活垃圾分类管理办法" in page
    for full_list in ('href="/consultations/?status=open"', 'href="/events/"', 'href="/proposals/"',
                      'href="/consultations/?status=feedback_published"'):
        assert full_list in page


def test_the_home_page_is_in_chinese_by_default(client, all_four):
    page = client.get("/").text
    for heading in ("尚有名额的近期活动", "建议提案最新答复", "最近公布的意见采纳情况反馈", "查看全部建议提案"):
        assert heading in page


def test_an_empty_site_says_so_in_each_part(en_client, app):
    page = en_client.get("/").text
    assert "Nothing is open for comment at the moment." in page
    assert "No upcoming event has seats left at the moment." in page
    assert "No reply has been published yet." in page
    assert "No feedback report has been published yet." in page


def test_full_past_and_draft_events_are_left_out(en_client, campaign, department, now):
    full = make_event(campaign, department, title="满员座谈会", capacity=1)
    full.seats_taken = 1
    make_event(campaign, department, title="草稿活动", status=EventStatus.DRAFT)
    make_event(campaign, department, title="已结束的活动", starts_at=now - timedelta(days=2),
               opens_at=now - timedelta(days=5), closes_at=now - timedelta(days=3))
    make_event(campaign, department, title="报名已截止的活动", starts_at=now + timedelta(hours=5),
               closes_at=now - timedelta(hours=1))
    make_event(campaign, department, title="尚未开始报名的活动", opens_at=now + timedelta(days=1))
    db.session.commit()
    page = en_client.get("/").text
    assert "满员座谈会" not in page and "草稿活动" not in page and "已结束的活动" not in page
    assert "报名已截止的活动" not in page
    assert "尚未开始报名的活动" in page and "Sign-up opens" in page


def test_an_unpublished_reply_is_not_listed(en_client, supervisor, department, staff, now):
    _case_replied(supervisor, department, staff, now, title="答复不公开的建议", published=False)
    assert "答复不公开的建议" not in en_client.get("/").text


def test_a_new_reply_shows_on_the_cached_page_at_once(en_client, all_four, supervisor, department, staff, now):
    assert "关于增设公交线路的建议" not in en_client.get("/").text
    _case_replied(supervisor, department, staff, now, number="0002", title="关于增设公交线路的建议")
    assert "关于增设公交线路的建议" in en_client.get("/").text


def test_a_new_report_shows_on_the_cached_page_at_once(en_client, all_four, department, staff, now):
    en_client.get("/")
    publish_report(department, staff, "停车管理办法（征求意见稿）", now=now)
    assert "Feedback report: 停车管理办法" in en_client.get("/").text


def test_an_event_filling_up_leaves_the_cached_page_at_once(en_client, all_four):
    _consultation, event, _case, _report = all_four
    assert "走进市生态环境局" in en_client.get("/").text
    event.seats_taken, event.public_version = event.capacity, event.public_version + 1
    db.session.commit()
    assert "走进市生态环境局" not in en_client.get("/").text


def test_a_consultation_opening_by_the_clock_shows_on_the_cached_page(en_client, department, staff, now, monkeypatch):
    factories.make_consultation(department, staff, title="两小时后开始征求意见的办法",
                                opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=30))
    before = en_client.get("/").text
    assert "Opens for comment on" in before and "Comments until" not in before
    monkeypatch.setattr("engage.home.views.utcnow", lambda: now + timedelta(hours=2))
    assert "Comments until" in en_client.get("/").text


def test_the_home_page_query_count_does_not_grow_with_what_it_lists(client, all_four, campaign, department, staff,
                                                                     supervisor, now):
    few = factories.statements_of(client, "/")
    for n in range(3):
        make_event(campaign, department, title=f"活动{n}")
        _case_replied(supervisor, department, staff, now, number=f"01{n}", title=f"建议{n}")
        publish_report(department, staff, f"办法{n}", now=now)
        factories.make_consultation(department, staff, title=f"征求意见{n}", opens_at=now - timedelta(days=1),
                                    closes_at=now + timedelta(days=40))
    many = factories.statements_of(client, "/")
    assert len(many) == len(few) <= 16
