"""The Chinese catalog covers every message of the code and templates, with the same placeholders.

Messages are extracted the way `pybabel extract -F babel.cfg -k _l -k lazy_gettext` does, straight from the
source, so a string added without a translation fails here rather than showing up in English on a Chinese page.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "engage" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    **DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2), "lazy_pgettext": ((1, "c"), 2),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]")
#: shown in a failure; the rest are counted
SHOWN = 40


@pytest.fixture(scope="module")
def catalog():
    if not CATALOG.exists():
        message = f"no Chinese catalog at {CATALOG.relative_to(ROOT)}: every interface string must be translated"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with CATALOG.open("rb") as po_file:
        return read_po(po_file, locale="zh")


@pytest.fixture(scope="module")
def extracted() -> dict[tuple, str]:
    """(msgid, msgid_plural or None, context) -> where it is used, for every message in engage/ and templates/."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[tuple, str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True,
        directory_filter=_is_source_folder,
    ):
        singular, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        if singular:
            found.setdefault((singular, plural, context), f"{filename}:{lineno}")
    return found


def _is_source_folder(dirpath: str) -> bool:
    # Babel's default filter also skips folders starting with "_", which would leave out templates/_macros.
    name = Path(dirpath).name
    return not name.startswith(".") and name not in {"node_modules", "__pycache__", "instance"}


def _report(problems: list[str], what: str) -> str:
    more = f"\n  ... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return f"{len(problems)} {what} in {CATALOG.relative_to(ROOT)}:\n  " + "\n  ".join(problems[:SHOWN]) + more


def test_extraction_finds_the_interface_messages(extracted):
    # Guards the tests below against passing on nothing (a wrong babel.cfg or keyword list).
    assert len(extracted) > 100
    assert any(where.startswith("templates/") for where in extracted.values())
    assert any(where.startswith("engage/") for where in extracted.values())
    assert any(where.startswith("templates/_macros/") for where in extracted.values())


def test_every_message_has_a_chinese_translation(catalog, extracted):
    problems = []
    for (singular, _plural, context), where in sorted(extracted.items(), key=lambda item: item[1]):
        entry = catalog.get(singular, context)
        if entry is None:
            problems.append(f"missing:   {singular!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy:     {singular!r} ({where})")
        elif not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)):
            problems.append(f"empty:     {singular!r} ({where})")

    assert not problems, _report(problems, "messages without a usable Chinese translation")


def test_translations_keep_the_placeholders(catalog, extracted):
    problems = []
    for (singular, plural, context), where in sorted(extracted.items(), key=lambda item: item[1]):
        entry = catalog.get(singular, context)
        if entry is None or not entry.string:
            continue  # reported by the test above
        expected = set(PLACEHOLDER.findall(singular)) | set(PLACEHOLDER.findall(plural or ""))
        for translation in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            if translation and set(PLACEHOLDER.findall(translation)) != expected:
                problems.append(f"{singular!r} -> {translation!r}: expected {sorted(expected)} ({where})")

    assert not problems, _report(problems, "translations whose placeholders differ from the English")
