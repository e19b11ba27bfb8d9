"""Start-up: each command imports only what it uses (bench/startup.py times it; these tests
check what is loaded, not how long it takes), and the lighter paths give what the heavier
ones did."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from extractor import multiscan
from extractor.structure.outline import _sent_tokenize

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "corpus" / "cv_so_xay_dung.txt"

# Modules a one-file extract of a text document must not load (with the cache warm): the
# other readers, the full underthesea, the archive, the terminal tables, PyYAML and numpy.
NOT_FOR_A_TEXT = ["underthesea", "sqlalchemy", "alembic", "rich", "pdfplumber", "docx", "yaml", "numpy",
                  "extractor.archive", "extractor.web"]
# Modules ``cchc search`` must not load: the extraction pipeline, the web app, Alembic.
NOT_FOR_A_SEARCH = ["extractor.extract", "extractor.structure.analysis", "extractor.reconcile",
                    "extractor.pipeline", "extractor.web.app", "extractor.archive.export", "alembic",
                    "underthesea", "numpy", "yaml"]


def _loaded(script: str, tmp_path: Path) -> set[str]:
    """The modules loaded by ``script`` (the second of two runs, so the cache is warm)."""
    program = textwrap.dedent(script) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_a_one_file_extract_of_a_text_loads_no_more_than_it_needs(tmp_path):
    loaded = _loaded(f"""
        import sys
        from extractor.cli import main
        sys.argv = ["cchc", "extract", "--timeout", "0", "--max-memory", "0", {str(DOCUMENT)!r}]
        try:
            main()
        except SystemExit:
            pass
        """, tmp_path)
    assert "extractor.pipeline" in loaded  # it did run
    assert sorted(m for m in NOT_FOR_A_TEXT if m in loaded) == []


def test_a_search_loads_no_more_than_it_needs(tmp_path):
    archive = f"sqlite:///{tmp_path / 'archive.sqlite'}"
    ingest = subprocess.run([sys.executable, "-m", "extractor", "ingest", str(DOCUMENT), "--archive", archive],
                            cwd=ROOT, capture_output=True, text=True)
    assert ingest.returncode == 0, ingest.stderr
    loaded = _loaded(f"""
        import sys
        from extractor.cli import main
        sys.argv = ["cchc", "search", "ke hoach", "--archive", {archive!r}]
        try:
            main()
        except SystemExit as exit:
            assert not exit.code, exit.code
        """, tmp_path)
    assert "extractor.archive.search" in loaded
    assert sorted(m for m in NOT_FOR_A_SEARCH if m in loaded) == []


SENTENCES = [
    "Xin chào. Tôi là cán bộ Sở Nội vụ.",
    "TP. Hà Nội tiếp nhận 1.500.000 hồ sơ. Đạt 99,5%!",
    "Căn cứ Kế hoạch số 862/KH-UBND ngày 29/3/2023... Các cơ quan thực hiện? Có.",
    "Ông Nguyễn Văn A, Giám đốc Sở; bà Trần Thị B. Phó Giám đốc.",
    "",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_light_sentence_splitter_is_underthesea_s(text):
    from underthesea import sent_tokenize

    assert _sent_tokenize()(text) == sent_tokenize(text)


def _hits(seed: int, text: str, count: int, ids: int) -> tuple[bytes, list[int]]:
    """``count`` packed hits (byte offset << 8 | id) at character starts of ``text``, some twice."""
    rng = random.Random(seed)
    data = text.encode("utf-8")
    starts = [i for i, byte in enumerate(data) if byte & 0xC0 != 0x80]
    found = [rng.choice(starts) << 8 | rng.randrange(ids) for _ in range(count)]
    return data, found + found[: count // 10]


HIT_ROWS = [
    ("ascii", "Ke hoach so 862/KH-UBND ngay 29/3/2023; 56/60 nhiem vu. " * 40, 300, 3),
    ("vietnamese", "Kế hoạch số 862/KH-UBND ngày 29/3/2023; đạt 93,3%. Đà Nẵng, Huế. " * 40, 500, 5),
    ("one hit", "Quyết định 47/QĐ-UBND", 1, 1),
    ("at the very start", "Đ" * 50, 50, 2),
    ("many ids", "Thủ tục hành chính mức độ 4 " * 100, 2000, 200),
]


@pytest.mark.parametrize("name, text, count, ids", HIT_ROWS, ids=[r[0] for r in HIT_ROWS])
def test_hits_converted_in_python_are_those_numpy_gives(name, text, count, ids):
    data, found = _hits(len(name), text, count, ids)
    plain = multiscan._grouped(text, data, found)
    assert plain == multiscan._grouped_numpy(text, data, found)
    assert list(plain) == sorted(plain)
    for i, offsets in plain.items():
        assert offsets == sorted(set(offsets))
        # each offset is a character offset: the text there is where the bytes were
        assert {text[o:].encode("utf-8") for o in offsets} <= {data[h >> 8:] for h in found if h & 0xFF == i}
