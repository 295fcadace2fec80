"""The import validator: a table of bad rows, each reported with its line number and reason."""

import io
from datetime import date

import openpyxl
import pytest
from flask import Flask
from flask_babel import Babel

from engage.proposals.importing.rows import (
    Lookups,
    UnreadableFile,
    check_rows,
    parse_date,
    problem_text,
    read_table,
    split_names,
)

HEADER = "编号,标题,领衔人,附议人,主办单位,协办单位,交办日期\n"
GOOD = "0001,关于加装电梯的建议,张明,李华、王芳,市住建局,市财政局,2026-03-01\n"
LOOKUPS = Lookups(units={"市住建局": 1, "市财政局": 2, "Transport Bureau": 3}, taken_numbers={"0099"},
                  today=date(2026, 3, 10))


@pytest.fixture(autouse=True)
def babel_context():
    """Messages are lazily translated: reading them needs an app context (English, as msgids are)."""
    app = Flask(__name__)
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    Babel(app)
    with app.app_context():
        yield


def check(text: str):
    table = read_table((HEADER + text).encode("utf-8"), "list.csv")
    return check_rows(table, LOOKUPS)


def test_a_good_row_gives_a_case_with_proposers_units_and_date():
    rows, errors = check(GOOD)
    assert errors == []
    (row,) = rows
    assert (row.line, row.number, row.lead_unit_ids, row.co_unit_ids) == (2, "0001", [1], [2])
    assert [p["name"] for p in row.proposers] == ["张明", "李华", "王芳"]
    assert row.assigned_on == date(2026, 3, 1)


BAD_ROWS = [
    (",关于加装电梯的建议,张明,,市住建局,,2026-03-01", "number", "missing"),
    ("0002,,张明,,市住建局,,2026-03-01", "title", "title is missing"),
    ("0002,关于加装电梯的建议,,,市住建局,,2026-03-01", "lead_proposer", "lead proposer is missing"),
    ("0002,关于加装电梯的建议,张明,,市园林局,,2026-03-01", "lead_units", "Unknown unit “市园林局”"),
    ("0002,关于加装电梯的建议,张明,,市住建局,市园林局,2026-03-01", "co_units", "Unknown unit"),
    ("0002,关于加装电梯的建议,张明,,市住建局,市住建局,2026-03-01", "co_units", "lead unit and co-unit"),
    ("0002,关于加装电梯的建议,张明,,,市财政局,2026-03-01", "lead_units", "no lead unit"),
    ("0002,关于加装电梯的建议,张明,,市住建局,,2026-02-30", "assigned_on", "not a date"),
    ("0002,关于加装电梯的建议,张明,,市住建局,,下周一", "assigned_on", "not a date"),
    ("0002,关于加装电梯的建议,张明,,市住建局,,2026-04-01", "assigned_on", "in the future"),
    ("0002,关于加装电梯的建议,张明,,,,2026-03-01", "assigned_on", "no lead unit"),
    ("0099,关于加装电梯的建议,张明,,市住建局,,2026-03-01", "number", "already registered in this session"),
    ("0" * 31 + ",关于加装电梯的建议,张明,,市住建局,,2026-03-01", "number", "longer than 30"),
    ("0002," + "长" * 301 + ",张明,,市住建局,,2026-03-01", "title", "longer than 300"),
]


@pytest.mark.parametrize(("bad_row", "field", "reason"), BAD_ROWS)
def test_a_bad_row_is_reported_with_its_line_number_and_reason(bad_row, field, reason):
    rows, errors = check(GOOD + bad_row + "\n")
    assert [row.line for row in rows] == [2]
    assert [(e.line, e.field) for e in errors] == [(3, field)]
    assert reason in errors[0].text


def test_a_number_twice_in_the_file_names_the_first_row():
    rows, errors = check(GOOD + "\n" + GOOD)  # a blank row between: skipped but counted
    assert [(e.line, e.field) for e in errors] == [(4, "number")]
    assert "first in row 2" in errors[0].text


def test_a_problem_is_stored_as_its_message_id_and_parameters():
    _rows, errors = check(GOOD + GOOD)
    assert errors[0].as_dict() == {
        "line": 3, "field": "number", "message": "Number %(number)s appears twice in the file (first in row %(line)d).",
        "params": {"number": "0001", "line": 2},
    }


def test_an_unreadable_file_keeps_its_message_id_and_parameters():
    with pytest.raises(UnreadableFile) as problem:
        read_table("标题,领衔人\n标题,张明\n".encode(), "list.csv")
    assert problem.value.message == "The first row must name the columns; missing: %(names)s."
    assert problem.value.params == {"names": "编号"}


@pytest.mark.parametrize("stored", [
    {"line": 2, "field": "title", "message": "缺少标题。"},
    {"line": 2, "field": "number", "message": "编号 50% 重复", "params": {}},
])
def test_a_problem_stored_as_translated_text_shows_as_stored(stored):
    assert problem_text(stored) == stored["message"]


def test_a_problem_whose_parameters_no_longer_fit_shows_its_message_id():
    stored = {"line": 2, "field": "number", "message": "Number %(number)s is already registered in this session.",
              "params": {"other": "x"}}
    assert problem_text(stored) == stored["message"]


def test_every_problem_of_every_row_is_reported():
    _rows, errors = check(",,,,市园林局,,昨天\n,,张明,,,,\n")
    assert {(e.line, e.field) for e in errors} == {
        (2, "number"), (2, "title"), (2, "lead_proposer"), (2, "lead_units"), (2, "assigned_on"),
        (3, "number"), (3, "title"),
    }


def test_units_may_be_named_in_english_and_separated_in_several_ways():
    rows, errors = check("0003,标题,张明,,Transport Bureau；市住建局,,\n")
    assert errors == [] and rows[0].lead_unit_ids == [3, 1]
    assert rows[0].assigned_on == LOOKUPS.today  # units without a date: assigned today


def test_a_row_without_units_is_only_registered():
    rows, errors = check("0003,标题,张明,,,,\n")
    assert errors == [] and rows[0].lead_unit_ids == [] and rows[0].assigned_on is None


def test_gb18030_csv_from_chinese_excel_is_read():
    table = read_table((HEADER + GOOD).encode("gb18030"), "list.csv")
    assert table[0][1]["title"] == "关于加装电梯的建议"


def test_xlsx_dates_and_numbers_are_read_as_in_the_sheet():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["编号", "标题", "领衔人", "主办单位", "交办日期"])
    sheet.append([17, "关于公交线路的建议", "王芳", "市住建局", date(2026, 3, 2)])
    data = io.BytesIO()
    workbook.save(data)
    rows, errors = check_rows(read_table(data.getvalue(), "list.xlsx"), LOOKUPS)
    assert errors == [] and rows[0].number == "17" and rows[0].assigned_on == date(2026, 3, 2)


@pytest.mark.parametrize(("data", "filename", "reason"), [
    (b"", "list.csv", "empty"),
    ("标题,领衔人\n标题,张明\n".encode(), "list.csv", "missing: 编号"),
    (b"not a zip", "list.xlsx", "could not be read"),
    (b"%PDF-1.4", "list.pdf", "CSV or XLSX"),
])
def test_an_unreadable_file_says_why(data, filename, reason):
    with pytest.raises(UnreadableFile) as problem:
        read_table(data, filename)
    assert reason in problem.value.text


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-01", date(2026, 3, 1)), ("2026/3/1", date(2026, 3, 1)), ("2026.03.01", date(2026, 3, 1)),
    ("2026年3月1日", date(2026, 3, 1)), ("2026-13-01", None), ("3/1/2026", None),
])
def test_dates_in_the_ways_offices_write_them(text, expected):
    assert parse_date(text) == expected


def test_split_names():
    assert split_names("甲、乙，丙;丁 / 戊\n己") == ["甲", "乙", "丙", "丁", "戊", "己"]
