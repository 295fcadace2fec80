"""The region tree's rules, on materialised paths."""

import pytest

from engage.regions import rules


def test_a_root_path_holds_its_own_id():
    assert rules.path_for(None, 7) == "/7/"


def test_a_child_path_extends_its_parent():
    assert rules.path_for("/1/4/", 17) == "/1/4/17/"


@pytest.mark.parametrize(("path", "ancestor", "within"), [
    ("/1/4/17/", "/1/", True),
    ("/1/4/17/", "/1/4/17/", True),
    ("/1/4/", "/1/4/17/", False),
    ("/1/41/", "/1/4/", False),  # the closing slash keeps 41 from passing for a child of 4
    ("/2/", "/1/", False),
    ("/1/4/", "", True),  # the installation-wide scope
])
def test_is_within(path, ancestor, within):
    assert rules.is_within(path, ancestor) is within


def test_a_region_is_not_strictly_below_itself():
    assert not rules.is_strictly_below("/1/4/", "/1/4/")
    assert rules.is_strictly_below("/1/4/9/", "/1/4/")


@pytest.mark.parametrize(("path", "new_parent", "allowed"), [
    ("/1/4/", "/1/5/", True),     # to a sibling
    ("/1/4/", None, True),        # to be a root
    ("/1/4/", "/1/4/", False),    # under itself
    ("/1/4/", "/1/4/9/", False),  # under its own child
    ("/1/4/", "/1/4/9/12/", False),  # under a deeper descendant
    ("/1/4/", "/1/", True),       # where it already is
    ("/1/4/", "/1/41/", True),    # a region whose id only starts the same
])
def test_may_move_under(path, new_parent, allowed):
    assert rules.may_move_under(path, new_parent) is allowed


def test_moved_path_swaps_the_prefix():
    assert rules.moved_path("/1/4/9/12/", "/1/4/", "/2/4/") == "/2/4/9/12/"


def test_moved_path_refuses_a_path_outside_the_subtree():
    with pytest.raises(ValueError):
        rules.moved_path("/1/5/", "/1/4/", "/2/4/")


@pytest.mark.parametrize(("path", "depth"), [("/1/", 0), ("/1/4/", 1), ("/1/4/9/", 2)])
def test_depth_of(path, depth):
    assert rules.depth_of(path) == depth


def test_ids_on_path_go_from_the_root_down():
    assert rules.ids_on_path("/1/4/9/") == [1, 4, 9]


@pytest.mark.parametrize(("slug", "valid"), [
    ("linjiang", True), ("jiangdong-jd", True), ("d1", True), ("a" * 40, True),
    ("", False), ("1st", False), ("Linjiang", False), ("临江", False), ("a b", False), ("a" * 41, False),
    ("a/b", False),
])
def test_is_valid_slug(slug, valid):
    assert rules.is_valid_slug(slug) is valid
