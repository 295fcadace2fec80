"""Finding public events: coming ones first, past ones apart, searched by words; the venue's access."""

from datetime import timedelta

import pytest

from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.timeutil import utcnow
from engage.events import listings, organiser_services
from engage.events.models import AccessFeature
from engage.extensions import db
from tests.fixtures.events import make_event


def _titles(events):
    return [e.title for e in events]


def _agenda_titles(days):
    return [e.title for _day, events in days for e in events]


def test_coming_events_come_in_start_order_and_past_ones_latest_first(campaign, department):
    now = utcnow()
    make_event(campaign, department, title="下周", starts_at=now + timedelta(days=7))
    make_event(campaign, department, title="明天", starts_at=now + timedelta(days=1))
    make_event(campaign, department, title="上月", starts_at=now - timedelta(days=30))
    make_event(campaign, department, title="昨天", starts_at=now - timedelta(days=1))
    days, past = listings.upcoming_and_past(listings.EventFilters(campaign_id=campaign.id), now)
    assert _agenda_titles(days) == ["明天", "下周"] and _titles(past) == ["昨天", "上月"]


@pytest.mark.parametrize(("ends_in", "is_past"), [(timedelta(seconds=-1), True), (timedelta(0), True),
                                                   (timedelta(seconds=1), False)])
def test_an_event_is_past_from_the_moment_it_ends(campaign, department, ends_in, is_past):
    now = utcnow()
    make_event(campaign, department, title="边界", starts_at=now + ends_in - timedelta(hours=2))
    days, past = listings.upcoming_and_past(listings.EventFilters(campaign_id=campaign.id), now)
    assert (_titles(past) == ["边界"]) is is_past and (_agenda_titles(days) == ["边界"]) is not is_past


def test_search_finds_words_in_title_description_or_venue(campaign, department):
    make_event(campaign, department, title="走进垃圾焚烧发电厂")
    event = make_event(campaign, department, title="图书馆开放日")
    event.venue = "市图书馆二楼报告厅"
    make_event(campaign, department, title="交通座谈会")
    db.session.commit()
    found = listings.list_public_events(listings.EventFilters(q="垃圾")).items
    assert _titles(found) == ["走进垃圾焚烧发电厂"]
    assert _titles(listings.list_public_events(listings.EventFilters(q="报告厅")).items) == ["图书馆开放日"]


def test_with_seats_left_only_no_past_event_is_listed(campaign, department):
    now = utcnow()
    make_event(campaign, department, title="昨天", starts_at=now - timedelta(days=1))
    _days, past = listings.upcoming_and_past(listings.EventFilters(campaign_id=campaign.id, seats_left_only=True), now)
    assert past == []


def test_organiser_states_the_venues_access(open_event, organiser):
    organiser_services.update_accessibility(open_event, {"step_free_access": True, "hearing_loop": True,
                                                         "accessibility_notes": "无障碍电梯在东门"},
                                            actor=organiser, now=utcnow())
    assert open_event.accessibility == [AccessFeature.STEP_FREE_ACCESS, AccessFeature.HEARING_LOOP]
    assert open_event.accessibility_notes == "无障碍电梯在东门" and open_event.public_version == 1


def test_access_notes_have_a_length_limit(open_event, organiser):
    with pytest.raises(ValidationFailed) as error:
        organiser_services.update_accessibility(open_event, {"accessibility_notes": "长" * 1001},
                                                actor=organiser, now=utcnow())
    assert set(error.value.errors) == {"accessibility_notes"}


def test_another_departments_organiser_cannot_state_access(open_event, other_department):
    from tests import factories

    stranger = factories.make_user("o2@example.gov.cn", role="organiser", department=other_department)
    with pytest.raises(NotAllowed):
        organiser_services.update_accessibility(open_event, {"hearing_loop": True}, actor=stranger, now=utcnow())
