"""The command line: output contract, bad input, and the README's commands."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from extractor.archive.__main__ import main as archive_main
from extractor.cli import cli
from extractor.cli_options import lang_option, ocr_option, ocr_timeout_option

ROOT = Path(__file__).resolve().parent.parent
REPORT = "Kế hoạch số 862/KH-SGTVT ngày 29/3/2023; tiếp nhận 14.911 hồ sơ, đạt 99,87%.\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_extract_jsonl_contract(tmp_path):
    doc = tmp_path / "bc.txt"
    doc.write_text(REPORT, encoding="utf-8")
    result = run("extract", str(doc))
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.strip())
    assert set(record) >= {"source", "document", "facts", "sections", "problems", "errors"}
    assert record["source"]["path"] == str(doc)
    assert len(record["source"]["sha256"]) == 64
    assert record["source"]["format"] == "text"
    for fact in record["facts"]:
        base = {"kind", "text", "start", "end", "page", "pattern", "value", "section", "sentence"}
        assert base <= set(fact) <= base | {"meaning", "ocr"}
        assert REPORT[fact["start"]:fact["end"]] == fact["text"]
        assert fact["page"] is None
    kinds = {f["kind"]: f for f in record["facts"]}
    assert kinds["doc_ref"]["value"]["canonical"] == "862/KH-SGTVT"
    assert kinds["percent"]["value"] == {"value": 99.87, "decimals": 2}
    assert kinds["quantity"]["value"]["value"] == 14911
    assert kinds["quantity"]["meaning"]["metric"] == "dossiers.received"


def test_text_prints_what_offsets_index(tmp_path):
    doc = tmp_path / "bc.md"
    doc.write_bytes(("\ufeff" + REPORT).replace("\n", "\r\n").encode("utf-8"))
    printed = run("text", str(doc)).output
    record = json.loads(run("extract", str(doc)).output)
    assert record["source"]["format"] == "markdown"
    for fact in record["facts"]:
        assert printed[fact["start"]:fact["end"]] == fact["text"]


def test_bad_files_give_one_line_errors_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"abc\x00\x00\x00def")
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["extract", str(missing), str(binary), str(nul), str(good)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 3
    assert str(missing) in lines[0] and "không tìm thấy" in lines[0]
    assert str(binary) in lines[1] and "PDF" in lines[1]
    assert str(nul) in lines[2]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [bool(r["errors"]) for r in records] == [True, True, True, False]
    assert records[3]["facts"]


def test_errors_in_english_on_request(tmp_path):
    result = CliRunner().invoke(cli, ["extract", "--lang", "en", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "file not found" in result.stderr


def test_folders_are_walked_and_gold_files_skipped(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "a" / "one.gold.json").write_text("{}", encoding="utf-8")
    (tmp_path / "two.md").write_text(REPORT, encoding="utf-8")
    (tmp_path / "README.md").write_text("# not a document", encoding="utf-8")
    result = run("extract", "--format", "json", str(tmp_path))
    paths = [Path(r["source"]["path"]).name for r in json.loads(result.output)]
    assert paths == ["one.txt", "two.md"]


def test_table_summary(tmp_path):
    (tmp_path / "one.txt").write_text(REPORT, encoding="utf-8")
    result = run("extract", "--format", "table", str(tmp_path))
    assert result.exit_code == 0
    assert "one.txt" in result.output and "Tất cả (1 văn bản)" in result.output


def test_impossible_date_is_a_problem_not_a_date(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text("Báo cáo ngày 31/02/2023 và ngày 28/02/2023.", encoding="utf-8")
    record = json.loads(run("extract", str(doc)).output)
    assert [f["value"]["iso"] for f in record["facts"] if f["kind"] == "date"] == ["2023-02-28"]
    assert record["problems"][0]["code"] == "impossible_date"
    assert record["problems"][0]["text"] == "31/02/2023"
    assert "31/02/2023" in record["problems"][0]["message"]


def _commands() -> dict[str, click.Command]:
    """Every ``cchc`` command, the archive's (loaded on demand) included."""
    ctx = click.Context(cli)
    return {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}


def test_every_command_is_documented_with_an_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands()
    for name, command in {**commands, "cchc": cli, "python -m extractor.archive": archive_main}.items():
        assert command.help, name
        assert command.help.strip().split("\n\n")[-1].lstrip().startswith("Example:"), name
    for name in commands:
        assert f"cchc {name}" in readme, name


def test_shared_options_have_one_help_everywhere():
    shared = {}
    for decorator in (lang_option, ocr_option, ocr_timeout_option):
        option = decorator(click.Command("probe")).params[0]
        shared[option.name] = option
    seen = set()
    for name, command in _commands().items():
        for param in command.params:
            if param.name in shared:
                seen.add(param.name)
                assert param.help == shared[param.name].help, (name, param.name)
                assert param.default == shared[param.name].default, (name, param.name)
    assert seen == set(shared)


@pytest.mark.slow
def test_python_dash_m_works(tmp_path):
    doc = tmp_path / "bc.txt"
    doc.write_text(REPORT, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "extractor", "extract", str(doc)],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["facts"]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) == 2, "the README has exactly two set-up commands"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
    assert "corpus/" in commands[0]


def test_audit_command_table_json_and_html(tmp_path):
    doc = tmp_path / "bc.txt"
    doc.write_text("Sở tiếp nhận 1.200 hồ sơ, trong đó 700 hồ sơ trực tuyến, 501 hồ sơ trực tiếp.\n", encoding="utf-8")
    table = CliRunner().invoke(cli, ["audit", str(tmp_path)])
    assert table.exit_code == 0, table.output
    assert "Tổng không khớp" in table.stdout and "bc.txt" in table.stdout
    as_json = json.loads(CliRunner().invoke(cli, ["audit", "--format", "json", "--lang", "en", str(doc)]).stdout)
    assert as_json["findings"][0]["kind"] == "sum_mismatch"
    assert as_json["findings"][0]["message"].startswith("Total does not add up")
    report = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["audit", "--format", "html", "--output", str(report), str(doc)])
    assert result.exit_code == 0
    assert "<mark>1.200 hồ sơ</mark>" in report.read_text(encoding="utf-8")


def test_the_archive_commands_are_listed_before_they_are_loaded():
    from extractor.archive.commands import COMMANDS
    from extractor.cli import ARCHIVE_COMMANDS
    from extractor.web.commands import COMMANDS as WEB_COMMANDS

    assert sorted(ARCHIVE_COMMANDS) == sorted(c.name for c in (*COMMANDS, *WEB_COMMANDS))
