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



def _is_web_module(path: Path) -> bool:
    # The staff page builders (staff_page, staff_area, events/staff) serve requests as the views do.
    return _is_view_module(path) or path.stem.startswith("staff") and path.parent != PACKAGE / "core"


WEB_MODULES = {str(p.relative_to(PACKAGE)): p for p in PACKAGE.rglob("*.py") if _is_web_module(p)}
#: what a view may do with the database itself: commit before work that needs the rows stored (a job
#: started from the request). Reading records is a service's work, so that lookups and their NotFound live
#: in one place.
ALLOWED_DATABASE_USES = {"db.session.commit"}


def _database_uses(path: Path) -> list[tuple[str, int]]:
    """Every ``db.…`` chain a module reads (``db.session.get``), written out, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    return [(ast.unparse(node), node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute | ast.Name) and id(node) not in inner
            and ast.unparse(node).split(".")[0] == "db"]


def test_the_web_module_list_is_real():
    assert {"consultations/staff_views.py", "proposals/staff_page.py", "events/staff.py"} <= set(WEB_MODULES)


def test_the_database_use_finder_sees_a_lookup(tmp_path):
    # Guards the test below: a finder that saw nothing would pass every module.
    module = tmp_path / "views.py"
    module.write_text("def f(i):\n    db.session.commit()\n    return db.session.get(X, i)\n", encoding="utf-8")
    assert _database_uses(module) == [("db.session.commit", 2), ("db.session.get", 3)]


@pytest.mark.parametrize("module", sorted(WEB_MODULES))
def test_a_view_module_leaves_the_database_to_services(module):
    uses = [f"{chain} (line {line})" for chain, line in _database_uses(WEB_MODULES[module])
            if chain not in ALLOWED_DATABASE_USES]
    assert not uses, f"{module} reads the database itself: {uses}; move the lookup into a service"
