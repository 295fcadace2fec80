"""The scripts vendored into static/vendor are the npm packages' own builds, at the versions package.json locks."""

import json
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
#: vendored file -> the package and the file inside it that `make vendor` copies
VENDORED = {"static/vendor/zxing-browser.min.js": ("@zxing/browser", "umd/zxing-browser.min.js"),
            "static/vendor/zxing-browser.LICENSE": ("@zxing/browser", "LICENSE")}


@pytest.mark.parametrize("vendored", sorted(VENDORED))
def test_a_vendored_file_is_the_packages_own(vendored):
    package, inside = VENDORED[vendored]
    installed = ROOT / "node_modules" / package
    if not installed.exists():
        if IN_CI:
            pytest.fail(f"{package} is not installed: `npm ci` (make vendor) should have installed it")
        pytest.skip(f"{package} is not installed here (npm ci installs it)")
    wanted = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][package]
    assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == wanted
    assert (ROOT / vendored).read_bytes() == (installed / inside).read_bytes(), f"run `make vendor` for {vendored}"


def test_every_vendored_file_is_known():
    assert {str(p.relative_to(ROOT)) for p in (ROOT / "static" / "vendor").iterdir()} == set(VENDORED)
