"""Building and changing the region tree, and placing departments and staff in it."""

import pytest
from sqlalchemy import select

from engage.accounts.models import Department
from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.proposals.models import ProposalSession
from engage.regions import services as regions
from engage.regions.models import Region
from tests import factories
from tests.fixtures.regions import _installation_admin, make_region


def _paths():
    db.session.expire_all()
    return {region.slug: region.path for region in db.session.scalars(select(Region))}


def test_a_new_region_gets_the_path_of_its_parent_and_its_own_id(city):
    assert city.street.path == f"/{city.city.id}/{city.east.id}/{city.street.id}/"


def test_departments_under_a_region_include_every_level_below(city):
    east = set(db.session.scalars(regions.departments_under(city.east)))
    assert east == {city.east_department.id, city.street_department.id}
    everything = set(db.session.scalars(regions.departments_under(city.city)))
    assert everything == {d.id for d in (city.city_department, city.east_department, city.west_department,
                                         city.street_department)}


def test_a_region_whose_id_starts_like_another_is_not_below_it(app):
    """Paths close each id with a slash, so region 1's prefix never takes in region 12."""
    regions_made = [make_region(f"区{i}", f"r{i}", "district") for i in range(12)]
    first, twelfth = regions_made[0], regions_made[11]
    assert str(twelfth.id).startswith(str(first.id))
    place_in = factories.make_department("十二区局")
    regions.place_department(place_in, twelfth, actor=_installation_admin(), now=utcnow())
    assert list(db.session.scalars(regions.departments_under(first))) == []


def test_moving_a_region_moves_its_whole_subtree(city):
    regions.move_region(city.east, city.west, actor=_installation_admin(), now=utcnow())
    db.session.commit()
    paths = _paths()
    assert paths["jiangdong"] == f"/{city.city.id}/{city.west.id}/{city.east.id}/"
    assert paths["jiangdong-jd"] == f"/{city.city.id}/{city.west.id}/{city.east.id}/{city.street.id}/"
    assert city.street_department.id in set(db.session.scalars(regions.departments_under(city.west)))


@pytest.mark.parametrize("target", ["east", "street"])
def test_a_region_never_moves_under_itself_or_its_descendant(city, target):
    before = _paths()
    with pytest.raises(ValidationFailed) as refused:
        regions.move_region(city.east, getattr(city, target), actor=_installation_admin(), now=utcnow())
    assert "parent" in refused.value.errors
    db.session.rollback()
    assert _paths() == before


def test_a_slug_is_unique_and_well_formed(city):
    with pytest.raises(ValidationFailed) as taken:
        regions.create_region(name="又一个", slug="jiangdong", level="district", parent=city.city,
                              actor=_installation_admin(), now=utcnow())
    assert "slug" in taken.value.errors
    with pytest.raises(ValidationFailed) as malformed:
        regions.create_region(name="又一个", slug="Jiang Dong", level="district", parent=city.city,
                              actor=_installation_admin(), now=utcnow())
    assert "slug" in malformed.value.errors


def test_an_unknown_level_is_refused(city):
    with pytest.raises(ValidationFailed) as refused:
        regions.create_region(name="某地", slug="moudi", level="planet", parent=city.city,
                              actor=_installation_admin(), now=utcnow())
    assert "level" in refused.value.errors


def test_renaming_keeps_the_place_in_the_tree(city):
    regions.update_region(city.east, name="江东新区", name_en="Jiangdong New Area", slug="jiangdong-new",
                          level="district", actor=_installation_admin(), now=utcnow())
    db.session.commit()
    assert _paths()["jiangdong-new"] == f"/{city.city.id}/{city.east.id}/"


def test_a_region_that_holds_records_is_never_deleted(city):
    for region in (city.city, city.east, city.west):  # sub-regions, departments, scoped staff
        with pytest.raises(regions.RegionHoldsRecords):
            regions.delete_region(region, actor=_installation_admin(), now=utcnow())
    assert db.session.get(Region, city.west.id) is not None


def test_a_region_holding_a_session_is_never_deleted(app):
    empty = make_region("空区", "kongqu", "district")
    session = ProposalSession(name="第一届人大第一次会议", created_at=utcnow())
    db.session.add(session)
    db.session.flush()
    session.region = empty
    db.session.flush()
    with pytest.raises(regions.RegionHoldsRecords):
        regions.delete_region(empty, actor=_installation_admin(), now=utcnow())


def test_an_empty_region_made_by_mistake_can_be_deleted(city):
    mistake = make_region("错建的", "mistake", "street", city.west)
    regions.delete_region(mistake, actor=_installation_admin(), now=utcnow())
    db.session.commit()
    assert regions.find_by_slug("mistake", active_only=False) is None


def test_a_deactivated_region_keeps_its_departments_and_leaves_public_lookups(city):
    regions.set_active(city.west, False, actor=_installation_admin(), now=utcnow())
    db.session.commit()
    assert regions.find_by_slug("jiangxi") is None
    assert db.session.get(Department, city.west_department.id).region.slug == "jiangxi"


def test_a_deactivated_region_takes_no_new_department(city):
    regions.set_active(city.west, False, actor=_installation_admin(), now=utcnow())
    with pytest.raises(ValidationFailed):
        regions.place_department(factories.make_department("新局"), city.west, actor=_installation_admin(),
                                 now=utcnow())


def test_a_district_administrator_manages_only_below_its_district(city):
    regions.create_region(name="江东二街道", slug="jd2", level="street", parent=city.east, actor=city.east_admin,
                          now=utcnow())
    with pytest.raises(NotAllowed):  # its sibling
        regions.create_region(name="江西街道", slug="jx1", level="street", parent=city.west, actor=city.east_admin,
                              now=utcnow())
    with pytest.raises(NotAllowed):  # its own district: moved or closed only from above
        regions.set_active(city.east, False, actor=city.east_admin, now=utcnow())
    with pytest.raises(NotAllowed):  # a new root
        regions.create_region(name="别市", slug="bieshi", level="city", parent=None, actor=city.city_admin,
                              now=utcnow())


def test_a_district_administrator_cannot_move_its_street_out_of_its_district(city):
    with pytest.raises(NotAllowed):
        regions.move_region(city.street, city.west, actor=city.east_admin, now=utcnow())


def test_a_city_administrator_moves_regions_inside_its_city(city):
    regions.move_region(city.street, city.west, actor=city.city_admin, now=utcnow())
    assert city.street.path.startswith(city.west.path)


def test_a_scoped_administrator_cannot_place_a_sibling_department(city):
    with pytest.raises(NotAllowed):
        regions.place_department(city.west_department, city.east, actor=city.east_admin, now=utcnow())


def test_a_scoped_administrator_cannot_widen_anyone_past_its_own_scope(city):
    with pytest.raises(NotAllowed):
        regions.scope_user(city.east_supervisor, city.city, actor=city.east_admin, now=utcnow())
    with pytest.raises(NotAllowed):
        regions.scope_user(city.west_supervisor, city.street, actor=city.east_admin, now=utcnow())
    regions.scope_user(city.east_supervisor, city.street, actor=city.east_admin, now=utcnow())
    assert city.east_supervisor.scope_region.slug == "jiangdong-jd"


def test_the_tree_lists_parents_before_children(city):
    slugs = [region.slug for region in regions.list_tree()]
    assert slugs.index("linjiang") < slugs.index("jiangdong") < slugs.index("jiangdong-jd")
    assert slugs.index("linjiang") < slugs.index("jiangxi")


def test_ancestors_go_from_the_root_down(city):
    assert [region.slug for region in regions.ancestors_of(city.street)] == ["linjiang", "jiangdong", "jiangdong-jd"]
