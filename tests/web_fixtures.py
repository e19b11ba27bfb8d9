"""A small archive for the web app's tests: a few of the corpus documents, the quarterly series
(whose cross-document findings the audit stores) and a hostile document, ingested into a
temporary SQLite file once per session; tests that write get their own copy of it."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from archive_fixtures import CORPUS, copy_sample

SERIES = ["bc_q1_2024.txt", "bc_6thang_2024.txt", "bc_q3_2024.txt", "bc_nam_2024.txt",
          "kh_cchc_2024.txt", "tin_so_noi_vu_2024.md"]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# A folder named "…<script>alert(1)<" holding "script>…": the document's path then contains the
# whole <script>alert(1)</script> (a file name alone cannot hold the "/").
HOSTILE_DIR = "x<script>alert(1)<"
HOSTILE_NAME = f"script>{IMG}.txt"
HOSTILE_TEXT = f"""SỞ NỘI VỤ {SCRIPT}
Số: 77/BC-SNV
An Hòa, ngày 18 tháng 3 năm 2024
BÁO CÁO
Về việc {SCRIPT} kiểm tra {IMG}
Sở tiếp nhận 1.200 hồ sơ {SCRIPT}, trong đó 700 hồ sơ trực tuyến, 501 hồ sơ trực tiếp {IMG}.
Xem <a href="javascript:alert(1)">tại đây</a> và [liên kết](javascript:alert(1)) "><svg onload=alert(1)>
Căn cứ Kế hoạch số 68/KH-SNV ngày 16/01/2024 của Sở Nội vụ {SCRIPT}.
"""
# What must never reach a page unescaped.
HOSTILE_MARKUP = [SCRIPT, IMG, "<svg onload", 'href="javascript:', "href='javascript:", "<a href=\"javascript"]


def build_archive(folder: Path) -> Path:
    """Ingest the documents into ``folder/archive.sqlite`` and audit it; its path."""
    from extractor.archive import Archive
    from extractor.audit import audit_archive

    docs = copy_sample(folder / "docs")
    for name in SERIES:
        shutil.copy(CORPUS / "series" / name, docs / name)
    hostile = docs / HOSTILE_DIR
    hostile.mkdir()
    (hostile / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    path = folder / "archive.sqlite"
    with Archive.open(str(path)) as archive:
        report = archive.ingest([str(docs)], jobs=1)
        assert not report.failed, report.errors
        audit_archive(archive)
    return path


def copy_archive(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite archive (WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("web"))


@pytest.fixture
def own_archive(web_archive, tmp_path) -> Path:
    """A copy of the web archive a test may write to."""
    return copy_archive(web_archive, tmp_path / "archive.sqlite")
