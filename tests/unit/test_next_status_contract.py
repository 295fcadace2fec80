"""One contract for ``next_status`` in every domain: the new status, or a RuleViolation; never None."""

import ast
from pathlib import Path

import pytest

from engage.core.errors import RuleViolation
from engage.decisions import rules as decisions
from engage.events import rules as events
from engage.proposals import rules as proposals

PACKAGE = Path(__file__).resolve().parents[2] / "engage"

#: module -> (an allowed status and action with the status it leads to, a refused status and action)
CASES = {
    "engage.decisions.rules": (decisions, ("listed", "postponed"), "postponed", ("dropped", "postponed")),
    "engage.events.rules": (events, ("pending", "approve"), "confirmed", ("cancelled", "approve")),
    "engage.proposals.rules": (proposals, ("registered", "assign"), "assigned", ("registered", "rate")),
}


def _modules_defining_next_status() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "next_status" for node in tree.body):
            found.add(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    return found


def test_every_next_status_in_the_house_is_held_to_the_contract():
    assert _modules_defining_next_status() == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_allowed_change_returns_the_new_status(name):
    module, allowed, after, _refused = CASES[name]
    assert module.next_status(*allowed) == after


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refused_change_raises_a_rule_violation(app, name):
    module, _allowed, _after, refused = CASES[name]
    with app.test_request_context(), pytest.raises(RuleViolation):
        module.next_status(*refused)
