"""Auditing a folder: findings within and across documents, and the HTML report."""
from __future__ import annotations

import re
from pathlib import Path

from extractor.audit import audit_paths
from extractor.web.report import render_html

from test_crossdoc import Q1, Q3, SIX_MONTHS


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_audit_reports_findings_with_their_documents(tmp_path):
    broken = Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước")
    paths = [write(tmp_path, "q1.txt", broken), write(tmp_path, "6m.txt", SIX_MONTHS),
             write(tmp_path, "q3.txt", Q3), str(tmp_path / "missing.txt")]
    audit = audit_paths(paths)
    record = audit.to_dict()
    assert [d["error"] is not None for d in record["documents"]] == [False, False, False, True]
    kinds = sorted(f["kind"] for f in record["findings"])
    assert "sum_mismatch" in kinds and "carry_over_mismatch" in kinds and "ref_date_conflict" in kinds
    within = next(f for f in record["findings"] if f["kind"] == "sum_mismatch")
    assert within["documents"] == [paths[0]]
    assert within["message"] == "Tổng không khớp: 3.105 + 1.005 + 101 = 4.211, nhưng văn bản ghi tổng là 4.210"
    across = next(f for f in record["findings"] if f["kind"] == "ref_date_conflict")
    assert sorted(across["documents"]) == sorted(paths[:2])
    for finding in record["findings"]:
        for e in finding["evidence"]:
            text = Path(e["document"]).read_text(encoding="utf-8")
            assert text[e["start"]:e["end"]] == e["text"]


def test_html_report_is_self_contained_and_highlights_evidence(tmp_path):
    audit = audit_paths([write(tmp_path, "q1.txt", Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước"))])
    page = render_html(audit.to_dict())
    assert page.startswith('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">')
    assert "<mark>4.210 hồ sơ</mark>" in page and "<mark>101 hồ sơ</mark>" in page
    assert "Tổng không khớp" in page and "src=" not in page
    # Self-contained: inline style, no script, no stylesheet or image to fetch, links only
    # within the page (each to an element of it).
    assert "<style>" in page and "<script" not in page and "<link" not in page and "url(" not in page
    links = re.findall(r'href="([^"]*)"', page)
    assert links and all(link.startswith("#") for link in links)
    assert {link[1:] for link in links} <= set(re.findall(r'id="([^"]*)"', page))
    english = render_html(audit_paths([str(tmp_path / "q1.txt")]).to_dict("en"), "en")
    assert "Total does not add up" in english and "Figure audit report" in english


def test_seed_audits_give_exactly_the_expected_findings(shared_dir):
    import json

    for gold_path in sorted((shared_dir / "corpus" / "seeds").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        audit = audit_paths([str(gold_path.parent / gold["file"])])
        assert sorted(f.kind for f, _ in audit.all_findings()) == sorted(
            f["kind"] for f in gold["expected_findings"]), gold["file"]


def test_findings_have_the_archive_keys_and_evidence_its_line(tmp_path):
    """A paths audit gives each finding the key the archive stores for it (its own findings at
    ingest, the cross-document ones at `cchc audit --archive`), so a report and a review
    speak of the same finding."""
    import sqlite3

    from extractor.archive import Archive
    from extractor.audit import audit_archive

    broken = Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước")
    paths = [write(tmp_path, "q1.txt", broken), write(tmp_path, "6m.txt", SIX_MONTHS),
             write(tmp_path, "q3.txt", Q3)]
    record = audit_paths(paths).to_dict()
    keys = [f["key"] for f in record["findings"]]
    assert len(set(keys)) == len(keys) and all(len(k) == 32 for k in keys)
    archive_path = tmp_path / "archive.sqlite"
    with Archive.open(str(archive_path)) as archive:
        archive.ingest(paths, jobs=1)
        audit_archive(archive)
    stored = {k for (k,) in sqlite3.connect(archive_path).execute("SELECT key FROM findings")}
    assert set(keys) == stored
    assert audit_paths(paths).to_dict("en")["findings"][0]["key"] == keys[0]  # whatever the language
    for finding in record["findings"]:
        for e in finding["evidence"]:
            text = Path(e["document"]).read_text(encoding="utf-8")
            assert e["line"] == text.count("\n", 0, e["start"]) + 1


def _report(tmp_path, *docs: tuple[str, str], lang: str = "vi") -> tuple[dict, str]:
    record = audit_paths([write(tmp_path, name, text) for name, text in docs]).to_dict(lang)
    return record, render_html(record, lang)


def test_html_report_has_a_summary_and_a_contents_list(tmp_path):
    broken = Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước")
    record, page = _report(tmp_path, ("q1.txt", broken), ("6m.txt", SIX_MONTHS), ("q3.txt", Q3))
    text = _visible(page)
    claims = sum(d["claims"] for d in record["documents"])
    holding = sum(d["claims_holding"] for d in record["documents"])
    assert claims > holding > 0
    assert f"Văn bản 3 " in text
    unchecked = sum(d["claims_unchecked"] for d in record["documents"])
    assert (f"Quan hệ số liệu đã kiểm tra {claims} (khớp: {holding}, không khớp: {claims - holding}; "
            f"chưa kiểm tra được: {unchecked})") in text
    severities = {f["severity"] for f in record["findings"]}
    for severity in severities:
        count = sum(f["severity"] == severity for f in record["findings"])
        assert f'<span class="sev sev-{severity}">' in page and f'href="#severity-{severity}"' in page
        assert f'id="severity-{severity}"' in page and f"({count})" in page
    assert page.index('id="summary"') < page.index('class="contents"') < page.index('id="findings"')
    english = render_html(record, "en")
    assert "Summary" in english and "Contents" in english and "Relations checked" in english


def test_html_report_lists_findings_by_severity_then_document(tmp_path):
    def finding(key, severity, document):
        return {"key": key, "kind": "sum_mismatch", "severity": severity, "rule": "sum.breakdown",
                "stated": 10, "expected": 11, "tolerance": None, "message": f"finding {key}",
                "documents": [document], "evidence": []}

    audit = {"documents": [{"path": p, "facts": 1, "claims": 1, "claims_holding": 0, "findings": 1, "error": None}
                           for p in ("/x/a.txt", "/x/b.txt")],
             "findings": [finding("k-minor", "minor", "/x/a.txt"), finding("k-error-b", "error", "/x/b.txt"),
                          finding("k-gross", "gross", "/x/b.txt"), finding("k-error-a", "error", "/x/a.txt"),
                          finding("k-possible", "possible", "/x/a.txt")]}
    page = render_html(audit)
    cards = re.findall(r'<article class="finding [^"]*" id="finding-([^"]+)"', page)
    assert cards == ["k-gross", "k-error-a", "k-error-b", "k-minor", "k-possible"]
    contents = page[page.index('class="contents"'):page.index("</nav>")]
    assert re.findall(r'href="#finding-([^"]+)"', contents) == cards


def test_html_report_shows_each_finding_key_and_quotes_a_sentence_once(tmp_path):
    broken = Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước")
    record, page = _report(tmp_path, ("q1.txt", broken), ("6m.txt", SIX_MONTHS), ("q3.txt", Q3))
    for f in record["findings"]:
        assert f'id="finding-{f["key"]}"' in page and f'<code class="key">{f["key"]}</code>' in page
        assert f'href="#finding-{f["key"]}"' in page
    within = next(f for f in record["findings"] if f["kind"] == "sum_mismatch")
    card = page[page.index(f'id="finding-{within["key"]}"'):]
    card = card[:card.index("</article>")]
    sentences = {e["sentence"] for e in within["evidence"]}
    assert card.count('<blockquote class="quote">') == len(sentences) < len(within["evidence"])
    # Every figure of the finding is marked in its sentence, which is located by line, not offsets.
    assert all(f"<mark>{e['text']}</mark>" in card for e in within["evidence"])
    assert f"q1.txt, dòng {within['evidence'][0]['line']})" in _visible(card)
    assert f"{within['evidence'][0]['start']}–" not in card


def test_html_report_escapes_a_hostile_document(tmp_path):
    script, img = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"
    hostile = Q1.replace("100 hồ sơ từ kỳ trước", f"101 hồ sơ từ kỳ trước {script}{img}")
    folder = tmp_path / f"x{img}"
    folder.mkdir()
    record, page = _report(folder, (f"q1{img}.txt", hostile))
    assert any(script in e["sentence"] for f in record["findings"] for e in f["evidence"])
    assert script not in page and img not in page and "<img" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "q1&lt;img src=x onerror=alert(1)&gt;.txt" in page


def test_audit_of_an_archive_shows_the_reviewers_decisions(tmp_path):
    import json

    from click.testing import CliRunner

    from extractor.archive import Archive
    from extractor.cli import cli

    broken = Q1.replace("100 hồ sơ từ kỳ trước", "101 hồ sơ từ kỳ trước")
    paths = [write(tmp_path, "q1.txt", broken), write(tmp_path, "6m.txt", SIX_MONTHS)]
    archive = str(tmp_path / "archive.sqlite")
    runner = CliRunner()
    first = runner.invoke(cli, ["audit", *paths, "--archive", archive, "--format", "json"])
    assert first.exit_code == 0, first.output
    findings = json.loads(first.stdout)["findings"]
    confirmed, dismissed = findings[0]["key"], findings[-1]["key"]
    with Archive.open(archive, create=False) as opened:
        opened.judge(decision="confirm", finding_key=confirmed, note="đã đối chiếu <b>bản gốc</b>", who="Lan")
        opened.judge(decision="dismiss", finding_key=dismissed, note=None, who="Minh")
    report = tmp_path / "report.html"
    second = runner.invoke(cli, ["audit", "--archive", archive, "--format", "html", "--output", str(report)])
    assert second.exit_code == 0, second.output
    page = report.read_text(encoding="utf-8")
    card = page[page.index(f'id="finding-{confirmed}"'):]
    card = card[:card.index("</article>")]
    assert "đã xác nhận" in card and "Lan" in card and "đã đối chiếu &lt;b&gt;bản gốc&lt;/b&gt;" in card
    assert "đã bác bỏ" in page and "Quyết định của người xem xét" in page
    plain = runner.invoke(cli, ["audit", *paths, "--format", "html", "--output", str(tmp_path / "plain.html")])
    assert plain.exit_code == 0 and "Quyết định của người xem xét" not in (tmp_path / "plain.html").read_text()


def _visible(page: str) -> str:
    """A page's text, roughly (tags dropped, entities decoded, spaces folded)."""
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_report_written_to_a_pipe_or_device_leaves_it_one(tmp_path):
    """`--output /dev/null` or a named pipe is written to, never replaced by a file (the report
    is otherwise written to a temporary file and renamed into place)."""
    import os
    import stat
    import threading

    from click.testing import CliRunner

    from extractor.cli import cli

    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    result = CliRunner().invoke(cli, ["audit", write(tmp_path, "q1.txt", Q1), "--format", "json",
                                      "--output", str(pipe)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and '"findings"' in received[0]
