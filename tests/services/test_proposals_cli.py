"""Operator commands: flask proposals import and flask proposals due."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.proposals.models import Proposal
from tests.fixtures.proposals import SESSION, assign_case, make_case


@pytest.fixture
def cli(app):
    """Run a command as an operator would: in a thread of its own, on what the test has committed."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    runner = app.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        with ThreadPoolExecutor(max_workers=1) as pool:
            result = pool.submit(runner.invoke, args=list(args)).result()
        db.session.rollback()
        return result

    return invoke


def write(tmp_path, rows):
    path = tmp_path / "名单.csv"
    path.write_text("编号,标题,领衔人,主办单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_reports_every_bad_row_and_imports_nothing(cli, tmp_path, department):
    path = write(tmp_path, [f"1,标题,张明,{department.name}", "2,,李华,", f"1,标题,王芳,{department.name}"])
    result = cli("proposals", "import", str(path), "--session", SESSION, "--kind", "suggestion")
    assert result.exit_code == 1
    assert "row 3: Title: The title is missing." in result.output
    assert "row 4: Case number: Number 1 appears twice in the file (first in row 2)." in result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 0


def test_import_problems_are_printed_in_the_configured_language(cli, app, tmp_path):
    app.config["BABEL_DEFAULT_LOCALE"] = "zh"
    path = write(tmp_path, ["1,,李华,"])
    result = cli("proposals", "import", str(path), "--session", SESSION, "--kind", "suggestion")
    assert result.exit_code == 1
    assert "row 2: 标题: 缺少标题。" in result.output


def test_import_stores_a_good_file(cli, tmp_path, department, supervisor):
    path = write(tmp_path, [f"{n},标题{n},代表{n},{department.name}" for n in range(1, 31)])
    result = cli("proposals", "import", str(path), "--session", SESSION, "--kind", "proposal", "--by",
                 supervisor.email)
    assert result.exit_code == 0, result.output
    assert "Imported 30 cases" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal).where(Proposal.kind == "proposal")) \
        == 30


def test_due_lists_overdue_and_due_soon_cases_per_unit(cli, supervisor, department, other_department):
    long_ago, recently = utcnow() - timedelta(days=100), utcnow() - timedelta(days=88)
    assign_case(make_case(number="7", title="超期的建议", actor=supervisor), [department],
                assigned_on=china_date(long_ago), actor=supervisor, now=long_ago)
    assign_case(make_case(number="8", title="快到期的建议", actor=supervisor), [other_department],
                assigned_on=china_date(recently), actor=supervisor, now=recently)
    assign_case(make_case(number="9", title="刚交办的建议", actor=supervisor), [department], actor=supervisor)
    result = cli("proposals", "due", "--days", "7")
    assert result.exit_code == 0, result.output
    assert f"{department.name}: 1 overdue, 0 due within 7 days" in result.output
    assert f"{other_department.name}: 0 overdue, 1 due within 7 days" in result.output
    assert "超期的建议" in result.output and "days overdue" in result.output
    assert "刚交办的建议" not in result.output


def test_due_says_when_nothing_is_due(cli):
    assert "Nothing is overdue" in cli("proposals", "due").output
