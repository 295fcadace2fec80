"""A page of results, the same for pages and the API."""

import math
from dataclasses import dataclass
from typing import Any


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session, statement, page: int, per_page: int, total: int | None = None) -> Page:
    """Run ``statement`` for one page. Pass ``total`` when it is already known, to spare a COUNT."""
    page = max(1, page)
    if total is None:
        from sqlalchemy import func, select

        total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)


@dataclass
class CursorPage:
    """A page found by the key of its neighbour (keyset paging): page 20,000 costs what the first does.

    ``next_cursor`` continues the list past the last item, ``prev_cursor`` goes back before the first; each is None
    at that end of the list. ``total`` is the whole list's size where it is known without counting; with
    ``total_capped`` the list has more than ``total`` items (counting was stopped there).
    """

    items: list[Any]
    per_page: int
    total: int | None
    next_cursor: int | None
    prev_cursor: int | None
    total_capped: bool = False

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None


def cursor_page(session, statement, key, *, per_page: int, descending: bool = False, after: int | None = None,
                before: int | None = None, total: int | None = None, total_capped: bool = False,
                key_attribute: str | None = None) -> CursorPage:
    """One page of ``statement`` ordered by the unique integer column ``key``.

    ``after`` is a ``next_cursor`` (the items that follow it in the list's order), ``before`` a ``prev_cursor``
    (the items just ahead of it); with neither, the first page. One query of ``per_page + 1`` rows each time,
    whatever the depth, on an index that starts with the filtered columns and ends with ``key``.
    ``key_attribute`` names the items' attribute holding the key when ``key`` is another table's column equal to it
    (a full-text index's rowid).
    """
    attribute = key_attribute or key.key
    forward = key.desc() if descending else key.asc()
    backward = key.asc() if descending else key.desc()

    def follows(cursor):
        return key < cursor if descending else key > cursor

    def precedes(cursor):
        return key > cursor if descending else key < cursor

    if before is not None:
        rows = list(session.scalars(statement.where(precedes(before)).order_by(None).order_by(backward)
                                    .limit(per_page + 1)))
        more_ahead = len(rows) > per_page
        items = rows[:per_page][::-1]
        return CursorPage(items=items, per_page=per_page, total=total, total_capped=total_capped,
                          next_cursor=getattr(items[-1], attribute) if items else None,
                          prev_cursor=getattr(items[0], attribute) if more_ahead else None)
    if after is not None:
        statement = statement.where(follows(after))
    rows = list(session.scalars(statement.order_by(None).order_by(forward).limit(per_page + 1)))
    items = rows[:per_page]
    return CursorPage(items=items, per_page=per_page, total=total, total_capped=total_capped,
                      next_cursor=getattr(items[-1], attribute) if len(rows) > per_page else None,
                      prev_cursor=getattr(items[0], attribute) if after is not None and items else None)


def cursors_from(args) -> dict:
    """``after`` or ``before`` from a page's query arguments; a cursor that is not a positive number is ignored
    (the list starts from the top), as page links are often cut or edited by hand."""
    from engage.core.inputs import DB_INT_MAX

    return {key: value for key in ("after", "before")
            if (value := args.get(key, type=int)) is not None and 0 < value <= DB_INT_MAX}
