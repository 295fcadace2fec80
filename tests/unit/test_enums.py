"""The labelled string enum: the value stays the stored string, the label travels with the member."""

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select

from engage.core.columns import str_enum
from engage.core.enums import LabelledStrEnum


class Colour(LabelledStrEnum):
    RED = "red", _l("Red")
    DEEP_BLUE = "deep_blue", _l("Deep blue")


def test_a_member_is_its_string_and_carries_its_label():
    assert Colour.RED == "red" and str(Colour.RED) == "red" and Colour.RED.value == "red"
    assert Colour("deep_blue") is Colour.DEEP_BLUE
    assert str(Colour.DEEP_BLUE.label) == "Deep blue"


def test_choices_list_every_member_in_order():
    assert [(value, str(label)) for value, label in Colour.choices()] == [("red", "Red"), ("deep_blue", "Deep blue")]


@pytest.mark.parametrize(("value", "shown"), [(Colour.RED, "Red"), ("deep_blue", "Deep blue"), ("green", "green")])
def test_label_of_reads_members_and_strings_and_shows_an_unknown_value_as_it_is(value, shown):
    assert Colour.label_of(value) == shown


def test_the_label_is_translated_when_read(app):
    from engage.consultations.models import CommentStatus

    with app.test_request_context(), force_locale("zh"):
        assert str(CommentStatus.PENDING.label) != "Awaiting review"


def test_a_str_enum_column_stores_the_value_alone():
    table = Table("paints", MetaData(), Column("colour", str_enum(Colour, "colour")), Column("note", String(10)))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), [{"colour": Colour.DEEP_BLUE, "note": "a"}])
        raw = connection.exec_driver_sql("SELECT colour FROM paints").scalar_one()
        loaded = connection.execute(select(table.c.colour)).scalar_one()
    assert raw == "deep_blue" and loaded is Colour.DEEP_BLUE
