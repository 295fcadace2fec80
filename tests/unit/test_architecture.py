"""The shape of the house, read from the imports: core depends on no domain, rules stay pure."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "engage"
# The job queue (jobs) is infrastructure, as extensions is: core may use it.
NOT_DOMAINS = {"core", "translations", "jobs"}
DOMAINS = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - NOT_DOMAINS
# flask_babel is allowed in rules: lazy_gettext only labels a refusal, it needs no request and no database.
FORBIDDEN_IN_RULES = ("flask", "flask_sqlalchemy", "sqlalchemy", "engage.extensions")


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _top_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "engage" else None


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: p.name)
def test_core_imports_no_domain_package(path):
    domains = {_top_package(name) for name in _imported_modules(path)} & DOMAINS
    assert not domains, f"{path.relative_to(PACKAGE)} imports {sorted(domains)}"


def test_the_domain_list_is_real():
    # Guards the test above: a wrong PACKAGE path would make it pass on nothing.
    assert {"accounts", "consultations", "events", "proposals"} <= DOMAINS


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("rules.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_rules_import_neither_flask_nor_the_database(path):
    offending = {name for name in _imported_modules(path)
                 if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_IN_RULES)}
    assert not offending, f"{path.relative_to(PACKAGE)} imports {sorted(offending)}"


def _is_view_module(path: Path) -> bool:
    # core/api.py and core/views.py are the shared toolkit and site-wide pages every domain builds on.
    if path.parent == PACKAGE / "core":
        return False
    return path.stem in ("views", "api") or path.stem.endswith(("_views", "_api"))


VIEW_MODULES = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): p
                for p in PACKAGE.rglob("*.py") if _is_view_module(p)}


def test_the_view_module_list_is_real():
    assert {"engage.consultations.views", "engage.events.api", "engage.proposals.staff_views"} <= set(VIEW_MODULES)


@pytest.mark.parametrize("module", sorted(VIEW_MODULES))
def test_a_view_module_imports_no_other_view_module(module):
    # What two view modules share (a rate limit, a chart) belongs in a module of its own.
    imported = _imported_modules(VIEW_MODULES[module]) & set(VIEW_MODULES)
    assert not imported - {module}, f"{module} imports {sorted(imported - {module})}"
