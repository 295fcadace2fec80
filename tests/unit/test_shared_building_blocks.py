"""The building blocks every domain shares: answer outcomes, charts, exports."""

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from engage.core.answers import AnswerOutcome, answer_problems, count_outcomes
from engage.core.charts import PLOT_WIDTH, bar_chart
from engage.core.exports import csv_response, csv_rows, safe_cell, xlsx_bytes


@pytest.mark.parametrize(
    ("outcome", "reason", "fields"),
    [
        ("adopted", "", set()),
        ("adopted", "因为合理", set()),
        ("partly_adopted", "", {"reason"}),
        ("partly_adopted", "部分已改", set()),
        ("not_adopted", "   ", {"reason"}),
        ("not_adopted", "与上位法冲突", set()),
        ("out_of_scope", "", {"reason"}),
        ("", "", {"outcome"}),
        ("rejected", "x", {"outcome"}),
    ],
)
def test_answer_needs_an_outcome_and_a_reason_short_of_adoption(outcome, reason, fields):
    assert set(answer_problems(outcome, reason)) == fields


def test_answer_reason_has_a_maximum_length():
    assert "reason" in answer_problems("not_adopted", "理" * 5001)


def test_count_outcomes_lists_every_outcome_in_order():
    counts = count_outcomes(["adopted", "not_adopted", AnswerOutcome.ADOPTED])
    assert list(counts) == list(AnswerOutcome)
    assert counts[AnswerOutcome.ADOPTED] == 2
    assert counts[AnswerOutcome.OUT_OF_SCOPE] == 0


def test_bar_chart_scales_bars_to_the_largest_value():
    chart = bar_chart("Comments", [("网上", 30), ("电话", 15), ("信函", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths == [PLOT_WIDTH, PLOT_WIDTH / 2, 0]
    assert [bar.text for bar in chart.bars] == ["30", "15", "0"]
    assert chart.total == 45
    assert chart.bars[1].y > chart.bars[0].y


def test_bar_chart_of_nothing_draws_no_bars_of_width():
    chart = bar_chart("Empty", [("a", 0), ("b", 0)])
    assert all(bar.width == 0 for bar in chart.bars)


def test_bar_chart_uses_a_fixed_maximum_and_formatter():
    chart = bar_chart("Rate", [("A", 50.0)], maximum=100, formatter=lambda v: f"{v:.1f}%")
    assert chart.bars[0].width == PLOT_WIDTH / 2
    assert chart.bars[0].text == "50.0%"


@pytest.mark.parametrize("text", ["=1+1", "+86", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")"])
def test_cells_that_look_like_formulas_are_defused(text):
    assert safe_cell(text) == "'" + text


def test_cells_show_china_time():
    assert safe_cell(datetime(2026, 1, 1, 16, 30, tzinfo=UTC)) == "2026-01-02 00:30"


def test_csv_starts_with_a_byte_order_mark_and_round_trips_chinese():
    text = "".join(csv_rows(["编号", "意见"], [[1, "建议增加，\"分类\"垃圾桶\n第二行"], [2, "=cmd"]]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["编号", "意见"], ["1", "建议增加，\"分类\"垃圾桶\n第二行"], ["2", "'=cmd"]]


def test_csv_download_names_its_charset_once():
    response = csv_response("意见.csv", ["a"], [[1]])
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''%E6%84%8F%E8%A7%81.csv" in response.headers["Content-Disposition"]


def test_xlsx_holds_every_sheet_and_row():
    data = xlsx_bytes([("报告", ["a", "b"], [[1, "一"], [2, "二"]]), ("Second", ["x"], iter([["y"]]))])
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["报告", "Second"]
    assert [list(row) for row in workbook["报告"].iter_rows(values_only=True)] == [["a", "b"], [1, "一"], [2, "二"]]


def test_cells_replace_characters_a_spreadsheet_cannot_hold():
    assert safe_cell("a\u0000b\u0001c\u001fd\te\nf") == "a\ufffdb\ufffdc\ufffdd\te\nf"
    data = xlsx_bytes([("s", ["t"], [["x \u0001 y"]])])
    assert list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))[1] == ("x \ufffd y",)
