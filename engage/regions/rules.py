"""Rules of the region tree, on materialised paths: no Flask, no database.

A region's path is the ids from the root down to it, each closed by a slash: ``/1/4/17/``. A region is within
another when its path starts with the other's, so "this region and everything below" is one prefix test (and one
indexed ``LIKE 'prefix%'`` in SQL), and moving a subtree rewrites the prefix of the paths under it.
"""

import re

from flask_babel import lazy_gettext as _l

#: a short slug: lower-case letters, digits and hyphens, starting with a letter (it becomes /regions/<slug>/)
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
SLUG_HELP = _l("Use 1 to 40 lower-case letters, digits or hyphens, starting with a letter.")


def path_for(parent_path: str | None, region_id: int) -> str:
    """The path of region ``region_id`` under a parent with ``parent_path`` (None: a root)."""
    return f"{parent_path or '/'}{region_id}/"


def is_within(path: str, ancestor_path: str) -> bool:
    """Whether the region at ``path`` is the region at ``ancestor_path`` or lies below it."""
    return path.startswith(ancestor_path)


def is_strictly_below(path: str, ancestor_path: str) -> bool:
    return path != ancestor_path and is_within(path, ancestor_path)


def depth_of(path: str) -> int:
    """0 for a root, 1 for its children, and so on."""
    return path.strip("/").count("/")


def ids_on_path(path: str) -> list[int]:
    """The ids of the region's ancestors and itself, root first (for breadcrumbs)."""
    return [int(part) for part in path.strip("/").split("/") if part]


def may_move_under(path: str, new_parent_path: str | None) -> bool:
    """A region may become a root, or go under any region that is neither itself nor below it."""
    return new_parent_path is None or not is_within(new_parent_path, path)


def moved_path(old_path: str, old_prefix: str, new_prefix: str) -> str:
    """The path of a region of a moved subtree: the moved region's old prefix replaced by its new one."""
    if not old_path.startswith(old_prefix):
        raise ValueError(f"{old_path!r} is not under {old_prefix!r}")
    return new_prefix + old_path[len(old_prefix):]


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_PATTERN.match(slug))
