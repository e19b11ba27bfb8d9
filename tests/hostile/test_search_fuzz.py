"""Search options fuzzed: any query text and option values give results or a one-line error,
never a traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in ("bc_quy1_so_tai_chinh.txt", "cv_so_xay_dung.txt"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    path = folder / "kho.sqlite"
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--archive", str(path), "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return path


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_number = st.one_of(st.integers(-10**40, 10**40).map(str), _text)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=_text, options=st.lists(st.tuples(
    st.sampled_from(["--year", "--limit", "--from", "--to", "--type", "--issuer", "--province", "--cites",
                     "--sort", "--format"]), _number), max_size=3))
def test_search_never_raises(archive, query, options):
    args = ["search", query, "--archive", str(archive)]
    for option, value in options:
        args += [option, value]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exc_info)
    assert result.exit_code in (0, 1, 2), (args, result.output)
    if result.exit_code:
        assert "Traceback" not in result.output
