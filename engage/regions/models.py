"""The region tree and the links that place departments, scoped staff and proposal sessions in it.

The links are tables of their own rather than columns on ``departments``, ``users`` and ``proposal_sessions``:
SQLite cannot drop a column that carries a foreign key, so a column would make the migration's downgrade rebuild
tables that many others refer to; and the users table stays as it was for the other work under way on sign-in.
Each link's first column is its primary key, so a department (a user, a session) is in at most one region.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import Department, User
from engage.core.columns import str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db
from engage.proposals.models import ProposalSession


class RegionLevel(LabelledStrEnum):
    """What a region is; the tree may be of any depth, the level only names it."""

    PROVINCE = "province", _l("Province")
    CITY = "city", _l("City")
    DISTRICT = "district", _l("District or county")
    STREET = "street", _l("Town or street")
    COMMUNITY = "community", _l("Community or village")


class Region(db.Model):
    """One region of the tree (市 / 区县 / 乡镇街道)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    #: short name in addresses: /regions/<slug>/ and ?region=<slug>
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: name shown in the English interface; the Chinese name is used when empty
    name_en: Mapped[str] = mapped_column(String(150), default="", server_default="")
    level: Mapped[RegionLevel] = mapped_column(str_enum(RegionLevel, "region_level"))
    #: ids from the root down to this region, slash-closed ("/1/4/17/"): descendants are a prefix match
    path: Mapped[str] = mapped_column(String(400), unique=True)
    #: an inactive region takes no new departments and leaves the public lists; its records stay
    is_active: Mapped[bool] = mapped_column(default=True, server_default="1")

    parent: Mapped["Region | None"] = relationship(remote_side=[id])

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    def __repr__(self):
        return f"<Region {self.id} {self.slug} {self.path}>"


department_regions = Table(
    "department_regions", db.metadata,
    Column("department_id", Integer, ForeignKey("departments.id"), primary_key=True),
    Column("region_id", Integer, ForeignKey("regions.id"), nullable=False, index=True),
)

#: the region an administrator or supervisor is scoped to; one without a row acts for the whole installation
user_regions = Table(
    "user_regions", db.metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("region_id", Integer, ForeignKey("regions.id"), nullable=False, index=True),
)

#: the level whose 人大 or 政协 holds a session: its cases go to units of that region or below
session_regions = Table(
    "proposal_session_regions", db.metadata,
    Column("session_id", Integer, ForeignKey("proposal_sessions.id"), primary_key=True),
    Column("region_id", Integer, ForeignKey("regions.id"), nullable=False, index=True),
)

# Defined here, on the other domains' models, so that accounts and proposals need not know regions exist.
Department.region = relationship(Region, secondary=department_regions, uselist=False, lazy="joined")
User.scope_region = relationship(Region, secondary=user_regions, uselist=False, lazy="joined")
ProposalSession.region = relationship(Region, secondary=session_regions, uselist=False, lazy="joined")
