"""Public region pages and the region filter of the public lists; the region administration."""

import pytest

from engage.extensions import db
from engage.regions.models import Region
from tests import factories
from tests.fixtures.events import make_campaign, make_event
from tests.fixtures.proposals import assign_case, make_case, reply_to


@pytest.fixture
def filled_city(city):
    """A consultation, an event and a replied case at each of the city, 江东区 and 江西区."""
    for name, department, staff, supervisor in (
            ("city", city.city_department, city.city_staff, city.city_supervisor),
            ("east", city.east_department, city.east_staff, city.east_supervisor),
            ("west", city.west_department, city.west_staff, city.west_supervisor)):
        factories.make_consultation(department, staff, title=f"{name}征求意见稿")
        make_event(make_campaign(f"{name}开放月"), department, title=f"{name}开放日")
        case = assign_case(make_case(number="1", actor=supervisor, session=f"{name}人大会议", title=f"{name}建议"),
                           [department], actor=supervisor)
        reply_to(case, staff)
    return city


def _text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "label"), [
    ("/consultations/", "征求意见稿"), ("/events/", "开放月"), ("/proposals/", "建议"),
])
def test_a_public_list_filters_by_region_with_its_descendants(client, filled_city, url, label):
    east = _text(client, f"{url}?region=jiangdong")
    assert f"east{label}" in east and f"west{label}" not in east and f"city{label}" not in east
    city = _text(client, f"{url}?region=linjiang")
    assert all(f"{name}{label}" in city for name in ("city", "east", "west"))


def test_a_list_without_a_region_shows_every_region(client, filled_city):
    page = _text(client, "/consultations/")
    assert all(f"{name}征求意见稿" in page for name in ("city", "east", "west"))


def test_an_unknown_region_is_a_clear_404(client, filled_city):
    response = client.get("/consultations/?region=nowhere")
    assert response.status_code == 404
    assert "没有这个简称的地区" in response.get_data(as_text=True)


def test_the_portal_shows_its_path_what_is_open_and_rolled_up_figures(client, filled_city):
    page = _text(client, "/regions/jiangdong-jd/")
    assert 'aria-current="page">江东街道' in page
    assert 'href="/regions/linjiang/"' in page and 'href="/regions/jiangdong/"' in page
    city = _text(client, "/regions/linjiang/")
    assert "east征求意见稿" in city and "west开放日" in city and "west建议" in city
    east = _text(client, "/regions/jiangdong/")
    assert "west征求意见稿" not in east and "west建议" not in east and "east建议" in east


def test_the_portal_figures_roll_each_district_up(app, filled_city):
    from engage.core.timeutil import china_date, utcnow
    from engage.regions import figures

    now = utcnow()
    rolled = figures.roll_up(filled_city.city, china_date(now), now)
    by_slug = {row.region.slug: row for row in rolled.rows}
    assert by_slug["linjiang"].own_level and by_slug["linjiang"].cases == 1
    assert by_slug["jiangdong"].cases == 1 and by_slug["jiangdong"].consultations == 1
    assert by_slug["jiangxi"].replied == 1
    assert rolled.total.cases == 3 and rolled.total.consultations == 3 and rolled.total.open_consultations == 3


def test_the_portal_is_public_and_cacheable(client, filled_city):
    response = client.get("/regions/linjiang/")
    assert "public" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_an_inactive_region_has_no_portal(client, filled_city):
    filled_city.west.is_active = False
    db.session.commit()
    assert client.get("/regions/jiangxi/").status_code == 404
    assert "jiangxi" not in _text(client, "/regions/")


def test_the_portal_speaks_english_on_request(en_client, filled_city):
    page = en_client.get("/regions/jiangdong/").get_data(as_text=True)
    assert "Jiangdong" in page and "Regions below" in page


# ---- administration ----------------------------------------------------------------------------------------


def test_a_district_administrator_sees_only_its_subtree(client, auth, city):
    auth.login(city.east_admin.email)
    page = _text(client, "/admin/regions/")
    assert "江东街道" in page and "江西区" not in page and "临江市" not in page
    assert client.get(f"/admin/regions/{city.west.id}").status_code == 403


def test_a_district_administrator_adds_a_street_under_its_district(client, auth, city):
    auth.login(city.east_admin.email)
    response = client.post("/admin/regions/new", data={"name": "江东二街道", "slug": "jd-two", "level": "street",
                                                       "parent": str(city.east.id), "is_active": "y"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Region).where(Region.slug == "jd-two")).parent_id == city.east.id


def test_moving_a_region_under_its_own_descendant_is_refused_on_the_page(client, auth, city):
    auth.login("root-admin@example.gov.cn")
    response = client.post(f"/admin/regions/{city.east.id}", data={
        "name": "江东区", "slug": "jiangdong", "level": "district", "parent": str(city.street.id), "is_active": "y"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Region, city.east.id).parent_id == city.city.id


def test_a_region_holding_records_offers_no_delete_and_refuses_one(client, auth, city):
    auth.login("root-admin@example.gov.cn")
    assert "删除此地区" not in _text(client, f"/admin/regions/{city.west.id}")
    response = client.post(f"/admin/regions/{city.west.id}/delete")
    assert response.status_code == 302
    assert db.session.get(Region, city.west.id) is not None


def test_a_department_staff_member_has_no_region_administration(client, auth, city):
    auth.login(city.east_staff.email)
    assert client.get("/admin/regions/").status_code == 403


def test_a_district_administrator_adds_a_department_to_its_street(client, auth, city):
    from engage.accounts.models import Department

    auth.login(city.east_admin.email)
    response = client.post(f"/admin/regions/{city.street.id}/departments/new", data={"name": "江东街道社区服务中心"})
    assert response.status_code == 302
    department = db.session.scalar(db.select(Department).where(Department.name == "江东街道社区服务中心"))
    assert department.region.id == city.street.id


def test_a_district_administrator_adds_no_department_to_its_sibling(client, auth, city):
    from engage.accounts.models import Department

    auth.login(city.east_admin.email)
    response = client.post(f"/admin/regions/{city.west.id}/departments/new", data={"name": "越界的部门"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(Department).where(Department.name == "越界的部门")) is None


def test_a_taken_department_name_is_refused_in_chinese(client, auth, city):
    auth.login(city.east_admin.email)
    response = client.post(f"/admin/regions/{city.east.id}/departments/new", data={"name": "江西区教育局"})
    assert response.status_code == 422
    assert "已存在" in response.get_data(as_text=True)


def test_a_district_administrator_creates_staff_of_its_department(client, auth, city):
    from engage.accounts.models import User

    auth.login(city.east_admin.email)
    response = client.post(f"/admin/regions/{city.east.id}/accounts", data={
        "email": "new-east@example.gov.cn", "name": "新同事", "role": "department_staff",
        "department": str(city.east_department.id), "password": factories.PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "new-east@example.gov.cn"))
    assert user.department_id == city.east_department.id and user.scope_region is None


def test_a_district_administrator_creates_a_supervisor_scoped_to_its_street(client, auth, city):
    from engage.accounts.models import User

    auth.login(city.east_admin.email)
    response = client.post(f"/admin/regions/{city.street.id}/accounts", data={
        "email": "street-office@example.gov.cn", "name": "街道督办", "role": "supervisor", "department": "",
        "password": factories.PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "street-office@example.gov.cn"))
    assert user.scope_region.id == city.street.id


@pytest.mark.parametrize(("region", "department", "status"), [
    ("west", "west_department", 403),   # a sibling district
    ("east", "west_department", 422),   # its district, another district's department
])
def test_a_district_administrator_creates_no_account_outside_its_district(client, auth, city, region, department,
                                                                         status):
    from engage.accounts.models import User

    auth.login(city.east_admin.email)
    response = client.post(f"/admin/regions/{getattr(city, region).id}/accounts", data={
        "email": "outside@example.gov.cn", "name": "越界", "role": "department_staff",
        "department": str(getattr(city, department).id), "password": factories.PASSWORD})
    assert response.status_code == status
    assert db.session.scalar(db.select(User).where(User.email == "outside@example.gov.cn")) is None


@pytest.mark.parametrize("who", ["city_admin", "east_admin", "east_supervisor"])
def test_every_link_of_a_scoped_account_s_navigation_opens(client, auth, city, who):
    import re

    auth.login(getattr(city, who).email)
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    links = [link for link in re.findall(r'href="(/[^"]*)"', header) if link.startswith(("/staff", "/admin",
                                                                                          "/inspection"))]
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link
