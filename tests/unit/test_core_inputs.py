"""What any stored input must be (core.inputs), and the form bases that apply it to every field."""

import re

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, StringField, TextAreaField

from engage.core.converters import digits_up_to
from engage.core.forms import Form
from engage.core.inputs import DB_INT_MAX, DB_INT_MIN, has_refused_characters, is_db_integer


@pytest.mark.parametrize(("text", "multiline", "refused"), [
    ("一行字", False, False), ("a\tb", False, True), ("a\nb", False, True), ("a\tb\r\nc", True, False),
    ("a\x00b", True, True), ("a\x0bb", True, True), ("a\x7fb", True, True), ("a\x9fb", True, True),
    ("a\ud800b", True, True), ("a\u00a0b", False, False),
])
def test_which_characters_are_refused(text, multiline, refused):
    assert has_refused_characters(text, multiline=multiline) is refused


@pytest.mark.parametrize(("number", "held"), [(DB_INT_MAX, True), (DB_INT_MAX + 1, False), (DB_INT_MIN, True),
                                              (DB_INT_MIN - 1, False)])
def test_the_database_integer_range(number, held):
    assert is_db_integer(number) is held


class _Example(Form):
    title = StringField()
    body = TextAreaField()
    seats = IntegerField()


@pytest.mark.parametrize(("data", "field"), [
    ({"title": "a\tb"}, "title"), ({"body": "a\x00b"}, "body"), ({"seats": str(DB_INT_MAX + 1)}, "seats"),
])
def test_every_field_of_a_form_gets_the_checks(data, field):
    form = _Example(MultiDict(data))
    assert not form.validate() and list(form.errors) == [field]


def test_a_refused_text_is_shown_again_without_the_characters():
    form = _Example(MultiDict({"body": "a\x00b\nc"}))
    form.validate()
    assert form.body.data == "ab\nc"


def test_an_ordinary_form_validates():
    assert _Example(MultiDict({"title": "标题", "body": "一\n\t二", "seats": "30"})).validate()


@pytest.mark.parametrize("bound", [0, 7, 10, 100, 2026, DB_INT_MAX])
def test_the_path_number_pattern_takes_exactly_the_numbers_up_to_its_bound(bound):
    pattern = re.compile(digits_up_to(bound))
    around = {0, 1, 9, 10, 99, 100, 101, bound - 1, bound, bound + 1, bound * 10, int("9" * len(str(bound)))}
    for number in sorted(n for n in around if n >= 0):
        assert (pattern.fullmatch(str(number)) is not None) == (number <= bound), number
