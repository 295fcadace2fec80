"""GET /api/v1/regions (the tree) and the ``region`` filter of the public list endpoints."""

from tests import factories
from tests.fixtures.events import make_campaign, make_event
from tests.fixtures.proposals import assign_case, make_case


def test_the_tree_lists_parents_before_children_with_their_portal(client, city):
    answer = client.get("/api/v1/regions")
    assert answer.status_code == 200
    items = answer.get_json()["items"]
    slugs = [item["slug"] for item in items]
    assert slugs.index("linjiang") < slugs.index("jiangdong") < slugs.index("jiangdong-jd")
    street = next(item for item in items if item["slug"] == "jiangdong-jd")
    assert street["parent"] == "jiangdong" and street["depth"] == 2 and street["level"] == "street"
    assert street["url"].endswith("/regions/jiangdong-jd/")
    assert next(item for item in items if item["slug"] == "linjiang")["parent"] is None


def test_an_inactive_region_and_everything_below_leave_the_tree(client, city):
    from engage.extensions import db

    city.east.is_active = False
    db.session.commit()
    slugs = {item["slug"] for item in client.get("/api/v1/regions").get_json()["items"]}
    assert slugs == {"linjiang", "jiangxi"}


def test_the_consultation_list_filters_by_region_with_its_descendants(client, city):
    street_staff = factories.make_user("street@example.gov.cn", department=city.street_department)
    factories.make_consultation(city.street_department, street_staff, title="街道征求意见稿")
    factories.make_consultation(city.west_department, city.west_staff, title="江西征求意见稿")
    titles = {c["title"] for c in client.get("/api/v1/consultations?region=jiangdong").get_json()["items"]}
    assert titles == {"街道征求意见稿"}


def test_events_and_campaigns_filter_by_region(client, city):
    east = make_event(make_campaign("江东开放月"), city.east_department, title="江东开放日")
    make_event(make_campaign("江西开放月"), city.west_department, title="江西开放日")
    events = client.get("/api/v1/events?region=jiangdong").get_json()["items"]
    assert [e["id"] for e in events] == [east.id]
    campaigns = client.get("/api/v1/campaigns?region=jiangdong").get_json()["items"]
    assert [c["title"] for c in campaigns] == ["江东开放月"]


def test_proposals_filter_by_the_region_of_their_session(client, city):
    assign_case(make_case(number="1", actor=city.east_supervisor, session="江东区人大会议", title="江东建议"),
                [city.east_department], actor=city.east_supervisor)
    make_case(number="1", actor=city.city_supervisor, session="临江市人大会议", title="市级建议")
    east = {c["title"] for c in client.get("/api/v1/proposals?region=jiangdong").get_json()["items"]}
    assert east == {"江东建议"}
    whole = {c["title"] for c in client.get("/api/v1/proposals?region=linjiang").get_json()["items"]}
    assert whole == {"江东建议", "市级建议"}


def test_an_unknown_region_is_a_422_on_the_region_field(client, city):
    for path in ("/api/v1/consultations", "/api/v1/events", "/api/v1/campaigns", "/api/v1/proposals"):
        answer = client.get(f"{path}?region=nowhere")
        assert answer.status_code == 422, path
        assert "没有这个简称的地区" in str(answer.get_json()), path
