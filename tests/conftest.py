from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# The tests (and the commands they start) keep compiled patterns in a cache of their own, not
# the user's (extractor/cache.py); CCHC_CACHE_DIR=off runs them with no cache at all.
if os.environ.get("CCHC_CACHE_DIR") != "off":
    os.environ["CCHC_CACHE_DIR"] = TEST_CACHE = tempfile.mkdtemp(prefix="cchc-test-cache-")
else:
    TEST_CACHE = None


def pytest_sessionfinish(session, exitstatus) -> None:
    if TEST_CACHE is not None:
        shutil.rmtree(TEST_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is absent")
    return SHARED
