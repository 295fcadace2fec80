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
